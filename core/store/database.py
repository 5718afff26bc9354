"""The Store: the one object the window and the command line hold for an open database.

A thin facade. Opening, pragmas and the write transaction live in `connection`; each table
group has a module of its own that takes a connection (`settings`, `categories`, `entries`,
`journal`, `history`, `seals`, `timer`, `calendar_days`, `escalations`, `schedules`,
`imports`), and `check`, `backup` and `migrations` do what they say. All of Carelog's SQL is in
this package. The Store adds what the modules share: the path, the user's zone and the category
registry (read once, refreshed after a change), and wraps every change in `transaction()`.

The facade is written in four parts, one class each: what they all share (`store_base`:
connection, transaction, settings, zone, categories), the tables kept per date (`day_tables`:
leave, block tags, access, capacity, escalations, schedules), the record (`record_tables`:
history, seals, exports, stored weeks), and here opening a log, entries, undo, the timer,
backups and checks. Callers hold a `Store` and never name the parts.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carelog.core.domain.codes import (
    LOG_PAGE,
    Source,
)
from carelog.core.domain.errors import (
    BadInput,
    CarelogError,
    DatabaseBusy,
    DiskProblem,
    EnvironmentFailure,
    MissingDatabase,
    Remedy,
)
from carelog.core.domain.timeutil import (
    MINUTE,
    UNKNOWN_ZONE_NOTE,
    day_start_utc,
    format_local,
    local_now,
    system_zone,
    utc_now,
)
from carelog.core.store import backup as backups
from carelog.core.store import connection, known_good
from carelog.core.store import settings as kv
from carelog.core.store.connection import BUSY_TIMEOUT_S
from carelog.core.store.day_tables import DayTables
from carelog.core.store.files import (
    PRIVATE_FILE,
    RESTORE_JOURNAL,
    check_name,
    clean_leftovers,
    create_new_database_file,
    default_db_path,
    ensure_private_dir,
    special_kind,
)
from carelog.core.store.lazy import (
    checks,
    entries,
    forgiving,
    history_codes,
    journal,
    models,
    restoring,
    scrubbing,
    timer,
)
from carelog.core.store.record_tables import RecordTables
from carelog.core.store.schema import MIGRATION_NAMES, SCHEMA_VERSION
from carelog.core.store.settings import Setting

if TYPE_CHECKING:
    from carelog.core.domain.forgiving_timer import TimerOutcome
    from carelog.core.domain.history import Reason, Via
    from carelog.core.domain.log_filter import LogFilter
    from carelog.core.domain.models import (
        Entry,
        TimerState,
    )
    from carelog.core.store.check import CheckReport
    from carelog.core.store.journal import UndoResult
    from carelog.core.store.scrub import ScrubReport


_LONGEST_ENTRY = 24 * 3600


class Store(DayTables, RecordTables):
    """An open Carelog database: opening it, entries, undo, the timer, backups and checks."""

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, path: Path | str, *, daily_backup: bool = True,
             busy_timeout: float = BUSY_TIMEOUT_S, reading: bool = False) -> Store:
        """Open (creating if needed) and migrate the database at path.

        Refuses a path that is a folder or a device, a file that is not a database, one that
        fails quick_check (it is kept as '*.corrupt' and the newest good backup is named), one
        written by a newer Carelog, and a missing or empty log beside a folder of backups (a
        loss to report, not a fresh start). Finishes a restore that was killed, and removes the
        temporary files of killed runs. `reading` is for commands that only read: they make no
        daily backup, and on a full or read-only disk they still read the log.
        """
        path = Path(path).expanduser()
        _refuse_special(path)
        try:
            ensure_private_dir(path.parent)
            if not path.parent.is_dir():
                raise NotADirectoryError(20, "Not a directory")
        except OSError as exc:
            raise EnvironmentFailure(f"The folder {path.parent} could not be created: "
                                     f"{(exc.strerror or str(exc)).lower()}.") from exc
        notes: list[str] = []
        # The restore module (and the writer lock's) is loaded only when a killed restore left
        # its journal; recover() looks again, under the lock.
        if os.path.lexists(path.with_name(path.name + RESTORE_JOURNAL)):
            recovered = restoring.recover(path)
            if recovered is not None:
                notes.append(recovered.sentence)
        notes.extend(_clean_leftovers(path))
        fresh = not path.exists() or path.stat().st_size == 0
        if not fresh:
            connection.refuse_if_not_sqlite(path)
            wal = path.with_name(path.name + "-wal")
            shm = path.with_name(path.name + "-shm")
            # A wal-index that was ever used is at least 32 KB; a smaller one is the stub of an
            # open that failed (a full disk), not a sign that a write-ahead log went missing.
            if shm.exists() and shm.stat().st_size >= 32 * 1024 and not wal.exists():
                notes.append("The database's write-ahead log was missing after an unclean "
                             "stop; Carelog rebuilt its index from the main file, so changes "
                             "made just before that stop may be missing.")
        else:
            _refuse_lost(path)
            try:
                create_new_database_file(path)
            except OSError as exc:
                raise EnvironmentFailure(f"The database {path} could not be created: "
                                         f"{(exc.strerror or str(exc)).lower()}.") from exc
        conn = connection.connect(path, busy_timeout)
        store = cls(path, conn)
        try:
            store.warnings.extend(notes)
            try:
                store.warnings.extend(connection.configure(conn, path, busy_timeout))
                if not fresh:
                    # quick_check, unless this very file passed it today and is unchanged
                    # since; a disk problem met by the check is raised as such, never damage.
                    store._sound = known_good.quick_check(conn, path)
            except DiskProblem as problem:
                if not reading or fresh:
                    raise
                store._read_only_fallback(problem, busy_timeout)
            connection.refuse_if_newer(store.conn, path)
            if store.read_only is None:
                store._migrate(fresh)
                if daily_backup and not fresh and not reading:
                    store._daily_backup()
        except BaseException:
            store.conn.close()
            raise
        return store

    def _read_only_fallback(self, problem: DiskProblem, busy_timeout: float) -> None:
        """Read the log on a full or read-only disk, or raise the problem as it was."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        conn = connection.open_for_reading(self.path, busy_timeout)
        if conn is None:
            raise problem
        self.conn = conn
        self.read_only = problem
        missing = [n for n in MIGRATION_NAMES if n not in connection.applied_migrations(conn)]
        if missing:
            raise problem
        what = "full" if problem.kind == "full" else "read-only"
        self.warnings.append(f"The disk holding {self.path} is {what}, so Carelog is only "
                             "reading the log: nothing can be saved until that is fixed.")

    @classmethod
    def open_for_worker(cls, path: Path | str, busy_timeout: float = BUSY_TIMEOUT_S) -> Store:
        """A second connection to a database the window already opened and checked.

        For background work (imports, plans): no quick_check, no migration and no backup, and
        it never touches a damaged file; it refuses a database whose schema is not current.
        """
        path = Path(path)
        _refuse_special(path)
        conn = connection.connect(path, busy_timeout)
        connection.configure_worker(conn, path, busy_timeout)
        return cls(path, conn)

    def _migrate(self, fresh: bool) -> None:
        applied = connection.applied_migrations(self.conn)
        if all(name in applied for name in MIGRATION_NAMES):
            return
        # The migrations import sqlite-utils, which is slow to load; an up-to-date database
        # (every start but the first after an update) never needs them.
        from carelog.core.store.migrations import migrations  # noqa: PLC0415

        if not fresh and applied:
            try:
                backups.make_backup(self.conn, self.path, kind="pre-migration")
            except EnvironmentFailure as exc:
                raise EnvironmentFailure(
                    "The database needs an update, but the backup taken first failed, so "
                    f"nothing was changed: {exc}") from exc
        try:
            with self.transaction():
                # Migrations nest inside this transaction as savepoints: all or nothing.
                migrations.apply(self.db)
                connection.set_user_version(self.conn, SCHEMA_VERSION)
                if kv.get(self.conn, Setting.TIMEZONE) is None:
                    name = system_zone()
                    if name is None:
                        self.warnings.append(UNKNOWN_ZONE_NOTE)
                    kv.put(self.conn, Setting.TIMEZONE, name or "UTC")
        except DatabaseBusy:
            raise
        except Exception as exc:
            raise EnvironmentFailure(f"Updating the database {self.path} failed ({exc}); "
                                     "it was left as it was.") from exc

    def _daily_backup(self) -> None:
        today = local_now().date()
        if backups.has_daily_backup(self.path, today):
            return
        if not connection.has_entries(self.conn):
            return
        try:
            backups.make_daily_backup(self.conn, self.path, today)
        except EnvironmentFailure as exc:
            self.warnings.append(f"Today's backup could not be made: {exc}")

    # ----------------------------------------------------------------- entries

    def get_entry(self, entry_id: int) -> Entry:
        """The entry with this id, or BadInput."""
        return entries.get(self.conn, entry_id)

    def find_entry(self, entry_id: int) -> Entry | None:
        """The entry with this id, or None (it was deleted, or never existed)."""
        return entries.find(self.conn, entry_id) if 0 < entry_id < 2**63 else None

    def entries_between(self, start: int, end: int) -> list[Entry]:
        """Entries overlapping [start, end), in time order (unreadable ones left out, said)."""
        return self._known(entries.between(self.conn, start, end, self.skipped))

    def _log_query(self, flt: LogFilter) -> dict[str, Any]:
        tz = self.tz
        codes = flt.category_codes(self.categories)
        return {
            "start": None if flt.first is None else day_start_utc(flt.first, tz),
            "end": None if flt.last is None else day_start_utc(flt.last + timedelta(days=1), tz),
            "categories": codes,
            "sources": None if not flt.sources else frozenset(str(s) for s in flt.sources),
            "text": flt.text.strip(),
        }

    def search_entries(self, flt: LogFilter, before: tuple[int, int] | None = None,
                       limit: int | None = LOG_PAGE) -> list[Entry]:
        """The entries matching a filter, newest first: a page after `before`, or all."""
        return self._known(entries.search(self.conn, before=before, limit=limit,
                                          skip=self.skipped, **self._log_query(flt)))

    def count_matching(self, flt: LogFilter) -> tuple[int, int]:
        """How many entries match a filter, and their minutes in all."""
        return entries.count_matching(self.conn, **self._log_query(flt))

    def all_entries(self) -> list[Entry]:
        """Every entry, in time order (unreadable ones left out, said)."""
        return self._known(entries.every(self.conn, self.skipped))

    def _known(self, found: list[Entry]) -> list[Entry]:
        """Leave out entries of a category the registry does not have (a bad stored row)."""
        registry = self.categories
        kept = [e for e in found if e.category in registry]
        if len(kept) != len(found):
            self.skipped(f"{len(found) - len(kept)} stored entries name a category Carelog does "
                         "not know and were skipped (a check of the database lists them).")
        return kept

    def count_entries(self) -> int:
        """How many entries the log holds."""
        return entries.count(self.conn)

    def first_last_day(self) -> tuple[date, date] | None:
        """The local dates of the first and last entry, or None for an empty log."""
        return checks.first_last_day(self.conn, self.tz)

    def describe(self, e: Entry) -> str:
        """A short human description of an entry, e.g. 'Charting 2026-11-16 10:00, 10 m'."""
        return models.describe_entry(e, self.categories, self.tz)

    def add_entry(self, category: str, start: int, end: int, note: str = "",
                  source: Source | str = Source.MANUAL, trim: bool = False, *, via: Via,
                  reason: Reason | None = None) -> list[Entry]:
        """Add one entry (or, with trim, the pieces of it that fit between existing entries).

        `via` says which front end asked; `reason` is needed when the entry falls in a sealed
        week (ReasonNeeded otherwise), and recorded then.
        """
        e = models.make_entry(category=category, start=start, end=end, note=note, source=source)
        return self.add_entries([e], trim=trim, label=f"add {self.describe(e)}", via=via,
                                reason=reason)

    def add_entries(self, drafts: list[Entry], trim: bool = False,
                    label: str | None = None, *, via: Via,
                    reason: Reason | None = None) -> list[Entry]:
        """Add several entries as one change (one undo step), all or nothing."""
        if not drafts:
            return []
        with self.transaction() as c:
            return journal.add(c, drafts, self.categories, self.tz, trim=trim, label=label,
                               via=via, reason=reason)

    def edit_entry(self, entry_id: int, *, via: Via, category: str | None = None,
                   start: int | None = None, end: int | None = None, note: str | None = None,
                   reason: Reason | None = None) -> Entry:
        """Change some fields of an entry; the result is validated like a new one.

        A change of times or category in a sealed week needs a reason (ReasonNeeded otherwise).
        """
        with self.transaction() as c:
            return journal.edit(c, entry_id, self.categories, self.tz, category=category,
                                start=start, end=end, note=note, via=via, reason=reason)

    def change_entries(self, ids: list[int], *, via: Via, category: str | None = None,
                       shift_min: int = 0, reason: Reason | None = None) -> list[Entry]:
        """Give several entries another category and/or move them by minutes, as one change.

        All or nothing: an overlap, an impossible time or a sealed week without a reason
        refuses the whole change.
        """
        with self.transaction() as c:
            return journal.change_many(c, ids, self.categories, self.tz, via=via,
                                       category=category, shift_min=shift_min, reason=reason)

    def delete_entry(self, entry_id: int, *, via: Via, reason: Reason | None = None) -> Entry:
        """Delete an entry (undo brings it back with the same id)."""
        return self.delete_entries([entry_id], via=via, reason=reason)[0]

    def delete_entries(self, ids: list[int], *, via: Via,
                       reason: Reason | None = None) -> list[Entry]:
        """Delete several entries as one change."""
        with self.transaction() as c:
            return journal.delete(c, ids, self.categories, self.tz, via=via, reason=reason)

    # ----------------------------------------------------------------- undo and redo

    def undo_label(self) -> str | None:
        """What undo would reverse, or None."""
        return journal.undo_label(self.conn)

    def redo_label(self) -> str | None:
        """What redo would re-apply, or None."""
        return journal.redo_label(self.conn)

    def undo(self) -> UndoResult:
        """Reverse the newest change that is not undone yet."""
        with self.transaction() as c:
            return journal.undo(c, self.categories, self.tz)

    def redo(self) -> UndoResult:
        """Re-apply the oldest undone change."""
        with self.transaction() as c:
            return journal.redo(c, self.categories, self.tz)

    # ----------------------------------------------------------------- timer

    def timer(self) -> TimerState | None:
        """The running timer, if any (a stored timer that cannot be read is said and ignored)."""
        return self._running(self.conn)

    def _running(self, conn: sqlite3.Connection) -> TimerState | None:
        try:
            return timer.running(conn)
        except ValueError:
            self.skipped("The stored timer cannot be read and was skipped; starting a new "
                         "timer replaces it.")
            return None

    def timer_start(self, category: str, note: str = "", at: int | None = None) -> TimerState:
        """Start a timer; refused when one is already running."""
        self.categories.known(category)
        started = utc_now() if at is None else at - at % MINUTE
        state = models.TimerState(category=category, started=started, note=note)
        with self.transaction() as c:
            running = self._running(c)
            if running is not None:
                raise BadInput(f"A timer for {running.category} is already running since "
                               f"{format_local(running.started, self.tz)}; stop it first.",
                               field="timer")
            timer.clear(c)  # an unreadable stored timer, if any
            timer.start(c, state)
        return state

    def timer_stop(self, at: int | None = None, trim: bool = True) -> list[Entry]:
        """Stop the timer and log its time; entries logged meanwhile are kept (trimmed around)."""
        end = utc_now() if at is None else at - at % MINUTE
        with self.transaction() as c:
            running = self._running(c)
            if running is None:
                raise BadInput("No timer is running.", field="timer")
            if end < running.started:
                # The computer's clock went back (a correction, a zone change, a dead battery):
                # throwing the timer away would lose the time; keep it and say so.
                raise EnvironmentFailure(
                    f"The clock reads {format_local(end, self.tz)}, earlier than the start of "
                    f"the timer at {format_local(running.started, self.tz)}: the computer's "
                    "clock went back, so the timer is kept and nothing was logged.",
                    remedy=Remedy.DISCARD_TIMER)
            if end - running.started > _LONGEST_ENTRY:
                raise BadInput(f"The timer has run since {format_local(running.started, self.tz)}"
                               ", longer than an entry can last.", field="timer",
                               remedy=Remedy.DISCARD_TIMER)
            timer.clear(c)
            if end - running.started < MINUTE:
                return []
            e = models.make_entry(category=running.category, start=running.started,
                           end=min(end, running.started + _LONGEST_ENTRY), note=running.note,
                           source=Source.TIMER)
            return self.add_entries([e], trim=trim, label=f"timer {self.describe(e)}",
                                    via=history_codes.Via.TIMER)

    def timer_set_start(self, started: int, now: int | None = None) -> TimerState:
        """Move the running timer's start (not into the future, nor more than a day back)."""
        with self.transaction() as c:
            running = timer.running(c)
            if running is None:
                raise BadInput("No timer is running.", field="timer")
            moved = forgiving.check_timer_start(running, started, utc_now() if now is None else now)
            timer.clear(c)
            timer.start(c, moved)
        return moved

    def apply_timer_outcome(self, outcome: TimerOutcome, label: str) -> list[Entry]:
        """Log what a forgiving timer's answer decided and set the timer, as one change.

        Entries logged meanwhile are kept: the new ones are trimmed around them.
        """
        with self.transaction() as c:
            timer.clear(c)
            if outcome.timer is not None:
                timer.start(c, outcome.timer)
            return self.add_entries(outcome.entries, trim=True, label=label,
                                    via=history_codes.Via.TIMER)

    def last_entry(self, now: int) -> Entry | None:
        """The entry that began last before now, or None for an empty log."""
        found = entries.search(self.conn, end=now, limit=1)
        return found[0] if found else None

    def timer_cancel(self) -> None:
        """Discard a running timer without logging anything."""
        with self.transaction() as c:
            timer.clear(c)

    # ----------------------------------------------------------------- backups and checks

    def backup(self, to: Path | None = None) -> Path:
        """Write a verified backup now and return its path."""
        if to is not None:
            check_name(to, "backup", "to")
        if to is not None and backups.same_file(to, self.path):
            raise BadInput(f"{to} is the database itself; back it up to another file.",
                           field="to")
        if to is not None and to.is_dir():
            raise BadInput(f"{to} is a folder; give a file name for the backup.", field="to")
        return backups.make_backup(self.conn, self.path, kind="manual", to=to)

    def scrub(self, text: str) -> ScrubReport:
        """Erase a piece of text from every note, the undo journal and the file's free pages.

        Makes a fresh verified backup and names the older copies that still hold the text; see
        carelog.core.store.scrub. The text is never written anywhere.
        """
        try:
            return scrubbing.scrub(self.conn, self.path, text)
        finally:
            self._registry = None

    def check(self) -> CheckReport:
        """Integrity, foreign keys, schema and contents, in a few lines."""
        return checks.check(self.conn, self.path, self.tz)


def _refuse_special(path: Path) -> None:
    """Refuse a database path that is a folder, a device, a pipe or a socket, untouched."""
    check_name(path, "database", "db")
    if not str(path) or path.is_dir():
        raise BadInput(f"The database path '{path}' is a folder, not a file; give a file name "
                       "such as carelog.db.", field="db")
    if path.is_symlink() and not path.exists():
        # A link to nothing: opening it would create a log wherever the link points.
        raise BadInput(f"The database path {path} is a link to a file that does not exist; "
                       "give the file itself.", field="db")
    try:
        kind = special_kind(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet: creating the folder or the file says what is wrong
    except OSError as exc:
        raise BadInput(f"The database path {path} cannot be used: "
                       f"{(exc.strerror or str(exc)).lower()}.", field="db") from exc
    if kind is not None:
        raise BadInput(f"The database path {path} is {kind}, not a file; give a file name such "
                       "as carelog.db.", field="db")


def _clean_leftovers(path: Path) -> list[str]:
    """Remove the temporary files killed runs left beside the log and its backups."""
    removed = clean_leftovers(path.parent, path.name)
    removed += clean_leftovers(backups.backup_dir(path), path.stem)
    if any(f".{restoring.STAGING}." in p.name for p in removed):
        return [f"A restore into {path.name} was interrupted before it replaced anything; the "
                "log is as it was."]
    return []


def _refuse_lost(path: Path) -> None:
    """A missing or empty log beside a folder of backups is a loss: say so, name the backup."""
    found = backups.list_backups(path)
    if not found:
        return
    good = backups.newest_good_backup(path)
    state = "is empty" if path.exists() else "is missing"
    how = f"; the newest good backup is {good}" if good else "; none of them passes its check"
    raise MissingDatabase(
        f"The database {path} {state} but {backups.backup_dir(path).name} holds "
        f"{len(found)} backup{'s' if len(found) != 1 else ''} of it, so this is not a new "
        f"log{how}.", backup=str(good) if good else None)


def open_store(path: Path | str | None = None, **kwargs: Any) -> Store:
    """Open the database at path, or the default one."""
    return Store.open(Path(path) if path else default_db_path(), **kwargs)


__all__ = ["PRIVATE_FILE", "CarelogError", "Store", "open_store"]
