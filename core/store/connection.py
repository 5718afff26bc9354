"""The database connection: opening, pragmas, checks at open, and the one write transaction.

Failures are told apart by SQLite's own error code, never by the wording of its message: a busy
or locked file, a full disk, a read-only file or folder, a permission refused, and damage.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path

from carelog.core.domain.errors import (
    CarelogError,
    DamagedDatabase,
    DatabaseBusy,
    DiskProblem,
    EnvironmentFailure,
    LogReplaced,
    NewerDatabase,
)
from carelog.core.store import backup as backups
from carelog.core.store.schema import MIGRATION_NAMES, MIGRATIONS_TABLE, SCHEMA_VERSION

BUSY_TIMEOUT_S = 10.0


class Failure(Enum):
    """What kind of trouble an SQLite error reports, by its primary result code."""

    BUSY = "busy"
    FULL = "full"
    READ_ONLY = "read-only"
    PERMISSION = "permission"
    IO = "io"
    DAMAGE = "damage"
    OTHER = "other"


# SQLite's primary result codes (the low byte of an extended code); see sqlite3.h.
_FAILURES: dict[int, Failure] = {
    5: Failure.BUSY,          # SQLITE_BUSY
    6: Failure.BUSY,          # SQLITE_LOCKED
    13: Failure.FULL,         # SQLITE_FULL
    8: Failure.READ_ONLY,     # SQLITE_READONLY
    3: Failure.PERMISSION,    # SQLITE_PERM
    23: Failure.PERMISSION,   # SQLITE_AUTH
    14: Failure.PERMISSION,   # SQLITE_CANTOPEN (a folder or file the user may not open)
    10: Failure.IO,           # SQLITE_IOERR (a short write, a lock or memory map refused)
    11: Failure.DAMAGE,       # SQLITE_CORRUPT
    26: Failure.DAMAGE,       # SQLITE_NOTADB
}


def classify(exc: BaseException) -> Failure:
    """The kind of failure an SQLite error reports, read from its result code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return Failure.OTHER
    return _FAILURES.get(code & 0xFF, Failure.OTHER)


# Below this much free space an I/O error is a full disk (SQLite reports a wal-index it cannot
# grow as an I/O error, not as SQLITE_FULL).
_NEARLY_FULL_BYTES = 1 << 20


def disk_full(folder: Path) -> bool:
    """True when the disk holding folder has (almost) no room left."""
    # shutil loads the compression libraries with it: only when a disk reported trouble.
    import shutil  # noqa: PLC0415

    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def read_only_disk(folder: Path) -> bool:
    """True when the file system holding folder is mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def disk_problem(exc: BaseException, path: Path, outcome: str) -> DiskProblem | None:
    """The sentence for an environment failure (full, read-only, refused, I/O), else None.

    `outcome` ends the sentence: "nothing was saved", "nothing was changed".
    """
    kind = classify(exc)
    if kind is Failure.IO and disk_full(path.parent):
        kind = Failure.FULL
    if kind in (Failure.PERMISSION, Failure.IO) and read_only_disk(path.parent):
        kind = Failure.READ_ONLY
    if kind is Failure.FULL:
        return DiskProblem(f"The disk holding {path} is full; {outcome}. Free some space and "
                           "try again.", "full")
    if kind is Failure.READ_ONLY:
        return DiskProblem(f"The database {path} is read-only here (a read-only file, folder "
                           f"or disk); {outcome}.", "read-only")
    if kind is Failure.PERMISSION:
        return DiskProblem(f"The database {path} could not be opened for writing: permission "
                           f"was refused for the file or its folder; {outcome}.", "permission")
    if kind is Failure.IO:
        return DiskProblem(f"The disk holding {path} reported an error "
                           f"({first_finding(str(exc))}); {outcome}.", "io")
    return None


def first_finding(detail: str) -> str:
    """The first line of what SQLite found, without its banner, short enough for a sentence."""
    lines = [ln.strip() for ln in str(detail).splitlines()
             if ln.strip() and not ln.strip().startswith("***")]
    first = lines[0] if lines else "integrity check failed"
    return first if len(first) <= 90 else first[:87] + "..."


def roll_back(conn: sqlite3.Connection) -> None:
    """Undo the open transaction; a failure to undo says no more than the error being handled."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun by hand), or EnvironmentFailure."""
    try:
        return sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise EnvironmentFailure(f"The database {path} could not be opened: {exc}.") from exc


def busy_error(path: Path) -> DatabaseBusy:
    """The sentence for a database another program keeps locked."""
    return DatabaseBusy(f"Carelog is busy: another program (perhaps the Carelog window) is "
                        f"saving to {path.name}; try again in a moment.")


def offer(good: Path | None) -> str:
    """The end of a damage sentence: the newest good backup, or that there is none."""
    if good is None:
        return "; no good backup was found."
    return f"; the newest good backup is {good}."


def damaged(conn: sqlite3.Connection, path: Path, detail: str) -> DamagedDatabase:
    """Close the connection, keep the damaged file as '*.corrupt' and name the newest backup."""
    conn.close()
    kept = backups.keep_damaged(path)
    good = backups.newest_good_backup(path)
    return DamagedDatabase(
        f"The database {path} is damaged ({first_finding(detail)}); it was kept as "
        f"{kept.name}" + offer(good), kept_as=str(kept), backup=str(good) if good else None)


def busy_or_damaged(conn: sqlite3.Connection, path: Path,
                    exc: sqlite3.DatabaseError) -> CarelogError:
    """The error to raise when a check at open failed, told apart by SQLite's result code.

    Busy, a disk problem (full, read-only, refused, I/O) or something else the machine did are
    environment failures that leave every file as it was; only damage (SQLITE_CORRUPT, NOTADB)
    keeps a copy of the file and names the newest backup.
    """
    kind = classify(exc)
    if kind is Failure.DAMAGE:
        return damaged(conn, path, str(exc))
    conn.close()
    if kind is Failure.BUSY:
        return busy_error(path)
    problem = disk_problem(exc, path, "nothing was changed")
    if problem is not None:
        return problem
    return EnvironmentFailure(f"The database {path} could not be opened "
                              f"({first_finding(str(exc))}); nothing was changed.")


def refuse_if_not_sqlite(path: Path) -> None:
    """Refuse (and keep a copy of) a file whose first bytes are not an SQLite header."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise EnvironmentFailure(f"The database {path} could not be read: {exc.strerror}.") \
            from exc
    if header != backups.SQLITE_HEADER:
        kept = backups.keep_damaged(path)
        good = backups.newest_good_backup(path)
        raise DamagedDatabase(f"The file {path} is not a Carelog database; it was kept as "
                              f"{kept.name}" + offer(good), kept_as=str(kept),
                              backup=str(good) if good else None)


def configure(conn: sqlite3.Connection, path: Path, busy_timeout: float) -> list[str]:
    """Set the pragmas of the writer connection; returns warnings worth showing."""
    warnings: list[str] = []
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            warnings.append("The database could not switch to write-ahead logging.")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise busy_or_damaged(conn, path, exc) from exc
    return warnings


def open_for_reading(path: Path, busy_timeout: float) -> sqlite3.Connection | None:
    """A connection that reads the log where the normal one cannot (a full or read-only disk).

    First with exclusive locking, which keeps SQLite's wal-index in memory instead of a file the
    full disk has no room for; then, on a read-only disk whose write-ahead log is empty, as an
    immutable file. None when neither works.
    """
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=min(busy_timeout, 1.0), isolation_level=None)
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA quick_check").fetchall()
        return conn
    except sqlite3.Error:
        if conn is not None:
            conn.close()
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                               isolation_level=None)
        conn.execute("PRAGMA quick_check").fetchall()
        return conn
    except (OSError, sqlite3.Error):
        if conn is not None:
            conn.close()
        return None


def identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at path: which file a connection opened."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def configure_worker(conn: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
    """Set the pragmas of a second connection and refuse a schema that is not current."""
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        version = user_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise EnvironmentFailure(f"The database {path} could not be read: {exc}.") from exc
    if version != SCHEMA_VERSION:
        conn.close()
        raise EnvironmentFailure(f"The database {path} is at schema {version}, not "
                                 f"{SCHEMA_VERSION}; reopen it in Carelog first.")


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Run quick_check; a finding means damage (the file is kept and a backup offered)."""
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise busy_or_damaged(conn, path, exc) from exc
    if [r[0] for r in result] != ["ok"]:
        raise damaged(conn, path, str(result[0][0]))


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version the file says it has."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_user_version(conn: sqlite3.Connection, version: int) -> None:
    """Record the schema version in the file."""
    conn.execute(f"PRAGMA user_version = {int(version)}")


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations this file has had, in order."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (MIGRATIONS_TABLE,)).fetchone()
    if not exists:
        return []
    rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = "
                        "'carelog' ORDER BY rowid").fetchall()
    return [str(r[0]) for r in rows]


def refuse_if_newer(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file written by a newer Carelog (a higher version or an unknown migration)."""
    version = user_version(conn)
    unknown = [n for n in applied_migrations(conn) if n not in MIGRATION_NAMES]
    if version > SCHEMA_VERSION or unknown:
        raise NewerDatabase(
            f"The database {path} was written by a newer Carelog (schema {version}); "
            f"this Carelog reads schema {SCHEMA_VERSION} and older. Update Carelog to open it.")


def has_entries(conn: sqlite3.Connection) -> bool:
    """True when the log holds at least one entry."""
    return conn.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None


def write_if_free(conn: sqlite3.Connection, sql: str,
                  rows: Iterable[Sequence[object]]) -> bool:
    """Run one statement over rows as an afterthought of reading: never waiting, never failing.

    For what a reading command keeps so the next one need not work it out again (a stored
    week). Inside a read transaction it joins it, so a change another program committed since
    that transaction began makes the write fail (SQLite's snapshot rule). Returns False, having
    written nothing, when the write failed for that or any other reason: another program holds
    the write lock, the disk is full or read-only.
    """
    joined = conn.in_transaction
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("SAVEPOINT afterthought")
        try:
            conn.executemany(sql, rows)
        except sqlite3.Error:
            conn.execute("ROLLBACK TO afterthought")
            conn.execute("RELEASE afterthought")
            return False
        try:
            conn.execute("RELEASE afterthought")  # outside a transaction, this commits
        except sqlite3.Error:
            if not joined:
                conn.execute("ROLLBACK")
            return False
        return True
    except sqlite3.Error:
        if not joined and conn.in_transaction:
            roll_back(conn)
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path,
                opened: tuple[int, int] | None = None) -> Iterator[sqlite3.Connection]:
    """A BEGIN IMMEDIATE transaction: the write lock is taken before anything is read.

    Nested use joins the transaction already open. Any error rolls everything back; an SQLite
    error becomes one sentence saying that nothing was saved (a full or read-only disk said as
    such). `opened` is the identity of the file the connection opened: if a restore has put
    another file in its place since, nothing is written into the replaced one.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if classify(exc) is Failure.BUSY:
            raise DatabaseBusy("Carelog is busy: another program (perhaps the Carelog "
                               "window) is saving; try again in a moment.") from exc
        raise _not_saved(exc, path) from exc
    if opened is not None and identity(path) != opened:
        conn.execute("ROLLBACK")
        raise LogReplaced(f"The database {path.name} was replaced (restored from a backup) "
                          "while it was open here; nothing was saved. Open it again to see the "
                          "restored log.")
    try:
        yield conn
    except sqlite3.Error as exc:
        roll_back(conn)
        raise _not_saved(exc, path) from exc
    except BaseException:
        roll_back(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        roll_back(conn)
        raise _not_saved(exc, path) from exc


def _not_saved(exc: sqlite3.Error, path: Path) -> EnvironmentFailure:
    """The sentence for a change that failed: the disk's trouble by name, or SQLite's words."""
    if classify(exc) is Failure.BUSY:
        return DatabaseBusy("Carelog is busy: another program (perhaps the Carelog window) is "
                            "saving; nothing was saved, try again in a moment.")
    problem = disk_problem(exc, path, "nothing was saved")
    if problem is not None:
        return problem
    return EnvironmentFailure(f"The change could not be saved ({first_finding(str(exc))}); "
                              "nothing was changed.")
