"""The main window: the Today and Week views, menus, undo and redo, and remembered geometry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from core.backup import backup_file
from core.errors import CarelogError
from core.store import Store
from core.timeutil import to_local
from gui.formatting import escape_mnemonic
from gui.operations import run_in_background, wait_for_all
from gui.state import AppState
from gui.views.day_view import DayView
from gui.views.week_view import WeekView

TAB_TODAY, TAB_WEEK = 0, 1
DEFAULT_SIZE = (1280, 800)
_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"
_TAB_KEY = "main_window/tab"


class MainWindow(QMainWindow):
    """Carelog's window over one open store.

    settings, when given, is where the window's size, position and last tab are kept;
    today returns the local date the window treats as today.
    """

    def __init__(self, store: Store, settings: QSettings | None = None,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.state = AppState(store, today, self)
        self.setWindowTitle(f"Carelog — {store.path.name}")
        self.setAccessibleName("Carelog")

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Views")
        self.tabs.setDocumentMode(True)
        self.day_view = DayView(self.state)
        self.week_view = WeekView(self.state)
        self.tabs.addTab(self.day_view, "&Today")
        self.tabs.addTab(self.week_view, "&Week")
        self.setCentralWidget(self.tabs)

        self._build_actions()
        self._build_menus()
        self.state.message.connect(self._on_state_message)
        self.state.data_changed.connect(self._on_state_data_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.day_view.table.selectionModel().selectionChanged.connect(
            self._on_entry_selection_changed)
        self.day_view.form.saved.connect(self._on_entry_selection_changed)
        self.day_view.form.cleared.connect(self._on_entry_selection_changed)
        self.day_view.form.deleted.connect(self._on_entry_selection_changed)

        self._resize_to_screen()
        self._restore_settings()
        self._update_undo_actions()
        self._update_nav_actions()
        self._on_entry_selection_changed()
        self.day_view.form.start_edit.setFocus()
        if store.warnings:
            self.statusBar().showMessage(" ".join(store.warnings))
        else:
            self.statusBar().showMessage(f"Database: {store.path}", 10_000)

    # ------------------------------------------------------------------ building

    def _action(self, text: str, slot: Callable[[], None],
                shortcuts: list[QKeySequence] | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.backup_action = self._action(
            "&Back up now", self._on_backup_action_triggered,
            tip="Write a verified copy of the database beside it.")
        self.quit_action = self._action("&Quit", self._on_quit_action_triggered,
                                        [key(Qt.Modifier.CTRL | Qt.Key.Key_Q)])
        self.undo_action = self._action("&Undo", self._on_undo_action_triggered,
                                        [key(Qt.Modifier.CTRL | Qt.Key.Key_Z)])
        self.redo_action = self._action(
            "&Redo", self._on_redo_action_triggered,
            [key(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_Z),
             key(Qt.Modifier.CTRL | Qt.Key.Key_Y)])
        self.delete_action = self._action("&Delete entry", self._on_delete_action_triggered,
                                          [key(Qt.Key.Key_Delete)],
                                          tip="Delete the selected entry (undo brings it back).")
        self.today_view_action = self._action("&Today view", self._on_today_view_triggered,
                                              [key(Qt.Modifier.CTRL | Qt.Key.Key_1)])
        self.week_view_action = self._action("&Week view", self._on_week_view_triggered,
                                             [key(Qt.Modifier.CTRL | Qt.Key.Key_2)])
        self.prev_action = self._action("&Previous day", self._on_prev_action_triggered,
                                        [key(Qt.Modifier.ALT | Qt.Key.Key_Left)])
        self.next_action = self._action("&Next day", self._on_next_action_triggered,
                                        [key(Qt.Modifier.ALT | Qt.Key.Key_Right)])
        self.go_today_action = self._action("Go to t&oday", self._on_go_today_action_triggered,
                                            [key(Qt.Modifier.CTRL | Qt.Key.Key_T)])
        self.refresh_action = self._action(
            "&Refresh", self._on_refresh_action_triggered, [key(Qt.Key.Key_F5)],
            tip="Read the database again (after using the carelog command, say).")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        view_menu = bar.addMenu("&View")
        for action in (self.today_view_action, self.week_view_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (self.prev_action, self.next_action, self.go_today_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)

    def _resize_to_screen(self) -> None:
        width, height = DEFAULT_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry().size()
            width = min(width, int(room.width() * 0.95))
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value(_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value(_STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        tab = self.settings.value(_TAB_KEY, TAB_TODAY)
        try:
            index = int(tab)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            index = TAB_TODAY
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings is not None:
            self.settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
            self.settings.setValue(_STATE_KEY, self.saveState())
            self.settings.setValue(_TAB_KEY, self.tabs.currentIndex())
            self.settings.sync()
        wait_for_all()  # a backup or export in flight finishes before the window goes
        super().closeEvent(event)

    # ------------------------------------------------------------------ state of actions

    def _update_undo_actions(self) -> None:
        undo, redo = self.store.undo_label(), self.store.redo_label()
        self.undo_action.setText(f"&Undo {escape_mnemonic(undo)}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {escape_mnemonic(redo)}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def _update_nav_actions(self) -> None:
        unit = "week" if self.tabs.currentIndex() == TAB_WEEK else "day"
        self.prev_action.setText(f"&Previous {unit}")
        self.next_action.setText(f"&Next {unit}")

    def _step(self) -> int:
        return 7 if self.tabs.currentIndex() == TAB_WEEK else 1

    # ------------------------------------------------------------------ slots

    def _on_state_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def _on_state_data_changed(self) -> None:
        self._update_undo_actions()

    def _on_tabs_current_changed(self, index: int) -> None:
        self._update_nav_actions()
        self._on_entry_selection_changed()

    def _on_entry_selection_changed(self, *args: object) -> None:
        self.delete_action.setEnabled(self.tabs.currentIndex() == TAB_TODAY
                                      and self.day_view.selected_entry_id() is not None)

    def _on_backup_action_triggered(self) -> None:
        db_path = self.store.path
        self.backup_action.setEnabled(False)
        self.statusBar().showMessage("Writing a backup…")

        def done(path: object) -> None:
            self.backup_action.setEnabled(True)
            self.statusBar().showMessage(f"Backup written and verified: {path}")

        def failed(exc: BaseException) -> None:
            self.backup_action.setEnabled(True)
            text = exc.message if isinstance(exc, CarelogError) else str(exc)
            self.statusBar().showMessage(f"The backup failed: {text}")

        self.backup_operation = run_in_background(self, lambda: backup_file(db_path), done,
                                                  failed)

    def _on_quit_action_triggered(self) -> None:
        self.close()

    def _undo_or_redo(self, redo: bool) -> None:
        try:
            result = self.store.redo() if redo else self.store.undo()
        except CarelogError as exc:
            self.statusBar().showMessage(exc.message, 15_000)
            self._update_undo_actions()
            return
        self.statusBar().showMessage(f"{'Redid' if redo else 'Undid'}: {result.label}", 15_000)
        self.state.notify_changed()
        if result.entries:
            first = to_local(result.entries[0].start, self.store.tz).date()
            if first != self.state.day:
                self.state.set_day(first)

    def _on_undo_action_triggered(self) -> None:
        self._undo_or_redo(redo=False)

    def _on_redo_action_triggered(self) -> None:
        self._undo_or_redo(redo=True)

    def _on_delete_action_triggered(self) -> None:
        if self.tabs.currentIndex() == TAB_TODAY:
            self.day_view.form.delete_current()

    def _on_today_view_triggered(self) -> None:
        self.tabs.setCurrentIndex(TAB_TODAY)

    def _on_week_view_triggered(self) -> None:
        self.tabs.setCurrentIndex(TAB_WEEK)

    def _on_prev_action_triggered(self) -> None:
        self.state.shift_day(-self._step())

    def _on_next_action_triggered(self) -> None:
        self.state.shift_day(self._step())

    def _on_go_today_action_triggered(self) -> None:
        self.state.set_day(self.state.today())

    def _on_refresh_action_triggered(self) -> None:
        self.state.notify_changed()

