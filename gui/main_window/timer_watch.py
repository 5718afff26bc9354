"""Timers that forgive: the window notices a timer left running and a time away, and asks.

A tick every half minute (and whenever the application becomes active again) compares the
window's clock with the last tick: a jump of 15 minutes or more means the screen was locked
or the computer slept, and a running timer asks what that time was. A timer running past the
end of the working day, or longer than the limit in Settings, asks "still charting?" from the
tray and in the window. Core decides what each answer logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.forgiving_timer import (
    GAP_WORDS,
    GapAnswer,
    TimerOutcome,
    answer_gap,
    overdue_at,
    stop_at,
    was_away,
)
from carelog.core.domain.timeutil import fmt_minutes, format_local
from carelog.core.store.preferences import load_preferences
from carelog.gui.dialogs.timer_prompts import AwayDialog, StillChartingDialog
from carelog.gui.remedies import window_sentence
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from carelog.gui.main_window.main_window import MainWindow

TICK_MS = 30_000


class TimerWatch(QObject):
    """Watches the running timer and the clock; asks when a timer needs forgiving."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.last_tick = self.state.now()
        self.prompt: QDialog | None = None
        self._asked_for: int | None = None  # the start of the timer "still charting?" asked
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()
        app = QGuiApplication.instance()
        self._watching = isinstance(app, QGuiApplication)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state_changed)

    def stop(self) -> None:
        """Stop watching (the window closes)."""
        self.ticker.stop()
        app = QGuiApplication.instance()
        if self._watching and isinstance(app, QGuiApplication):
            app.applicationStateChanged.disconnect(self._on_application_state_changed)
        self._watching = False
        if self.prompt is not None:
            self.prompt.close()

    def tick(self) -> None:
        """Look at the clock and the timer; ask when the time away or the timer calls for it."""
        now = self.state.now()
        last, self.last_tick = self.last_tick, now
        if self.prompt is not None or self.window.databases.swapping:
            return
        self.state.reload_timer()
        timer = self.state.timer
        if timer is None:
            return
        if was_away(last, now) and last >= timer.started:
            self.ask_away(last, now)
            return
        store = self.state.store
        limit = load_preferences(store).timer_limit_min
        due = overdue_at(timer, store.schedules(), store.tz, limit)
        if now >= due and self._asked_for != timer.started:
            self._asked_for = timer.started
            self.ask_still_charting(due)

    # ------------------------------------------------------------------ the questions

    def ask_still_charting(self, due: int) -> StillChartingDialog:
        """Ask whether the timer is still wanted; offer to stop it when it became overdue."""
        timer = self.state.timer
        assert timer is not None
        store = self.state.store
        label = store.categories.label_of(timer.category)
        since = format_local(timer.started, store.tz)[11:]
        ran = fmt_minutes((self.state.now_minute() - timer.started) // 60)
        sentence = (f"The timer for {label} has run since {since} ({ran}). Are you still "
                    "charting?")
        stop_text = f"No, it stopped at {format_local(due, store.tz)[11:]}: log it until then"
        dialog = StillChartingDialog(sentence, stop_text, self.window)
        dialog.answered.connect(lambda answer: self._on_still_answered(str(answer), due))
        self._show(dialog)
        self.window.tray.show_message(f"Still charting? {sentence.split('. ')[0]}.")
        return dialog

    def ask_away(self, away: int, back: int) -> AwayDialog:
        """Ask what the time away from the computer was."""
        store = self.state.store
        timer = self.state.timer
        label = store.categories.label_of(timer.category) if timer else ""
        span = (f"{format_local(away, store.tz)[11:]}–{format_local(back, store.tz)[11:]}")
        sentence = (f"The computer was away {span} ({fmt_minutes((back - away) // 60)}) "
                    f"while the timer for {label} ran. What was that time?")
        dialog = AwayDialog(sentence, self.window)
        dialog.answered.connect(lambda answer: self._on_away_answered(answer, away, back))
        self._show(dialog)
        return dialog

    def _show(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._on_prompt_finished)
        self.prompt = dialog
        dialog.open()

    # ------------------------------------------------------------------ answers

    def _apply(self, outcome: TimerOutcome, label: str, said: str) -> None:
        try:
            self.state.store.apply_timer_outcome(outcome, label)
        except CarelogError as exc:
            self.state.say(window_sentence(exc))
            return
        self.state.notify_changed()
        self.state.say(said)

    def _on_still_answered(self, answer: str, due: int) -> None:
        timer = self.state.timer
        if timer is None:
            return
        if answer == "discard":
            self.window.commands.cancel_timer()
            self.state.say("The timer was discarded; nothing was logged.")
        elif answer == "stop":
            try:
                outcome = stop_at(timer, due, self.state.now())
            except CarelogError as exc:
                self.state.say(window_sentence(exc))
                return
            self._apply(outcome, "stop the timer at the end of the day",
                        "The timer was stopped and logged until "
                        f"{format_local(due, self.state.store.tz)[11:]}; Edit ▸ Undo "
                        "reverses it.")
        else:
            self.state.say("The timer keeps running.")

    def _on_away_answered(self, answer: object, away: int, back: int) -> None:
        assert isinstance(answer, GapAnswer)
        if answer is GapAnswer.KEEP:
            self.state.say("The timer keeps running through the time away.")
            return
        try:
            outcome = answer_gap(self.state.timer, away, back, answer)
        except CarelogError as exc:
            self.state.say(window_sentence(exc))
            return
        self._apply(outcome, f"time away as {GAP_WORDS[answer].lower()}",
                    f"Logged the time away as {GAP_WORDS[answer].lower()}; the timer goes on. "
                    "Edit ▸ Undo reverses it.")

    def _on_prompt_finished(self, result: int) -> None:
        self.prompt = None

    def _on_application_state_changed(self, app_state: Qt.ApplicationState) -> None:
        if self._watching and app_state == Qt.ApplicationState.ApplicationActive:
            self.tick()
