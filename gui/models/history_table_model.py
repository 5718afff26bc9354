"""An entry's history as a table: when, what, how, what changed, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.history import (
    ACTION_WORDS,
    REASON_WORDS,
    VIA_WORDS,
    HistoryEvent,
    changes_text,
    with_changes,
)
from carelog.core.domain.timeutil import format_local
from carelog.gui.models.row_table_model import RowTableModel
from PySide6.QtCore import Qt

COL_WHEN, COL_ACTION, COL_VIA, COL_CHANGES, COL_REASON = range(5)

_HEADERS = ("When", "What", "How", "What changed", "Reason")
_HEADER_TIPS = (
    "When the change was saved, in your time zone (the history keeps it in UTC).",
    "Added, changed, deleted, imported, undo or redo. An undo is a new event: nothing in the "
    "history is ever erased.",
    "Where the change came from: the window's form, the quick log, the timer, the timeline, "
    "the command line, an import, undo or redo.",
    "Each field that changed, old → new. A note is never kept in the history, only that it "
    "changed.",
    "For a change to a week a committee export sealed: the reason given. Exports count the "
    "reasons' categories; your words stay on this computer.",
)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One event as the table shows it."""

    event: HistoryEvent
    when: str
    changes: str
    reason: str


class HistoryTableModel(RowTableModel[HistoryRow]):
    """The events of one entry, oldest first; the model never reads the database."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def set_events(self, events: list[HistoryEvent], tz: ZoneInfo,
                   label_of: Callable[[str], str] | None = None) -> None:
        """Replace every row with the events of one entry (oldest first).

        `label_of` names categories by their labels (the registry's `label_of`).
        """
        rows = []
        for ev, changes in with_changes(events, tz):
            reason = ""
            if ev.reason is not None:
                reason = REASON_WORDS[ev.reason.code]
                if ev.reason.text:
                    reason += f": {ev.reason.text}"
            rows.append(HistoryRow(ev, format_local(ev.at, tz), changes_text(changes, label_of),
                                   reason))
        self.replace_rows(rows)

    def cell(self, item: HistoryRow, col: int, role: int) -> Any:
        """When, what, how, what changed and why; the long ones in full in their tooltips."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.when, ACTION_WORDS[item.event.action], VIA_WORDS[item.event.via],
                    item.changes, item.reason)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_CHANGES, COL_REASON):
            return (item.changes, item.reason)[col - COL_CHANGES] or None
        return None
