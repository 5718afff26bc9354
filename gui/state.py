"""What the views share: the open store, the clock, the day being looked at, and notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from carelog.core.domain.models import TimerState
from carelog.core.domain.timeutil import MINUTE, Period, now_instant, to_local, week_monday
from carelog.core.ledger.compute import WeekRecord
from carelog.core.ledger.load import load_ledger
from carelog.core.store.database import Store
from PySide6.QtCore import QObject, Signal


def _system_now() -> int:
    return now_instant()


class AppState(QObject):
    """The selected day, the clock, and a cache of week ledgers cleared whenever data changes.

    `now` returns the current UTC instant in epoch seconds; `today` the local date the window
    treats as today (by default the date of `now` in the store's zone). Both are injectable so
    tests can pin the clock.
    """

    day_changed = Signal(object)
    data_changed = Signal()
    message = Signal(str)
    timer_changed = Signal()
    store_replaced = Signal()
    # A view with nothing to show until there is a schedule asks for the set-up guide.
    schedule_wanted = Signal()

    def __init__(self, store: Store, today: Callable[[], date] | None = None,
                 parent: QObject | None = None, now: Callable[[], int] | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._now = now or _system_now
        self._today = today
        self._day = self.today()
        # Week records by Monday, with the minute they were computed at: a week in progress
        # changes as time passes, so it is recomputed when the clock has moved on.
        self._weeks: dict[date, tuple[WeekRecord, int]] = {}
        self._timer: TimerState | None = store.timer()

    @property
    def day(self) -> date:
        """The local date the window is looking at."""
        return self._day

    def now(self) -> int:
        """The current UTC instant in epoch seconds (injectable)."""
        return int(self._now())

    def now_minute(self) -> int:
        """The current UTC instant rounded down to the whole minute, as entries are kept."""
        now = self.now()
        return now - now % MINUTE

    def today(self) -> date:
        """Today's local date (injectable, so tests can pin it)."""
        if self._today is not None:
            return self._today()
        return to_local(self.now(), self.store.tz).date()

    def set_day(self, d: date) -> None:
        """Look at another date; every view follows."""
        if d != self._day:
            self._day = d
            self.day_changed.emit(d)

    def shift_day(self, days: int) -> None:
        """Move the selected date by a number of days."""
        self.set_day(self._day + timedelta(days=days))

    def week(self, d: date) -> WeekRecord:
        """The ledger record of the ISO week holding d (computed once per change)."""
        monday = week_monday(d)
        now = self.now_minute()
        cached = self._weeks.get(monday)
        if cached is None or (not cached[0].complete and cached[1] != now):
            ledger = load_ledger(self.store, Period(monday, monday + timedelta(days=6)), now)
            cached = (ledger.weeks[0], now)
            self._weeks[monday] = cached
        return cached[0]

    @property
    def timer(self) -> TimerState | None:
        """The running timer as last read from the database."""
        return self._timer

    def reload_timer(self) -> None:
        """Read the timer again (it lives in the database, so the command line may change it)."""
        timer = self.store.timer()
        if timer != self._timer:
            self._timer = timer
            self.timer_changed.emit()

    def notify_changed(self) -> None:
        """Tell every view the data changed (an entry, a tag, an undo, the timer)."""
        self._weeks.clear()
        self.reload_timer()
        self.data_changed.emit()

    def replace_store(self, store: Store) -> None:
        """Point every view at another open store (a restored or a demo database)."""
        self.store = store
        self._weeks.clear()
        self._timer = store.timer()
        self.store_replaced.emit()
        self.timer_changed.emit()
        self.data_changed.emit()

    def say(self, text: str) -> None:
        """Show a short message in the status bar."""
        self.message.emit(text)
