"""The protected blocks of a schedule being edited: weekday, time range and label, row by row.

Rows hold the text the user typed; the schedule parser in core validates them on save and
names a bad row as protected[N], N counting from 1 in the order shown here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from carelog.core.domain.schedule import ProtectedBlock
from carelog.gui.models.row_table_model import Index, RowTableModel
from PySide6.QtCore import Qt

COL_DAY, COL_TIME, COL_LABEL = range(3)

WEEKDAY_NAMES: dict[str, str] = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}

_HEADERS = ("Day", "Time", "Label")
_HEADER_TIPS = (
    "The weekday the block recurs on.",
    "The block's time range, such as 16:00-17:00; it must lie inside that day's working hours.",
    "A short name for the block, such as IPC.",
)


@dataclass(frozen=True, slots=True)
class BlockRow:
    """One row as typed: a weekday code, a time range text and a label."""

    day: str
    time: str
    label: str = "IPC"

    def as_dict(self) -> dict[str, str]:
        """The row in the shape of a [[protected]] table of the schedule file."""
        return {"day": self.day, "time": self.time.strip(), "label": self.label.strip() or "IPC"}


class ProtectedBlockModel(RowTableModel[BlockRow]):
    """Editable rows of protected blocks; every cell is plain text until core validates it."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_blocks(self, blocks: Sequence[ProtectedBlock]) -> None:
        """Replace every row with a schedule version's blocks."""
        self.set_rows([BlockRow(b.day, b.span.text(), b.label) for b in blocks])

    def set_rows(self, rows: Sequence[BlockRow]) -> None:
        """Replace every row."""
        self.replace_rows(rows)

    def as_dicts(self) -> list[dict[str, str]]:
        """The rows as the schedule file's list of [[protected]] tables."""
        return [r.as_dict() for r in self._rows]

    def add_row(self, row: BlockRow) -> int:
        """Append a row and return its number."""
        return self.insert_row(len(self._rows), row)

    def cell(self, r: BlockRow, col: int, role: int) -> Any:
        """The weekday's name, the time range and the label, as typed."""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_DAY:
                return WEEKDAY_NAMES.get(r.day, r.day)
            return r.time if col == COL_TIME else r.label
        if role == Qt.ItemDataRole.EditRole:
            return (r.day, r.time, r.label)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[col]
        return None

    # ------------------------------------------------------------------ Qt overrides

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Take an edited weekday, time range or label; False for an unknown weekday."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or not 0 <= index.row() < len(self._rows):
            return False
        text = str(value).strip()
        r = self._rows[index.row()]
        col = index.column()
        if col == COL_DAY:
            code = next((k for k, v in WEEKDAY_NAMES.items()
                         if text.lower() in (k, v.lower())), None)
            if code is None:
                return False
            new = replace(r, day=code)
        elif col == COL_TIME:
            new = replace(r, time=text.replace("–", "-").replace(" ", ""))
        elif col == COL_LABEL:
            new = replace(r, label=text)
        else:
            return False
        if new != r:
            self._rows[index.row()] = new
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                                 Qt.ItemDataRole.EditRole])
        return True


__all__ = ["COL_DAY", "COL_LABEL", "COL_TIME", "WEEKDAY_NAMES", "BlockRow",
           "ProtectedBlockModel"]
