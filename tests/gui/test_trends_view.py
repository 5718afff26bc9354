"""The Trends view: headline from the ledger totals, spans, charts painted by Qt, empty states."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.schedule import parse_schedule
from carelog.core.domain.timeutil import parse_local
from carelog.core.exporting.charts import RECEIVED
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.views.trends.trends_view import TrendsView, date_span
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from .conftest import LA, TODAY, ShowWidget

ROOT = Path(__file__).resolve().parents[2]

# In force from Monday 9 November (W46): only W46 and W47 have a target in a 12-week span.
TWO_WEEK_SCHEDULE = {
    "effective_from": "2026-11-09",
    "timezone": LA,
    "hours": {d: ["08:30-12:30", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "protected": [{"day": "tue", "time": "16:00-17:00"}],
    "target": {"rule": "percent", "rate": 0.20, "meeting_allowance_h": 2.5, "full_time_h": 40},
}

MakeView = Callable[[Store], TrendsView]


@pytest.fixture
def make_view(show: ShowWidget) -> MakeView:
    """Show a TrendsView on a store, looking at Tuesday 17 November 2026."""
    return lambda store: show(TrendsView(AppState(store, today=lambda: TODAY)), 1000, 760)


def _log(store: Store, category: str, day: str, start: str, end: str) -> None:
    store.add_entry(category, parse_local(f"{day} {start}", store.tz),
                    parse_local(f"{day} {end}", store.tz), via=Via.CLI)


@pytest.fixture
def two_weeks(bare_store: Store) -> Store:
    """W46 met (7 h 30 m of IPC in hours), W47 not met (1 h in hours, 30 m after hours)."""
    bare_store.save_schedule(parse_schedule(TWO_WEEK_SCHEDULE))
    for day in ("2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"):
        _log(bare_store, "documentation", day, "09:00", "10:30")
    _log(bare_store, "messages", "2026-11-16", "09:00", "10:00")
    _log(bare_store, "documentation", "2026-11-16", "18:00", "18:30")
    return bare_store


def test_headline_counts_met_weeks_and_after_hours_ipc(
        make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    assert view.headline_text() == ("Protected time met in 1 of 2 weeks with a target; 30 m of "
                                    "IPC done after hours.")
    assert view.showing_charts()
    assert "10 of the 12 weeks have no target" in view.detail_label.text()
    assert [p.status for p in view.points[-2:]] == ["met", "not_met"]


def test_switching_the_span_changes_the_weeks_charted(
        qtbot: QtBot, make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    assert view.span == 12
    assert view.weeks_shown == 12
    assert view.points[-1].label == "2026-W47"
    assert len(view.protected_chart.points) == 12
    qtbot.mouseClick(view.span_buttons[26], Qt.MouseButton.LeftButton)
    assert view.span == 26
    assert view.weeks_shown == 26
    assert view.points[0].label == "2026-W22"
    assert view.points[-1].label == "2026-W47"
    assert view.protected_chart.points == view.points
    assert view.attainment_chart.points == view.points
    view.set_span(52)
    assert view.weeks_shown == 52
    assert "2025-W48 to 2026-W47" in view.period_label.text()


def test_the_view_follows_the_selected_day_and_new_data(
        make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    view.state.set_day(date(2026, 11, 10))
    assert view.points[-1].label == "2026-W46"
    assert view.headline_text().startswith("Protected time met in 1 of 1 weeks")
    view.state.set_day(TODAY)
    _log(two_weeks, "documentation", "2026-11-17", "09:00", "16:00")
    view.state.notify_changed()
    assert view.headline_text().startswith("Protected time met in 2 of 2 weeks")


def test_no_schedule_shows_a_sentence_instead_of_charts(
        make_view: MakeView, bare_store: Store) -> None:
    view = make_view(bare_store)
    assert not view.showing_charts()
    assert "no schedule yet" in view.message_label.text().lower()
    assert view.protected_chart.points == []


def test_weeks_without_a_target_show_a_sentence(
        make_view: MakeView, bare_store: Store) -> None:
    later = dict(TWO_WEEK_SCHEDULE, effective_from="2027-01-04")
    bare_store.save_schedule(parse_schedule(later))
    view = make_view(bare_store)
    assert not view.showing_charts()
    assert view.message_label.text().startswith("None of the 12 weeks from 2026-W36 to "
                                                "2026-W47 has a target")


def _pixel(widget: QWidget, x: float, y: float) -> QColor:
    return widget.grab().toImage().pixelColor(int(x), int(y))


def test_the_charts_draw_the_weeks_in_the_pdfs_colours(
        make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    chart = view.protected_chart
    plot = chart.plot_rect()
    # W46 (the 11th of 12 weeks) received 7 h 30 m in paid hours: its middle bar is blue.
    x = plot.left() + 10.5 * chart.slot(plot)
    assert _pixel(chart, x, plot.bottom() - 3).name() == RECEIVED
    assert _pixel(chart, x, plot.top() + 2).name() != RECEIVED
    tip = chart.tip(view.points[10])
    assert tip.startswith("2026-W46: target 7 h 30 m, received 7 h 30 m in paid hours")
    assert chart.week_at(x) == 10
    assert "2026-W47" in chart.accessibleDescription()


def test_a_dark_palette_draws_dark_charts(make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    chart = view.protected_chart
    assert _pixel(chart, 2, 2).lightness() > 200
    pal = QPalette(view.palette())
    pal.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    view.setPalette(pal)
    assert _pixel(chart, 2, 2).lightness() < 60


def test_date_span_names_the_year_once_or_twice() -> None:
    assert date_span(date(2026, 8, 31), date(2026, 11, 22)) == "31 Aug – 22 Nov 2026"
    assert date_span(date(2025, 11, 24), date(2026, 11, 22)) == "24 Nov 2025 – 22 Nov 2026"


NO_MATPLOTLIB = """
import sys
from datetime import date
from PySide6.QtWidgets import QApplication
app = QApplication([])
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.views.trends.trends_view import TrendsView
store = Store.open(sys.argv[1])
view = TrendsView(AppState(store, today=lambda: date(2026, 11, 17)))
view.resize(900, 700)
view.show()
view.refresh()
view.protected_chart.grab()
assert view.showing_charts() and view.weeks_shown == 12
assert "matplotlib" not in sys.modules, "the window's charts loaded matplotlib"
store.close()
print("painted without matplotlib")
"""


def test_the_charts_are_painted_without_matplotlib(tmp_path: Path, two_weeks: Store) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", NO_MATPLOTLIB, str(two_weeks.path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "painted without matplotlib" in done.stdout


def test_the_same_weeks_under_another_contract(qtbot: QtBot, make_view: MakeView,
                                               two_weeks: Store) -> None:
    # W47 gets 4 h more of charting in hours: 5 h received. 7 h 30 m under the user's rule
    # (not met); 5 h under the SoCal contract (met).
    _log(two_weeks, "documentation", "2026-11-17", "08:30", "12:30")
    view = make_view(two_weeks)
    assert view.what_if_text() == ""
    view.what_if_combo.setCurrentIndex(view.what_if_combo.findData("kaiser-socal-2024"))
    assert view.what_if_text() == ("Under Kaiser SoCal 2024–2028 contract: 5 h guaranteed: met "
                                   "in 2 of 2 weeks; under your own rule: met in 1 of 2.")
    assert view.headline_text().startswith("Protected time met in 1 of 2 weeks")
    assert "example — check your own contract" in view.what_if_label.toolTip()
    view.what_if_combo.setCurrentIndex(0)
    assert view.what_if_text() == ""
