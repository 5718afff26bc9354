"""The views other than Today, each built the first time its tab is shown or it is asked for.

A view's module is imported only then, so start-up loads none of them (Trends brings in the
charts, Reports and Merge the PDF).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carelog.gui.main_window.main_window import MainWindow
    from carelog.gui.views.calendar.calendar_view import CalendarView
    from carelog.gui.views.log.log_view import LogView
    from carelog.gui.views.reports.merge_view import MergeView
    from carelog.gui.views.reports.reports_view import ReportsView
    from carelog.gui.views.trends.trends_view import TrendsView
    from carelog.gui.views.week.week_view import WeekView


def make_calendar(window: MainWindow) -> CalendarView:
    """The Calendar view: its schedule button and the entries it opens lead back to the window."""
    from carelog.gui.views.calendar.calendar_view import (  # noqa: PLC0415
        CalendarView,  # on first show
    )

    view = CalendarView(window.state)
    view.schedule_requested.connect(window.open_schedule)
    view.entry_opened.connect(window.show_entry)
    return view


def make_log(window: MainWindow) -> LogView:
    """The Log view, whose buttons go to Today and open the import."""
    from carelog.gui.views.log.log_view import LogView  # noqa: PLC0415  # on first show

    view = LogView(window.state)
    view.today_requested.connect(window.show_today)
    view.import_requested.connect(window.open_import)
    return view


def make_week(window: MainWindow) -> WeekView:
    """The Week view."""
    from carelog.gui.views.week.week_view import WeekView  # noqa: PLC0415  # on first show

    return WeekView(window.state)


def make_trends(window: MainWindow) -> TrendsView:
    """The Trends view."""
    from carelog.gui.views.trends.trends_view import TrendsView  # noqa: PLC0415  # charts

    return TrendsView(window.state)


def make_reports(window: MainWindow) -> ReportsView:
    """The Reports view."""
    from carelog.gui.views.reports.reports_view import ReportsView  # noqa: PLC0415  # PDF

    return ReportsView(window.state)


def make_merge(window: MainWindow) -> MergeView:
    """The Merge view."""
    from carelog.gui.views.reports.merge_view import MergeView  # noqa: PLC0415  # PDF

    return MergeView(window.state)
