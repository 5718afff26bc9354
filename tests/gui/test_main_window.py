"""The main window: menus and shortcuts, undo labels, backups, warnings, remembered geometry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.ledger.load import reminder
from carelog.core.store.database import Store
from carelog.core.store.preferences import load_preferences, save_preferences
from carelog.gui.main_window import TAB_TODAY, TAB_WEEK, TIMER_KEPT_NOTICE, TRAY_NOTICE, MainWindow
from PySide6.QtCore import QSettings, QSize, Qt
from pytestqt.qtbot import QtBot

from .conftest import NOW, TODAY, AddEntry, Clock


def _menu_texts(window: MainWindow) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        out[action.text()] = [a.text() for a in menu.actions()
                              if not a.isSeparator() and a.isVisible()]
    return out


def test_menus_hold_the_commands_with_their_shortcuts(window: MainWindow) -> None:
    presets = [f"Last {m} minutes of the chosen category" for m in (5, 10, 15, 30, 50)]
    assert _menu_texts(window) == {
        "&File": ["&Import calendar or spreadsheet…", "&Back up now", "&Quit"],
        "&Edit": ["&Undo", "&Redo", "&Delete entry", "&History of entry…", "&Settings…"],
        "&View": ["&Today", "&Calendar", "&Log", "&Week", "&Trends", "&Reports", "&Merge",
                  "&Previous day", "&Next day", "Go to t&oday", "&Refresh"],
        "&Log": ["&Quick line", "Messages", "Charting", "Treatment planning",
                 "Care coordination", "Session", "Break", *presets, "&Start timer",
                 "&Continue the last entry", "Change the timer's st&art…",
                 "Stop timer and &log it", "&Discard timer"],
        "&Help": ["Carelog &help", "Set up my &schedule…", "&Install desktop entry",
                  "&About Carelog"],
    }
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in window.actions()}
    assert shortcuts["&Quit"] == ["Ctrl+Q"]
    assert shortcuts["&Undo"] == ["Ctrl+Z"]
    assert shortcuts["&Redo"] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert shortcuts["&Delete entry"] == ["Del"]
    assert shortcuts["&History of entry…"] == ["Ctrl+H"]
    assert shortcuts["&Settings…"] == ["Ctrl+,"]
    assert shortcuts["&Import calendar or spreadsheet…"] == ["Ctrl+I"]
    for n, name in enumerate(("&Today", "&Calendar", "&Log", "&Week", "&Trends", "&Reports",
                              "&Merge"), start=1):
        assert shortcuts[name] == [f"Ctrl+{n}"]
    assert shortcuts["&Previous day"] == ["Alt+Left"]
    assert shortcuts["&Next day"] == ["Alt+Right"]
    assert shortcuts["Go to t&oday"] == ["Ctrl+T"]
    assert shortcuts["&Quick line"] == ["Ctrl+L"]
    assert {name: shortcuts[name] for name in ("Messages", "Charting", "Treatment planning",
                                               "Care coordination", "Session", "Break")} == {
        "Messages": ["Alt+M"], "Charting": ["Alt+D"], "Treatment planning": ["Alt+T"],
        "Care coordination": ["Alt+C"], "Session": ["Alt+S"], "Break": ["Alt+B"]}
    for n, text in enumerate(presets, start=1):
        assert shortcuts[text] == [f"Alt+{n}"]
    assert shortcuts["&Start timer"] == ["Ctrl+Shift+T"]
    assert shortcuts["Stop timer and &log it"] == ["Ctrl+Shift+E"]


def test_every_shortcut_is_unique(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text} is both {seen[text]} and {action.text()}"
            seen[text] = action.text()


def test_every_view_has_a_tab_with_an_icon(window: MainWindow) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Today", "Calendar", "Log", "Week", "Trends", "Reports", "Merge"]
    assert all(not window.tabs.tabIcon(i).isNull() for i in range(window.tabs.count()))
    assert not window.windowIcon().isNull()


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
    gui_store.delete_entry(entry_id, via=Via.CLI)
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
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
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
    first.resize(790, 590)
    qtbot.waitUntil(lambda: first.size() == QSize(790, 590))
    first.tabs.setCurrentIndex(TAB_WEEK)
    first.close()
    assert settings.value("main_window/geometry") is not None

    second = make_window(gui_store)
    assert second.size() == QSize(790, 590)
    assert second.tabs.currentIndex() == TAB_WEEK


def test_without_settings_nothing_is_remembered(
        make_window, gui_store: Store, settings: QSettings) -> None:
    window = make_window(gui_store, with_settings=False)
    window.close()
    assert settings.allKeys() == []


# ---------------------------------------------------------------------- the end-of-day reminder


def test_the_reminder_fires_at_its_time_with_cores_text_and_only_once(
        window: MainWindow, gui_store: Store, clock: Clock, add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 08:30", "16:00")  # the 16:00 block is left unlogged
    window.state.notify_changed()
    clock.set(gui_store, "17:14")
    window.reminder_timer.timeout.emit()  # the minute check
    assert window.reminder_box is None

    clock.set(gui_store, "17:15")
    expected = reminder(gui_store, TODAY, clock.now)
    assert expected is not None and expected.startswith("Today's protected block 16:00–17:00")
    window.reminder_timer.timeout.emit()
    box = window.reminder_box
    assert box is not None and box.isVisible() and box.text() == expected
    assert not box.isModal()  # it waits without blocking the window
    assert window.statusBar().currentMessage() == f"Reminder: {expected}"
    box.close()

    clock.set(gui_store, "17:16")
    assert window.check_reminder() is None  # once a day
    clock.set(gui_store, "2026-11-18 17:30")
    assert window.check_reminder() == reminder(gui_store, date(2026, 11, 18), clock.now)
    window.reminder_box.close()


def test_the_reminder_respects_the_preference_and_the_weekend(
        make_window, gui_store: Store, clock: Clock) -> None:
    prefs = load_preferences(gui_store)
    prefs.reminder_time = "16:30"
    save_preferences(gui_store, prefs)
    window = make_window(gui_store)
    clock.set(gui_store, "2026-11-21 16:45")  # a Saturday: not a working day
    assert window.check_reminder() is None
    clock.set(gui_store, "2026-11-20 16:45")
    assert window.check_reminder() == \
        "Nothing is logged for today yet; a minute now saves reconstructing it later."
    window.reminder_box.close()

    prefs.reminder_enabled = False
    save_preferences(gui_store, prefs)
    off = make_window(gui_store)
    clock.set(gui_store, "2026-11-19 18:00")
    assert off.check_reminder() is None


# ---------------------------------------------------------------------- closing with a timer


def test_closing_without_a_tray_says_once_that_the_timer_keeps_running(
        qtbot: QtBot, make_window, gui_store: Store) -> None:
    window = make_window(gui_store)
    gui_store.timer_start("documentation", at=NOW)
    window.close()
    assert not window.isVisible()
    box = window.notice_box
    assert box is not None and box.isVisible() and box.text() == TIMER_KEPT_NOTICE
    assert gui_store.timer() is not None  # it lives in the database
    box.close()

    again = make_window(gui_store)
    assert again.day_view.quick_bar.timer_label.text().startswith("Charting")
    again.close()
    assert again.notice_box is None  # said once is enough


def test_closing_with_a_tray_keeps_the_app_there_while_a_timer_runs(
        qtbot: QtBot, make_window, gui_store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(gui_store, use_tray=True)
    assert window.tray.available
    said: list[str] = []
    monkeypatch.setattr(window.tray, "show_message",
                        lambda text, title="Carelog": said.append(text) or True)
    gui_store.timer_start("messages", at=NOW)
    window.close()
    assert not window.isVisible()
    assert said == [TRAY_NOTICE]
    window.bring_to_front()
    qtbot.waitUntil(window.isVisible)
    window.close()
    assert said == [TRAY_NOTICE]  # said once
    gui_store.timer_cancel()
    window.bring_to_front()
    window.close()  # no timer: closing closes
    assert window.notice_box is None


# ---------------------------------------------------------------------- settings and restore


def test_ctrl_comma_opens_the_settings_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "settings_dialog", None) is not None
                    and window.settings_dialog.isVisible())
    window.settings_dialog.reject()


def test_ctrl_i_opens_the_import_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None
                    and window.import_dialog.isVisible())
    window.import_dialog.reject()


def test_a_restore_asked_for_in_settings_reopens_the_store_and_every_view(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("admin", "2026-11-17 12:00", "12:30")
    backup = gui_store.backup()
    add_entry("meeting", "2026-11-17 13:00", "14:00")
    window.state.notify_changed()
    assert window.day_view.model.rowCount() == 2

    dialog = window.open_settings()
    dialog.restore_requested.emit(backup)
    dialog.accept()
    assert not window.isEnabled()  # nothing can touch the database while it is replaced
    with qtbot.waitSignal(window.restore_operation.finished, timeout=10_000):
        pass
    assert window.isEnabled()
    assert window.store is not gui_store and window.store.path == gui_store.path
    assert window.store.count_entries() == 1
    assert window.day_view.model.rowCount() == 1
    assert window.statusBar().currentMessage().startswith(f"Restored from {backup.name}")
    assert window.undo_action.isEnabled() is (window.store.undo_label() is not None)


def test_the_windows_own_restore_runs_under_the_lock_the_window_holds(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    from carelog.gui.app import _take_lock

    add_entry("admin", "2026-11-17 12:00", "12:30")
    backup = gui_store.backup()
    add_entry("meeting", "2026-11-17 13:00", "14:00")
    lock, _ = _take_lock(gui_store.path)  # what carelog-gui does before it opens the window
    assert lock is not None
    try:
        window.databases.restore_from(backup)
        with qtbot.waitSignal(window.restore_operation.finished, timeout=10_000):
            pass
        assert window.statusBar().currentMessage().startswith(f"Restored from {backup.name}")
        assert window.store.count_entries() == 1
    finally:
        lock.release()
    window.store.add_entry("messages", window.store.all_entries()[0].end + 3600,
                           window.store.all_entries()[0].end + 4200, via=Via.WINDOW)
    assert window.store.count_entries() == 2
