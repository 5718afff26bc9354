"""Minutes per category for one week, for the categories of one class (IPC by default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.categories import CategoryClass, CategoryRegistry
from core.timeutil import fmt_minutes

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


class CategoryMinutesModel(QAbstractTableModel):
    """Whole rows of (category, minutes), set at once from a week's by-category minutes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

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

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

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

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        return None
