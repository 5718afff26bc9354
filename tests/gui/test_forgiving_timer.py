"""Timers that forgive, in the window: still charting?, a time away, the start, continuing."""

from __future__ import annotations

from carelog.core.domain.forgiving_timer import GapAnswer
from carelog.core.domain.timeutil import to_local
from carelog.core.store.database import Store
from carelog.gui.dialogs.timer_prompts import AwayDialog, StillChartingDialog
from carelog.gui.main_window import MainWindow
from PySide6.QtCore import QPointF, Qt, QTime
from pytestqt.qtbot import QtBot

from tests.gui.conftest import AddEntry, Clock


def _spans(store: Store) -> list[tuple[str, str, str]]:
    return [(e.category, f"{to_local(e.start, store.tz):%H:%M}",
             f"{to_local(e.end, store.tz):%H:%M}") for e in store.all_entries()]


def _charting(window: MainWindow, store: Store, clock: Clock, started: str, *ticks: str) -> None:
    """A Charting timer started at `started`; the window's clock then ticks at each of `ticks`."""
    clock.set(store, started)
    window.commands.start_timer("documentation")
    for moment in ticks:
        clock.set(store, moment)
        window.timer_watch.tick()


def test_a_timer_past_the_end_of_the_day_asks_and_stops_at_the_end(
        qtbot: QtBot, window: MainWindow, gui_store: Store, clock: Clock) -> None:
    _charting(window, gui_store, clock, "15:30", "16:55")
    assert window.timer_watch.prompt is None  # not yet the end of the working day
    clock.set(gui_store, "17:05")
    window.timer_watch.tick()
    prompt = window.timer_watch.prompt
    assert isinstance(prompt, StillChartingDialog)
    assert prompt.sentence_label.text() == ("The timer for Charting has run since 15:30 "
                                            "(1 h 35 m). Are you still charting?")
    qtbot.mouseClick(prompt.stop_button, Qt.MouseButton.LeftButton)
    assert _spans(gui_store) == [("documentation", "15:30", "17:00")]
    assert gui_store.timer() is None
    gui_store.undo()
    assert gui_store.count_entries() == 0


def test_keeping_the_timer_asks_only_once(qtbot: QtBot, window: MainWindow,
                                          gui_store: Store, clock: Clock) -> None:
    # The window's clock ticks at 21:05, outside working hours: the 3-hour limit applies.
    _charting(window, gui_store, clock, "18:00", "21:05")
    prompt = window.timer_watch.prompt
    assert isinstance(prompt, StillChartingDialog)
    qtbot.mouseClick(prompt.keep_button, Qt.MouseButton.LeftButton)
    clock.advance(60)
    window.timer_watch.tick()
    assert window.timer_watch.prompt is None and gui_store.timer() is not None


def test_a_time_away_is_asked_about_and_logged_as_the_answer(
        qtbot: QtBot, window: MainWindow, gui_store: Store, clock: Clock) -> None:
    # The computer slept after 09:20: no tick for 50 minutes.
    _charting(window, gui_store, clock, "09:00", "09:20", "10:10")
    prompt = window.timer_watch.prompt
    assert isinstance(prompt, AwayDialog)
    assert prompt.sentence_label.text().startswith(
        "The computer was away 09:20–10:10 (50 m) while the timer for Charting ran.")
    qtbot.mouseClick(prompt.buttons[GapAnswer.MEETING], Qt.MouseButton.LeftButton)
    assert _spans(gui_store) == [("documentation", "09:00", "09:20"),
                                 ("meeting", "09:20", "10:10")]
    timer = gui_store.timer()
    assert timer is not None and to_local(timer.started, gui_store.tz).strftime("%H:%M") == "10:10"


def test_a_short_pause_asks_nothing(window: MainWindow, gui_store: Store, clock: Clock) -> None:
    _charting(window, gui_store, clock, "09:00", "09:14")
    assert window.timer_watch.prompt is None


def test_the_running_timer_start_can_be_changed(qtbot: QtBot, window: MainWindow,
                                                gui_store: Store, clock: Clock) -> None:
    clock.set(gui_store, "10:00")
    window.commands.start_timer("documentation")
    window.menus.timer_start_action.trigger()
    dialog = window.timer_start_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.start_edit.setFocus()
    dialog.start_edit.setTime(QTime(9, 40))
    later = QTime(11, 0)
    dialog.start_edit.setTime(later)  # the maximum is now: a later start is refused
    assert dialog.start_edit.time() == QTime(10, 0)
    dialog.start_edit.setTime(QTime(9, 40))
    qtbot.keyClick(dialog.start_edit, Qt.Key.Key_Return)
    timer = gui_store.timer()
    assert timer is not None and to_local(timer.started, gui_store.tz).strftime("%H:%M") == "09:40"


def test_continuing_the_last_entry_is_one_key(qtbot: QtBot, window: MainWindow,
                                              add_entry: AddEntry, gui_store: Store) -> None:
    add_entry("care_coordination", "2026-11-17 13:00", "13:30", note="call back")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    timer = gui_store.timer()
    assert timer is not None and (timer.category, timer.note) == ("care_coordination",
                                                                  "call back")


def test_the_running_timer_is_drawn_on_the_timeline(window: MainWindow, gui_store: Store,
                                                    clock: Clock) -> None:
    clock.set(gui_store, "14:00")
    window.commands.start_timer("documentation")
    clock.set(gui_store, "14:45")
    window.state.notify_changed()
    timeline = window.day_view.timeline
    x = timeline.x_for_minute(14 * 60 + 20)
    tip = timeline.tooltip_at(QPointF(x, timeline.height() / 2))
    assert tip.startswith("Timer: Charting since 14:00 (45 m so far)")
