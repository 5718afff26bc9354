"""Minutes per category for one week, for the categories of one class (IPC by default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carelog.core.domain.categories import CategoryClass, CategoryRegistry
from carelog.core.domain.timeutil import fmt_minutes
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, SORT_ROLE, RowTableModel
from PySide6.QtCore import Qt

COL_CATEGORY, COL_TIME = range(2)

_HEADERS = ("Category", "Time")
_HEADER_TIPS = (
    "An indirect-patient-care category.",
    "Minutes logged in this category during the week, inside and outside scheduled hours.",
)


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
        self.replace_rows(_Row(c.code, c.label, c.meaning, by_category_min.get(c.code, 0))
                          for c in registry.all() if c.cls is cls)

    def total_minutes(self) -> int:
        """The minutes of every row together."""
        return sum(r.minutes for r in self._rows)

    def cell(self, r: _Row, col: int, role: int) -> Any:
        """The category's label and its minutes; the code in UserRole."""
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
            return RIGHT_ALIGNED
        return None
