"""What the views share: the open store, the day being looked at, and change notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QObject, Signal

from core.ledger import WeekRecord
from core.reports import load_ledger
from core.store import Store
from core.timeutil import Period, week_monday


class AppState(QObject):
    """The selected day and a cache of week ledgers, cleared whenever the data changes."""

    day_changed = Signal(object)
    data_changed = Signal()
    message = Signal(str)

    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._today = today
        self._day = today()
        self._weeks: dict[date, WeekRecord] = {}

    @property
    def day(self) -> date:
        """The local date the window is looking at."""
        return self._day

    def today(self) -> date:
        """Today's local date (injectable, so tests can pin it)."""
        return self._today()

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
        if monday not in self._weeks:
            ledger = load_ledger(self.store, Period(monday, monday + timedelta(days=6)))
            self._weeks[monday] = ledger.weeks[0]
        return self._weeks[monday]

    def notify_changed(self) -> None:
        """Tell every view the data changed (an entry, a tag, an undo)."""
        self._weeks.clear()
        self.data_changed.emit()

    def say(self, text: str) -> None:
        """Show a short message in the status bar."""
        self.message.emit(text)
