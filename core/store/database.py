"""The Store: the one object the window and the command line hold for an open database.

A thin facade. Opening, pragmas and the write transaction live in `connection`; each table
group has a module of its own that takes a connection (`settings`, `categories`, `entries`,
`journal`, `history`, `seals`, `timer`, `calendar_days`, `escalations`, `schedules`,
`imports`), and `check`, `backup` and `migrations` do what they say. All of Carelog's SQL is in
this package. The Store adds what the modules share: the path, the user's zone and the category
registry (read once, refreshed after a change), and wraps every change in `transaction()`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from carelog.core.domain.codes import (
    DEFAULT_MEAL_BREAK_MIN,
    LOG_PAGE,
    EscalationResponse,
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
    now_instant,
    system_zone,
    utc_now,
    zone,
)
from carelog.core.store import backup as backups
from carelog.core.store import connection, known_good, week_records
from carelog.core.store import settings as kv
from carelog.core.store.connection import BUSY_TIMEOUT_S
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
from carelog.core.store.schema import MIGRATION_NAMES, SCHEMA_VERSION
from carelog.core.store.settings import Setting
from carelog.core.store.week_records import StoredWeek, WeekRow


class _OnFirstUse:
    """A module imported when one of its names is first used, not when the Store is.

    The table groups below build the domain's pydantic models, which take longer to import
    than a report read from the stored weeks takes altogether; such a report opens the Store
    and never touches them. Importing is thread-safe (importlib's module locks).
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carelog.core.domain import forgiving_timer as forgiving
    from carelog.core.domain import history as history_codes
    from carelog.core.domain import models
    from carelog.core.domain import schedule as schedule_rules
    from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry
    from carelog.core.domain.forgiving_timer import TimerOutcome
    from carelog.core.domain.history import HistoryEvent, Reason, Via
    from carelog.core.domain.log_filter import LogFilter
    from carelog.core.domain.models import (
        AccessObservation,
        BlockTag,
        CapacityObservation,
        Entry,
        Escalation,
        Leave,
        TimerState,
    )
    from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion
    from carelog.core.domain.seal import Seal, SealedEntry
    from carelog.core.store import (
        calendar_days,
        entries,
        escalations,
        history,
        journal,
        schedules,
        seals,
        timer,
    )
    from carelog.core.store import categories as category_rows
    from carelog.core.store import check as checks
    from carelog.core.store import restore as restoring
    from carelog.core.store import scrub as scrubbing
    from carelog.core.store.check import CheckReport
    from carelog.core.store.journal import UndoResult
    from carelog.core.store.scrub import ScrubReport
    from sqlite_utils import Database
else:
    forgiving = _OnFirstUse("carelog.core.domain.forgiving_timer")
    history_codes = _OnFirstUse("carelog.core.domain.history")
    models = _OnFirstUse("carelog.core.domain.models")
    schedule_rules = _OnFirstUse("carelog.core.domain.schedule")
    calendar_days = _OnFirstUse("carelog.core.store.calendar_days")
    entries = _OnFirstUse("carelog.core.store.entries")
    escalations = _OnFirstUse("carelog.core.store.escalations")
    history = _OnFirstUse("carelog.core.store.history")
    journal = _OnFirstUse("carelog.core.store.journal")
    schedules = _OnFirstUse("carelog.core.store.schedules")
    seals = _OnFirstUse("carelog.core.store.seals")
    timer = _OnFirstUse("carelog.core.store.timer")
    checks = _OnFirstUse("carelog.core.store.check")
    category_rows = _OnFirstUse("carelog.core.store.categories")
    restoring = _OnFirstUse("carelog.core.store.restore")
    scrubbing = _OnFirstUse("carelog.core.store.scrub")

_LONGEST_ENTRY = 24 * 3600


class Store:
    """An open Carelog database."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self.warnings: list[str] = []
        self._registry: CategoryRegistry | None = None
        self._tz: ZoneInfo | None = None
        # The stored zone name last found good, so it is not looked up again and again.
        self._zone_known: str | None = None
        # How many times a stored value was skipped (see `skipped`), repeats included.
        self.skips = 0
        self.opened = connection.identity(path)
        self.read_only: DiskProblem | None = None
        # What the file's soundness rests on (the check at open), for the note at close.
        self._sound: known_good.Soundness | None = None

    # ----------------------------------------------------------------- opening and closing

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (it is slow to import)."""
        if self._db is None:
            # sqlite-utils costs tens of milliseconds to import; only migrations need it.
            from sqlite_utils import Database  # noqa: PLC0415

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

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
        today = date.today()
        if backups.has_daily_backup(self.path, today):
            return
        if not connection.has_entries(self.conn):
            return
        try:
            backups.make_daily_backup(self.conn, self.path, today)
        except EnvironmentFailure as exc:
            self.warnings.append(f"Today's backup could not be made: {exc}")

    def skipped(self, sentence: str) -> None:
        """Say (once) that a stored value could not be read and was left out."""
        self.skips += 1
        if sentence not in self.warnings:
            self.warnings.append(sentence)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL); note the file as left, if still sound."""
        if self._sound is not None:
            known_good.note_at_close(self.conn, self.path, self._sound, self.opened)
            self._sound = None
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A BEGIN IMMEDIATE transaction on this database (nested use joins the open one).

        Refused when the log was opened for reading only (a full or read-only disk), and when
        the file was replaced by a restore since it was opened.
        """
        if self.read_only is not None:
            raise DiskProblem(self.read_only.message.replace("nothing was changed",
                                                             "nothing was saved"),
                              self.read_only.kind)
        return connection.transaction(self.conn, self.path, self.opened)

    # ----------------------------------------------------------------- settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        """Read one setting (keys are named in carelog.core.store.settings.Setting)."""
        value = kv.get(self.conn, key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Write one setting."""
        with self.transaction():
            kv.put(self.conn, key, value)

    @property
    def timezone_name(self) -> str:
        """The user's IANA zone, which decides days and weeks (UTC while the stored one is bad)."""
        name = kv.get(self.conn, Setting.TIMEZONE) or "UTC"
        if name == self._zone_known:
            return name
        try:
            zone(name)
        except BadInput:
            self.skipped(f"The stored time zone '{name[:40]}' is unknown, so Carelog uses UTC "
                         "until you set one (carelog schedule set, or Settings).")
            return "UTC"
        self._zone_known = name
        return name

    def note_zone_known(self) -> None:
        """Take the stored zone as good without looking it up: stored weeks vouch for it.

        For a report read from the stored weeks alone (call it inside `reading()`). Weeks are
        stored only when nothing was skipped in computing them, the zone included, and a change
        of zone removes every stored week; so while any is stored, the zone is the one they were
        computed in, found good then.
        """
        self._zone_known = kv.get(self.conn, Setting.TIMEZONE) or "UTC"

    @property
    def tz(self) -> ZoneInfo:
        """The user's zone as a ZoneInfo."""
        if self._tz is None or self._tz.key != self.timezone_name:
            self._tz = zone(self.timezone_name)
        return self._tz

    def set_timezone(self, name: str) -> None:
        """Change the user's zone (validated)."""
        zone(name)
        self.set_setting(Setting.TIMEZONE, name)
        self._tz = None

    # ----------------------------------------------------------------- categories

    @property
    def categories(self) -> CategoryRegistry:
        """Built-in and user categories."""
        if self._registry is None:
            self._registry = category_rows.load_registry(self.conn, self.skipped)
        return self._registry

    def add_category(self, code: str, label: str, cls: CategoryClass | str) -> CategoryInfo:
        """Add a user category with its ledger class."""
        code, klass = self.categories.check_new(code, cls)
        with self.transaction() as c:
            category_rows.insert(c, code, label.strip() or code, klass)
        self._registry = None
        return self.categories.get(code)

    def remove_category(self, code: str) -> None:
        """Remove a user category that no entry uses."""
        if self.categories.known(code).builtin:
            raise BadInput(f"The category '{code}' is built in and cannot be removed.",
                           field="code")
        with self.transaction() as c:
            used = category_rows.times_used(c, code)
            if used:
                raise BadInput(f"The category '{code}' is used by {used} entries; it stays.",
                               field="code")
            category_rows.delete(c, code)
        self._registry = None

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
                         "not know and were skipped; carelog check lists them.")
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

    # ----------------------------------------------------------------- history and seals

    def history(self, entry_id: int) -> list[HistoryEvent]:
        """Every event of an entry, oldest first; BadInput for an id that never existed."""
        if not 0 < entry_id < 2**63:
            raise BadInput(f"There is no entry with id {entry_id}.", field="id")
        events = history.events_of(self.conn, entry_id)
        if not events:
            raise BadInput(f"There is no entry with id {entry_id}, now or in its history.",
                           field="id")
        return events

    def history_of_entries(self, ids: list[int]) -> dict[int, list[HistoryEvent]]:
        """The events of several entries, oldest first, by entry id."""
        return history.events_of_entries(self.conn, ids)

    def history_between(self, start: int, end: int) -> dict[int, list[HistoryEvent]]:
        """The events of every entry now overlapping [start, end), by entry id."""
        return history.events_between(self.conn, start, end)

    def amendment_reasons(self, week: str) -> dict[str, int]:
        """How many changes amended a sealed week, by reason category."""
        return history.amendment_reasons(self.conn, week)

    def first_seals_between(self, start: int, end: int) -> dict[str, Seal]:
        """The first seal of each week starting in [start, end), by week."""
        return seals.first_seals_between(self.conn, start, end)

    def sealed_weeks(self, *spans: tuple[int, int]) -> list[str]:
        """The sealed weeks any of the spans [start, end) touches (empty when none)."""
        return seals.weeks_touching(self.conn, spans)

    def seal_weeks(self, weeks: list[tuple[str, int, int]]) -> list[tuple[Seal, bool]]:
        """Seal weeks given as (label, start, end), all in one transaction.

        Each comes back with True when a new seal was made, False when its newest seal still
        matched and was kept.
        """
        with self.transaction() as c:
            return [seals.seal_week(c, week, a, b) for week, a, b in weeks]

    def seal_by_digest(self, digest: str) -> Seal | None:
        """The seal with this digest, when this log made it."""
        return seals.by_digest(self.conn, digest)

    def sealed_entries(self, seal_id: int) -> list[SealedEntry]:
        """The entries a seal covered when it was made."""
        return seals.entries_of(self.conn, seal_id)

    def current_sealable(self, start: int, end: int) -> list[SealedEntry]:
        """The log's entries overlapping [start, end), as a seal covers them."""
        return seals.current_entries(self.conn, start, end)

    def record_export(self, period: str, digest: str) -> None:
        """Remember the digest of a committee JSON as it was written."""
        with self.transaction() as c:
            seals.record_export(c, period, digest)

    def export_known(self, digest: str) -> bool:
        """True when this log wrote a committee JSON with this digest."""
        return seals.export_known(self.conn, digest)

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

    # ----------------------------------------------------------------- leave, tags, access

    def add_leave(self, leave: Leave) -> Leave:
        """Record leave on a date; a date already on leave is refused."""
        with self.transaction() as c:
            calendar_days.add_leave(c, leave)
        return leave

    def remove_leave(self, day: date) -> None:
        """Remove the leave on a date."""
        with self.transaction() as c:
            calendar_days.remove_leave(c, day)

    def leave_between(self, first: date, last: date) -> list[Leave]:
        """Leave on dates from first to last inclusive."""
        return calendar_days.leave_between(self.conn, first, last, self.skipped)

    def check_block(self, day: date, start_minute: int, *, tagging: bool,
                    shown_time: str | None = None) -> None:
        """Refuse a block that is not in the schedule, or (when tagging) is on a day of leave."""
        schedule_rules.check_block(self.schedules(), day, start_minute, tagging=tagging,
                    on_leave=tagging and bool(self.leave_between(day, day)),
                    shown_time=shown_time)

    def save_block_tag(self, tag: BlockTag, escalation: Escalation | None = None,
                       now: int | None = None) -> Escalation | None:
        """Record (or replace) the erosion reason of one block occurrence.

        With `escalation` (the shortcut `block tag … --escalated`), the escalation is recorded
        in the same change unless the block already has one; returns the escalation recorded,
        or None.
        """
        if escalation is not None:
            self.check_escalation(escalation, now)
        with self.transaction() as c:
            calendar_days.save_block_tag(c, tag)
            if escalation is None or escalations.for_block(c, tag.day, tag.start_minute):
                return None
            return escalations.add(c, escalation)

    def remove_block_tag(self, day: date, start_minute: int) -> None:
        """Remove the tag of one block occurrence."""
        with self.transaction() as c:
            calendar_days.remove_block_tag(c, day, start_minute)

    def block_tags_between(self, first: date, last: date) -> list[BlockTag]:
        """Tags on dates from first to last inclusive."""
        return calendar_days.block_tags_between(self.conn, first, last, self.skipped)

    def log_access(self, obs: AccessObservation) -> AccessObservation:
        """Record (or replace) the access observation of a date."""
        with self.transaction() as c:
            calendar_days.log_access(c, obs)
        return obs

    def access_between(self, first: date, last: date) -> list[AccessObservation]:
        """Access observations on dates from first to last inclusive."""
        return calendar_days.access_between(self.conn, first, last, self.skipped)

    def log_capacity(self, obs: CapacityObservation) -> CapacityObservation:
        """Record (or replace) the capacity counts of a date."""
        with self.transaction() as c:
            calendar_days.log_capacity(c, obs)
        return obs

    def capacity_between(self, first: date, last: date) -> list[CapacityObservation]:
        """Capacity counts on dates from first to last inclusive."""
        return calendar_days.capacity_between(self.conn, first, last, self.skipped)

    @property
    def meal_break_min(self) -> int:
        """The shortest break that counts as a meal break (minutes)."""
        text = kv.get(self.conn, Setting.MEAL_BREAK_MIN)
        return int(text) if text is not None and text.isdigit() else DEFAULT_MEAL_BREAK_MIN

    # ----------------------------------------------------------------- escalations

    def check_escalation(self, esc: Escalation, now: int | None = None) -> None:
        """Refuse an escalation that cannot be true: BadInput naming the field.

        Its block must be scheduled and not on leave; it cannot be dated before the day it
        concerns or in the future, nor answered before it was made.
        """
        if esc.start_minute is not None:
            self.check_block(esc.day, esc.start_minute, tagging=True)
        models.check_escalation(esc, now_instant() if now is None else now, self.tz)

    def add_escalation(self, esc: Escalation, now: int | None = None) -> Escalation:
        """Record an escalation (checked first); returns it with its id."""
        self.check_escalation(esc, now)
        with self.transaction() as c:
            return escalations.add(c, esc)

    def respond_escalation(self, escalation_id: int, response: EscalationResponse,
                           on: date, resolved: bool, now: int | None = None) -> Escalation:
        """Record the manager's response to an escalation, its date and whether it is resolved."""
        with self.transaction() as c:
            esc = escalations.get(c, escalation_id).model_copy(
                update={"response": response, "response_on": on,
                        "resolved": resolved})
            models.check_escalation(esc, now_instant() if now is None else now, self.tz)
            escalations.update_response(c, esc)
        return esc

    def get_escalation(self, escalation_id: int) -> Escalation:
        """The escalation with this id, or BadInput."""
        return escalations.get(self.conn, escalation_id)

    def escalations_between(self, first: date, last: date) -> list[Escalation]:
        """Escalations about dates from first to last inclusive."""
        return escalations.between(self.conn, first, last, self.skipped)

    def escalations_for_block(self, day: date, start_minute: int) -> list[Escalation]:
        """The escalations about one protected block occurrence."""
        return escalations.for_block(self.conn, day, start_minute, self.skipped)

    # ----------------------------------------------------------------- schedules

    def schedules(self) -> ScheduleSet:
        """Every schedule version, oldest first (unreadable ones left out, said)."""
        return schedules.all_versions(self.conn, self.skipped)

    def save_schedule(self, version: ScheduleVersion) -> None:
        """Store a schedule version (replacing one with the same date).

        Weeks before its effective date keep the version that was in force then. The newest
        version's zone becomes the user's zone.
        """
        with self.transaction() as c:
            if schedules.save(c, version):
                kv.put(c, Setting.TIMEZONE, version.timezone)
        self._tz = None

    def delete_schedule(self, effective_from: date) -> None:
        """Remove one schedule version."""
        with self.transaction() as c:
            schedules.delete(c, effective_from)

    # ----------------------------------------------------------------- stored weeks

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """One read transaction: every read inside sees the same state of the database."""
        return week_records.snapshot(self.conn)

    def stored_weeks(self, first: date, last: date, version: int) -> list[StoredWeek]:
        """The complete weeks stored by this version of the ledger, Mondays first to last."""
        return week_records.read(self.conn, first, last, version)

    def remember_weeks(self, weeks: list[WeekRow], version: int) -> bool:
        """Store complete weeks computed inside `reading()`; False when they could not be."""
        return self._may_remember() and week_records.remember(self.conn, weeks, version)

    def remember_setting(self, key: str, value: str) -> bool:
        """Keep a setting worked out from others if the log can be written now, without waiting.

        For a value that is the same whoever works it out (so losing it costs nothing but the
        work); False when it was not kept.
        """
        return self._may_remember() and connection.write_if_free(self.conn, kv.PUT_SQL,
                                                                 [(str(key), value)])

    def _may_remember(self) -> bool:
        """True when what a reading command worked out may be kept in the log now.

        That is when the log can be written, and is still the file this store opened (a
        restore has not replaced it).
        """
        return self.read_only is None and connection.identity(self.path) == self.opened

    def partly_met_at_on(self, day: date) -> float | None:
        """The partly-met mark of the schedule in force on day (else the newest), or None."""
        return week_records.partly_met_at_on(self.conn, day)

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
    how = (f"; the newest good backup is {good}, restore it with: carelog restore {good}"
           if good else "; none of them passes its check")
    raise MissingDatabase(
        f"The database {path} {state} but {backups.backup_dir(path).name} holds "
        f"{len(found)} backup{'s' if len(found) != 1 else ''} of it, so this is not a new "
        f"log{how}.", backup=str(good) if good else None)


def open_store(path: Path | str | None = None, **kwargs: Any) -> Store:
    """Open the database at path, or the default one."""
    return Store.open(Path(path) if path else default_db_path(), **kwargs)


__all__ = ["PRIVATE_FILE", "CarelogError", "Store", "open_store"]
