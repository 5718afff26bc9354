"""Backups of the database as a table: when each was made, why, and how big it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carelog.core.store.backup import BackupInfo
from carelog.gui.models.keyed_table_model import KeyedTableModel
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, SORT_ROLE
from PySide6.QtCore import Qt

COL_WHEN, COL_KIND, COL_SIZE = range(3)

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


def size_text(size: int) -> str:
    """A file size in bytes as '812 KB' or '1.4 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupTableModel(KeyedTableModel[BackupInfo, Path]):
    """Whole rows of backups (newest first, as carelog.core.store.backup.list_backups gives)."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def key(self, item: BackupInfo) -> Path:
        """A backup is found again by its file."""
        return item.path

    def cell(self, info: BackupInfo, col: int, role: int) -> Any:
        """Made, kind and size; the file path in tooltips and UserRole."""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_WHEN:
                return f"{info.made:%a} {info.made.day} {info.made:%b %Y %H:%M}"
            if col == COL_KIND:
                return KIND_WORDS.get(info.kind, info.kind)
            return size_text(info.size)
        if role == SORT_ROLE:
            if col == COL_WHEN:
                return info.made.timestamp()
            if col == COL_KIND:
                return KIND_WORDS.get(info.kind, info.kind)
            return info.size
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{info.path} ({info.size:,} bytes)"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.UserRole:
            return str(info.path)
        return None
