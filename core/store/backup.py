"""Backups with SQLite's online backup API: make, verify, rotate and list.

Daily backups are kept for 14 days and one per ISO week for 8 weeks, but rotation never removes
the newest backup that holds more entries than the log has now, nor the newest one made before
the log was found damaged; backups made by hand and before a migration are never removed
automatically. However many programs open the log on a morning, one of them makes the day's
backup and the others leave it to that one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from carelog.core.domain.datatypes import Record
from carelog.core.domain.errors import BadInput, EnvironmentFailure
from carelog.core.domain.timeutil import local_now
from carelog.core.store.files import (
    PRIVATE_FILE,
    create_exclusive,
    ensure_private_dir,
    fsync_folder,
    private_temp,
    remove_with_sidecars,
    special_kind,
    try_lock,
)

KEEP_DAILY = 14
KEEP_WEEKLY = 8
SQLITE_HEADER = b"SQLite format 3\x00"
DAILY_LOCK = ".daily.lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class BackupInfo(Record, frozen=True):
    """One backup file as the app lists it."""

    path: Path
    kind: str  # daily, manual, pre-migration, replaced
    made: datetime
    size: int


def backup_dir(db_path: Path) -> Path:
    """The folder holding a database's backups: '<stem>-backups' beside it."""
    return db_path.parent / f"{db_path.stem}-backups"


def copy_database(src: sqlite3.Connection, dest: Path) -> None:
    """Copy a live database into dest with the backup API, then verify the copy.

    The copy is written to a private temporary file beside dest and renamed only once it passes
    integrity_check, so a failed or interrupted backup never leaves a half-written file that
    looks like a backup. The copy is a single file (no write-ahead log of its own).
    """
    if os.path.lexists(dest) and not dest.is_symlink():
        kind = special_kind(os.stat(dest).st_mode)
        if kind is not None and kind != "a folder":  # it would be replaced by the backup file
            raise BadInput(f"{dest} is {kind}, not a file; give a file name for the backup.",
                           field="to")
    try:
        ensure_private_dir(dest.parent)
        with private_temp(dest.parent, dest.name) as temp:
            target = sqlite3.connect(temp.path, isolation_level=None)
            try:
                src.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
                result = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
            if result != "ok":
                raise EnvironmentFailure(f"The backup written to {dest} failed its check "
                                         f"({result}).")
            os.fsync(temp.fd)
            temp.keep_as(dest)
        fsync_folder(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        raise EnvironmentFailure(
            f"The backup to {dest} could not be written: {_reason(exc)}.") from exc


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.rstrip(".").lower() if text else type(exc).__name__


def make_backup(conn: sqlite3.Connection, db_path: Path, kind: str = "manual",
                to: Path | None = None, today: date | None = None) -> Path:
    """Write a verified backup of the open database and return its path."""
    now = local_now()
    if to is None:
        folder = backup_dir(db_path)
        if kind == "daily":
            name = f"{db_path.stem}-daily-{(today or now.date()).isoformat()}.db"
        else:
            name = f"{db_path.stem}-{kind}-{now:%Y%m%d-%H%M%S}.db"
        to = folder / name
        if kind != "daily":
            to = _unused(to)
    copy_database(conn, to)
    if kind == "daily":
        rotate(backup_dir(db_path), today or now.date(),
               current_entries=_count(conn), damaged_at=damage_marks(db_path))
    return to


def _unused(path: Path) -> Path:
    """path, or path with '-2', '-3'… before its suffix when a file already has that name."""
    n = 1
    candidate = path
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def make_daily_backup(conn: sqlite3.Connection, db_path: Path, today: date) -> Path | None:
    """Today's backup, unless it exists or another program is making it right now.

    The programs that open the log on the same morning agree through a lock in the backups
    folder: the first makes the backup, the others return None without waiting.
    """
    if has_daily_backup(db_path, today):
        return None
    folder = backup_dir(db_path)
    try:
        ensure_private_dir(folder)
        fd = os.open(folder / DAILY_LOCK, os.O_RDWR | os.O_CREAT | _NOFOLLOW, PRIVATE_FILE)
    except OSError as exc:
        raise EnvironmentFailure(f"The backup folder {folder} could not be used: "
                                 f"{_reason(exc)}.") from exc
    try:
        if not try_lock(fd) or has_daily_backup(db_path, today):
            return None
        return make_backup(conn, db_path, kind="daily", today=today)
    finally:
        os.close(fd)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob(f"{db_path.stem}-*.db"):
        kind = p.name[len(db_path.stem) + 1:].split("-")[0]
        kind = {"pre": "pre-migration"}.get(kind, kind)
        try:
            st = p.stat()
        except OSError:
            continue
        out.append(BackupInfo(p, kind, datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(out, key=lambda b: b.made, reverse=True)


def has_daily_backup(db_path: Path, day: date) -> bool:
    """True when today's daily backup already exists."""
    return (backup_dir(db_path) / f"{db_path.stem}-daily-{day.isoformat()}.db").exists()


def damage_marks(db_path: Path) -> list[datetime]:
    """When the log was found damaged: the times of the copies kept as '*.corrupt*'."""
    marks = []
    for p in db_path.parent.glob(f"{db_path.name}.corrupt*"):
        if p.name.endswith(("-wal", "-shm")):
            continue
        with contextlib.suppress(OSError):
            marks.append(datetime.fromtimestamp(p.stat().st_mtime))
    return marks


def rotate(folder: Path, today: date, *, current_entries: int | None = None,
           damaged_at: list[datetime] | tuple[datetime, ...] = ()) -> list[Path]:
    """Keep the 14 newest daily backups and the newest of each of the last 8 weeks.

    Never removed besides: the newest daily backup holding more entries than the log holds now
    (`current_entries`), so a log that lost entries cannot push its last good copy out, and the
    newest daily backup made before each time the log was found damaged (`damaged_at`).
    """
    dailies: list[tuple[date, Path]] = []
    for p in folder.glob("*-daily-*.db"):
        try:
            d = date.fromisoformat(p.stem.rsplit("-daily-", 1)[1])
        except ValueError:
            continue
        dailies.append((d, p))
    dailies.sort(reverse=True)
    keep = {p for _, p in dailies[:KEEP_DAILY]}
    horizon = today - timedelta(weeks=KEEP_WEEKLY)
    seen_weeks: set[tuple[int, int]] = set()
    for d, p in dailies:
        wk = d.isocalendar()[:2]
        if d > horizon and wk not in seen_weeks:
            seen_weeks.add(wk)
            keep.add(p)
    for mark in damaged_at:
        before = [(d, p) for d, p in dailies if _made(p) < mark]
        if before:
            keep.add(before[0][1])
    if current_entries is not None:
        for _, p in dailies:
            held = entry_count(p)
            if held is not None and held > current_entries:
                keep.add(p)
                break
    removed = []
    for _, p in dailies:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def _made(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return datetime.max


def _count(conn: sqlite3.Connection) -> int | None:
    try:
        return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
    except sqlite3.Error:
        return None


@contextlib.contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a database file, closed after use.

    immutable: reading a backup must not leave -wal or -shm files beside it.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def entry_count(path: Path) -> int | None:
    """How many entries a backup file holds, or None when it cannot be read."""
    try:
        with reading(path) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
    except sqlite3.Error:
        return None


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name the same file (or would, once created)."""
    try:
        return a.expanduser().resolve() == b.expanduser().resolve()
    except OSError:
        return False


def verify_file(path: Path) -> str:
    """Run integrity_check on a database file; return 'ok' or what it found.

    A folder, a missing file, a device, a pipe or a socket is refused (BadInput) before anything
    is read from it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a backup file.", field="path") from None
    except FileNotFoundError:
        raise BadInput(f"There is no file at {path}.", field="path") from None
    except OSError as exc:
        raise BadInput(f"The file {path} could not be read: {_reason(exc)}.",
                       field="path") from exc
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind == "a folder":
            raise BadInput(f"{path} is a folder, not a backup file.", field="path")
        if kind is not None:
            raise BadInput(f"{path} is {kind}, not a backup file.", field="path")
        if os.read(fd, 16) != SQLITE_HEADER:
            return "not a SQLite database"
    finally:
        os.close(fd)
    try:
        with reading(path) as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.Error as exc:
        return _reason(exc)


def carelog_schema(path: Path) -> int | None:
    """The Carelog schema version of a database file, or None when it is not a Carelog log."""
    try:
        with reading(path) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not {"entries", "journal", "settings", "categories"} <= tables:
                return None
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that passes integrity_check, or None."""
    for info in list_backups(db_path):
        if verify_file(info.path) == "ok":
            return info.path
    return None


def keep_damaged(db_path: Path) -> Path:
    """Copy a damaged database (and its WAL) to '*.corrupt' without touching the original.

    The copy is created exclusively under a name nothing has ('.corrupt', '.corrupt2'…); a copy
    identical to the file is reused. If the copy cannot be completed (a full disk), nothing
    partial is left and EnvironmentFailure says so.
    """
    n = 1
    while True:
        target = db_path.with_name(db_path.name + (".corrupt" if n == 1 else f".corrupt{n}"))
        if os.path.lexists(target):
            if (target.is_file() and not target.is_symlink()
                    and target.stat().st_size == db_path.stat().st_size
                    and _same_bytes(target, db_path)):
                return target
            n += 1
            continue
        try:
            _copy_exclusive(db_path, target)
        except FileExistsError:
            n += 1
            continue
        break
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        with contextlib.suppress(FileExistsError):
            _copy_exclusive(wal, target.with_name(target.name + "-wal"))
    return target


def _copy_exclusive(src: Path, dest: Path) -> None:
    """Copy src into a new file dest (created exclusively, 0600); no partial copy is left."""
    fd = create_exclusive(dest)
    try:
        with open(src, "rb") as fin, os.fdopen(os.dup(fd), "wb") as fout:
            while chunk := fin.read(1 << 20):
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
    except OSError as exc:
        os.close(fd)
        remove_with_sidecars(dest)
        raise EnvironmentFailure(f"The database {src} could not be copied aside to "
                                 f"{dest.name}: {_reason(exc)}; free some space and try "
                                 "again.") from exc
    os.close(fd)


def _same_bytes(a: Path, b: Path) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            ca, cb = fa.read(1 << 16), fb.read(1 << 16)
            if ca != cb:
                return False
            if not ca:
                return True


def backup_file(db_path: Path, kind: str = "manual", to: Path | None = None) -> Path:
    """A verified backup made on a connection of its own (safe on a worker thread)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise EnvironmentFailure(f"The database {db_path} could not be read for a backup: "
                                 f"{_reason(exc)}.") from exc
    try:
        return make_backup(conn, db_path, kind=kind, to=to)
    finally:
        conn.close()
