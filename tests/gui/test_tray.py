"""The tray menu: the running timer, start and stop, quick logging, show and quit.

Offscreen there is no system tray, so the menu is checked as the object the tray would open.
"""

from __future__ import annotations

from carelog.core.store.database import Store
from carelog.gui.main_window import MainWindow
from carelog.gui.main_window.tray import NO_TIMER, Tray
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from .conftest import Clock


def _texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_the_menu_holds_the_timer_quick_log_show_and_quit(window: MainWindow) -> None:
    tray = window.tray
    assert not tray.available  # offscreen: no system tray, the menu exists all the same
    assert _texts(tray.menu) == [NO_TIMER, "Start timer", "Stop timer", "Quick log",
                                 "Show Carelog", "Quit"]
    assert not tray.timer_action.isEnabled()  # a line of information, not a command
    assert not tray.stop_action.isEnabled()
    starts = _texts(tray.start_menu)
    assert starts[:4] == ["Charting", "Messages", "Treatment planning", "Care coordination"]
    assert "Session" in starts and "Break" in starts
    assert _texts(tray.quick_menu) == [
        "Messages 5 m", "Messages 10 m", "Messages 15 m",
        "Charting 10 m", "Charting 15 m", "Charting 30 m",
        "Treatment planning 10 m", "Treatment planning 15 m", "Treatment planning 30 m",
        "Care coordination 10 m", "Care coordination 15 m"]


def test_stop_is_enabled_only_while_a_timer_runs(
        window: MainWindow, gui_store: Store, clock: Clock) -> None:
    tray = window.tray
    clock.set(gui_store, "14:00")
    next(a for a in tray.start_menu.actions() if a.text() == "Charting").trigger()
    assert tray.stop_action.isEnabled()
    assert tray.stop_action.text() == "Stop timer and log it"
    assert tray.timer_action.text() == "Timer: Charting 0 m"
    assert window.day_view.quick_bar.timer_label.text() == "Charting 0:00"

    clock.set(gui_store, "14:12")
    tray.menu.aboutToShow.emit()  # opening the menu brings the minutes up to date
    assert tray.timer_action.text() == "Timer: Charting 12 m"
    assert tray.tooltip() == "Carelog — Timer: Charting 12 m"

    tray.stop_action.trigger()
    assert gui_store.timer() is None
    assert [(e.category, e.minutes) for e in gui_store.all_entries()] == [("documentation", 12)]
    assert not tray.stop_action.isEnabled()
    assert tray.timer_action.text() == NO_TIMER
    assert tray.tooltip() == "Carelog — No timer running"


def test_a_timer_started_in_the_window_shows_in_the_tray(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    bar = window.day_view.quick_bar
    bar.arm("messages")
    window.start_timer_action.trigger()
    assert window.tray.stop_action.isEnabled()
    assert window.tray.timer_action.text() == "Timer: Messages 0 m"


def test_quick_log_from_the_tray_logs_the_last_minutes(
        window: MainWindow, gui_store: Store) -> None:
    action = next(a for a in window.tray.quick_menu.actions() if a.text() == "Messages 10 m")
    action.trigger()
    assert [(e.category, e.minutes) for e in gui_store.all_entries()] == [("messages", 10)]
    assert window.day_view.model.rowCount() == 1
    assert window.statusBar().currentMessage().startswith("Logged Messages 10 m, 14:50–15:00")


def test_show_and_quit_reach_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.hide()
    window.tray.show_action.trigger()
    qtbot.waitUntil(window.isVisible)
    window.tray.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_without_a_tray_a_message_cannot_be_shown_there(window: MainWindow) -> None:
    tray = Tray(window.commands, window, use_tray=False)
    assert tray.show_message("hello") is False
