"""The end-of-day reminder: at the chosen time on a working day, core's reminder, once a day.

The window checks once a minute. The sentence is core's (`reminder`: nothing logged today, or a
protected block with unlogged minutes); it goes to the tray when there is one, else to a message
box that does not block. The day it was given is kept in the window's settings, so a restart
does not repeat it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from carelog.core.domain.timeutil import to_local
from carelog.core.ledger.load import reminder
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from carelog.gui.main_window.main_window import MainWindow

CHECK_MS = 60_000
_REMINDED_KEY = "reminder/last_day"


class EndOfDayReminder(QObject):
    """Checks the clock each minute; gives the day's reminder at most once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.reminded_on: date | None = None
        self.box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()

    def check(self) -> str | None:
        """At the reminder time on a working day, show core's reminder once; return it."""
        w = self.window
        if w.databases.swapping or w.is_demo:
            return None
        prefs = w.prefs
        if not prefs.reminder_enabled:
            return None
        local = to_local(w.state.now(), w.store.tz)
        if f"{local:%H:%M}" < prefs.reminder_time:
            return None
        today = local.date()
        settings = w.settings
        last = settings.value(_REMINDED_KEY, "") if settings is not None else ""
        if self.reminded_on == today or last == today.isoformat():
            return None
        self.reminded_on = today
        if settings is not None:
            settings.setValue(_REMINDED_KEY, today.isoformat())
        text = reminder(w.store, today, w.state.now_minute())
        if text:
            self._show(text)
        return text

    def _show(self, text: str) -> None:
        w = self.window
        w.statusBar().showMessage(f"Reminder: {text}")
        if w.tray.show_message(text, "Carelog reminder"):
            return
        self.box = w.inform(text, parent=w)

    def _on_timer_timeout(self) -> None:
        self.check()
