"""The window's commands: their actions, the menu bar, what each does and when it is enabled.

Each action carries its shortcut and tip. Every action is added to the window too, so its
shortcut works from any view.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.timeutil import to_local
from carelog.core.store.backup import backup_file
from carelog.gui.desktop_entry import install_desktop_entry
from carelog.gui.formatting import escape_mnemonic
from carelog.gui.quick_commands import QUICK_KEYS
from carelog.gui.remedies import window_sentence
from carelog.gui.workers.background import Operation, run_in_background
from carelog.resources import icon_path
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence

if TYPE_CHECKING:
    from carelog.gui.main_window.main_window import MainWindow

ABOUT_TEXT = ("Carelog keeps a private log of therapy sessions and indirect patient care, and "
              "shows week by week whether the protected time in your contract is received. ")


class WindowMenus(QObject):
    """The menu bar's commands for one window, and whether each can be used right now."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backup_operation: Operation | None = None
        self._build_actions()
        self._build_menus()

    # ------------------------------------------------------------------ building

    def _action(self, text: str, slot: Callable[[], object],
                shortcuts: list[QKeySequence] | None = None, tip: str = "",
                icon: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcuts:
            action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon:
            action.setIcon(QIcon(str(icon_path(icon))))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        w = self.window
        key = QKeySequence
        ctrl, alt, shift = Qt.Modifier.CTRL, Qt.Modifier.ALT, Qt.Modifier.SHIFT
        self.backup_action = self._action(
            "&Back up now", self._on_backup_action_triggered,
            tip="Write a verified copy of the database beside it.", icon="backup")
        self.import_action = self._action(
            "&Import calendar or spreadsheet…", self._on_import_action_triggered,
            [key(ctrl | Qt.Key.Key_I)],
            tip="Bring appointments from an .ics calendar or a CSV file into the log, after a "
                "preview.", icon="import")
        self.leave_demo_action = self._action(
            "Back to &my own log", self._on_leave_demo_action_triggered,
            tip="Close the demo database and show your own log again.")
        self.leave_demo_action.setVisible(False)
        self.quit_action = self._action("&Quit", w.quit, [key(ctrl | Qt.Key.Key_Q)])
        self.undo_action = self._action("&Undo", self._on_undo_action_triggered,
                                        [key(ctrl | Qt.Key.Key_Z)])
        self.redo_action = self._action(
            "&Redo", self._on_redo_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_Z), key(ctrl | Qt.Key.Key_Y)])
        self.delete_action = self._action("&Delete entry", self._on_delete_action_triggered,
                                          [key(Qt.Key.Key_Delete)],
                                          tip="Delete the selected entry (undo brings it back).")
        self.history_action = self._action(
            "&History of entry…", self._on_history_action_triggered, [key(ctrl | Qt.Key.Key_H)],
            tip="Every version of the selected entry: when, how and what changed.")
        self.settings_action = self._action(
            "&Settings…", self._on_settings_action_triggered, [key(ctrl | Qt.Key.Key_Comma)],
            tip="Schedule, reminder, quick presets, backups and the display name.",
            icon="settings")
        self.view_actions: list[QAction] = []
        for i, tab in enumerate(w.views):
            action = self._action(f"&{tab.title}", self._tab_shower(i),
                                  [key(ctrl | Qt.Key(Qt.Key.Key_1 + i))],
                                  tip=f"Show the {tab.title} view.", icon=tab.icon)
            self.view_actions.append(action)
        self.prev_action = self._action("&Previous day", self._on_prev_action_triggered,
                                        [key(alt | Qt.Key.Key_Left)])
        self.next_action = self._action("&Next day", self._on_next_action_triggered,
                                        [key(alt | Qt.Key.Key_Right)])
        self.go_today_action = self._action("Go to t&oday", self._on_go_today_action_triggered,
                                            [key(ctrl | Qt.Key.Key_T)])
        self.refresh_action = self._action(
            "&Refresh", w.state.notify_changed, [key(Qt.Key.Key_F5)],
            tip="Read the database again (after a change made outside this window, say).")

        self.quick_line_action = self._action(
            "&Quick line", w.focus_quick_line, [key(ctrl | Qt.Key.Key_L)],
            tip="Type what to log, e.g. msg 10, doc 14:10-14:40 or 4 x msg 3.", icon="add")
        self.category_actions: dict[str, QAction] = {}
        for code, letter in QUICK_KEYS.items():
            if code not in w.store.categories:
                continue
            label = w.commands.label(code)
            action = self._action(
                escape_mnemonic(label), self._arm_action(code),
                [key(alt | getattr(Qt.Key, f"Key_{letter}"))],
                tip=f"Choose {label}; then 1–5 (or Alt+1–Alt+5) logs that many minutes.")
            self.category_actions[code] = action
        self.preset_actions: list[QAction] = []
        for i in range(9):
            action = self._action("", self._preset_action(i), [key(alt | Qt.Key(Qt.Key.Key_1 + i))])
            self.preset_actions.append(action)
        self.update_presets()
        self.start_timer_action = self._action(
            "&Start timer", self._on_start_timer_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_T)],
            tip="Start a timer for the chosen category.", icon="timer")
        self.stop_timer_action = self._action(
            "Stop timer and &log it", self._on_stop_timer_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_E)],
            tip="Stop the running timer and log its time.")
        self.continue_action = self._action(
            "&Continue the last entry", self._on_continue_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_C)],
            tip="Start the timer again for the category and note of the last entry.",
            icon="timer")
        self.timer_start_action = self._action(
            "Change the timer's st&art…", self._on_timer_start_action_triggered,
            tip="Say when the running timer really started.")
        self.discard_timer_action = self._action(
            "&Discard timer", self._on_discard_timer_action_triggered,
            tip="Stop the running timer without logging anything.")

        self.welcome_action = self._action(
            "Set up my &schedule…", self._on_welcome_action_triggered,
            tip="Start a schedule from a target preset, or explore a demo database.")
        self.install_entry_action = self._action(
            "&Install desktop entry", self._on_install_entry_action_triggered,
            tip="Add Carelog to your desktop's applications menu (Linux).")
        self.install_entry_action.setEnabled(sys.platform.startswith("linux"))
        self.about_action = self._action("&About Carelog", self._on_about_action_triggered)
        self.help_action = self._action(
            "Carelog &help", self._on_help_action_triggered, [key(Qt.Key.Key_F1)],
            tip="How to use Carelog, and every keyboard shortcut.", icon="help")

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.leave_demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.history_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        view_menu = bar.addMenu("&View")
        for action in self.view_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (self.prev_action, self.next_action, self.go_today_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        log_menu = bar.addMenu("&Log")
        log_menu.addAction(self.quick_line_action)
        log_menu.addSeparator()
        for action in self.category_actions.values():
            log_menu.addAction(action)
        log_menu.addSeparator()
        for action in self.preset_actions:
            log_menu.addAction(action)
        log_menu.addSeparator()
        for action in (self.start_timer_action, self.continue_action,
                       self.timer_start_action, self.stop_timer_action,
                       self.discard_timer_action):
            log_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addSeparator()
        help_menu.addAction(self.welcome_action)
        help_menu.addAction(self.install_entry_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _tab_shower(self, index: int) -> Callable[[], None]:
        return lambda: self.window.tabs.setCurrentIndex(index)

    def _arm_action(self, code: str) -> Callable[[], None]:
        return lambda: self.window.arm_category(code)

    def _preset_action(self, index: int) -> Callable[[], None]:
        return lambda: self.window.log_preset(index)

    # ------------------------------------------------------------------ what can be used now

    def update_undo(self) -> None:
        """Name the step Undo and Redo would take, or grey them out."""
        store = self.window.store
        undo, redo = store.undo_label(), store.redo_label()
        self.undo_action.setText(f"&Undo {escape_mnemonic(undo)}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {escape_mnemonic(redo)}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def update_nav(self) -> None:
        """Previous and Next move by a day on Today, by a week elsewhere."""
        unit = "day" if self.window.showing_today() else "week"
        self.prev_action.setText(f"&Previous {unit}")
        self.next_action.setText(f"&Next {unit}")

    def update_presets(self) -> None:
        """Offer 'Last N minutes of …' for each preset of the chosen category."""
        bar = self.window.day_view.quick_bar
        presets, armed = bar.presets, bar.armed
        what = self.window.commands.label(armed) if armed else "the chosen category"
        for i, action in enumerate(self.preset_actions):
            if i < len(presets):
                action.setText(escape_mnemonic(f"Last {presets[i]} minutes of {what}"))
                action.setVisible(True)
                action.setEnabled(True)  # with nothing chosen it says to choose first
            else:
                action.setVisible(False)
                action.setEnabled(False)

    def update_timer(self) -> None:
        """Stop and Discard only while a timer runs; Start names the chosen category."""
        running = self.window.state.timer is not None
        self.stop_timer_action.setEnabled(running)
        self.discard_timer_action.setEnabled(running)
        self.timer_start_action.setEnabled(running)
        self.continue_action.setEnabled(not running)
        armed = self.window.day_view.quick_bar.armed
        self.start_timer_action.setText(
            escape_mnemonic(f"Start timer for {self.window.commands.label(armed)}") if armed
            else "&Start timer")

    def update_delete(self) -> None:
        """Delete only on Today, with an entry selected."""
        w = self.window
        self.delete_action.setEnabled(w.showing_today()
                                      and w.day_view.selected_entry_id() is not None)

    # ------------------------------------------------------------------ what the commands do

    def _say(self, text: str, timeout: int = 0) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def _step(self) -> int:
        return 1 if self.window.showing_today() else 7

    def _on_backup_action_triggered(self) -> None:
        db_path = self.window.store.path
        self.backup_action.setEnabled(False)
        self._say("Writing a backup…")

        def done(path: object) -> None:
            self.backup_action.setEnabled(True)
            self._say(f"Backup written and verified: {path}")

        def failed(exc: BaseException) -> None:
            self.backup_action.setEnabled(True)
            text = window_sentence(exc) if isinstance(exc, CarelogError) else str(exc)
            self._say(f"The backup failed: {text}")

        self.backup_operation = run_in_background(self, lambda: backup_file(db_path), done,
                                                  failed)

    def _on_import_action_triggered(self) -> None:
        self.window.open_import()

    def _on_settings_action_triggered(self) -> None:
        self.window.open_settings()

    def _on_leave_demo_action_triggered(self) -> None:
        self.window.databases.leave_demo()

    def _undo_or_redo(self, redo: bool) -> None:
        w = self.window
        try:
            result = w.store.redo() if redo else w.store.undo()
        except CarelogError as exc:
            self._say(window_sentence(exc), 15_000)
            self.update_undo()
            return
        self._say(f"{'Redid' if redo else 'Undid'}: {result.label}", 15_000)
        w.state.notify_changed()
        if result.entries:
            first = to_local(result.entries[0].start, w.store.tz).date()
            if first != w.state.day:
                w.state.set_day(first)

    def _on_undo_action_triggered(self) -> None:
        self._undo_or_redo(redo=False)

    def _on_redo_action_triggered(self) -> None:
        self._undo_or_redo(redo=True)

    def _on_history_action_triggered(self) -> None:
        self.window.show_history()

    def _on_delete_action_triggered(self) -> None:
        if self.window.showing_today():
            self.window.day_view.form.delete_current()

    def _on_prev_action_triggered(self) -> None:
        self.window.state.shift_day(-self._step())

    def _on_next_action_triggered(self) -> None:
        self.window.state.shift_day(self._step())

    def _on_go_today_action_triggered(self) -> None:
        self.window.state.set_day(self.window.state.today())

    def _on_start_timer_action_triggered(self) -> None:
        self.window.show_today()
        self.window.day_view.quick_bar.start_timer()

    def _on_stop_timer_action_triggered(self) -> None:
        self.window.day_view.quick_bar.stop_timer()

    def _on_discard_timer_action_triggered(self) -> None:
        self.window.day_view.quick_bar.discard_timer()

    def _on_continue_action_triggered(self) -> None:
        self.window.commands.attempt(self.window.commands.continue_last)

    def _on_timer_start_action_triggered(self) -> None:
        self.window.ask_timer_start()

    def _on_help_action_triggered(self) -> None:
        self.window.show_help()

    def _on_welcome_action_triggered(self) -> None:
        self.window.show_welcome()

    def _on_install_entry_action_triggered(self) -> None:
        try:
            done = install_desktop_entry()
        except OSError as exc:
            self._say(str(exc.strerror or exc))
            return
        self._say(f"Carelog was added to your applications menu: {done.entry}")

    def _on_about_action_triggered(self) -> None:
        self.window.inform(ABOUT_TEXT + f"Your data: {self.window.store.path}", parent=self.window)
