"""Leave days as a table: date, how much of the day, and the kind of leave."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from carelog.core.domain.models import Leave, LeaveType
from carelog.core.domain.timeutil import fmt_minutes
from carelog.gui.models.keyed_table_model import KeyedTableModel
from carelog.gui.models.row_table_model import SORT_ROLE
from PySide6.QtCore import Qt

COL_DATE, COL_AMOUNT, COL_TYPE = range(3)

LEAVE_WORDS: dict[LeaveType, str] = {
    LeaveType.PTO: "PTO",
    LeaveType.SICK: "Sick",
    LeaveType.HOLIDAY: "Holiday",
    LeaveType.EDUCATION: "Education",
    LeaveType.OTHER: "Other",
}
WHOLE_DAY = "Whole day"

_HEADERS = ("Date", "Leave", "Type")
_HEADER_TIPS = (
    "The date of the leave.",
    "The whole day, or the hours of leave taken that day. Leave lowers the week's expected "
    "hours, and with them its protected-time target.",
    "The kind of leave; every kind lowers the expected hours the same way.",
)


def amount_text(leave: Leave) -> str:
    """'Whole day' or the hours of a partial-day leave, e.g. '4 h 0 m'."""
    return WHOLE_DAY if leave.whole_day else fmt_minutes(leave.minutes or 0)


class LeaveTableModel(KeyedTableModel[Leave, date]):
    """Whole rows of leave, set at once; the model never reads the database."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def in_order(self, rows: Iterable[Leave]) -> list[Leave]:
        """Leave is shown in date order."""
        return sorted(rows, key=lambda x: x.day)

    def key(self, item: Leave) -> date:
        """A leave is found again by its date."""
        return item.day

    def cell(self, leave: Leave, col: int, role: int) -> Any:
        """Date, amount and type; the whole leave in the tooltip, the date in UserRole."""
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_DATE:
                return f"{leave.day:%a} {leave.day.day} {leave.day:%b %Y}"
            if col == COL_AMOUNT:
                return amount_text(leave)
            return LEAVE_WORDS[leave.type]
        if role == SORT_ROLE:
            if col == COL_DATE:
                return leave.day.isoformat()
            if col == COL_AMOUNT:
                return 24 * 60 + 1 if leave.whole_day else leave.minutes
            return LEAVE_WORDS[leave.type]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{leave.day.isoformat()}: {amount_text(leave).lower()} of " \
                   f"{LEAVE_WORDS[leave.type]} leave."
        if role == Qt.ItemDataRole.UserRole:
            return leave.day.isoformat()
        return None
