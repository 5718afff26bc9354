"""Activity categories as a table: code, label, what each counts as, built in or the user's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carelog.core.domain.categories import CategoryInfo
from carelog.gui.formatting import class_text, class_tip
from carelog.gui.models.row_table_model import RowTableModel
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

COL_CODE, COL_LABEL, COL_CLASS, COL_KIND = range(4)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

BUILT_IN = "Built in"
YOURS = "Yours"

_HEADERS = ("Code", "Label", "Counts as", "Kind")
_HEADER_TIPS = (
    "The code used on the command line, in imports and in exports.",
    "The name shown in the window.",
    "What the category counts toward in the weekly ledger: IPC, direct care or other work.",
    "Built-in categories cannot be removed; your own can, while no entry uses them.",
)

_Index = QModelIndex | QPersistentModelIndex


class CategoryTableModel(RowTableModel[CategoryInfo]):
    """Whole rows of categories, set at once from the store's registry."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_rows(self, categories: Sequence[CategoryInfo]) -> None:
        """Replace every row (in the order given)."""
        self.beginResetModel()
        self._rows = list(categories)
        self.endResetModel()

    def category_at(self, row: int) -> CategoryInfo:
        """The category shown in a row."""
        return self._rows[row]

    def row_of(self, code: str) -> int | None:
        """The row of a category code, or None."""
        for i, info in enumerate(self._rows):
            if info.code == code:
                return i
        return None

    # ------------------------------------------------------------------ Qt overrides

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            text = self._display(info, col)
            return text.casefold() if role == SORT_ROLE and text is not None else text
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CLASS:
                return class_tip(info, info.cls)
            if col == COL_KIND:
                return _HEADER_TIPS[COL_KIND]
            if 0 <= col < len(_HEADERS):
                return info.meaning
            return None
        if role == Qt.ItemDataRole.UserRole:
            return info.code
        return None

    @staticmethod
    def _display(info: CategoryInfo, col: int) -> str | None:
        if col == COL_CODE:
            return info.code
        if col == COL_LABEL:
            return info.label
        if col == COL_CLASS:
            return class_text(info, info.cls)
        if col == COL_KIND:
            return BUILT_IN if info.builtin else YOURS
        return None
