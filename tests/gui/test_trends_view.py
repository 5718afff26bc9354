"""The Trends view: headline from the ledger totals, spans, lazy matplotlib, empty states."""

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
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.views.trends.trends_view import TrendsView, date_span
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
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
    first_canvas = view.protected_canvas
    qtbot.mouseClick(view.span_buttons[26], Qt.MouseButton.LeftButton)
    assert view.span == 26
    assert view.weeks_shown == 26
    assert view.points[0].label == "2026-W22"
    assert view.points[-1].label == "2026-W47"
    assert view.protected_canvas is not first_canvas
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
    assert view.protected_canvas is None


def test_weeks_without_a_target_show_a_sentence(
        make_view: MakeView, bare_store: Store) -> None:
    later = dict(TWO_WEEK_SCHEDULE, effective_from="2027-01-04")
    bare_store.save_schedule(parse_schedule(later))
    view = make_view(bare_store)
    assert not view.showing_charts()
    assert view.message_label.text().startswith("None of the 12 weeks from 2026-W36 to "
                                                "2026-W47 has a target")


def test_a_dark_palette_draws_dark_figures(
        make_view: MakeView, two_weeks: Store) -> None:
    view = make_view(two_weeks)
    assert view.protected_canvas is not None
    light_face = view.protected_canvas.figure.get_facecolor()
    pal = QPalette(view.palette())
    pal.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    view.setPalette(pal)
    dark_face = view.protected_canvas.figure.get_facecolor()
    assert sum(light_face[:3]) > 2.5
    assert sum(dark_face[:3]) < 1.0


def test_date_span_names_the_year_once_or_twice() -> None:
    assert date_span(date(2026, 8, 31), date(2026, 11, 22)) == "31 Aug – 22 Nov 2026"
    assert date_span(date(2025, 11, 24), date(2026, 11, 22)) == "24 Nov 2025 – 22 Nov 2026"


LAZY_CHECK = """
import sys
from datetime import date
from PySide6.QtWidgets import QApplication
app = QApplication([])
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.views.trends.trends_view import TrendsView
store = Store.open(sys.argv[1])
view = TrendsView(AppState(store, today=lambda: date(2026, 11, 17)))
assert "matplotlib" not in sys.modules, "matplotlib was imported when the view was built"
view.refresh()
assert "matplotlib" in sys.modules, "refresh did not draw the charts"
store.close()
print("lazy ok")
"""


def test_matplotlib_is_imported_only_when_the_view_is_first_refreshed(
        tmp_path: Path, two_weeks: Store) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", LAZY_CHECK, str(two_weeks.path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "lazy ok" in done.stdout


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
