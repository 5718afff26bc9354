"""A week's escalations: what each was about, whom the therapist told, how, and the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.models import Escalation, asked_words
from carelog.core.domain.timeutil import format_local
from carelog.gui.formatting import hhmm, short_day
from carelog.gui.models.row_table_model import SORT_ROLE, RowTableModel
from PySide6.QtCore import Qt

COL_ABOUT, COL_TOLD, COL_TO, COL_HOW, COL_ASKED, COL_RESPONSE, COL_STATE = range(7)

_HEADERS = ("About", "Told", "To", "How", "Asked", "Response", "")
_HEADER_TIPS = (
    "The protected block (with its time) or the whole day the escalation is about.",
    "When you told the manager.",
    "The role of the person you told.",
    "How you told them.",
    "What you asked for.",
    "The manager's answer and its date.",
    "Whether the matter is resolved.",
)


def about_text(e: Escalation) -> str:
    """'Tue 17 Nov 16:00 block' or 'Wed 18 Nov (day)'."""
    if e.start_minute is None:
        return f"{short_day(e.day)} (day)"
    return f"{short_day(e.day)} {hhmm(e.start_minute)} block"


class EscalationTableModel(RowTableModel[Escalation]):
    """Whole rows of escalations, set at once; the model never reads the database."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tz = ZoneInfo("UTC")

    def set_rows(self, rows: Sequence[Escalation], tz: ZoneInfo) -> None:
        """Replace every row; times are shown in the zone given."""
        self.tz = tz
        self.replace_rows(rows)

    def row_of(self, escalation_id: int) -> int | None:
        """The row of an escalation, or None."""
        return self.find_row(lambda e: e.id == escalation_id)

    def cell(self, item: Escalation, col: int, role: int) -> Any:
        """What it was about, when, to whom, how, what was asked, the answer and the state."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == SORT_ROLE:
            if col == COL_ABOUT:
                return item.day.toordinal() * 1441 + (item.start_minute or 0)
            if col == COL_TOLD:
                return item.told_at
            return self._display(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[col]
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def _display(self, e: Escalation, col: int) -> str:
        if col == COL_ABOUT:
            return about_text(e)
        if col == COL_TOLD:
            return format_local(e.told_at, self.tz)
        if col == COL_TO:
            return e.to_role
        if col == COL_HOW:
            return e.how_words()
        if col == COL_ASKED:
            return asked_words(e.asked)
        if col == COL_RESPONSE:
            return e.response_words()
        return "Resolved" if e.resolved else "Open"
