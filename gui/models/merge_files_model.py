"""The summary files chosen for a clinic roll-up: who each is from, its weeks, or its problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carelog.core.exporting.merge import SummaryFile
from carelog.gui.models.row_table_model import RowTableModel
from carelog.gui.theme import error_colour
from PySide6.QtCore import Qt

COL_FILE, COL_CONTRIBUTOR, COL_WEEKS, COL_EXPORTED, COL_CHECK = range(5)
READY = "ready to merge"

_HEADERS = ("File", "Contributor", "Weeks", "Exported at", "Check")
_HEADER_TIPS = (
    "The summary file a clinician exported from Carelog (JSON).",
    "The clinician's anonymous contributor id, or the display name they chose to show.",
    "The ISO weeks the file covers, and how many.",
    "When the clinician exported the file (UTC). For the same clinician and week, the newest "
    "export is used.",
    "Whether the file can be merged, or why it cannot.",
)


@dataclass(frozen=True, slots=True)
class ListedFile:
    """One chosen file: its validated summary, or the one-sentence reason it was refused."""

    path: Path
    summary: SummaryFile | None
    error: str | None


def _exported(text: str) -> str:
    """'2026-11-20T14:03:11Z' as '2026-11-20 14:03 UTC'."""
    if len(text) >= 16 and text[10] == "T":
        return f"{text[:10]} {text[11:16]} UTC"
    return text or "—"


class MergeFilesModel(RowTableModel[ListedFile]):
    """Whole rows of listed files, set at once."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_rows(self, files: Sequence[ListedFile]) -> None:
        """Replace every row."""
        self.replace_rows(files)

    def files(self) -> list[ListedFile]:
        """The listed files, in the order shown."""
        return self.rows()

    def paths(self) -> list[Path]:
        """The paths of the listed files."""
        return [f.path for f in self._rows]

    def file_at(self, row: int) -> ListedFile:
        """The file shown in a row."""
        return self.row_at(row)

    def errors(self) -> list[str]:
        """The refusal of every file that cannot be merged."""
        return [f.error for f in self._rows if f.error]

    def cell(self, f: ListedFile, col: int, role: int) -> Any:
        """Who the file is from and its weeks, or why it cannot be merged (in red)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(f, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_FILE:
                return str(f.path)
            if col == COL_CHECK and f.error:
                return f.error
            if col == COL_CONTRIBUTOR and f.summary is not None:
                return ("A display name the clinician chose to show." if f.summary.display_name
                        else "An anonymous contributor id.")
            return _HEADER_TIPS[col]
        if role == Qt.ItemDataRole.ForegroundRole and f.error:
            return error_colour()
        if role == Qt.ItemDataRole.UserRole:
            return str(f.path)
        return None

    @staticmethod
    def _display(f: ListedFile, col: int) -> str | None:
        if col == COL_FILE:
            return f.path.name
        if col == COL_CHECK:
            return f.error or READY
        s = f.summary
        if s is None:
            return ""
        if col == COL_CONTRIBUTOR:
            return s.display_name or s.contributor
        if col == COL_WEEKS:
            if not s.weeks:
                return "none"
            first, last = s.weeks[0].week, s.weeks[-1].week
            span = first if first == last else f"{first} to {last}"
            return f"{span} ({len(s.weeks)})"
        if col == COL_EXPORTED:
            return _exported(s.exported_at)
        return None
