"""Backups with SQLite's online backup API: make, verify, rotate, list and restore.

Daily backups are kept for 14 days and one per ISO week for 8 weeks; backups made by hand and
before a migration are never removed automatically.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from carelog.core.domain.datatypes import Record
from carelog.core.domain.errors import BadInput, EnvironmentFailure
from carelog.core.store.files import PRIVATE_FILE, ensure_private_dir, touch_private
from carelog.core.store.schema import SCHEMA_VERSION

KEEP_DAILY = 14
KEEP_WEEKLY = 8
SQLITE_HEADER = b"SQLite format 3\x00"


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

    The copy is written to a temporary name and renamed only once it passes integrity_check, so
    a failed or interrupted backup never leaves a half-written file that looks like a backup.
    """
    ensure_private_dir(dest.parent)
    tmp = dest.with_name(dest.name + ".part")
    try:
        touch_private(tmp)
        target = sqlite3.connect(tmp)
        try:
            src.backup(target)
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if result != "ok":
            raise EnvironmentFailure(f"The backup written to {dest} failed its check ({result}).")
        os.replace(tmp, dest)
        with contextlib.suppress(OSError):
            os.chmod(dest, PRIVATE_FILE)
    except (sqlite3.Error, OSError) as exc:
        raise EnvironmentFailure(
            f"The backup to {dest} could not be written: {_reason(exc)}.") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.rstrip(".").lower() if text else type(exc).__name__


def make_backup(conn: sqlite3.Connection, db_path: Path, kind: str = "manual",
                to: Path | None = None, today: date | None = None) -> Path:
    """Write a verified backup of the open database and return its path."""
    now = datetime.now()
    if to is None:
        folder = backup_dir(db_path)
        if kind == "daily":
            name = f"{db_path.stem}-daily-{(today or now.date()).isoformat()}.db"
        else:
            name = f"{db_path.stem}-{kind}-{now:%Y%m%d-%H%M%S}.db"
        to = folder / name
    copy_database(conn, to)
    if kind == "daily":
        rotate(backup_dir(db_path), today or now.date())
    return to


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob(f"{db_path.stem}-*.db"):
        kind = p.name[len(db_path.stem) + 1:].split("-")[0]
        kind = {"pre": "pre-migration"}.get(kind, kind)
        st = p.stat()
        out.append(BackupInfo(p, kind, datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(out, key=lambda b: b.made, reverse=True)


def has_daily_backup(db_path: Path, day: date) -> bool:
    """True when today's daily backup already exists."""
    return (backup_dir(db_path) / f"{db_path.stem}-daily-{day.isoformat()}.db").exists()


def rotate(folder: Path, today: date) -> list[Path]:
    """Keep the 14 newest daily backups and the newest of each of the last 8 weeks."""
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
    removed = []
    for _, p in dailies:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name the same file (or would, once created)."""
    try:
        return a.expanduser().resolve() == b.expanduser().resolve()
    except OSError:
        return False


def verify_file(path: Path) -> str:
    """Run integrity_check on a database file; return 'ok' or what it found."""
    if path.is_dir():
        raise BadInput(f"{path} is a folder, not a backup file.", field="path")
    if not path.is_file():
        raise BadInput(f"There is no file at {path}.", field="path")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            return "not a SQLite database"
    try:
        # immutable: checking a backup must not leave -wal or -shm files beside it.
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return _reason(exc)


def carelog_schema(path: Path) -> int | None:
    """The Carelog schema version of a database file, or None when it is not a Carelog log."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not {"entries", "journal", "settings", "categories"} <= tables:
                return None
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that passes integrity_check, or None."""
    for info in list_backups(db_path):
        if verify_file(info.path) == "ok":
            return info.path
    return None


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a verified backup; the replaced file is kept beside it.

    Returns the path the replaced database was moved to (None when there was none).
    """
    backup = backup.expanduser()
    result = verify_file(backup)
    if result != "ok":
        raise BadInput(f"The file {backup} is not a usable Carelog backup ({result}).",
                       field="path")
    if same_file(backup, db_path):
        raise BadInput(f"{backup} is the database itself; choose one of its backups.",
                       field="path")
    version = carelog_schema(backup)
    if version is None:
        raise BadInput(f"The file {backup} is a database but not a Carelog log; nothing was "
                       "restored.", field="path")
    if version > SCHEMA_VERSION:
        raise BadInput(f"The file {backup} was written by a newer Carelog (schema {version}); "
                       "update Carelog to restore it.", field="path")
    kept: Path | None = None
    ensure_private_dir(db_path.parent)
    staged = db_path.with_name(db_path.name + ".restoring")
    try:
        touch_private(staged)
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        dst = sqlite3.connect(staged)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise EnvironmentFailure(f"The restored copy of {backup} failed its check.")
        finally:
            src.close()
            dst.close()
        if db_path.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
            os.replace(db_path, kept)
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(staged, db_path)
        for suffix in ("-wal", "-shm"):
            side = staged.with_name(staged.name + suffix)
            with contextlib.suppress(OSError):
                side.unlink()
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise EnvironmentFailure(f"Restoring from {backup} failed: {_reason(exc)}; "
                                 "the database was left as it was.") from exc
    return kept


def keep_damaged(db_path: Path) -> Path:
    """Copy a damaged database (and its WAL) to '*.corrupt' without touching the original."""
    # shutil loads the compression libraries with it: only here, when damage was found.
    import shutil  # noqa: PLC0415

    target = db_path.with_name(db_path.name + ".corrupt")
    n = 1
    while target.exists():
        if target.stat().st_size == db_path.stat().st_size and _same_bytes(target, db_path):
            return target
        n += 1
        target = db_path.with_name(f"{db_path.name}.corrupt{n}")
    shutil.copy2(db_path, target)
    with contextlib.suppress(OSError):
        os.chmod(target, PRIVATE_FILE)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + "-wal"))
    return target


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
