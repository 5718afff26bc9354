"""The main window: menus and shortcuts, undo labels, backups, warnings, remembered geometry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt
from pytestqt.qtbot import QtBot

from core.store import Store
from gui.main_window import TAB_TODAY, TAB_WEEK, MainWindow

from .conftest import TODAY, AddEntry


def _menu_texts(window: MainWindow) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        out[action.text()] = [a.text() for a in menu.actions() if not a.isSeparator()]
    return out


def test_menus_hold_the_commands_with_their_shortcuts(window: MainWindow) -> None:
    assert _menu_texts(window) == {
        "&File": ["&Back up now", "&Quit"],
        "&Edit": ["&Undo", "&Redo", "&Delete entry"],
        "&View": ["&Today view", "&Week view", "&Previous day", "&Next day", "Go to t&oday",
                  "&Refresh"],
    }
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in window.actions()}
    assert shortcuts["&Quit"] == ["Ctrl+Q"]
    assert shortcuts["&Undo"] == ["Ctrl+Z"]
    assert shortcuts["&Redo"] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert shortcuts["&Delete entry"] == ["Del"]
    assert shortcuts["&Today view"] == ["Ctrl+1"]
    assert shortcuts["&Week view"] == ["Ctrl+2"]
    assert shortcuts["&Previous day"] == ["Alt+Left"]
    assert shortcuts["&Next day"] == ["Alt+Right"]
    assert shortcuts["Go to t&oday"] == ["Ctrl+T"]


def test_undo_and_redo_are_labelled_and_disabled_when_empty(
        window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    assert not window.undo_action.isEnabled()
    assert not window.redo_action.isEnabled()
    add_entry("committee", "2026-11-17 15:00", "16:00")
    window.state.notify_changed()
    assert window.undo_action.text() == "&Undo add Committee 2026-11-17 15:00, 60 m"
    window.undo_action.trigger()
    assert not window.undo_action.isEnabled()
    assert window.redo_action.text() == "&Redo add Committee 2026-11-17 15:00, 60 m"
    window.redo_action.trigger()
    assert gui_store.count_entries() == 1
    assert not window.redo_action.isEnabled()


def test_undo_of_a_change_on_another_day_shows_that_day(
        window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    entry_id = add_entry("training", "2026-11-12 13:00", "14:00")
    gui_store.delete_entry(entry_id)
    window.state.notify_changed()
    window.undo_action.trigger()
    assert window.state.day == date(2026, 11, 12)
    assert window.day_view.model.rowCount() == 1


def test_undo_with_nothing_left_explains_itself(window: MainWindow) -> None:
    window.undo_action.setEnabled(True)
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == "There is nothing to undo."


def test_back_up_now_reports_the_verified_file(
        window: MainWindow, add_entry: AddEntry, qtbot: QtBot) -> None:
    add_entry("admin", "2026-11-17 12:00", "12:30")
    window.backup_action.trigger()
    assert not window.backup_action.isEnabled()  # the backup runs off the GUI thread
    with qtbot.waitSignal(window.backup_operation.finished, timeout=10_000):
        pass
    assert window.backup_action.isEnabled()
    message = window.statusBar().currentMessage()
    assert message.startswith("Backup written and verified: ")
    path = Path(message.removeprefix("Backup written and verified: "))
    assert path.is_file() and path.stat().st_size > 0


def test_store_warnings_show_in_the_status_bar_at_start(
        make_window, gui_store: Store) -> None:
    gui_store.warnings.append("Today's backup could not be made: the disk is full.")
    window = make_window(gui_store)
    assert window.statusBar().currentMessage() == \
        "Today's backup could not be made: the disk is full."


def test_view_shortcuts_switch_views_and_return_to_today(
        qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_WEEK
    assert window.prev_action.text() == "&Previous week"
    assert not window.delete_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.state.day == date(2026, 11, 10)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_TODAY
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.state.day == date(2026, 11, 9)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.state.day == TODAY


def test_ctrl_q_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_geometry_and_view_are_restored_after_reopening(
        qtbot: QtBot, make_window, gui_store: Store, settings: QSettings) -> None:
    first = make_window(gui_store)  # the offscreen screen is 800×600: stay inside it
    first.resize(780, 560)
    qtbot.waitUntil(lambda: first.size() == QSize(780, 560))
    first.tabs.setCurrentIndex(TAB_WEEK)
    first.close()
    assert settings.value("main_window/geometry") is not None

    second = make_window(gui_store)
    assert second.size() == QSize(780, 560)
    assert second.tabs.currentIndex() == TAB_WEEK


def test_without_settings_nothing_is_remembered(
        make_window, gui_store: Store, settings: QSettings) -> None:
    window = make_window(gui_store, with_settings=False)
    window.close()
    assert settings.allKeys() == []
