"""EntryTableModel: whole rows in, what each cell shows, sorts by and says in its tooltip."""

from __future__ import annotations

from datetime import date

import pytest
from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import parse_local, zone
from carelog.gui.models.entry_table_model import (
    COL_CATEGORY,
    COL_CLASS,
    COL_END,
    COL_MINUTES,
    COL_NOTE,
    COL_START,
    EntryTableModel,
)
from carelog.gui.models.row_table_model import SORT_ROLE
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

TZ = zone("America/Los_Angeles")
DAY = date(2026, 11, 16)


def _entry(entry_id: int, category: str, start: str, end: str, note: str = "") -> Entry:
    return Entry(id=entry_id, category=category, start=parse_local(start, TZ),
                 end=parse_local(end, TZ), note=note)


@pytest.fixture
def entries() -> list[Entry]:
    return [
        _entry(1, "individual", "2026-11-16 09:00", "2026-11-16 09:50"),
        _entry(2, "documentation", "2026-11-16 09:50", "2026-11-16 10:00", note="progress note"),
        _entry(3, "break", "2026-11-16 12:30", "2026-11-16 13:00"),
        _entry(4, "messages", "2026-11-16 23:30", "2026-11-17 00:15"),
        _entry(5, "admin", "2026-11-15 23:40", "2026-11-16 00:20"),
    ]


def _text(model: EntryTableModel, row: int, col: int, role: int = Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


def test_the_model_passes_the_qt_model_tester_empty_and_full(
        qtmodeltester: ModelTester, entries: list[Entry]) -> None:
    model = EntryTableModel()
    qtmodeltester.check(model)
    model.set_rows(entries, CategoryRegistry(), TZ, DAY)
    qtmodeltester.check(model)
    model.set_rows([], CategoryRegistry(), TZ, DAY)
    assert model.rowCount() == 0


def test_cells_show_local_times_labels_classes_and_notes(entries: list[Entry]) -> None:
    model = EntryTableModel()
    model.set_rows(entries, CategoryRegistry(), TZ, DAY)
    assert model.rowCount() == 5
    assert model.columnCount() == 7
    assert [_text(model, 0, c) for c in range(7)] == \
        ["09:00", "09:50", "50", "Session", "Direct care", "", ""]
    assert [_text(model, 1, c) for c in (COL_CATEGORY, COL_CLASS, COL_NOTE)] == \
        ["Charting", "IPC", "progress note"]
    assert _text(model, 2, COL_CLASS) == "Break"
    assert _text(model, 1, 0, Qt.ItemDataRole.UserRole) == 2
    assert model.headerData(COL_MINUTES, Qt.Orientation.Horizontal) == "Min"


def test_an_entry_crossing_midnight_shows_the_other_date(entries: list[Entry]) -> None:
    model = EntryTableModel()
    model.set_rows(entries, CategoryRegistry(), TZ, DAY)
    # Ends the next day: the end carries its date.
    assert _text(model, 3, COL_START) == "23:30"
    assert _text(model, 3, COL_END) == "2026-11-17 00:15"
    assert _text(model, 3, COL_MINUTES) == "45"
    # Began the day before the day shown: the start carries its date.
    assert _text(model, 4, COL_START) == "2026-11-15 23:40"
    assert _text(model, 4, COL_END) == "00:20"


def test_an_entry_ending_at_midnight_ends_at_24_00() -> None:
    model = EntryTableModel()
    model.set_rows([_entry(9, "documentation", "2026-11-16 23:00", "2026-11-17 00:00")],
                   CategoryRegistry(), TZ, DAY)
    assert _text(model, 0, COL_END) == "24:00"


def test_without_a_day_the_end_date_shows_when_it_differs_from_the_start(
        entries: list[Entry]) -> None:
    model = EntryTableModel()
    model.set_rows(entries[3:4], CategoryRegistry(), TZ)
    assert (_text(model, 0, COL_START), _text(model, 0, COL_END)) == ("23:30", "2026-11-17 00:15")


def test_sort_role_gives_raw_values_and_tooltips_explain(entries: list[Entry]) -> None:
    model = EntryTableModel()
    model.set_rows(entries, CategoryRegistry(), TZ, DAY)
    assert _text(model, 0, COL_START, SORT_ROLE) == entries[0].start
    assert _text(model, 0, COL_MINUTES, SORT_ROLE) == 50
    assert _text(model, 0, COL_CATEGORY, SORT_ROLE) == "session"
    assert "Individual, couple or family session" in _text(model, 0, COL_CATEGORY,
                                                           Qt.ItemDataRole.ToolTipRole)
    assert "not work" in _text(model, 2, COL_CLASS, Qt.ItemDataRole.ToolTipRole)
    tip = _text(model, 3, COL_END, Qt.ItemDataRole.ToolTipRole)
    assert "2026-11-17 00:15" in tip and "America/Los Angeles" in tip


def test_row_lookup_by_entry_id(entries: list[Entry]) -> None:
    model = EntryTableModel()
    model.set_rows(entries, CategoryRegistry(), TZ, DAY)
    assert model.row_of(4) == 3
    assert model.row_of(99) is None
    assert model.entry_at(1) == entries[1]


def test_set_rows_resets_the_model(qtbot, entries: list[Entry]) -> None:
    model = EntryTableModel()
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_rows(entries, CategoryRegistry(), TZ, DAY)


def test_the_record_column_marks_late_and_changed_entries(entries: list[Entry]) -> None:
    from carelog.core.ledger.record import RecordMark
    from carelog.gui.models.entry_table_model import COL_RECORD

    model = EntryTableModel()
    marks = {int(entries[0].id or 0): RecordMark(late=True),
             int(entries[1].id or 0): RecordMark(late=True, changed_later=True)}
    model.set_rows(entries, CategoryRegistry(), TZ, DAY, marks)
    assert [_text(model, r, COL_RECORD) for r in range(3)] == ["late", "late, changed", ""]
    assert "changed after its day" in _text(model, 1, COL_RECORD, Qt.ItemDataRole.ToolTipRole)
