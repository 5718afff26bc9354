"""The database connection: opening, pragmas, checks at open, and the one write transaction.

Failures are told apart by SQLite's own error code, never by the wording of its message: a busy
or locked file, a full disk, a read-only file or folder, a permission refused, and damage.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

from carelog.core.domain.errors import (
    CarelogError,
    DamagedDatabase,
    DatabaseBusy,
    EnvironmentFailure,
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
    11: Failure.DAMAGE,       # SQLITE_CORRUPT
    26: Failure.DAMAGE,       # SQLITE_NOTADB
}


def classify(exc: BaseException) -> Failure:
    """The kind of failure an SQLite error reports, read from its result code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return Failure.OTHER
    return _FAILURES.get(code & 0xFF, Failure.OTHER)


def first_finding(detail: str) -> str:
    """The first line of what SQLite found, without its banner, short enough for a sentence."""
    lines = [ln.strip() for ln in str(detail).splitlines()
             if ln.strip() and not ln.strip().startswith("***")]
    first = lines[0] if lines else "integrity check failed"
    return first if len(first) <= 90 else first[:87] + "..."


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
    """The error to raise when a check at open failed: busy, or else damaged."""
    if classify(exc) is Failure.BUSY:
        conn.close()
        return busy_error(path)
    return damaged(conn, path, str(exc))


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


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """A BEGIN IMMEDIATE transaction: the write lock is taken before anything is read.

    Nested use joins the transaction already open. Any error rolls everything back; an SQLite
    error becomes one sentence saying that nothing was saved.
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
        raise EnvironmentFailure(f"The database {path} cannot be changed "
                                 f"({first_finding(str(exc))}); nothing was saved.") from exc
    try:
        yield conn
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise EnvironmentFailure(f"The change could not be saved ({first_finding(str(exc))})"
                                 "; nothing was changed.") from exc
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise EnvironmentFailure(f"The change could not be saved: {exc}.") from exc
