"""The log of all entries: paging, filters, many entries changed at once, the personal CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from carelog.core.domain.codes import LOG_PAGE
from carelog.core.domain.history import Reason, ReasonCode, Via
from carelog.core.domain.log_filter import LogFilter
from carelog.core.domain.models import make_entry
from carelog.core.domain.timeutil import parse_local, to_local
from carelog.core.exporting.personal import entries_csv
from carelog.core.store.database import Store
from carelog.gui.main_window import TAB_LOG, TAB_TODAY, MainWindow
from carelog.gui.models.log_table_model import COL_DAY, LogTableModel
from carelog.gui.state import AppState
from carelog.gui.views.log.log_view import LogView
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import AddEntry, ShowWidget, choose, type_into


@pytest.fixture
def view(show: ShowWidget, clocked_state: AppState) -> LogView:
    """The log at 15:00 on Tuesday 17 November 2026 by the test's clock: later ones are planned."""
    return show(LogView(clocked_state), 1200, 700)


def _fill(store: Store, days: int) -> None:
    """Two entries a day for `days` days before Tuesday 17 November 2026, in one change."""
    tz = store.tz
    start = parse_local("2026-11-16 09:00", tz)
    drafts = []
    for d in range(days):
        base = start - d * 86_400
        drafts.append(make_entry(category="documentation", start=base, end=base + 1800,
                                 note=f"day {d}"))
        drafts.append(make_entry(category="individual", start=base + 3600, end=base + 6600))
    store.add_entries(drafts, via=Via.CLI)


def _select(view: LogView, rows: list[int]) -> None:
    sm = view.table.selectionModel()
    sm.clearSelection()
    for r in rows:
        sm.select(view.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                  | QItemSelectionModel.SelectionFlag.Rows)


def test_the_log_reads_a_page_at_a_time_as_it_scrolls(qtbot: QtBot, view: LogView,
                                                      gui_store: Store) -> None:
    _fill(gui_store, 300)
    view.refresh()
    assert view.model.rowCount() == LOG_PAGE
    assert view.summary_label.text().startswith("600 entries")
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > LOG_PAGE)
    starts = [e.start for e in view.model.entries()]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) == len(starts)


def test_filters_narrow_what_is_shown(qtbot: QtBot, view: LogView, gui_store: Store) -> None:
    _fill(gui_store, 10)
    view.refresh()
    choose(qtbot, view.class_combo, "Direct care")
    assert {e.category for e in view.model.entries()} == {"individual"}
    view.class_combo.setCurrentIndex(0)
    type_into(qtbot, view.text_edit, "day 3")
    assert [e.note for e in view.model.entries()] == ["day 3"]
    type_into(qtbot, view.text_edit, "")
    choose(qtbot, view.period_combo, "This week")
    assert view.summary_label.text().startswith("2 entries")
    choose(qtbot, view.source_combo, "Timer")
    assert view.summary_label.text() == "No entries match."


def test_many_entries_get_another_category_as_one_undo_step(
        qtbot: QtBot, view: LogView, gui_store: Store) -> None:
    _fill(gui_store, 3)
    view.refresh()
    _select(view, [0, 1, 2])
    choose(qtbot, view.new_category_combo, "Messages")
    qtbot.mouseClick(view.change_button, Qt.MouseButton.LeftButton)
    assert sorted(e.category for e in gui_store.all_entries()).count("messages") == 3
    assert gui_store.undo_label() == "change 3 entries to Messages"
    gui_store.undo()
    assert "messages" not in {e.category for e in gui_store.all_entries()}


def test_many_entries_move_and_are_deleted_each_as_one_step(
        qtbot: QtBot, view: LogView, gui_store: Store) -> None:
    _fill(gui_store, 2)
    view.refresh()
    _select(view, [0, 1])
    view.shift_spin.setValue(-30)
    qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    first = [f"{to_local(e.start, gui_store.tz):%a %H:%M}" for e in gui_store.all_entries()]
    assert first[-2:] == ["Mon 08:30", "Mon 09:30"]
    _select(view, [0, 1])
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert gui_store.count_entries() == 2
    gui_store.undo()
    assert gui_store.count_entries() == 4


def test_a_sealed_week_asks_once_for_the_whole_change(qtbot: QtBot, view: LogView,
                                                      gui_store: Store) -> None:
    _fill(gui_store, 2)
    gui_store.seal_weeks([("2026-W47", parse_local("2026-11-16 00:00", gui_store.tz),
                           parse_local("2026-11-23 00:00", gui_store.tz))])
    view.refresh()
    asked: list[str] = []

    def ask(parent: object, sentence: str) -> Reason:
        asked.append(sentence)
        return Reason(ReasonCode.CORRECTION)

    view.ask_reason = ask
    _select(view, [0, 1, 2])
    view.shift_spin.setValue(5)
    qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert gui_store.amendment_reasons("2026-W47") == {"correction": 2}


def test_the_filtered_rows_are_saved_as_the_personal_csv(
        qtbot: QtBot, view: LogView, gui_store: Store, tmp_path: Path,
        clocked_state: AppState) -> None:
    _fill(gui_store, 5)
    view.refresh()
    choose(qtbot, view.category_combo, "Charting")
    target = tmp_path / "mine"
    view.ask_save_path = lambda parent, title, suggested, fmt: target
    with qtbot.waitSignal(clocked_state.message, timeout=10_000) as said:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert said.args[0].startswith("Saved 5 entries to mine.csv")
    charting = [e for e in gui_store.all_entries() if e.category == "documentation"]
    written = (tmp_path / "mine.csv").read_bytes()
    assert written == entries_csv(charting, gui_store.tz, clocked_state.now()).encode()
    assert (tmp_path / "mine.csv").stat().st_mode & 0o077 == 0


def test_planned_rows_are_marked(view: LogView, add_entry: AddEntry,
                                 clocked_state: AppState) -> None:
    add_entry("documentation", "2026-11-20 09:00", "09:30")
    view.refresh()
    assert view.model.index(0, COL_DAY).data().endswith("· planned")


def test_an_empty_log_leads_to_the_places_that_fill_it(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    window.tabs.setCurrentIndex(TAB_LOG)
    view = window.log_view
    assert view.empty_row.isVisible()
    qtbot.mouseClick(view.empty_today_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentIndex() == TAB_TODAY


def test_the_model_passes_the_model_tester(qtmodeltester, gui_store: Store) -> None:  # type: ignore[no-untyped-def]
    _fill(gui_store, 150)
    model = LogTableModel()
    model.start(lambda before: gui_store.search_entries(LogFilter(), before),
                gui_store.categories, gui_store.tz, 0)
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 300
