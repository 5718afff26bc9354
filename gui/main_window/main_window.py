"""The main window: the views as tabs, quick logging from anywhere, and remembered geometry.

Its parts live beside it: the menu bar's commands (menus.py), which database is shown and
restoring a backup (databases.py), the end-of-day reminder (reminder.py), the tray (tray.py),
what it remembers across runs (remembered.py), the views built on demand (view_tabs.py) and the
dialogs' openers (dialogs.py). The views other than Today, and the dialogs, are built the first
time they are shown, so start-up stays quick and loads none of their modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from carelog.core.domain.timeutil import to_local
from carelog.gui.main_window import dialogs, view_tabs
from carelog.gui.main_window.remembered import Remembered
from carelog.gui.theme import warning_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.lazy_tab import LazyTab
from carelog.gui.widgets.sizing import fit_to_screen
from carelog.gui.workers.background import Operation, wait_for_all
from carelog.resources import icon_path
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from carelog.core.store.database import Store
    from carelog.core.store.preferences import Preferences
    from carelog.gui.dialogs.help_dialog import HelpDialog
    from carelog.gui.dialogs.history_dialog import HistoryDialog
    from carelog.gui.dialogs.timer_prompts import TimerStartDialog
    from carelog.gui.main_window.databases import Databases
    from carelog.gui.main_window.menus import WindowMenus
    from carelog.gui.main_window.reminder import EndOfDayReminder
    from carelog.gui.main_window.timer_watch import TimerWatch
    from carelog.gui.main_window.tray import Tray
    from carelog.gui.quick_commands import QuickCommands
    from carelog.gui.state import AppState
    from carelog.gui.views.calendar.calendar_view import CalendarView
    from carelog.gui.views.log.log_view import LogView
    from carelog.gui.views.reports.merge_view import MergeView
    from carelog.gui.views.reports.reports_view import ReportsView
    from carelog.gui.views.today.day_view import DayView
    from carelog.gui.views.trends.trends_view import TrendsView
    from carelog.gui.views.week.week_view import WeekView

TAB_TODAY, TAB_CALENDAR, TAB_LOG, TAB_WEEK, TAB_TRENDS, TAB_REPORTS, TAB_MERGE = range(7)
DEFAULT_SIZE = (1280, 800)

TRAY_NOTICE = "Carelog is still running in the tray so your timer keeps going."
TIMER_KEPT_NOTICE = ("Your timer keeps running while Carelog is closed: it is kept in the "
                     "database, and Carelog shows it again when you open it, ready to stop.")
DEMO_TITLE = "Demo data"
DEMO_BANNER = ("You are looking at a demo database filled with sample weeks: nothing here is "
               "yours, and your own log is untouched.")


@dataclass(frozen=True, slots=True)
class ViewTab:
    """One tab: its title, icon name and the view it shows."""

    title: str
    icon: str
    widget: QWidget


class MainWindow(QMainWindow):
    """Carelog's window over one open store.

    settings, when given, is where the window's size, position and last tab are kept;
    today returns the local date the window treats as today and now the current UTC instant
    (both injectable, so tests can pin the clock); use_tray forces the tray on or off.
    """

    closed = Signal()

    def __init__(self, store: Store | None, settings: QSettings | None = None,
                 today: Callable[[], date] | None = None, parent: QWidget | None = None,
                 now: Callable[[], int] | None = None, use_tray: bool | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._clock = (today, now, use_tray)
        self._quitting = False
        self.notice_box: QMessageBox | None = None
        self.setAccessibleName("Carelog")
        self.setWindowIcon(QIcon(str(icon_path("carelog"))))

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Views")
        self.tabs.setDocumentMode(True)
        # The Today view goes here once the log is read (open); until then, a line says so.
        self.today_page = QWidget()
        self.today_page.setAccessibleName("Today")
        self.opening_label = named(QLabel("Opening your log…"), "Opening")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._today_box = QVBoxLayout(self.today_page)
        self._today_box.setContentsMargins(0, 0, 0, 0)
        self._today_box.addWidget(self.opening_label)
        self.calendar_tab = LazyTab("Calendar view", partial(view_tabs.make_calendar, self))
        self.log_tab = LazyTab("Log view", partial(view_tabs.make_log, self))
        self.week_tab = LazyTab("Week view", partial(view_tabs.make_week, self))
        self.trends_tab = LazyTab("Trends view", partial(view_tabs.make_trends, self))
        self.reports_tab = LazyTab("Reports view", partial(view_tabs.make_reports, self))
        self.merge_tab = LazyTab("Merge view", partial(view_tabs.make_merge, self))
        self.views = [
            ViewTab("Today", "today", self.today_page),
            ViewTab("Calendar", "calendar", self.calendar_tab),
            ViewTab("Log", "log", self.log_tab),
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
        self.busy_label = named(QLabel(), "Working")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_label.setWordWrap(True)
        # While the demo database is open, a banner above the views says so, with the way back.
        self.demo_banner = QFrame()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAccessibleName("Demo database banner")
        self.demo_banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_row = QHBoxLayout(self.demo_banner)
        banner_row.setContentsMargins(10, 4, 10, 4)
        self.demo_banner_label = named(QLabel(DEMO_BANNER), "Demo data")
        self.demo_banner_label.setWordWrap(True)
        self.demo_banner_button = named(QPushButton("Back to my own log"), "Back to my own log")
        banner_row.addWidget(self.demo_banner_label, 1)
        banner_row.addWidget(self.demo_banner_button)
        self.demo_banner.hide()
        self.views_page = QWidget()
        views_box = QVBoxLayout(self.views_page)
        views_box.setContentsMargins(0, 0, 0, 0)
        views_box.setSpacing(0)
        views_box.addWidget(self.demo_banner)
        views_box.addWidget(self.tabs, 1)
        self.central = QStackedWidget()
        self.central.addWidget(self.views_page)
        self.central.addWidget(self.busy_label)
        self.setCentralWidget(self.central)
        fit_to_screen(self, *DEFAULT_SIZE, share=(0.95, 0.9))
        self.remembered = Remembered(self, self.tabs, settings)
        self.remembered.restore_geometry()
        self.opened = False
        if store is not None:
            self.open(store)
        else:
            self.tabs.setEnabled(False)  # the views need the log: they wait for open()

    def open(self, store: Store) -> None:
        """Read the log and fill the window: the Today view, the menus, the tray, the reminder.

        The window can be shown before this (the app paints it first and then reads the log),
        so everything that loads the domain's models and the ledger is imported here.
        """
        # The views and the parts that read the log load pydantic's models and the ledger:
        # after the window's first paint, not before it.
        from carelog.gui.main_window.databases import Databases  # noqa: PLC0415
        from carelog.gui.main_window.menus import WindowMenus  # noqa: PLC0415
        from carelog.gui.main_window.reminder import EndOfDayReminder  # noqa: PLC0415
        from carelog.gui.main_window.timer_watch import TimerWatch  # noqa: PLC0415
        from carelog.gui.main_window.tray import Tray  # noqa: PLC0415
        from carelog.gui.quick_commands import QuickCommands  # noqa: PLC0415
        from carelog.gui.state import AppState  # noqa: PLC0415
        from carelog.gui.views.today.day_view import DayView  # noqa: PLC0415

        today, now, use_tray = self._clock
        self.state: AppState = AppState(store, today, self, now=now)
        self.prefs: Preferences = self._read_preferences(store)
        self.commands: QuickCommands = QuickCommands(self.state, self)
        self.day_view: DayView = DayView(self.state, self.commands, self.prefs.quick_presets)
        self._today_box.removeWidget(self.opening_label)
        self.opening_label.hide()
        self._today_box.addWidget(self.day_view)

        self.tray: Tray = Tray(self.commands, self, use_tray)
        self.databases: Databases = Databases(self)
        self.menus: WindowMenus = WindowMenus(self)
        self.reminder: EndOfDayReminder = EndOfDayReminder(self)
        self.timer_watch: TimerWatch = TimerWatch(self)
        self._name_actions()
        self.state.message.connect(self._on_state_message)
        self.state.schedule_wanted.connect(self._on_schedule_wanted)
        self.state.data_changed.connect(self._on_state_data_changed)
        self.state.timer_changed.connect(self._on_state_timer_changed)
        self.databases.adopted.connect(self._on_databases_adopted)
        self.day_view.quick_bar.armed_changed.connect(self._on_quick_bar_armed_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.day_view.table.selectionModel().selectionChanged.connect(
            self._on_entry_selection_changed)
        self.day_view.form.saved.connect(self._on_entry_selection_changed)
        self.day_view.form.cleared.connect(self._on_entry_selection_changed)
        self.day_view.form.deleted.connect(self._on_entry_selection_changed)
        self.day_view.schedule_button.clicked.connect(self.open_schedule)
        self.demo_banner_button.clicked.connect(self.leave_demo_action.trigger)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.quit)

        self.opened = True
        self.tabs.setEnabled(True)
        self.remembered.restore_tab(TAB_TODAY)
        self._update_title()
        self.menus.update_undo()
        self.menus.update_nav()
        self.menus.update_timer()
        self.menus.update_delete()
        self.day_view.quick_bar.line.setFocus()
        if store.warnings:
            self.statusBar().showMessage(" ".join(store.warnings))
        elif self.state.timer is not None:
            self.statusBar().showMessage(f"{self.commands.timer_text()} — still running since "
                                         "Carelog was last open.")
        else:
            self.statusBar().showMessage(f"Database: {store.path}", 10_000)

    def _read_preferences(self, store: Store | None = None) -> Preferences:
        # Preferences are a pydantic model: loaded with the rest of what reads the log.
        from carelog.core.store.preferences import load_preferences  # noqa: PLC0415

        return load_preferences(store if store is not None else self.store)

    def _name_actions(self) -> None:
        """Name the menu bar's actions on the window too, as the commands a person uses."""
        m = self.menus
        self.backup_action, self.import_action = m.backup_action, m.import_action
        self.leave_demo_action, self.quit_action = m.leave_demo_action, m.quit_action
        self.undo_action, self.redo_action = m.undo_action, m.redo_action
        self.delete_action, self.settings_action = m.delete_action, m.settings_action
        self.history_action = m.history_action
        self.view_actions = m.view_actions
        self.today_view_action, self.week_view_action = m.view_actions[:2]
        self.prev_action, self.next_action = m.prev_action, m.next_action
        self.go_today_action, self.refresh_action = m.go_today_action, m.refresh_action
        self.quick_line_action, self.category_actions = m.quick_line_action, m.category_actions
        self.preset_actions = m.preset_actions
        self.start_timer_action, self.stop_timer_action, self.discard_timer_action = \
            m.start_timer_action, m.stop_timer_action, m.discard_timer_action
        self.welcome_action, self.install_entry_action, self.about_action = \
            m.welcome_action, m.install_entry_action, m.about_action
        self.reminder_timer = self.reminder.timer

    # ------------------------------------------------------------------ the store and its work

    @property
    def store(self) -> Store:
        """The store the window shows (the demo database while exploring it)."""
        return self.state.store

    @property
    def is_demo(self) -> bool:
        """True while the window shows the demo database."""
        return self.databases.demo

    @property
    def backup_operation(self) -> Operation | None:
        """The last File ▸ Back up now."""
        return self.menus.backup_operation

    @property
    def demo_operation(self) -> Operation | None:
        """The last filling of the demo database."""
        return self.databases.demo_operation

    @property
    def restore_operation(self) -> Operation | None:
        """The last restore of a backup."""
        return self.databases.restore_operation

    @property
    def reminder_box(self) -> QMessageBox | None:
        """The last reminder shown in a message box (when there is no tray)."""
        return self.reminder.box

    def check_reminder(self) -> str | None:
        """At the reminder time on a working day, show core's reminder once; return it."""
        return self.reminder.check()

    # ------------------------------------------------------------------ views built on demand

    @property
    def calendar_view(self) -> CalendarView:
        """The Calendar view (built the first time it is shown or asked for)."""
        return self.calendar_tab.view()

    @property
    def log_view(self) -> LogView:
        """The Log view (built the first time it is shown or asked for)."""
        return self.log_tab.view()

    @property
    def week_view(self) -> WeekView:
        """The Week view (built the first time it is shown or asked for)."""
        return self.week_tab.view()

    @property
    def trends_view(self) -> TrendsView:
        """The Trends view (built on first use)."""
        return self.trends_tab.view()

    @property
    def reports_view(self) -> ReportsView:
        """The Reports view (built on first use)."""
        return self.reports_tab.view()

    @property
    def merge_view(self) -> MergeView:
        """The Merge view (built on first use)."""
        return self.merge_tab.view()

    # ------------------------------------------------------------------ quick logging

    def showing_today(self) -> bool:
        """True when the Today view is in front."""
        return self.tabs.currentIndex() == TAB_TODAY

    def show_today(self) -> None:
        """Bring the Today view to the front."""
        self.tabs.setCurrentIndex(TAB_TODAY)

    def open_schedule(self) -> None:
        """Open the schedule: Settings at its Schedule tab, or the welcome when there is none."""
        dialogs.open_schedule(self)

    def show_entry(self, entry_id: int) -> None:
        """Show an entry in Today, on its day and selected (from the Calendar)."""
        entry = self.store.find_entry(entry_id)
        if entry is None:
            return
        self.state.set_day(to_local(entry.start, self.store.tz).date())
        self.show_today()
        self.day_view.select_entry(entry_id)

    def focus_quick_line(self) -> None:
        """Show Today and put the cursor in the quick line (Ctrl+L)."""
        self.show_today()
        self.day_view.quick_bar.focus_line()

    def arm_category(self, code: str) -> None:
        """Choose a category for the presets (Alt+M and friends), showing Today."""
        self.show_today()
        self.day_view.quick_bar.arm(code, focus=True)

    def log_preset(self, index: int) -> None:
        """Log preset `index` for the chosen category (Alt+1…), from any view."""
        self.day_view.quick_bar.log_preset(index)

    # ------------------------------------------------------------------ dialogs

    def needs_welcome(self) -> bool:
        """True when the database has no schedule and the welcome was never completed."""
        return not self.store.schedules() and not self.prefs.welcome_done and not self.is_demo

    def show_welcome(self, show: bool = True) -> QWidget:
        """Open the welcome dialog (window-modal, not blocking); return it."""
        self.welcome_dialog = dialogs.open_welcome(self, show, self._on_welcome_schedule_created)
        return self.welcome_dialog

    def open_settings(self, show: bool = True) -> QWidget | None:
        """Open the settings dialog (Edit ▸ Settings…, Ctrl+,); return it."""
        dialog = dialogs.open_settings(self, show, self._on_settings_finished)
        if dialog is not None:
            self.settings_dialog = dialog
        return dialog

    def open_import(self) -> QWidget:
        """Open the import dialog (File ▸ Import…, Ctrl+I); return it."""
        self.import_dialog = dialogs.open_import(self)
        return self.import_dialog

    def show_history(self, entry_id: int | None = None) -> HistoryDialog | None:
        """Open the History dialog of an entry (the selected one by default)."""
        return dialogs.open_history(self, entry_id)

    def show_help(self) -> HelpDialog:
        """Open the help: how to use Carelog and every shortcut (Help ▸ Carelog help, F1)."""
        self.help_dialog = dialogs.open_help(self)
        return self.help_dialog

    def ask_timer_start(self) -> TimerStartDialog | None:
        """Ask when the running timer really started (Log ▸ Change the timer's start…)."""
        dialog = dialogs.open_timer_start(self)
        if dialog is not None:
            self.timer_start_dialog = dialog
        return dialog

    def inform(self, text: str, parent: QWidget | None) -> QMessageBox:
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

    def step_aside(self, text: str) -> None:
        """Put the views away behind a line saying what is happening, and take no input."""
        self.busy_label.setText(text)
        self.central.setCurrentWidget(self.busy_label)
        self.setEnabled(False)
        self.tray.menu.setEnabled(False)

    def come_back(self) -> None:
        """Show the views again and take input (after step_aside)."""
        self.central.setCurrentWidget(self.views_page)
        self.setEnabled(True)
        self.tray.menu.setEnabled(True)

    # ------------------------------------------------------------------ the demo and the title

    def _show_demo_banner(self) -> None:
        self.demo_banner.setVisible(self.is_demo)
        if self.is_demo:
            tint = QColor(warning_colour(self.palette()))
            tint.setAlpha(60)
            self.demo_banner.setStyleSheet(
                f"#demoBanner {{ background: rgba({tint.red()}, {tint.green()}, {tint.blue()}, "
                f"{tint.alpha()}); border-radius: 4px; }}")

    def _update_title(self) -> None:
        name = self.store.path.name
        self.setWindowTitle(f"Carelog — {DEMO_TITLE} ({name})" if self.is_demo
                            else f"Carelog — {name}")

    # ------------------------------------------------------------------ closing and the tray

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close, or stay in the tray while a timer runs; work in flight finishes first."""
        if not self.opened:  # closed before the log was read
            super().closeEvent(event)
            self.closed.emit()
            return
        if not self.databases.swapping:
            self.state.reload_timer()
        timer_runs = self.state.timer is not None
        if timer_runs and self.tray.available and not self._quitting:
            # The window goes; the app stays in the tray so the timer can be stopped from it.
            event.ignore()
            self.remembered.save()
            self.hide()
            if not self.remembered.told_before("tray", remember=False):
                self.tray.show_message(TRAY_NOTICE)
            return
        if timer_runs and not self.remembered.told_before("timer_kept", remember=True):
            self.notice_box = self.inform(TIMER_KEPT_NOTICE, parent=None)
        self.remembered.save()
        self.reminder_timer.stop()
        self.timer_watch.stop()
        wait_for_all()  # a backup or export in flight finishes before the window goes
        super().closeEvent(event)
        self.tray.hide()
        self.databases.close_all()
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

    # ------------------------------------------------------------------ slots

    def _on_state_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def _on_state_data_changed(self) -> None:
        self.menus.update_undo()

    def _on_state_timer_changed(self) -> None:
        self.menus.update_timer()

    def _on_databases_adopted(self) -> None:
        self.prefs = self._read_preferences()
        self.day_view.quick_bar.set_presets(self.prefs.quick_presets)
        self.menus.update_presets()
        self.leave_demo_action.setVisible(self.is_demo)
        self._show_demo_banner()
        self._update_title()

    def _on_quick_bar_armed_changed(self, code: str) -> None:
        self.menus.update_presets()
        self.menus.update_timer()

    def _on_tabs_current_changed(self, index: int) -> None:
        self.menus.update_nav()
        self.menus.update_delete()

    def _on_entry_selection_changed(self, *args: object) -> None:
        self.menus.update_delete()

    def _on_schedule_wanted(self) -> None:
        self.show_welcome()

    def _on_welcome_schedule_created(self, version: object) -> None:
        self.prefs = self._read_preferences()
        self.tabs.setCurrentIndex(TAB_WEEK)

    def _on_settings_finished(self, result: int) -> None:
        if self.databases.swapping:
            return  # a restore is reopening the store; it reloads everything itself
        self.prefs = self._read_preferences()
        self.day_view.quick_bar.set_presets(self.prefs.quick_presets)
        self.day_view.quick_bar.fill_categories()
        self.tray.fill()
        self.menus.update_presets()
        self.state.notify_changed()
