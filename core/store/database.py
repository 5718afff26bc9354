"""The SQLite store: the only module that speaks SQL.

One writer connection per process, WAL, synchronous=FULL, foreign keys on, a busy timeout, and
every read-then-write inside BEGIN IMMEDIATE. Entries change only through the journal, so undo
and redo behave the same from the window and the command line.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry
from carelog.core.domain.errors import (
    BadInput,
    CarelogError,
    DamagedDatabase,
    DatabaseBusy,
    EnvironmentFailure,
    NewerDatabase,
    NothingToUndo,
    OverlapError,
)
from carelog.core.domain.models import (
    AccessObservation,
    BlockTag,
    Entry,
    ErosionReason,
    Leave,
    LeaveType,
    TimerState,
    make_entry,
)
from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion, from_json
from carelog.core.domain.timeutil import (
    MINUTE,
    format_local,
    iso_now,
    system_zone_name,
    utc_now,
    zone,
)
from carelog.core.store import backup as backups
from carelog.core.store.files import PRIVATE_FILE, ensure_private_dir, touch_private
from carelog.core.store.schema import MIGRATION_NAMES, MIGRATIONS_TABLE, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 10.0
_ENTRY_COLS = "id, category, start_utc, end_utc, note, source, created, updated"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `carelog check` found, line by line."""

    ok: bool
    lines: list[str]


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What an undo or redo did, in words a person can read."""

    label: str
    entries: list[Entry]


def _row_entry(row: tuple[Any, ...]) -> Entry:
    return Entry.model_construct(
        id=row[0], category=row[1], start=row[2], end=row[3], note=row[4], source=row[5],
        created=row[6], updated=row[7],
    )


class Store:
    """An open Carelog database."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self.warnings: list[str] = []
        self._registry: CategoryRegistry | None = None
        self._tz: ZoneInfo | None = None

    # ----------------------------------------------------------------- opening and closing

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (it is slow to import)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def _applied_migrations(self) -> list[str]:
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                   "name = ?", (MIGRATIONS_TABLE,)).fetchone()
        if not exists:
            return []
        rows = self.conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = "
                                 "'carelog' ORDER BY rowid").fetchall()
        return [str(r[0]) for r in rows]

    @classmethod
    def open(cls, path: Path | str, *, daily_backup: bool = True,
             busy_timeout: float = BUSY_TIMEOUT_S) -> Store:
        """Open (creating if needed) and migrate the database at path.

        Refuses a file that is not a database, one that fails quick_check (it is kept as
        '*.corrupt' and the newest good backup is named), and one written by a newer Carelog.
        """
        path = Path(path).expanduser()
        if not str(path) or path.is_dir():
            raise BadInput(f"The database path '{path}' is a folder, not a file; give a file "
                           "name such as carelog.db.", field="db")
        try:
            ensure_private_dir(path.parent)
            if not path.parent.is_dir():
                raise NotADirectoryError(20, "Not a directory")
        except OSError as exc:
            raise EnvironmentFailure(f"The folder {path.parent} could not be created: "
                                     f"{(exc.strerror or str(exc)).lower()}.") from exc
        fresh = not path.exists() or path.stat().st_size == 0
        notes: list[str] = []
        if not fresh:
            _refuse_if_not_sqlite(path)
            wal = path.with_name(path.name + "-wal")
            shm = path.with_name(path.name + "-shm")
            if shm.exists() and not wal.exists():
                notes.append("The database's write-ahead log was missing after an unclean "
                             "stop; Carelog rebuilt its index from the main file, so changes "
                             "made just before that stop may be missing.")
        else:
            touch_private(path)
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise EnvironmentFailure(f"The database {path} could not be opened: {exc}.") from exc
        try:
            store = cls(path, conn)
            store.warnings.extend(notes)
            store._configure(busy_timeout)
            if not fresh:
                store._quick_check()
            store._refuse_if_newer()
            store._migrate(fresh)
            if daily_backup and not fresh:
                store._daily_backup()
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def open_for_worker(cls, path: Path | str, busy_timeout: float = BUSY_TIMEOUT_S) -> Store:
        """A second connection to a database the window already opened and checked.

        For background work (imports, plans): no quick_check, no migration and no backup, and
        it never touches a damaged file; it refuses a database whose schema is not current.
        """
        path = Path(path)
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise EnvironmentFailure(f"The database {path} could not be opened: {exc}.") from exc
        store = cls(path, conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise EnvironmentFailure(f"The database {path} could not be read: {exc}.") from exc
        if version != SCHEMA_VERSION:
            conn.close()
            raise EnvironmentFailure(f"The database {path} is at schema {version}, not "
                                     f"{SCHEMA_VERSION}; reopen it in Carelog first.")
        return store

    def _configure(self, busy_timeout: float) -> None:
        c = self.conn
        try:
            c.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                self.warnings.append("The database could not switch to write-ahead logging.")
            c.execute("PRAGMA synchronous = FULL")
            c.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise self._busy_or_damaged(exc) from exc

    def _busy_or_damaged(self, exc: sqlite3.DatabaseError) -> CarelogError:
        if _is_busy(exc):
            self.conn.close()
            return DatabaseBusy(f"Carelog is busy: another program (perhaps the Carelog window) "
                                f"is saving to {self.path.name}; try again in a moment.")
        return self._damaged(str(exc))

    def _quick_check(self) -> None:
        try:
            result = self.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._busy_or_damaged(exc) from exc
        if [r[0] for r in result] != ["ok"]:
            raise self._damaged(str(result[0][0]))

    def _damaged(self, detail: str) -> DamagedDatabase:
        self.conn.close()
        kept = backups.keep_damaged(self.path)
        good = backups.newest_good_backup(self.path)
        return DamagedDatabase(
            f"The database {self.path} is damaged ({_first_finding(detail)}); it was kept as "
            f"{kept.name}" + _offer(good), kept_as=str(kept), backup=str(good) if good else None)

    def _refuse_if_newer(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        applied = self._applied_migrations()
        unknown = [n for n in applied if n not in MIGRATION_NAMES]
        if version > SCHEMA_VERSION or unknown:
            raise NewerDatabase(
                f"The database {self.path} was written by a newer Carelog (schema {version}); "
                f"this Carelog reads schema {SCHEMA_VERSION} and older. Update Carelog to open it.")

    def _migrate(self, fresh: bool) -> None:
        applied = self._applied_migrations()
        if all(name in applied for name in MIGRATION_NAMES):
            return
        from carelog.core.store.migrations import migrations

        if not fresh and applied:
            try:
                backups.make_backup(self.conn, self.path, kind="pre-migration")
            except EnvironmentFailure as exc:
                raise EnvironmentFailure(
                    "The database needs an update, but the backup taken first failed, so "
                    f"nothing was changed: {exc}") from exc
        try:
            with self._write():
                # Migrations nest inside this transaction as savepoints: all or nothing.
                migrations.apply(self.db)
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                if self._get_setting("timezone") is None:
                    self._put_setting("timezone", system_zone_name())
        except DatabaseBusy:
            raise
        except Exception as exc:
            raise EnvironmentFailure(f"Updating the database {self.path} failed ({exc}); "
                                     "it was left as it was.") from exc

    def _daily_backup(self) -> None:
        today = date.today()
        if backups.has_daily_backup(self.path, today):
            return
        if not self.conn.execute("SELECT 1 FROM entries LIMIT 1").fetchone():
            return
        try:
            backups.make_backup(self.conn, self.path, kind="daily", today=today)
        except EnvironmentFailure as exc:
            self.warnings.append(f"Today's backup could not be made: {exc}")

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A BEGIN IMMEDIATE transaction: the write lock is taken before anything is read."""
        if self.conn.in_transaction:
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise DatabaseBusy("Carelog is busy: another program (perhaps the Carelog "
                                   "window) is saving; try again in a moment.") from exc
            raise EnvironmentFailure(f"The database {self.path} cannot be changed "
                                     f"({_first_finding(str(exc))}); nothing was saved.") from exc
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise EnvironmentFailure(f"The change could not be saved ({_first_finding(str(exc))})"
                                     "; nothing was changed.") from exc
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise EnvironmentFailure(f"The change could not be saved: {exc}.") from exc

    # ----------------------------------------------------------------- settings

    def _get_setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _put_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def setting(self, key: str, default: str | None = None) -> str | None:
        """Read one setting."""
        value = self._get_setting(key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Write one setting."""
        with self._write():
            self._put_setting(key, value)

    @property
    def timezone_name(self) -> str:
        """The user's IANA zone, which decides days and weeks."""
        return self._get_setting("timezone") or "UTC"

    @property
    def tz(self) -> ZoneInfo:
        """The user's zone as a ZoneInfo."""
        if self._tz is None or self._tz.key != self.timezone_name:
            self._tz = zone(self.timezone_name)
        return self._tz

    def set_timezone(self, name: str) -> None:
        """Change the user's zone (validated)."""
        zone(name)
        self.set_setting("timezone", name)
        self._tz = None

    # ----------------------------------------------------------------- categories

    @property
    def categories(self) -> CategoryRegistry:
        """Built-in and user categories."""
        if self._registry is None:
            rows = self.conn.execute(
                "SELECT code, label, cls FROM categories WHERE builtin = 0").fetchall()
            user = [CategoryInfo(r[0], CategoryClass(r[2]), r[1], r[1], builtin=False)
                    for r in rows]
            self._registry = CategoryRegistry(user)
        return self._registry

    def add_category(self, code: str, label: str, cls: CategoryClass | str) -> CategoryInfo:
        """Add a user category with its ledger class."""
        code = code.strip().lower()
        if not code.replace("_", "").isalnum() or not code[:1].isalpha():
            raise BadInput(f"The category code '{code}' must start with a letter and hold only "
                           "letters, digits and underscores.", field="code")
        try:
            klass = CategoryClass(cls)
        except ValueError as exc:
            raise BadInput(f"The class '{cls}' must be direct, ipc or other.",
                           field="class") from exc
        if code in self.categories:
            raise BadInput(f"The category '{code}' already exists.", field="code")
        from carelog.core.domain.categories import ALIASES

        if code in ALIASES:
            raise BadInput(f"'{code}' is already a short word for {ALIASES[code]}; choose "
                           "another code.", field="code")
        label = label.strip() or code
        with self._write() as c:
            c.execute("INSERT INTO categories(code, label, cls, builtin) VALUES (?, ?, ?, 0)",
                      (code, label, klass.value))
        self._registry = None
        return self.categories.get(code)

    def remove_category(self, code: str) -> None:
        """Remove a user category that no entry uses."""
        info = self._known(code)
        if info.builtin:
            raise BadInput(f"The category '{code}' is built in and cannot be removed.",
                           field="code")
        with self._write() as c:
            used = c.execute("SELECT COUNT(*) FROM entries WHERE category = ?", (code,)).fetchone()
            if used[0]:
                raise BadInput(f"The category '{code}' is used by {used[0]} entries; it stays.",
                               field="code")
            c.execute("DELETE FROM categories WHERE code = ?", (code,))
        self._registry = None

    def _known(self, code: str) -> CategoryInfo:
        if code not in self.categories:
            raise BadInput(f"Unknown category '{code}'; see 'carelog categories' for the list.",
                           field="category")
        return self.categories.get(code)

    # ----------------------------------------------------------------- entries: reading

    def get_entry(self, entry_id: int) -> Entry:
        """The entry with this id, or BadInput."""
        if not 0 < entry_id < 2**63:
            raise BadInput(f"There is no entry with id {entry_id}.", field="id")
        row = self.conn.execute(f"SELECT {_ENTRY_COLS} FROM entries WHERE id = ?",
                                (entry_id,)).fetchone()
        if row is None:
            raise BadInput(f"There is no entry with id {entry_id}.", field="id")
        return _row_entry(row)

    def entries_between(self, start: int, end: int) -> list[Entry]:
        """Entries overlapping [start, end), in time order.

        An entry lasts at most 24 hours, so the indexed range on start_utc is bounded.
        """
        rows = self.conn.execute(
            f"SELECT {_ENTRY_COLS} FROM entries WHERE start_utc >= ? AND start_utc < ? "
            "AND end_utc > ? ORDER BY start_utc",
            (start - 86_400, end, start)).fetchall()
        return [_row_entry(r) for r in rows]

    def all_entries(self) -> list[Entry]:
        """Every entry, in time order."""
        rows = self.conn.execute(f"SELECT {_ENTRY_COLS} FROM entries ORDER BY start_utc")
        return [_row_entry(r) for r in rows]

    def count_entries(self) -> int:
        """How many entries the log holds."""
        return int(self.conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def first_last_day(self) -> tuple[date, date] | None:
        """The local dates of the first and last entry, or None for an empty log."""
        row = self.conn.execute("SELECT MIN(start_utc), MAX(end_utc) FROM entries").fetchone()
        if row[0] is None:
            return None
        from carelog.core.domain.timeutil import to_local

        return to_local(row[0], self.tz).date(), to_local(row[1] - 1, self.tz).date()

    def _overlapping(self, start: int, end: int, exclude: Iterable[int] = ()) -> list[Entry]:
        skip = set(exclude)
        return [e for e in self.entries_between(start, end) if e.id not in skip]

    # ----------------------------------------------------------------- entries: the journal

    def _next_group(self) -> int:
        # Group numbers are never reused, even after undone groups are dropped, so anything
        # that remembers a group (an import's links) can never mistake a new change for it.
        row = self.conn.execute("SELECT grp FROM journal ORDER BY id DESC LIMIT 1").fetchone()
        last = max(0 if row is None else int(row[0]), int(self._get_setting("journal_seq") or 0))
        self._put_setting("journal_seq", str(last + 1))
        return last + 1

    def _record(self, grp: int, label: str, entry_id: int, before: Entry | None,
                after: Entry | None) -> None:
        self.conn.execute(
            "INSERT INTO journal(grp, at, label, entry_id, before, after) VALUES (?,?,?,?,?,?)",
            (grp, iso_now(), label, entry_id,
             before.model_dump_json() if before else None,
             after.model_dump_json() if after else None))

    def _begin_change(self) -> int:
        # A new change makes everything that was undone unreachable: drop the redo stack.
        tail = self._redo_group()
        if tail is not None:
            self.conn.execute("DELETE FROM journal WHERE grp >= ?", (tail,))
        return self._next_group()

    def _insert(self, e: Entry) -> Entry:
        now = iso_now()
        cur = self.conn.execute(
            "INSERT INTO entries(id, category, start_utc, end_utc, note, source, created, updated)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (e.id, e.category, e.start, e.end, e.note, e.source, e.created or now,
             e.updated or now))
        return e.model_copy(update={"id": cur.lastrowid, "created": e.created or now,
                                    "updated": e.updated or now})

    def describe(self, e: Entry) -> str:
        """A short human description of an entry, e.g. 'Charting 2026-11-16 10:00, 10 m'."""
        label = self.categories.get(e.category).label if e.category in self.categories \
            else e.category
        return f"{label} {format_local(e.start, self.tz)}, {e.minutes} m"

    def _check_new(self, e: Entry, exclude: Iterable[int] = ()) -> list[Entry]:
        self._known(e.category)
        return self._overlapping(e.start, e.end, exclude)

    def _overlap_error(self, e: Entry, clash: Entry) -> OverlapError:
        tz = self.tz
        return OverlapError(
            f"{format_local(e.start, tz)}–{format_local(e.end, tz)[11:]} overlaps entry "
            f"{clash.id} ({self.describe(clash)} to {format_local(clash.end, tz)[11:]}); "
            "change the times or ask to trim.", field="start")

    def _trimmed(self, e: Entry, clashes: list[Entry]) -> list[Entry]:
        """The pieces of e that fit in the gaps between the entries it overlaps."""
        pieces: list[Entry] = []
        cursor = e.start
        for c in sorted(clashes, key=lambda x: x.start):
            if c.start > cursor:
                pieces.append(e.model_copy(update={"start": cursor, "end": min(c.start, e.end)}))
            cursor = max(cursor, c.end)
            if cursor >= e.end:
                break
        if cursor < e.end:
            pieces.append(e.model_copy(update={"start": cursor, "end": e.end}))
        return pieces

    def add_entry(self, category: str, start: int, end: int, note: str = "",
                  source: str = "manual", trim: bool = False) -> list[Entry]:
        """Add one entry (or, with trim, the pieces of it that fit between existing entries)."""
        e = make_entry(category=category, start=start, end=end, note=note, source=source)
        return self.add_entries([e], trim=trim, label=f"add {self.describe(e)}")

    def add_entries(self, drafts: list[Entry], trim: bool = False,
                    label: str | None = None) -> list[Entry]:
        """Add several entries as one change (one undo step), all or nothing."""
        if not drafts:
            return []
        added: list[Entry] = []
        with self._write():
            grp = self._begin_change()
            text = label or f"add {len(drafts)} entries"
            for e in drafts:
                clashes = self._check_new(e)
                pieces = [e]
                if clashes:
                    if not trim:
                        raise self._overlap_error(e, clashes[0])
                    pieces = self._trimmed(e, clashes)
                    if not pieces:
                        raise OverlapError(
                            f"{format_local(e.start, self.tz)}–{format_local(e.end, self.tz)[11:]}"
                            " is already fully logged; nothing is left to add after trimming.",
                            field="start")
                for p in pieces:
                    saved = self._insert(p)
                    self._record(grp, text, int(saved.id or 0), None, saved)
                    added.append(saved)
        return added

    def edit_entry(self, entry_id: int, *, category: str | None = None, start: int | None = None,
                   end: int | None = None, note: str | None = None) -> Entry:
        """Change some fields of an entry; the result is validated like a new one."""
        with self._write():
            old = self.get_entry(entry_id)
            fields = old.model_dump()
            for key, value in (("category", category), ("start", start), ("end", end),
                               ("note", note)):
                if value is not None:
                    fields[key] = value
            fields["updated"] = iso_now()
            new = make_entry(**fields)
            clashes = self._check_new(new, exclude=[entry_id])
            if clashes:
                raise self._overlap_error(new, clashes[0])
            grp = self._begin_change()
            self.conn.execute(
                "UPDATE entries SET category=?, start_utc=?, end_utc=?, note=?, updated=? "
                "WHERE id=?", (new.category, new.start, new.end, new.note, new.updated, entry_id))
            self._record(grp, f"edit {self.describe(new)}", entry_id, old, new)
        return new

    def delete_entry(self, entry_id: int) -> Entry:
        """Delete an entry (undo brings it back with the same id)."""
        return self.delete_entries([entry_id])[0]

    def delete_entries(self, ids: list[int]) -> list[Entry]:
        """Delete several entries as one change."""
        gone: list[Entry] = []
        with self._write():
            grp = self._begin_change()
            for entry_id in ids:
                old = self.get_entry(entry_id)
                label = f"delete {self.describe(old)}" if len(ids) == 1 \
                    else f"delete {len(ids)} entries"
                self.conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
                self._record(grp, label, entry_id, old, None)
                gone.append(old)
        return gone

    def _apply_state(self, entry_id: int, state: str | None) -> Entry | None:
        self.conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        if state is None:
            return None
        e = Entry.model_validate_json(state)
        clashes = self._overlapping(e.start, e.end, exclude=[entry_id])
        if clashes:
            raise OverlapError("This step cannot be undone because entry "
                               f"{clashes[0].id} now covers the same time.")
        return self._insert(e)

    def undo_label(self) -> str | None:
        """What undo would reverse, or None."""
        # Groups grow with the row id and undone rows are always the newest: walking back from
        # the end by rowid finds the answer without scanning the journal.
        row = self.conn.execute(
            "SELECT label FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    def redo_label(self) -> str | None:
        """What redo would re-apply, or None."""
        grp = self._redo_group()
        if grp is None:
            return None
        row = self.conn.execute("SELECT label FROM journal WHERE grp = ? ORDER BY id LIMIT 1",
                                (grp,)).fetchone()
        return None if row is None else str(row[0])

    def _undo_group(self) -> int | None:
        row = self.conn.execute(
            "SELECT grp FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else int(row[0])

    def _redo_group(self) -> int | None:
        # The undone groups form the tail of the journal; redo takes the oldest of them.
        grp = None
        for undone, g in self.conn.execute("SELECT undone, grp FROM journal ORDER BY id DESC"):
            if not undone:
                break
            grp = int(g)
        return grp

    def undo(self) -> UndoResult:
        """Reverse the newest change that is not undone yet."""
        with self._write() as c:
            found = self._undo_group()
            if found is None:
                raise NothingToUndo("There is nothing to undo.")
            grp = found
            rows = c.execute("SELECT id, label, entry_id, before FROM journal WHERE grp = ? "
                             "ORDER BY id DESC", (grp,)).fetchall()
            restored = [self._apply_state(r[2], r[3]) for r in rows]
            c.execute("UPDATE journal SET undone = 1 WHERE grp = ?", (grp,))
        return UndoResult(str(rows[0][1]), [e for e in restored if e is not None])

    def redo(self) -> UndoResult:
        """Re-apply the oldest undone change."""
        with self._write() as c:
            found = self._redo_group()
            if found is None:
                raise NothingToUndo("There is nothing to redo.")
            grp = found
            rows = c.execute("SELECT id, label, entry_id, after FROM journal WHERE grp = ? "
                             "ORDER BY id ASC", (grp,)).fetchall()
            restored = [self._apply_state(r[2], r[3]) for r in rows]
            c.execute("UPDATE journal SET undone = 0 WHERE grp = ?", (grp,))
        return UndoResult(str(rows[0][1]), [e for e in restored if e is not None])

    # ----------------------------------------------------------------- timer

    def timer(self) -> TimerState | None:
        """The running timer, if any."""
        row = self.conn.execute("SELECT category, started_utc, note FROM timer").fetchone()
        return None if row is None else TimerState(category=row[0], started=row[1], note=row[2])

    def timer_start(self, category: str, note: str = "", at: int | None = None) -> TimerState:
        """Start a timer; refused when one is already running."""
        self._known(category)
        started = utc_now() if at is None else at - at % MINUTE
        with self._write() as c:
            running = self.timer()
            if running is not None:
                raise BadInput(f"A timer for {running.category} is already running since "
                               f"{format_local(running.started, self.tz)}; stop it first.",
                               field="timer")
            c.execute("INSERT INTO timer(id, category, started_utc, note) VALUES (1, ?, ?, ?)",
                      (category, started, note))
        return TimerState(category=category, started=started, note=note)

    def timer_stop(self, at: int | None = None, trim: bool = True) -> list[Entry]:
        """Stop the timer and log its time; entries logged meanwhile are kept (trimmed around)."""
        end = utc_now() if at is None else at - at % MINUTE
        with self._write() as c:
            running = self.timer()
            if running is None:
                raise BadInput("No timer is running.", field="timer")
            if end - running.started > 24 * 3600:
                raise BadInput(f"The timer has run since {format_local(running.started, self.tz)}"
                               ", longer than an entry can last; log the real time by hand and "
                               "discard the timer (carelog timer cancel).", field="timer")
            c.execute("DELETE FROM timer")
            if end - running.started < MINUTE:
                return []
            e = make_entry(category=running.category, start=running.started,
                           end=min(end, running.started + 24 * 3600), note=running.note,
                           source="timer")
            return self.add_entries([e], trim=trim, label=f"timer {self.describe(e)}")

    def timer_cancel(self) -> None:
        """Discard a running timer without logging anything."""
        with self._write() as c:
            c.execute("DELETE FROM timer")

    # ----------------------------------------------------------------- leave, tags, access

    def add_leave(self, leave: Leave) -> Leave:
        """Record leave on a date; a date already on leave is refused."""
        with self._write() as c:
            row = c.execute("SELECT type FROM leave WHERE day = ?",
                            (leave.day.isoformat(),)).fetchone()
            if row is not None:
                raise BadInput(f"{leave.day} is already on leave ({row[0]}); remove that first.",
                               field="date")
            c.execute("INSERT INTO leave(day, minutes, type) VALUES (?, ?, ?)",
                      (leave.day.isoformat(), leave.minutes, leave.type.value))
        return leave

    def remove_leave(self, day: date) -> None:
        """Remove the leave on a date."""
        with self._write() as c:
            cur = c.execute("DELETE FROM leave WHERE day = ?", (day.isoformat(),))
            if cur.rowcount == 0:
                raise BadInput(f"{day} has no leave to remove.", field="date")

    def leave_between(self, first: date, last: date) -> list[Leave]:
        """Leave on dates from first to last inclusive."""
        rows = self.conn.execute("SELECT day, minutes, type FROM leave WHERE day BETWEEN ? AND ? "
                                 "ORDER BY day", (first.isoformat(), last.isoformat()))
        return [Leave(day=date.fromisoformat(r[0]), minutes=r[1], type=LeaveType(r[2]))
                for r in rows]

    def save_block_tag(self, tag: BlockTag) -> BlockTag:
        """Record (or replace) the erosion reason of one block occurrence."""
        with self._write() as c:
            c.execute("INSERT INTO block_tags(day, start_minute, reason, escalated) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT(day, start_minute) DO UPDATE SET "
                      "reason = excluded.reason, escalated = excluded.escalated",
                      (tag.day.isoformat(), tag.start_minute, tag.reason.value,
                       int(tag.escalated)))
        return tag

    def remove_block_tag(self, day: date, start_minute: int) -> None:
        """Remove the tag of one block occurrence."""
        with self._write() as c:
            cur = c.execute("DELETE FROM block_tags WHERE day = ? AND start_minute = ?",
                            (day.isoformat(), start_minute))
            if cur.rowcount == 0:
                raise BadInput(f"The block at {start_minute // 60:02d}:{start_minute % 60:02d} "
                               f"on {day} has no tag to remove.", field="time")

    def block_tags_between(self, first: date, last: date) -> list[BlockTag]:
        """Tags on dates from first to last inclusive."""
        rows = self.conn.execute(
            "SELECT day, start_minute, reason, escalated FROM block_tags "
            "WHERE day BETWEEN ? AND ? ORDER BY day, start_minute",
            (first.isoformat(), last.isoformat()))
        return [BlockTag(day=date.fromisoformat(r[0]), start_minute=r[1],
                         reason=ErosionReason(r[2]), escalated=bool(r[3])) for r in rows]

    def log_access(self, obs: AccessObservation) -> AccessObservation:
        """Record (or replace) the access observation of a date."""
        with self._write() as c:
            c.execute("INSERT INTO access(day, days) VALUES (?, ?) ON CONFLICT(day) DO UPDATE "
                      "SET days = excluded.days", (obs.day.isoformat(), obs.days))
        return obs

    def access_between(self, first: date, last: date) -> list[AccessObservation]:
        """Access observations on dates from first to last inclusive."""
        rows = self.conn.execute("SELECT day, days FROM access WHERE day BETWEEN ? AND ? "
                                 "ORDER BY day", (first.isoformat(), last.isoformat()))
        return [AccessObservation(day=date.fromisoformat(r[0]), days=r[1]) for r in rows]

    # ----------------------------------------------------------------- schedules

    def schedules(self) -> ScheduleSet:
        """Every schedule version, oldest first."""
        rows = self.conn.execute("SELECT body FROM schedules ORDER BY effective_from")
        return ScheduleSet([from_json(r[0]) for r in rows])

    def save_schedule(self, version: ScheduleVersion) -> None:
        """Store a schedule version (replacing one with the same date).

        Weeks before its effective date keep the version that was in force then. The newest
        version's zone becomes the user's zone.
        """
        body = json.dumps(version.to_json_dict())
        with self._write() as c:
            c.execute("INSERT INTO schedules(effective_from, body, saved) VALUES (?, ?, ?) "
                      "ON CONFLICT(effective_from) DO UPDATE SET body = excluded.body, "
                      "saved = excluded.saved",
                      (version.effective_from.isoformat(), body, iso_now()))
            latest = c.execute("SELECT MAX(effective_from) FROM schedules").fetchone()[0]
            if latest == version.effective_from.isoformat():
                self._put_setting("timezone", version.timezone)
        self._tz = None

    def delete_schedule(self, effective_from: date) -> None:
        """Remove one schedule version."""
        with self._write() as c:
            cur = c.execute("DELETE FROM schedules WHERE effective_from = ?",
                            (effective_from.isoformat(),))
            if cur.rowcount == 0:
                raise BadInput(f"There is no schedule version starting {effective_from}.",
                               field="effective_from")

    # ----------------------------------------------------------------- backups and checks

    def backup(self, to: Path | None = None) -> Path:
        """Write a verified backup now and return its path."""
        if to is not None and backups.same_file(to, self.path):
            raise BadInput(f"{to} is the database itself; back it up to another file.",
                           field="to")
        if to is not None and to.is_dir():
            raise BadInput(f"{to} is a folder; give a file name for the backup.", field="to")
        return backups.make_backup(self.conn, self.path, kind="manual", to=to)

    def check(self) -> CheckReport:
        """Integrity, foreign keys, schema and contents, in a few lines."""
        lines: list[str] = []
        integrity = [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall()]
        ok = integrity == ["ok"]
        lines.append("Integrity: ok" if ok else "Integrity: " + "; ".join(integrity[:5]))
        fk = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        lines.append("Foreign keys: ok" if not fk else f"Foreign keys: {len(fk)} broken links")
        ok = ok and not fk
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        lines.append(f"Schema: version {version} of {SCHEMA_VERSION}")
        mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
        lines.append(f"Journal mode: {mode}")
        n = self.count_entries()
        span = self.first_last_day()
        lines.append(f"Entries: {n}" + (f", from {span[0]} to {span[1]}" if span else ""))
        bad = self.conn.execute("SELECT COUNT(*) FROM entries WHERE end_utc <= start_utc OR "
                                "end_utc - start_utc > 86400 OR start_utc % 60 != 0 OR "
                                "end_utc % 60 != 0").fetchone()[0]
        overlaps = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT end_utc, LEAD(start_utc) OVER (ORDER BY start_utc) "
            "AS nxt FROM entries) WHERE nxt < end_utc").fetchone()[0]
        if bad or overlaps:
            ok = False
        lines.append(f"Entry times: {bad} invalid, {overlaps} overlapping")
        lines.append(f"Time zone: {self.timezone_name}")
        found = backups.list_backups(self.path)
        if found:
            lines.append(f"Backups: {len(found)}, newest {found[0].made:%Y-%m-%d %H:%M} "
                         f"({found[0].path})")
        else:
            lines.append("Backups: none yet")
        lines.append(f"File: {self.path}")
        return CheckReport(ok, lines)


def _first_finding(detail: str) -> str:
    """The first line of what SQLite found, without its banner, short enough for a sentence."""
    lines = [ln.strip() for ln in str(detail).splitlines()
             if ln.strip() and not ln.strip().startswith("***")]
    first = lines[0] if lines else "integrity check failed"
    return first if len(first) <= 90 else first[:87] + "..."


def _offer(good: Path | None) -> str:
    if good is None:
        return "; no good backup was found."
    return f"; the newest good backup is {good}, restore it with: carelog restore {good}"


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _refuse_if_not_sqlite(path: Path) -> None:
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
                              f"{kept.name}" + _offer(good), kept_as=str(kept),
                              backup=str(good) if good else None)


def open_store(path: Path | str | None = None, **kwargs: Any) -> Store:
    """Open the database at path, or the default one."""
    from carelog.core.store.files import default_db_path

    return Store.open(Path(path) if path else default_db_path(), **kwargs)


__all__ = ["PRIVATE_FILE", "CarelogError", "CheckReport", "Store", "UndoResult", "open_store"]
