"""The committee CSV's own header and cells, shown before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carelog.gui.models.row_table_model import RIGHT_ALIGNED, RowTableModel
from carelog.gui.theme import status_colour
from PySide6.QtCore import Qt
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


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


class ExportPreviewModel(RowTableModel[list[str]]):
    """Whole rows of text cells, set at once from carelog.core.exporting.committee.csv_rows.

    The columns are the CSV's own, so they are named by the file's header rather than by
    constants here: `column_of("week")` finds one.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._week_col = -1
        self._status_col = -1

    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Replace the header and every row with the CSV's cells."""
        self.beginResetModel()
        self.headers = tuple(header)
        self.header_tips = tuple(_HEADER_TIPS.get(name, f"The CSV column {name}.")
                                 for name in header)
        self._week_col = self.column_of("week")
        self._status_col = self.column_of("status")
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def header(self) -> list[str]:
        """The column names, as the CSV's first line has them."""
        return list(self.headers)

    def cells(self) -> list[list[str]]:
        """Every cell shown, row by row (the CSV's lines after the header)."""
        return [list(r) for r in self._rows]

    def column_of(self, name: str) -> int:
        """The column holding a CSV field, or -1."""
        return self.headers.index(name) if name in self.headers else -1

    def cell(self, row: list[str], col: int, role: int) -> Any:
        """The CSV's text; numbers right-aligned, the status in its colour, totals in bold."""
        if col >= len(row):
            return None
        text = row[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.headers[col]}: {text}" if text else f"{self.headers[col]}: empty"
        if role == Qt.ItemDataRole.TextAlignmentRole and _is_number(text):
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.ForegroundRole and col == self._status_col \
                and text in _STATUSES:
            return status_colour(text)
        if role == Qt.ItemDataRole.FontRole and self._is_total(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _is_total(self, row: list[str]) -> bool:
        return 0 <= self._week_col < len(row) and row[self._week_col] == TOTAL_WEEK
