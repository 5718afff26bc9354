"""The protected blocks of a schedule being edited: weekday, time range and label, row by row.

Rows hold the text the user typed; the schedule parser in core validates them on save and
names a bad row as protected[N], N counting from 1 in the order shown here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from carelog.core.domain.schedule import ProtectedBlock
from carelog.gui.models.row_table_model import RowTableModel
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

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

_Index = QModelIndex | QPersistentModelIndex


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
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[BlockRow]:
        """Every row, in order."""
        return list(self._rows)

    def as_dicts(self) -> list[dict[str, str]]:
        """The rows as the schedule file's list of [[protected]] tables."""
        return [r.as_dict() for r in self._rows]

    def add_row(self, row: BlockRow) -> int:
        """Append a row and return its number."""
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()
        return n

    def remove_row(self, row: int) -> None:
        """Remove one row."""
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    # ------------------------------------------------------------------ Qt overrides

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_DAY:
                return WEEKDAY_NAMES.get(r.day, r.day)
            if col == COL_TIME:
                return r.time
            if col == COL_LABEL:
                return r.label
            return None
        if role == Qt.ItemDataRole.EditRole:
            return (r.day, r.time, r.label)[col] if 0 <= col < len(_HEADERS) else None
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= col < len(_HEADERS):
            return _HEADER_TIPS[col]
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
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
