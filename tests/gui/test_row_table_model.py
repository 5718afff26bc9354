"""The table-model base: whole rows in, rows found, added and removed, and a sort role."""

from __future__ import annotations

from typing import Any

from carelog.gui.models.row_table_model import SORT_ROLE, RowTableModel
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

DISPLAY = Qt.ItemDataRole.DisplayRole


class _Pairs(RowTableModel[tuple[str, int]]):
    headers = ("Name", "Minutes")
    header_tips = ("Who.",)

    def cell(self, item: tuple[str, int], col: int, role: int) -> Any:
        if role == DISPLAY:
            return item[col] if col == 0 else f"{item[1]} m"
        if role == SORT_ROLE and col == 1:
            return item[1]
        return None


def test_rows_are_replaced_found_inserted_and_removed(
        qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = _Pairs()
    qtmodeltester.check(model)
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.replace_rows([("Ana", 50), ("Ben", 9)])
    qtmodeltester.check(model)
    assert model.find_row(lambda p: p[0] == "Ben") == 1
    assert model.find_row(lambda p: p[0] == "Cy") is None
    assert model.insert_row(99, ("Cy", 10)) == 2  # clamped to the end
    assert model.insert_row(-5, ("Di", 1)) == 0
    assert [p[0] for p in model.rows()] == ["Di", "Ana", "Ben", "Cy"]
    assert model.remove_row(1)
    assert not model.remove_row(7)
    assert [p[0] for p in model.rows()] == ["Di", "Ben", "Cy"]
    qtmodeltester.check(model)


def test_the_sort_role_falls_back_to_the_shown_text_and_headers_carry_tips() -> None:
    model = _Pairs()
    model.replace_rows([("Ana", 50)])
    assert model.data(model.index(0, 1), SORT_ROLE) == 50
    assert model.data(model.index(0, 0), SORT_ROLE) == "ana"
    assert model.data(model.index(0, 2), DISPLAY) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Who."
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
