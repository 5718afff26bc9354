"""The committee CSV's own header and cells, shown before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carelog.gui.theme import status_colour
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

TOTAL_WEEK = "total"
_STATUSES = frozenset({"met", "partly_met", "not_met", "no_target"})

# What the less obvious columns mean; the rest are named after the ledger's fields.
_HEADER_TIPS: dict[str, str] = {
    "contributor": "Your anonymous contributor id: random, made once for this database.",
    "display_name": "Your display name, only when you chose to show it; otherwise empty.",
    "week": "The ISO week (Monday to Sunday); the last row holds the totals.",
    "target_min": "Your protected-time target, in minutes.",
    "ipc_in_hours_min": "Indirect patient care inside scheduled hours: the protected time "
                        "received, in minutes.",
    "ipc_after_hours_min": "Indirect patient care outside scheduled hours or on leave days, "
                           "in minutes.",
    "after_hours_min": "All work outside scheduled hours or on leave days, in minutes.",
    "attainment": "Received divided by target (1.0 is 100 %).",
    "access_days": "Your next available return appointment, in business days.",
    "direct_sessions": "Direct-care sessions; 1 to 10 is written as <11.",
    "safety_events": "Safety and mandated events; 1 to 10 is written as <11.",
}

_Index = QModelIndex | QPersistentModelIndex


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


class ExportPreviewModel(QAbstractTableModel):
    """Whole rows of text cells, set at once from carelog.core.exporting.committee.csv_rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._header: list[str] = []
        self._rows: list[list[str]] = []
        self._week_col = -1
        self._status_col = -1

    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Replace the header and every row with the CSV's cells."""
        self.beginResetModel()
        self._header = list(header)
        self._rows = [list(r) for r in rows]
        self._week_col = self._header.index("week") if "week" in self._header else -1
        self._status_col = self._header.index("status") if "status" in self._header else -1
        self.endResetModel()

    def header(self) -> list[str]:
        """The column names, as the CSV's first line has them."""
        return list(self._header)

    def cells(self) -> list[list[str]]:
        """Every cell shown, row by row (the CSV's lines after the header)."""
        return [list(r) for r in self._rows]

    def column_of(self, name: str) -> int:
        """The column holding a CSV field, or -1."""
        return self._header.index(name) if name in self._header else -1

    # ------------------------------------------------------------------ Qt overrides

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if not 0 <= col < len(row):
            return None
        cell = row[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._header[col]}: {cell}" if cell else f"{self._header[col]}: empty"
        if role == Qt.ItemDataRole.TextAlignmentRole and _is_number(cell):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self._status_col \
                and cell in _STATUSES:
            return status_colour(cell)
        if role == Qt.ItemDataRole.FontRole and self._is_total(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._header):
            return None
        name = self._header[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(name, f"The CSV column {name}.")
        return None

    def _is_total(self, row: list[str]) -> bool:
        return 0 <= self._week_col < len(row) and row[self._week_col] == TOTAL_WEEK
