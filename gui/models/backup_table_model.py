"""Backups of the database as a table: when each was made, why, and how big it is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.backup import BackupInfo

COL_WHEN, COL_KIND, COL_SIZE = range(3)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

KIND_WORDS: dict[str, str] = {
    "daily": "Daily",
    "manual": "Made by hand",
    "pre-migration": "Before an update",
    "replaced": "Replaced database",
}

_HEADERS = ("Made", "Kind", "Size")
_HEADER_TIPS = (
    "When the backup was written (local time).",
    "Daily backups are kept for 14 days and one a week for 8 weeks; backups made by hand or "
    "before an update are kept until you delete them.",
    "The size of the backup file.",
)

_Index = QModelIndex | QPersistentModelIndex


def size_text(size: int) -> str:
    """A file size in bytes as '812 KB' or '1.4 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupTableModel(QAbstractTableModel):
    """Whole rows of backups, set at once from core.backup.list_backups."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def set_rows(self, backups: Sequence[BackupInfo]) -> None:
        """Replace every row (newest first, as given)."""
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo:
        """The backup shown in a row."""
        return self._rows[row]

    def row_of(self, path: Path) -> int | None:
        """The row of a backup file, or None."""
        for i, info in enumerate(self._rows):
            if info.path == path:
                return i
        return None

    # ------------------------------------------------------------------ Qt overrides

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_WHEN:
                return f"{info.made:%a} {info.made.day} {info.made:%b %Y %H:%M}"
            if col == COL_KIND:
                return KIND_WORDS.get(info.kind, info.kind)
            if col == COL_SIZE:
                return size_text(info.size)
            return None
        if role == SORT_ROLE:
            if col == COL_WHEN:
                return info.made.timestamp()
            if col == COL_KIND:
                return KIND_WORDS.get(info.kind, info.kind)
            if col == COL_SIZE:
                return info.size
            return None
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= col < len(_HEADERS):
            return f"{info.path} ({info.size:,} bytes)"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return str(info.path)
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
