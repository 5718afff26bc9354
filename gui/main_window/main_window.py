"""The main window: the views as tabs, menus with every command and its shortcut, quick logging
from anywhere, the tray, the end-of-day reminder, undo and redo, and remembered geometry."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.timeutil import to_local
from carelog.core.store.backup import backup_file
from carelog.core.store.database import Store
from carelog.core.store.preferences import Preferences, load_preferences
from carelog.gui.dialogs.history_dialog import HistoryDialog
from carelog.gui.formatting import escape_mnemonic
from carelog.gui.main_window.tray import Tray
from carelog.gui.quick_commands import QUICK_KEYS, QuickCommands
from carelog.gui.state import AppState
from carelog.gui.views.today.day_view import DayView
from carelog.gui.widgets.lazy_tab import LazyTab
from carelog.gui.workers.background import Operation, run_in_background, wait_for_all
from carelog.resources import icon_path
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

if TYPE_CHECKING:
    from carelog.gui.views.week.week_view import WeekView

TAB_TODAY, TAB_WEEK, TAB_TRENDS, TAB_REPORTS, TAB_MERGE = range(5)
DEFAULT_SIZE = (1280, 800)
REMINDER_CHECK_MS = 60_000
_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"
_TAB_KEY = "main_window/tab"
_REMINDED_KEY = "reminder/last_day"
_TOLD_KEY = "notices/"

TRAY_NOTICE = "Carelog is still running in the tray so your timer keeps going."
TIMER_KEPT_NOTICE = ("Your timer keeps running while Carelog is closed: it is kept in the "
                     "database, and Carelog shows it again when you open it (or stop it with "
                     "carelog timer stop).")
DEMO_TITLE = "Demo data"


@dataclass(frozen=True, slots=True)
class ViewTab:
    """One tab: its title, icon name and the action that shows it."""

    title: str
    icon: str
    widget: QWidget


def demo_path(db: Path) -> Path:
    """The demo database kept beside the real one: carelog.db → carelog-demo.db."""
    return db.with_name(f"{db.stem}-demo{db.suffix or '.db'}")


class MainWindow(QMainWindow):
    """Carelog's window over one open store.

    settings, when given, is where the window's size, position and last tab are kept;
    today returns the local date the window treats as today and now the current UTC instant
    (both injectable, so tests can pin the clock); use_tray forces the tray on or off.
    """

    closed = Signal()

    def __init__(self, store: Store, settings: QSettings | None = None,
                 today: Callable[[], date] | None = None, parent: QWidget | None = None,
                 now: Callable[[], int] | None = None, use_tray: bool | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.state = AppState(store, today, self, now=now)
        self._home = store
        self._owned: list[Store] = []
        self._demo = False
        self._quitting = False
        self._swapping = False
        self._told: set[str] = set()
        self._reminded_on: date | None = None
        self.prefs: Preferences = load_preferences(store)
        self.reminder_box: QMessageBox | None = None
        self.notice_box: QMessageBox | None = None
        self.backup_operation: Operation | None = None
        self.restore_operation: Operation | None = None
        self.demo_operation: Operation | None = None
        self.setAccessibleName("Carelog")
        self.setWindowIcon(QIcon(str(icon_path("carelog"))))

        self.commands = QuickCommands(self.state, self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Views")
        self.tabs.setDocumentMode(True)
        self.day_view = DayView(self.state, self.commands, self.prefs.quick_presets)
        self.week_tab = LazyTab("Week view", self._make_week)
        self.trends_tab = LazyTab("Trends view", self._make_trends)
        self.reports_tab = LazyTab("Reports view", self._make_reports)
        self.merge_tab = LazyTab("Merge view", self._make_merge)
        self.views = [
            ViewTab("Today", "today", self.day_view),
            ViewTab("Week", "week", self.week_tab),
            ViewTab("Trends", "trends", self.trends_tab),
            ViewTab("Reports", "reports", self.reports_tab),
            ViewTab("Merge", "merge", self.merge_tab),
        ]
        for tab in self.views:
            self.tabs.addTab(tab.widget, QIcon(str(icon_path(tab.icon))), tab.title)
            self.tabs.setTabToolTip(self.tabs.count() - 1,
                                    f"{tab.title} (Ctrl+{self.tabs.count()})")
        # While a restore replaces the database file, the views (which read it) step aside.
        self.busy_label = QLabel()
        self.busy_label.setAccessibleName("Working")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_label.setWordWrap(True)
        self.central = QStackedWidget()
        self.central.addWidget(self.tabs)
        self.central.addWidget(self.busy_label)
        self.setCentralWidget(self.central)

        self.tray = Tray(self.commands, self, use_tray)
        self._build_actions()
        self._build_menus()
        self.state.message.connect(self._on_state_message)
        self.state.data_changed.connect(self._on_state_data_changed)
        self.state.timer_changed.connect(self._on_state_timer_changed)
        self.day_view.quick_bar.armed_changed.connect(self._on_quick_bar_armed_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.day_view.table.selectionModel().selectionChanged.connect(
            self._on_entry_selection_changed)
        self.day_view.form.saved.connect(self._on_entry_selection_changed)
        self.day_view.form.cleared.connect(self._on_entry_selection_changed)
        self.day_view.form.deleted.connect(self._on_entry_selection_changed)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.quit)

        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(REMINDER_CHECK_MS)
        self.reminder_timer.timeout.connect(self.check_reminder)
        self.reminder_timer.start()

        self._resize_to_screen()
        self._restore_settings()
        self._update_title()
        self._update_undo_actions()
        self._update_nav_actions()
        self._update_timer_actions()
        self._on_entry_selection_changed()
        self.day_view.quick_bar.line.setFocus()
        if store.warnings:
            self.statusBar().showMessage(" ".join(store.warnings))
        elif self.state.timer is not None:
            self.statusBar().showMessage(f"{self.commands.timer_text()} — still running since "
                                         "Carelog was last open.")
        else:
            self.statusBar().showMessage(f"Database: {store.path}", 10_000)

    # ------------------------------------------------------------------ the store

    @property
    def store(self) -> Store:
        """The store the window shows (the demo database while exploring it)."""
        return self.state.store

    @property
    def is_demo(self) -> bool:
        """True while the window shows the demo database."""
        return self._demo

    # ------------------------------------------------------------------ views built on demand

    def _make_week(self) -> QWidget:
        from carelog.gui.views.week.week_view import WeekView

        return WeekView(self.state)

    @property
    def week_view(self) -> WeekView:
        """The Week view (built the first time it is shown or asked for)."""
        from carelog.gui.views.week.week_view import WeekView

        view = self.week_tab.view()
        assert isinstance(view, WeekView)
        return view

    def _make_trends(self) -> QWidget:
        from carelog.gui.views.trends.trends_view import TrendsView

        return TrendsView(self.state)

    def _make_reports(self) -> QWidget:
        from carelog.gui.views.reports.reports_view import ReportsView

        return ReportsView(self.state)

    def _make_merge(self) -> QWidget:
        from carelog.gui.views.reports.merge_view import MergeView

        return MergeView(self.state)

    @property
    def trends_view(self) -> QWidget:
        """The Trends view (built on first use)."""
        return self.trends_tab.view()

    @property
    def reports_view(self) -> QWidget:
        """The Reports view (built on first use)."""
        return self.reports_tab.view()

    @property
    def merge_view(self) -> QWidget:
        """The Merge view (built on first use)."""
        return self.merge_tab.view()

    # ------------------------------------------------------------------ building

    def _action(self, text: str, slot: Callable[[], object],
                shortcuts: list[QKeySequence] | None = None, tip: str = "",
                icon: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon:
            action.setIcon(QIcon(str(icon_path(icon))))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
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
        self.quit_action = self._action("&Quit", self.quit, [key(ctrl | Qt.Key.Key_Q)])
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
        for i, tab in enumerate(self.views):
            action = self._action(f"&{tab.title}", self._tab_shower(i),
                                  [key(ctrl | Qt.Key(Qt.Key.Key_1 + i))],
                                  tip=f"Show the {tab.title} view.", icon=tab.icon)
            self.view_actions.append(action)
        self.today_view_action, self.week_view_action = self.view_actions[:2]
        self.prev_action = self._action("&Previous day", self._on_prev_action_triggered,
                                        [key(alt | Qt.Key.Key_Left)])
        self.next_action = self._action("&Next day", self._on_next_action_triggered,
                                        [key(alt | Qt.Key.Key_Right)])
        self.go_today_action = self._action("Go to t&oday", self._on_go_today_action_triggered,
                                            [key(ctrl | Qt.Key.Key_T)])
        self.refresh_action = self._action(
            "&Refresh", self._on_refresh_action_triggered, [key(Qt.Key.Key_F5)],
            tip="Read the database again (after using the carelog command, say).")

        self.quick_line_action = self._action(
            "&Quick line", self.focus_quick_line, [key(ctrl | Qt.Key.Key_L)],
            tip="Type what to log, e.g. msg 10, doc 14:10-14:40 or 4 x msg 3.", icon="add")
        self.category_actions: dict[str, QAction] = {}
        for code, letter in QUICK_KEYS.items():
            if code not in self.store.categories:
                continue
            label = self.commands.label(code)
            action = self._action(
                escape_mnemonic(label), self._arm_action(code),
                [key(alt | getattr(Qt.Key, f"Key_{letter}"))],
                tip=f"Choose {label}; then 1–5 (or Alt+1–Alt+5) logs that many minutes.")
            self.category_actions[code] = action
        self.preset_actions: list[QAction] = []
        for i in range(9):
            action = self._action("", self._preset_action(i), [key(alt | Qt.Key(Qt.Key.Key_1 + i))])
            self.preset_actions.append(action)
        self._update_preset_actions()
        self.start_timer_action = self._action(
            "&Start timer", self._on_start_timer_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_T)],
            tip="Start a timer for the chosen category.", icon="timer")
        self.stop_timer_action = self._action(
            "Stop timer and &log it", self._on_stop_timer_action_triggered,
            [key(ctrl | shift | Qt.Key.Key_E)],
            tip="Stop the running timer and log its time.")
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

    def _build_menus(self) -> None:
        bar = self.menuBar()
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
        for action in (self.start_timer_action, self.stop_timer_action,
                       self.discard_timer_action):
            log_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.welcome_action)
        help_menu.addAction(self.install_entry_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _tab_shower(self, index: int) -> Callable[[], None]:
        return lambda: self.tabs.setCurrentIndex(index)

    def _arm_action(self, code: str) -> Callable[[], None]:
        return lambda: self.arm_category(code)

    def _preset_action(self, index: int) -> Callable[[], None]:
        return lambda: self.log_preset(index)

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

    def _save_settings(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(_STATE_KEY, self.saveState())
        self.settings.setValue(_TAB_KEY, self.tabs.currentIndex())
        self.settings.sync()

    def _told_before(self, key: str, remember: bool) -> bool:
        """True when this notice was given; marks it given (across runs when remember)."""
        if key in self._told:
            return True
        self._told.add(key)
        if not remember or self.settings is None:
            return False
        if self.settings.value(_TOLD_KEY + key, False) in (True, "true"):
            return True
        self.settings.setValue(_TOLD_KEY + key, True)
        return False

    # ------------------------------------------------------------------ closing and the tray

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._swapping:
            self.state.reload_timer()
        timer_runs = self.state.timer is not None
        if timer_runs and self.tray.available and not self._quitting:
            # The window goes; the app stays in the tray so the timer can be stopped from it.
            event.ignore()
            self._save_settings()
            self.hide()
            if not self._told_before("tray", remember=False):
                self.tray.show_message(TRAY_NOTICE)
            return
        if timer_runs and not self._told_before("timer_kept", remember=True):
            self.notice_box = self._information(TIMER_KEPT_NOTICE, parent=None)
        self._save_settings()
        self.reminder_timer.stop()
        wait_for_all()  # a backup or export in flight finishes before the window goes
        super().closeEvent(event)
        self.tray.hide()
        for store in self._owned:
            store.close()
        self._owned.clear()
        self.closed.emit()

    def quit(self) -> None:
        """Close the window and leave the tray too (Quit, Ctrl+Q)."""
        self._quitting = True
        self.close()
        self._quitting = False

    def bring_to_front(self) -> None:
        """Show the window again (from the tray)."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _information(self, text: str, parent: QWidget | None) -> QMessageBox:
        """A message box that does not block: it stays until its OK is pressed."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Carelog")
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        return box

    # ------------------------------------------------------------------ the reminder

    def check_reminder(self) -> str | None:
        """At the reminder time on a working day, show core's reminder once; return it."""
        if self._swapping or self._demo:
            return None
        prefs = self.prefs
        if not prefs.reminder_enabled:
            return None
        now = self.state.now()
        local = to_local(now, self.store.tz)
        if f"{local:%H:%M}" < prefs.reminder_time:
            return None
        today = local.date()
        last = self.settings.value(_REMINDED_KEY, "") if self.settings is not None else ""
        if self._reminded_on == today or last == today.isoformat():
            return None
        self._reminded_on = today
        if self.settings is not None:
            self.settings.setValue(_REMINDED_KEY, today.isoformat())
        from carelog.core.ledger.load import reminder

        text = reminder(self.store, today, self.state.now_minute())
        if text:
            self._show_reminder(text)
        return text

    def _show_reminder(self, text: str) -> None:
        self.statusBar().showMessage(f"Reminder: {text}")
        if self.tray.show_message(text, "Carelog reminder"):
            return
        self.reminder_box = self._information(text, parent=self)

    # ------------------------------------------------------------------ quick logging

    def focus_quick_line(self) -> None:
        """Show Today and put the cursor in the quick line (Ctrl+L)."""
        self.tabs.setCurrentIndex(TAB_TODAY)
        self.day_view.quick_bar.focus_line()

    def arm_category(self, code: str) -> None:
        """Choose a category for the presets (Alt+M and friends), showing Today."""
        self.tabs.setCurrentIndex(TAB_TODAY)
        self.day_view.quick_bar.arm(code, focus=True)

    def log_preset(self, index: int) -> None:
        """Log preset `index` for the chosen category (Alt+1…), from any view."""
        self.day_view.quick_bar.log_preset(index)

    def _update_preset_actions(self) -> None:
        presets = self.day_view.quick_bar.presets
        armed = self.day_view.quick_bar.armed
        what = self.commands.label(armed) if armed else "the chosen category"
        for i, action in enumerate(self.preset_actions):
            if i < len(presets):
                action.setText(escape_mnemonic(f"Last {presets[i]} minutes of {what}"))
                action.setVisible(True)
                action.setEnabled(True)  # with nothing chosen it says to choose first
            else:
                action.setVisible(False)
                action.setEnabled(False)

    def _update_timer_actions(self) -> None:
        running = self.state.timer is not None
        self.stop_timer_action.setEnabled(running)
        self.discard_timer_action.setEnabled(running)
        armed = self.day_view.quick_bar.armed
        self.start_timer_action.setText(
            escape_mnemonic(f"Start timer for {self.commands.label(armed)}") if armed
            else "&Start timer")

    # ------------------------------------------------------------------ first run and demo

    def needs_welcome(self) -> bool:
        """True when the database has no schedule and the welcome was never completed."""
        return not self.store.schedules() and not self.prefs.welcome_done and not self._demo

    def show_welcome(self, show: bool = True) -> QWidget:
        """Open the welcome dialog (window-modal, not blocking); return it."""
        from carelog.gui.dialogs.welcome_dialog import WelcomeDialog

        dialog = WelcomeDialog(self.state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.schedule_created.connect(self._on_welcome_schedule_created)
        dialog.demo_requested.connect(self.open_demo)
        self.welcome_dialog = dialog
        if show:
            dialog.open()
        return dialog

    def open_demo(self) -> None:
        """Fill (once) and open the demo database beside the real one, off the GUI thread."""
        from carelog.core.importing.demo import fill_demo
        from carelog.core.store.database import Store

        path = demo_path(self._home.path)
        zone_name = self._home.timezone_name
        today = self.state.today()
        self.statusBar().showMessage(f"Preparing the demo database {path.name}…")
        self.welcome_action.setEnabled(False)

        def work() -> Path:
            with Store.open(path, daily_backup=False) as demo:
                if not demo.count_entries() and not demo.schedules():
                    demo.set_timezone(zone_name)
                    fill_demo(demo, weeks=26, today=today)
            return path

        def done(result: object) -> None:
            self.welcome_action.setEnabled(True)
            try:
                demo = Store.open(path, daily_backup=False)
            except CarelogError as exc:
                self.statusBar().showMessage(exc.message)
                return
            self._adopt(demo, demo_mode=True)
            self.state.set_day(self.state.today())
            self.statusBar().showMessage(
                f"This is demo data in {path.name}; your own log is untouched. File ▸ Back to "
                "my own log returns to it.")

        def failed(exc: BaseException) -> None:
            self.welcome_action.setEnabled(True)
            text = exc.message if isinstance(exc, CarelogError) else str(exc)
            self.statusBar().showMessage(f"The demo database could not be made: {text}")

        self.demo_operation = run_in_background(self, work, done, failed)

    def _adopt(self, store: Store, demo_mode: bool) -> None:
        """Show another open store in every view; the window closes it when done."""
        old = self.state.store
        if store is not self._home and store not in self._owned:
            self._owned.append(store)
        self._demo = demo_mode
        self.prefs = load_preferences(store)
        self.state.replace_store(store)
        if old is not self._home and old is not store and old in self._owned:
            self._owned.remove(old)
            old.close()
        self.day_view.quick_bar.set_presets(self.prefs.quick_presets)
        self._update_preset_actions()
        self.leave_demo_action.setVisible(demo_mode)
        self._update_title()

    def _update_title(self) -> None:
        name = self.store.path.name
        self.setWindowTitle(f"Carelog — {DEMO_TITLE} ({name})" if self._demo
                            else f"Carelog — {name}")

    # ------------------------------------------------------------------ settings and restore

    def open_settings(self, show: bool = True) -> QWidget | None:
        """Open the settings dialog (Edit ▸ Settings…, Ctrl+,); return it."""
        try:
            from carelog.gui.dialogs.settings.settings_dialog import SettingsDialog
        except ImportError:
            self.statusBar().showMessage("Settings are not available in this build; use the "
                                         "carelog command (carelog schedule set, …).")
            return None
        dialog = SettingsDialog(self.state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_requested.connect(self.restore_from)
        dialog.finished.connect(self._on_settings_finished)
        self.settings_dialog = dialog
        if show:
            dialog.open()
        return dialog

    def restore_from(self, backup: Path) -> None:
        """Replace the database with a backup: close, restore off the GUI thread, reopen."""
        from carelog.core.store.backup import restore

        db = self.store.path
        self._swapping = True
        self.busy_label.setText(f"Restoring the backup {backup.name}… Carelog reopens the "
                                "database as soon as it is in place.")
        self.central.setCurrentWidget(self.busy_label)
        self.setEnabled(False)
        self.tray.menu.setEnabled(False)
        self.statusBar().showMessage(f"Restoring from {backup}…")
        self.store.close()

        def done(kept: object) -> None:
            where = f"; the replaced database was kept as {kept.name}" \
                if isinstance(kept, Path) else ""
            self._reopen(db, f"Restored from {backup.name}{where}.")

        def failed(exc: BaseException) -> None:
            text = exc.message if isinstance(exc, CarelogError) else str(exc)
            self._reopen(db, f"The restore failed: {text}")

        self.restore_operation = run_in_background(self, lambda: restore(Path(backup), db),
                                                   done, failed)

    def _reopen(self, db: Path, sentence: str) -> None:
        from carelog.core.store.database import Store

        try:
            store = Store.open(db)
        except CarelogError as exc:
            self._swapping = False
            QMessageBox.critical(self, "Carelog", f"{sentence} {exc.message}")
            self.quit()
            return
        self._swapping = False
        was_home = self.state.store.path == self._home.path and not self._demo
        if was_home:
            self._home = store
        self._adopt(store, demo_mode=self._demo)
        self.central.setCurrentWidget(self.tabs)
        self.setEnabled(True)
        self.tray.menu.setEnabled(True)
        self.statusBar().showMessage(sentence)

    def _on_settings_finished(self, result: int) -> None:
        if self._swapping:
            return  # a restore is reopening the store; it reloads everything itself
        self.prefs = load_preferences(self.store)
        self.day_view.quick_bar.set_presets(self.prefs.quick_presets)
        self.day_view.quick_bar.fill_categories()
        self.tray.fill()
        self._update_preset_actions()
        self.state.notify_changed()

    # ------------------------------------------------------------------ state of actions

    def _update_undo_actions(self) -> None:
        undo, redo = self.store.undo_label(), self.store.redo_label()
        self.undo_action.setText(f"&Undo {escape_mnemonic(undo)}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {escape_mnemonic(redo)}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def _update_nav_actions(self) -> None:
        unit = "week" if self.tabs.currentIndex() != TAB_TODAY else "day"
        self.prev_action.setText(f"&Previous {unit}")
        self.next_action.setText(f"&Next {unit}")

    def _step(self) -> int:
        return 1 if self.tabs.currentIndex() == TAB_TODAY else 7

    # ------------------------------------------------------------------ slots

    def _on_state_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def _on_state_data_changed(self) -> None:
        self._update_undo_actions()

    def _on_state_timer_changed(self) -> None:
        self._update_timer_actions()

    def _on_quick_bar_armed_changed(self, code: str) -> None:
        self._update_preset_actions()
        self._update_timer_actions()

    def _on_tabs_current_changed(self, index: int) -> None:
        self._update_nav_actions()
        self._on_entry_selection_changed()

    def _on_entry_selection_changed(self, *args: object) -> None:
        self.delete_action.setEnabled(self.tabs.currentIndex() == TAB_TODAY
                                      and self.day_view.selected_entry_id() is not None)

    def open_import(self) -> QWidget:
        """Open the import dialog (File ▸ Import…, Ctrl+I); return it."""
        from carelog.gui.dialogs.importing.import_dialog import ImportDialog

        dialog = ImportDialog(self.state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _on_import_action_triggered(self) -> None:
        self.open_import()

    def _on_settings_action_triggered(self) -> None:
        self.open_settings()

    def _on_welcome_action_triggered(self) -> None:
        self.show_welcome()

    def _on_welcome_schedule_created(self, version: object) -> None:
        self.prefs = load_preferences(self.store)
        self.tabs.setCurrentIndex(TAB_WEEK)

    def _on_leave_demo_action_triggered(self) -> None:
        self._adopt(self._home, demo_mode=False)
        self.statusBar().showMessage(f"Back to your own log: {self._home.path}", 15_000)

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

    def show_history(self, entry_id: int | None = None) -> HistoryDialog | None:
        """Open the History dialog of an entry (the selected one by default)."""
        entry_id = entry_id if entry_id is not None else self.day_view.selected_entry_id()
        if entry_id is None:
            self.state.say("Select an entry first; its history opens with Ctrl+H.")
            return None
        dialog = HistoryDialog(self.state, entry_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(False)
        dialog.show()
        return dialog

    def _on_history_action_triggered(self) -> None:
        self.show_history()

    def _on_delete_action_triggered(self) -> None:
        if self.tabs.currentIndex() == TAB_TODAY:
            self.day_view.form.delete_current()

    def _on_prev_action_triggered(self) -> None:
        self.state.shift_day(-self._step())

    def _on_next_action_triggered(self) -> None:
        self.state.shift_day(self._step())

    def _on_go_today_action_triggered(self) -> None:
        self.state.set_day(self.state.today())

    def _on_refresh_action_triggered(self) -> None:
        self.state.notify_changed()

    def _on_start_timer_action_triggered(self) -> None:
        self.tabs.setCurrentIndex(TAB_TODAY)
        self.day_view.quick_bar.start_timer()

    def _on_stop_timer_action_triggered(self) -> None:
        self.day_view.quick_bar.stop_timer()

    def _on_discard_timer_action_triggered(self) -> None:
        self.day_view.quick_bar.discard_timer()

    def _on_install_entry_action_triggered(self) -> None:
        from carelog.gui.desktop_entry import install_desktop_entry

        try:
            done = install_desktop_entry()
        except OSError as exc:
            self.statusBar().showMessage(str(exc.strerror or exc))
            return
        self.statusBar().showMessage(f"Carelog was added to your applications menu: "
                                     f"{done.entry}")

    def _on_about_action_triggered(self) -> None:
        self._information(
            "Carelog keeps a private log of therapy sessions and indirect patient care, and "
            "shows week by week whether the protected time in your contract is received. "
            f"Your data: {self.store.path}", parent=self)

