"""Replacing the log with a backup, so that a kill at any moment leaves a log in place.

A restore holds the single-writer lock (so it never replaces a file the window has open) and
SQLite's write lock on the log it replaces (so a save under way finishes first, and one that
comes later finds the file replaced and refuses). It copies the backup to a private temporary
file beside the log and checks it; then, before touching the log, it writes a restore journal,
'<database>.restore-journal', naming every rename it is about to make. The renames move the log
(and its write-ahead log) aside under a name nobody has used, and the checked copy into place.

The next open of the log finds a journal left by a killed restore and finishes it: the copy that
was checked is put in place and the replaced log kept, or, if the copy is gone, the log that was
there is put back. Either way it says which.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from carelog.core.domain.errors import BadInput, DatabaseBusy, EnvironmentFailure
from carelog.core.domain.timeutil import local_now
from carelog.core.store import backup as backups
from carelog.core.store.connection import roll_back
from carelog.core.store.files import (
    RESTORE_JOURNAL,
    SIDECARS,
    ensure_private_dir,
    fsync_folder,
    private_temp,
    write_private_atomic,
)
from carelog.core.store.lock import Holder, LogInUse, WriterLock, held, holding
from carelog.core.store.schema import SCHEMA_VERSION

JOURNAL_SUFFIX = RESTORE_JOURNAL
STAGING = "restoring"
HOLD_TIMEOUT_S = 10.0


def journal_path(db: Path) -> Path:
    """Where a restore writes its journal: '<database>.restore-journal' beside it."""
    return db.with_name(db.name + JOURNAL_SUFFIX)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What the open of a log did about a restore that was killed."""

    sentence: str
    completed: bool


def check_backup(backup: Path, db: Path) -> None:
    """Refuse a file that is not a usable Carelog backup of a schema this Carelog reads."""
    result = backups.verify_file(backup)
    if result != "ok":
        raise BadInput(f"The file {backup} is not a usable Carelog backup ({result}).",
                       field="path")
    if backups.same_file(backup, db):
        raise BadInput(f"{backup} is the database itself; choose one of its backups.",
                       field="path")
    version = backups.carelog_schema(backup)
    if version is None:
        raise BadInput(f"The file {backup} is a database but not a Carelog log; nothing was "
                       "restored.", field="path")
    if version > SCHEMA_VERSION:
        raise BadInput(f"The file {backup} was written by a newer Carelog (schema {version}); "
                       "update Carelog to restore it.", field="path")


def restore(backup: Path, db: Path) -> Path | None:
    """Replace the log with a checked copy of a backup; the replaced log is kept beside it.

    Returns the path the replaced log was kept as (None when there was no log). Refused with
    LogInUse while another program (the window) holds the log; the window itself may restore.
    """
    backup = backup.expanduser()
    check_backup(backup, db)
    ensure_private_dir(db.parent)
    with holding(db, Holder.RESTORE, "restored"):
        recover(db)
        try:
            return _restore(backup, db)
        except (OSError, sqlite3.Error) as exc:
            raise EnvironmentFailure(f"Restoring from {backup} failed: {_reason(exc)}; the "
                                     "database was left as it was.") from exc


def _restore(backup: Path, db: Path) -> Path | None:
    with private_temp(db.parent, f"{db.name}.{STAGING}") as staged:
        _stage(backup, staged.path, staged.fd)
        hold = _hold(db)
        try:
            kept = _kept_name(db) if db.exists() else None
            steps: list[tuple[Path, Path]] = []
            if kept is not None:
                steps += [(db.with_name(db.name + s), kept.with_name(kept.name + s))
                          for s in SIDECARS if db.with_name(db.name + s).exists()]
                steps.append((db, kept))
            steps.append((staged.path, db))
            _write_journal(db, backup, staged.path, kept, steps)
            done: list[tuple[Path, Path]] = []
            try:
                for src, dst in steps:
                    os.replace(src, dst)
                    done.append((src, dst))
            except OSError:
                for src, dst in reversed(done):  # put back what moved, then say it failed
                    os.replace(dst, src)
                journal_path(db).unlink()
                raise
            staged.kept = True
            fsync_folder(db.parent)
            journal_path(db).unlink()
            fsync_folder(db.parent)
        finally:
            if hold is not None:
                roll_back(hold)
                hold.close()
    return kept


def _stage(backup: Path, staged: Path, fd: int) -> None:
    """Copy the backup into the staged file with the backup API and check the copy."""
    src = sqlite3.connect(f"file:{backup}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(staged)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise EnvironmentFailure(f"The restored copy of {backup} failed its check.")
    finally:
        src.close()
        dst.close()  # a clean close folds the copy's write-ahead log back in and removes it
    os.fsync(fd)


def _hold(db: Path) -> sqlite3.Connection | None:
    """SQLite's write lock on the log being replaced, so no save is under way during the swap.

    None when there is no log, or it is not a database SQLite can lock (a damaged file).
    """
    if not db.exists():
        return None
    conn = sqlite3.connect(db, timeout=HOLD_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (5, 6):
            raise DatabaseBusy(f"Carelog is busy: another program is saving to {db.name}; "
                               "try the restore again in a moment.") from exc
        return None
    return conn


def _kept_name(db: Path) -> Path:
    """A name for the replaced log that no file has: '<name>.replaced-<date-time>[-n]'."""
    stamp = local_now().strftime("%Y%m%d-%H%M%S")
    base = f"{db.name}.replaced-{stamp}"
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        candidate = db.with_name(name)
        if not any(os.path.lexists(candidate.with_name(name + s)) for s in ("", *SIDECARS)):
            return candidate
        n += 1


def _write_journal(db: Path, backup: Path, staged: Path, kept: Path | None,
                   steps: list[tuple[Path, Path]]) -> None:
    body = {"backup": str(backup), "staged": str(staged), "kept": str(kept) if kept else None,
            "steps": [[str(a), str(b)] for a, b in steps]}
    write_private_atomic(journal_path(db), json.dumps(body).encode("utf-8"))


def recover(db: Path) -> Recovery | None:
    """Finish a restore that was killed, if its journal is here; None when there was none.

    Needs the writer lock: while a restore is under way elsewhere this raises LogInUse.
    """
    journal = journal_path(db)
    if not journal.exists():
        return None
    if held(db) is None:
        lock = WriterLock.take(db, Holder.RECOVERY, "opened")
        try:
            return _recover(db, journal)
        finally:
            lock.release()
    return _recover(db, journal)


def _recover(db: Path, journal: Path) -> Recovery:
    try:
        if journal.is_symlink() or not journal.is_file():
            raise ValueError("not a regular file")
        body = json.loads(journal.read_text(encoding="utf-8"))
        staged = Path(body["staged"])
        backup = Path(body["backup"])
        kept = Path(body["kept"]) if body.get("kept") else None
        steps = [(Path(a), Path(b)) for a, b in body["steps"]]
        _check_steps(db, staged, kept, steps)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EnvironmentFailure(f"An interrupted restore left {journal} and it cannot be "
                                 "used; move it aside to open the log.") from exc
    try:
        if staged.exists() or not os.path.lexists(db):
            forward = staged.exists()
            if forward:
                for src, dst in steps:
                    if os.path.lexists(src):
                        os.replace(src, dst)
            else:  # the checked copy is gone and there is no log: put the old one back
                for src, dst in reversed(steps[:-1]):
                    if os.path.lexists(dst) and not os.path.lexists(src):
                        os.replace(dst, src)
        else:
            forward = True
        fsync_folder(db.parent)
        journal.unlink()
        fsync_folder(db.parent)
    except OSError as exc:
        raise EnvironmentFailure(f"An interrupted restore of {db.name} could not be finished: "
                                 f"{_reason(exc)}; nothing else was changed.") from exc
    if forward:
        where = f" and the log it replaced is kept as {kept.name}" if kept else ""
        return Recovery(f"A restore from {backup.name} was interrupted; Carelog completed it, "
                        f"so {db.name} is the restored log{where}.", True)
    return Recovery(f"A restore from {backup.name} was interrupted; the log as it was before "
                    f"is back in place as {db.name}.", False)


def _check_steps(db: Path, staged: Path, kept: Path | None,
                 steps: list[tuple[Path, Path]]) -> None:
    """Refuse a journal naming any file but the log's own (someone else may write the folder).

    Every rename must be one a restore of this log makes: the log and its sidecars to the kept
    name, the staged copy to the log, all inside the log's folder.
    """
    sides = [db.name + s for s in ("", *SIDECARS)]
    allowed_sources = {db.with_name(n) for n in sides} | {staged}
    allowed_targets = {db} | ({kept.with_name(kept.name + s) for s in ("", *SIDECARS)}
                              if kept else set())
    if staged.parent != db.parent or not staged.name.startswith(f".{db.name}.{STAGING}."):
        raise ValueError("the staged copy is not the log's")
    if kept is not None and (kept.parent != db.parent
                             or not kept.name.startswith(f"{db.name}.replaced-")):
        raise ValueError("the kept name is not the log's")
    for src, dst in steps:
        if src not in allowed_sources or dst not in allowed_targets:
            raise ValueError("a rename outside the log's files")


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.rstrip(".").lower() if text else type(exc).__name__


__all__ = ["LogInUse", "Recovery", "check_backup", "journal_path", "recover", "restore"]
