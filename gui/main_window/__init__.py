"""The main window and the parts it is made of (menus, databases, reminder, tray, dialogs…)."""

from carelog.gui.main_window.databases import demo_path
from carelog.gui.main_window.main_window import (
    TAB_CALENDAR,
    TAB_LOG,
    TAB_MERGE,
    TAB_REPORTS,
    TAB_TODAY,
    TAB_TRENDS,
    TAB_WEEK,
    TIMER_KEPT_NOTICE,
    TRAY_NOTICE,
    MainWindow,
)

__all__ = ["TAB_CALENDAR", "TAB_LOG", "TAB_MERGE", "TAB_REPORTS", "TAB_TODAY", "TAB_TRENDS",
           "TAB_WEEK", "TIMER_KEPT_NOTICE", "TRAY_NOTICE", "MainWindow", "demo_path"]
