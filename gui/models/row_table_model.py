"""The shape every Carelog table model shares: whole rows set at once, fixed columns.

Following the pattern of feeding a model complete rows inside a reset, a model never reads the
database; a subclass names its columns (`headers`, with `COL_*` constants in its module) and
says what one cell shows for one role in `cell`. Every model answers `SORT_ROLE`: with the
subclass's own key where it gives one (a number, an instant), else with the shown text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A flat table of rows of one type; subclasses set `headers` and implement `cell`."""

    headers: tuple[str, ...] = ()
    header_tips: tuple[str, ...] = ()
    # The roles `cell` answers, when a subclass names them: a view asks every cell for a dozen
    # roles each time it lays out or paints, and the others are answered at once with nothing.
    roles: frozenset[int] | None = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def replace_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row at once (one model reset)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        """Every row, in the order shown."""
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        """The object shown in a row."""
        return self._rows[row]

    def find_row(self, matches: Callable[[Row], bool]) -> int | None:
        """The first row whose object matches, or None."""
        return next((i for i, item in enumerate(self._rows) if matches(item)), None)

    def insert_row(self, row: int, item: Row) -> int:
        """Insert one row before `row` (clamped to the table); return where it went."""
        row = max(0, min(row, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, item)
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> bool:
        """Remove one row; False when there is no such row."""
        if not 0 <= row < len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def column_changed(self, col: int) -> None:
        """Say that every cell of one column may show something else now."""
        if self._rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def cell(self, item: Row, col: int, role: int) -> Any:
        """What one cell shows for one role (None for nothing)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ Qt overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """How many rows (a flat table: none under a row)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """How many columns (a flat table: none under a row)."""
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        """What a cell shows for a role, from `cell` (the shown text when it gives no sort key)."""
        if self.roles is not None and role not in self.roles:
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.headers):
            return None
        item = self._rows[index.row()]
        value = self.cell(item, index.column(), role)
        if value is None and role == SORT_ROLE:
            text = self.cell(item, index.column(), DISPLAY)
            return text.casefold() if isinstance(text, str) else text
        return value

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        """A column's title and its tip."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == DISPLAY:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.header_tips):
            return self.header_tips[section]
        return None
