"""The protected block occurrences of a week: when, what happened to each, and its tag."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from carelog.core.domain.models import REASON_LABELS
from carelog.core.ledger.compute import BlockOccurrence
from carelog.gui.formatting import hhmm, short_day
from carelog.gui.models.row_table_model import SORT_ROLE, RowTableModel
from carelog.gui.theme import status_colour
from PySide6.QtCore import Qt

COL_DATE, COL_TIME, COL_LABEL, COL_OUTCOME, COL_REASON, COL_ESCALATED = range(6)

_HEADERS = ("Date", "Time", "Block", "What happened", "Reason", "Escalated")
_HEADER_TIPS = (
    "The date of this occurrence of the block.",
    "The block's time range in your schedule.",
    "The block's label in your schedule.",
    "How the block's minutes were used: honored (indirect patient care), booked over (direct "
    "care), diverted (other work), break, or unlogged (nothing logged).",
    "The reason you recorded for losing the block, if any.",
    "Whether you escalated the loss to a manager.",
)
NOT_TAGGED = "—"


def _fate(occ: BlockOccurrence) -> str:
    """Which status colour tells this block's story at a glance."""
    # Only the minutes that have passed tell a story; a block not reached yet stays grey.
    passed = occ.scheduled_min - occ.upcoming_min
    if passed == 0:
        return "upcoming"
    if occ.honored_min == passed:
        return "met"
    if occ.unlogged_min == passed:
        return "no_target"
    return "partly_met" if occ.honored_min else "not_met"


class BlockTableModel(RowTableModel[BlockOccurrence]):
    """Whole rows of block occurrences, set at once from a week's ledger record."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_rows(self, occurrences: Sequence[BlockOccurrence]) -> None:
        """Replace every row."""
        self.replace_rows(occurrences)

    def occurrence_at(self, row: int) -> BlockOccurrence:
        """The occurrence shown in a row."""
        return self.row_at(row)

    def row_of(self, day: date, start_minute: int) -> int | None:
        """The row of the block starting at start_minute on day, or None."""
        return self.find_row(lambda occ: occ.day == day and occ.start_minute == start_minute)

    def cell(self, occ: BlockOccurrence, col: int, role: int) -> Any:
        """Date, time, label, outcome (in its status colour), reason and escalation."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(occ, col)
        if role == Qt.ItemDataRole.UserRole:
            return f"{occ.day.isoformat()} {hhmm(occ.start_minute)}"
        if role == SORT_ROLE:
            return self._sort_key(occ, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(occ, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_OUTCOME:
            return status_colour(_fate(occ))
        return None

    # ------------------------------------------------------------------ cells

    @staticmethod
    def _display(occ: BlockOccurrence, col: int) -> str | None:
        if col == COL_DATE:
            return short_day(occ.day)
        if col == COL_TIME:
            return f"{hhmm(occ.start_minute)}–{hhmm(occ.end_minute)}"
        if col == COL_LABEL:
            return occ.label
        if col == COL_OUTCOME:
            return occ.outcome
        if col == COL_REASON:
            return REASON_LABELS[occ.reason] if occ.reason else NOT_TAGGED
        if col == COL_ESCALATED:
            return "Yes" if occ.escalated else "No"
        return None

    @staticmethod
    def _sort_key(occ: BlockOccurrence, col: int) -> int | str | None:
        if col in (COL_DATE, COL_TIME):
            return occ.day.toordinal() * 1440 + occ.start_minute
        if col == COL_LABEL:
            return occ.label.casefold()
        if col == COL_OUTCOME:
            return occ.honored_min
        if col == COL_REASON:
            return REASON_LABELS[occ.reason] if occ.reason else ""
        if col == COL_ESCALATED:
            return int(occ.escalated)
        return None

    @staticmethod
    def _tooltip(occ: BlockOccurrence, col: int) -> str | None:
        if col == COL_OUTCOME:
            return (f"Of {occ.scheduled_min} minutes: honored {occ.honored_min}, booked over "
                    f"{occ.booked_over_min}, diverted {occ.diverted_min}, break "
                    f"{occ.break_min}, unlogged {occ.unlogged_min}.")
        if col == COL_REASON and occ.reason is None:
            return "Not tagged; select the block and choose a reason below."
        return _HEADER_TIPS[col]
