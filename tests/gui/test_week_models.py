"""The week's Qt models: protected block occurrences and IPC minutes by category."""

from __future__ import annotations

from datetime import date

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.models import REASON_LABELS, ErosionReason
from carelog.core.ledger.compute import BlockOccurrence
from carelog.gui.models.block_table_model import (
    COL_DATE,
    COL_ESCALATED,
    COL_OUTCOME,
    COL_REASON,
    COL_TIME,
    NOT_TAGGED,
    BlockTableModel,
)
from carelog.gui.models.category_minutes_model import COL_CATEGORY, CategoryMinutesModel
from carelog.gui.models.category_minutes_model import COL_TIME as MIX_TIME
from carelog.gui.models.row_table_model import SORT_ROLE as MIX_SORT
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

DISPLAY = Qt.ItemDataRole.DisplayRole


def _occ(day: date, booked: int, honored: int, reason: ErosionReason | None = None,
         escalated: bool = False) -> BlockOccurrence:
    return BlockOccurrence(day=day, start_minute=960, end_minute=1020, label="IPC",
                           honored_min=honored, booked_over_min=booked, diverted_min=0,
                           break_min=0, unlogged_min=60 - booked - honored, reason=reason,
                           escalated=escalated)


def test_block_model_passes_the_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = BlockTableModel()
    qtmodeltester.check(model)
    model.set_rows([_occ(date(2026, 11, 17), 60, 0, ErosionReason.URGENT_OVERFLOW, True),
                    _occ(date(2026, 11, 24), 0, 60)])
    qtmodeltester.check(model)


def test_block_rows_show_date_time_outcome_reason_and_escalation() -> None:
    model = BlockTableModel()
    model.set_rows([_occ(date(2026, 11, 17), 50, 10, ErosionReason.URGENT_OVERFLOW, True),
                    _occ(date(2026, 11, 24), 0, 60)])

    def cell(row: int, col: int) -> str:
        return model.data(model.index(row, col), DISPLAY)

    assert cell(0, COL_DATE) == "Tue 17 Nov"
    assert cell(0, COL_TIME) == "16:00–17:00"
    assert cell(0, COL_OUTCOME) == "honored 10 m, booked over 50 m"
    assert cell(0, COL_REASON) == REASON_LABELS[ErosionReason.URGENT_OVERFLOW]
    assert cell(0, COL_ESCALATED) == "Yes"
    assert cell(1, COL_OUTCOME) == "honored"
    assert cell(1, COL_REASON) == NOT_TAGGED
    assert model.row_of(date(2026, 11, 24), 960) == 1
    assert model.row_of(date(2026, 11, 24), 600) is None


def test_category_model_lists_every_ipc_category_with_its_minutes(
        qtmodeltester: ModelTester) -> None:
    model = CategoryMinutesModel()
    qtmodeltester.check(model)
    model.set_rows({"documentation": 80, "messages": 45, "individual": 300}, CategoryRegistry())
    qtmodeltester.check(model)
    labels = [model.data(model.index(r, COL_CATEGORY), DISPLAY) for r in range(model.rowCount())]
    assert labels[:2] == ["Charting", "Messages"]
    assert "Session" not in labels  # direct care is not IPC
    assert len(labels) == 8
    assert model.data(model.index(0, MIX_TIME), DISPLAY) == "1 h 20 m"
    assert model.data(model.index(1, MIX_TIME), MIX_SORT) == 45
    assert model.data(model.index(2, MIX_TIME), DISPLAY) == "—"
    assert model.total_minutes() == 125
