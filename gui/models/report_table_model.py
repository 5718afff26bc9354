"""The committee report's week-by-week table as the preview shows it (the PDF prints the same)."""

from __future__ import annotations

from typing import Any

from carelog.core.exporting.report_table import HEADER, HEADER_TIPS, ReportTable
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, RowTableModel
from carelog.gui.theme import status_colour
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

COL_WEEK, COL_STATUS = HEADER.index("Week"), HEADER.index("Status")

# One row: its cells and its status code (for the colour beside the words and the mark).
Line = tuple[list[str], str]


class ReportTableModel(RowTableModel[Line]):
    """Whole rows of core's report table, set at once; the totals row in bold."""

    headers = HEADER
    header_tips = HEADER_TIPS

    def set_table(self, table: ReportTable | None) -> None:
        """Show a report's table (or nothing)."""
        self.replace_rows([] if table is None else
                          list(zip(table.rows, table.statuses, strict=True)))

    def cell(self, item: Line, col: int, role: int) -> Any:
        """The report's text; numbers right-aligned, the status in its colour, totals bold."""
        cells, status = item
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in (COL_WEEK, COL_STATUS):
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return status_colour(status)
        if role == Qt.ItemDataRole.FontRole and item is self._rows[-1]:
            font = QFont()
            font.setBold(True)
            return font
        return None
