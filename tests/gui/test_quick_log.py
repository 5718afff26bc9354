"""Quick logging, driven like a therapist between two sessions: buttons, keys, the quick line."""

from __future__ import annotations

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Action, Via
from carelog.core.domain.quick import parse_quick
from carelog.core.store.database import Store
from carelog.gui.main_window import TAB_TODAY, TAB_WEEK, MainWindow
from carelog.gui.models.entry_table_model import COL_CATEGORY, COL_END, COL_MINUTES, COL_START
from carelog.gui.quick_commands import UNDO_HINT
from carelog.gui.views.today.day_view import DayView
from carelog.gui.views.today.quick_log import QuickLogBar, elapsed_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from .conftest import NOW, AddEntry, Clock


def _rows(view: DayView) -> list[tuple[str, str, str, str]]:
    p = view.proxy
    return [tuple(p.data(p.index(r, c)) for c in (COL_START, COL_END, COL_MINUTES, COL_CATEGORY))
            for r in range(p.rowCount())]


def _click(qtbot: QtBot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type_line(qtbot: QtBot, bar: QuickLogBar, text: str) -> None:
    bar.line.setFocus()
    bar.line.selectAll()
    qtbot.keyClick(bar.line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(bar.line, text)


def _label_colour(label: QLabel) -> str:
    return label.styleSheet()


@pytest.fixture
def bar(window: MainWindow) -> QuickLogBar:
    """The quick-log bar of the window's Today view."""
    return window.day_view.quick_bar


def test_a_category_then_a_preset_logs_the_last_minutes_ending_now(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    assert not any(b.isEnabled() for b in bar.preset_buttons)  # a category comes first
    _click(qtbot, bar.category_buttons["messages"])
    assert bar.armed == "messages"
    assert bar.armed_label.text() == "Messages, the last:"
    _click(qtbot, bar.preset_buttons[1])  # 10 m

    assert _rows(window.day_view) == [("14:50", "15:00", "10", "Messages")]
    entry = gui_store.all_entries()[0]
    assert (entry.end, entry.source) == (NOW, "quick")
    [event] = gui_store.history(int(entry.id or 0))
    assert (event.action, event.via) == (Action.ADD, Via.QUICK)
    sentence = "Logged Messages 10 m, 14:50–15:00" + UNDO_HINT
    assert window.statusBar().currentMessage() == sentence
    assert bar.feedback_text() == sentence
    assert window.undo_action.text() == "&Undo add Messages 2026-11-17 14:50, 10 m"


def test_category_buttons_are_grouped_ipc_first_with_user_categories(
        make_window, gui_store: Store) -> None:
    gui_store.add_category("peer_consult", "Peer consult", "ipc")
    window = make_window(gui_store)
    codes = list(window.day_view.quick_bar.category_buttons)
    assert codes[:5] == ["documentation", "messages", "treatment_planning", "care_coordination",
                         "community_linkage"]
    assert codes.index("peer_consult") < codes.index("individual") < codes.index("meeting")
    tip = window.day_view.quick_bar.category_buttons["messages"].toolTip()
    assert "Alt+M" in tip


def test_a_preset_fits_around_time_already_logged_and_says_so(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, add_entry: AddEntry) -> None:
    add_entry("messages", "2026-11-17 14:54", "15:00")
    window.state.notify_changed()
    _click(qtbot, bar.category_buttons["documentation"])
    _click(qtbot, bar.preset_buttons[1])  # the last 10 minutes, 6 of them already logged
    assert _rows(window.day_view) == [("14:50", "14:54", "4", "Charting"),
                                      ("14:54", "15:00", "6", "Messages")]
    assert window.statusBar().currentMessage() == (
        "Logged Charting 4 m, 14:50–14:54 (6 m of that time was already logged)" + UNDO_HINT)


def test_a_fully_logged_stretch_is_refused_in_red(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store,
        add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 14:00", "15:00")
    window.state.notify_changed()
    _click(qtbot, bar.category_buttons["messages"])
    _click(qtbot, bar.preset_buttons[0])
    assert bar.feedback_is_error()
    assert "already fully logged" in bar.feedback_text()
    assert gui_store.count_entries() == 1


def test_typing_shows_what_the_line_means_and_return_logs_a_batch(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    _type_line(qtbot, bar, "msg 10")
    assert bar.feedback_text() == "Return logs: Messages 10 m, 14:50–15:00"
    assert not bar.feedback_is_error()

    _type_line(qtbot, bar, "4 x msg 3")
    assert bar.feedback_text() == "Return logs: 4 × Messages, 3 m each, 14:48–15:00"
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert _rows(window.day_view) == [("14:48", "14:51", "3", "Messages"),
                                      ("14:51", "14:54", "3", "Messages"),
                                      ("14:54", "14:57", "3", "Messages"),
                                      ("14:57", "15:00", "3", "Messages")]
    assert bar.line.text() == ""
    assert window.statusBar().currentMessage() == \
        "Logged 4 × Messages, 3 m each, 14:48–15:00" + UNDO_HINT
    # One undo step for the whole batch.
    qtbot.keyClick(bar.line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _rows(window.day_view) == [])
    assert gui_store.count_entries() == 0


def test_an_unknown_category_is_explained_in_red_and_nothing_is_logged(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    with pytest.raises(BadInput) as refused:
        parse_quick("lunchbox 5", gui_store.categories, gui_store.tz, NOW)
    _type_line(qtbot, bar, "lunchbox 5")
    assert bar.feedback_text() == refused.value.message
    assert bar.feedback_is_error()
    assert "color: #b42318" in _label_colour(bar.feedback)  # the theme's error red
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert gui_store.count_entries() == 0
    assert bar.line.text() == "lunchbox 5"  # kept, ready to be corrected
    assert window.statusBar().currentMessage() == refused.value.message


def test_ctrl_z_right_after_a_quick_log_removes_it(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    _type_line(qtbot, bar, "doc 14:10-14:40 # two notes")
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert _rows(window.day_view) == [("14:10", "14:40", "30", "Charting")]
    assert gui_store.all_entries()[0].note == "two notes"
    qtbot.keyClick(bar.line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _rows(window.day_view) == [])
    assert window.statusBar().currentMessage().startswith("Undid: quick Charting 30 m")


def test_two_keystrokes_log_from_anywhere_in_the_window(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    window.tabs.setCurrentIndex(TAB_WEEK)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentIndex() == TAB_TODAY
    assert bar.armed == "messages"
    qtbot.waitUntil(lambda: bar.category_buttons["messages"].hasFocus())
    qtbot.keyClick(bar.category_buttons["messages"], Qt.Key.Key_1)  # then 1: five minutes
    assert _rows(window.day_view) == [("14:55", "15:00", "5", "Messages")]
    assert window.preset_actions[1].text() == "Last 10 minutes of Messages"

    # Alt+D, Alt+3 with the cursor in the entry form: charting, the 15 minutes before.
    window.day_view.form.note_edit.setFocus()
    qtbot.keyClick(window.day_view.form.note_edit, Qt.Key.Key_D,
                   Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.day_view.form.note_edit, Qt.Key.Key_3,
                   Qt.KeyboardModifier.AltModifier)
    assert _rows(window.day_view) == [("14:45", "14:55", "10", "Charting"),
                                      ("14:55", "15:00", "5", "Messages")]


def test_ctrl_l_puts_the_cursor_in_the_quick_line(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    window.tabs.setCurrentIndex(TAB_WEEK)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_TODAY
    qtbot.waitUntil(bar.line.hasFocus)


def test_the_count_logs_several_stretches_end_to_end(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    _click(qtbot, bar.category_buttons["messages"])
    bar.count_spin.setValue(4)
    bar.minutes_spin.setValue(3)
    _click(qtbot, bar.minutes_button)
    assert [r[:3] for r in _rows(window.day_view)] == [
        ("14:48", "14:51", "3"), ("14:51", "14:54", "3"), ("14:54", "14:57", "3"),
        ("14:57", "15:00", "3")]
    assert bar.count_spin.value() == 1  # back to one, so the next click logs one stretch


def test_return_in_the_minutes_box_logs_that_many_minutes(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    _click(qtbot, bar.category_buttons["care_coordination"])
    bar.minutes_spin.setFocus()
    bar.minutes_spin.selectAll()
    qtbot.keyClicks(bar.minutes_spin, "25")
    qtbot.keyClick(bar.minutes_spin, Qt.Key.Key_Return)
    assert _rows(window.day_view) == [("14:35", "15:00", "25", "Care coordination")]


def test_the_timer_starts_ticks_and_stops_into_an_entry(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store,
        clock: Clock) -> None:
    clock.set(gui_store, "14:20")
    assert not bar.stop_button.isEnabled()
    _click(qtbot, bar.category_buttons["documentation"])
    _click(qtbot, bar.start_button)
    assert gui_store.timer() is not None  # kept in the database
    assert bar.stop_button.isEnabled()
    assert window.stop_timer_action.isEnabled()
    assert bar.timer_label.text() == "Charting 0:00"

    clock.advance(65)
    qtbot.waitUntil(lambda: bar.timer_label.text() == "Charting 1:05", timeout=3000)

    clock.set(gui_store, "14:45")
    _click(qtbot, bar.stop_button)
    assert gui_store.timer() is None
    assert _rows(window.day_view) == [("14:20", "14:45", "25", "Charting")]
    assert gui_store.all_entries()[0].source == "timer"
    [event] = gui_store.history(int(gui_store.all_entries()[0].id or 0))
    assert (event.action, event.via) == (Action.ADD, Via.TIMER)
    assert window.statusBar().currentMessage() == \
        "Logged Charting 25 m, 14:20–14:45 from the timer" + UNDO_HINT
    assert bar.timer_label.text() == "No timer running"
    assert not bar.stop_button.isEnabled()
    assert not window.stop_timer_action.isEnabled()


def test_a_timer_running_from_before_shows_at_once(
        make_window, gui_store: Store, clock: Clock) -> None:
    gui_store.timer_start("treatment_planning", at=clock.set(gui_store, "13:30"))
    clock.set(gui_store, "15:00")
    window = make_window(gui_store)
    bar = window.day_view.quick_bar
    assert bar.timer_label.text() == "Treatment planning 1:30:00"
    assert bar.stop_button.isEnabled()
    assert window.statusBar().currentMessage() == \
        "Timer: Treatment planning 1 h 30 m — still running since Carelog was last open."


def test_start_without_a_category_asks_for_one(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    _click(qtbot, bar.start_button)
    assert gui_store.timer() is None
    assert bar.feedback_is_error()
    assert bar.feedback_text().startswith("Choose a category first")


def test_the_timer_menu_starts_any_category_and_discard_logs_nothing(
        window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    action = next(a for a in bar.start_menu.actions() if a.text() == "Group prep")
    action.trigger()
    assert gui_store.timer() is not None and gui_store.timer().category == "group_prep"
    window.discard_timer_action.trigger()
    assert gui_store.timer() is None
    assert gui_store.count_entries() == 0
    assert window.statusBar().currentMessage() == "Timer discarded; nothing was logged."


def test_presets_follow_the_preferences(make_window, gui_store: Store) -> None:
    from carelog.core.store.preferences import load_preferences, save_preferences

    prefs = load_preferences(gui_store)
    prefs.quick_presets = (3, 20)
    save_preferences(gui_store, prefs)
    window = make_window(gui_store)
    bar = window.day_view.quick_bar
    assert [b.text() for b in bar.preset_buttons] == ["3 m", "20 m"]
    visible = [a.text() for a in window.preset_actions if a.isVisible()]
    assert visible == ["Last 3 minutes of the chosen category",
                       "Last 20 minutes of the chosen category"]


def test_a_note_that_looks_like_an_identifier_is_warned_about(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    _type_line(qtbot, bar, "msg 5 # called Jane Smith")
    assert bar.feedback_text().startswith("Return logs: Messages 5 m, 14:55–15:00. ")
    assert not bar.feedback_is_error()


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (65, "1:05"), (3723, "1:02:03")])
def test_elapsed_time_is_written_like_a_stopwatch(seconds: int, text: str) -> None:
    assert elapsed_text(seconds) == text


def test_a_switch_to_a_dark_palette_recolours_the_bar(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar) -> None:
    from PySide6.QtGui import QColor, QPalette

    _type_line(qtbot, bar, "lunchbox 5")
    assert "#b42318" in bar.feedback.styleSheet()
    dark = QPalette(bar.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    bar.setPalette(dark)  # every child hears of it too
    assert "#ff8a80" in bar.feedback.styleSheet()  # the theme's red for dark backgrounds


def test_alt_digit_before_any_category_asks_for_one(
        qtbot: QtBot, window: MainWindow, bar: QuickLogBar, gui_store: Store) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert gui_store.count_entries() == 0
    assert window.statusBar().currentMessage().startswith("Choose a category first")
