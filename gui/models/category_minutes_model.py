"""Minutes per category for one week, for the categories of one class (IPC by default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carelog.core.domain.categories import CategoryClass, CategoryRegistry
from carelog.core.domain.timeutil import fmt_minutes
from carelog.gui.models.row_table_model import RowTableModel
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

COL_CATEGORY, COL_TIME = range(2)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_HEADERS = ("Category", "Time")
_HEADER_TIPS = (
    "An indirect-patient-care category.",
    "Minutes logged in this category during the week, inside and outside scheduled hours.",
)

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Row:
    code: str
    label: str
    meaning: str
    minutes: int


class CategoryMinutesModel(RowTableModel[_Row]):
    """Whole rows of (category, minutes), set at once from a week's by-category minutes."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_rows(self, by_category_min: Mapping[str, int], registry: CategoryRegistry,
                 cls: CategoryClass = CategoryClass.IPC) -> None:
        """Replace every row: each category of the class, in the registry's order."""
        rows = [_Row(c.code, c.label, c.meaning, by_category_min.get(c.code, 0))
                for c in registry.all() if c.cls is cls]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def total_minutes(self) -> int:
        """The minutes of every row together."""
        return sum(r.minutes for r in self._rows)

    # ------------------------------------------------------------------ Qt overrides

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CATEGORY:
                return r.label
            return fmt_minutes(r.minutes) if r.minutes else "—"
        if role == Qt.ItemDataRole.UserRole:
            return r.code
        if role == SORT_ROLE:
            return r.label.casefold() if col == COL_CATEGORY else r.minutes
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.meaning if col == COL_CATEGORY else f"{r.minutes} minutes"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_TIME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

