"""The entries of a day as a table: start, end, minutes, category, class and note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import to_local
from carelog.core.ledger.record import RecordMark
from carelog.gui.formatting import class_text, class_tip, zone_words
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, SORT_ROLE, RowTableModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

COL_START, COL_END, COL_MINUTES, COL_CATEGORY, COL_CLASS, COL_NOTE, COL_RECORD = range(7)

_HEADERS = ("Start", "End", "Min", "Category", "Counts as", "Note", "Record")
_HEADER_TIPS = (
    "When the entry began (local time); the date is shown when it is not the day shown.",
    "When the entry ended (local time); the date is shown when it ends on another day.",
    "Length in whole minutes.",
    "The activity category.",
    "What the category counts toward in the weekly ledger.",
    "Your private note; it never leaves this computer in an export.",
    "late: recorded after the day it happened; changed: its times or category were changed "
    "after its day. Edit ▸ History of entry (Ctrl+H) shows every version.",
)


@dataclass(frozen=True, slots=True)
class _Row:
    entry: Entry
    start_text: str
    end_text: str
    span_tip: str
    label: str
    meaning: str
    class_text: str
    class_tip: str
    mark: RecordMark
    planned: bool = False


def _time_text(moment: datetime, day: date) -> str:
    if moment.date() == day:
        return f"{moment:%H:%M}"
    if moment.date() == day + timedelta(days=1) and (moment.hour, moment.minute) == (0, 0):
        return "24:00"
    return f"{moment:%Y-%m-%d %H:%M}"


class EntryTableModel(RowTableModel[_Row]):
    """Whole rows of entries, set at once; the model never reads the database."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS
    roles = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole, SORT_ROLE,
                       Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole})

    def set_rows(self, entries: Sequence[Entry], registry: CategoryRegistry, tz: ZoneInfo,
                 day: date | None = None, marks: Mapping[int, RecordMark] | None = None,
                 now: int | None = None) -> None:
        """Replace every row; times are shown in tz, with dates when off the given day.

        `marks` says, by entry id, which entries were recorded late or changed after their day;
        with `now`, entries that have not happened yet are marked planned.
        """
        rows: list[_Row] = []
        for e in entries:
            start, end = to_local(e.start, tz), to_local(e.end, tz)
            shown = day if day is not None else start.date()
            info = registry.get(e.category) if e.category in registry else None
            cls = registry.class_of(e.category)
            rows.append(_Row(
                entry=e,
                start_text=_time_text(start, shown),
                end_text=_time_text(end, shown),
                span_tip=(f"{start:%a %Y-%m-%d %H:%M} to {end:%a %Y-%m-%d %H:%M} "
                          f"({zone_words(tz.key)})"),
                label=info.label if info else e.category,
                meaning=info.meaning if info else f"Category code '{e.category}'",
                class_text=class_text(info, cls),
                class_tip=class_tip(info, cls),
                mark=(marks or {}).get(int(e.id or 0), RecordMark()),
                planned=now is not None and e.planned(now),
            ))
        self.replace_rows(rows)

    def entry_at(self, row: int) -> Entry:
        """The entry shown in a row."""
        return self.row_at(row).entry

    def row_of(self, entry_id: int) -> int | None:
        """The row showing an entry id, or None."""
        return self.find_row(lambda r: r.entry.id == entry_id)

    def entries(self) -> list[Entry]:
        """Every entry shown, in row order."""
        return [r.entry for r in self._rows]

    def cell(self, r: _Row, col: int, role: int) -> Any:
        """Local times, minutes, category, what it counts as and the note; the id in UserRole."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.UserRole:
            return r.entry.id
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_MINUTES:
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.FontRole and r.planned:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    # ------------------------------------------------------------------ cells

    @staticmethod
    def _display(r: _Row, col: int) -> str | None:
        if col == COL_START:
            return f"{r.start_text} · planned" if r.planned else r.start_text
        if col == COL_END:
            return r.end_text
        if col == COL_MINUTES:
            return str(r.entry.minutes)
        if col == COL_CATEGORY:
            return r.label
        if col == COL_CLASS:
            return r.class_text
        if col == COL_NOTE:
            return r.entry.note
        if col == COL_RECORD:
            return r.mark.text
        return None

    @staticmethod
    def _sort_key(r: _Row, col: int) -> int | str | None:
        if col == COL_START:
            return r.entry.start
        if col == COL_END:
            return r.entry.end
        if col == COL_MINUTES:
            return r.entry.minutes
        if col == COL_CATEGORY:
            return r.label.casefold()
        if col == COL_CLASS:
            return r.class_text.casefold()
        if col == COL_NOTE:
            return r.entry.note.casefold()
        if col == COL_RECORD:
            return r.mark.text
        return None

    @staticmethod
    def _tooltip(r: _Row, col: int) -> str | None:
        if col in (COL_START, COL_END, COL_MINUTES):
            planned = ("\nPlanned: it has not happened yet and counts once its time has "
                       "passed." if r.planned else "")
            return f"{r.span_tip}, {r.entry.minutes} minutes{planned}"
        if col == COL_CATEGORY:
            return r.meaning
        if col == COL_CLASS:
            return r.class_tip
        if col == COL_NOTE:
            return r.entry.note or None
        if col == COL_RECORD:
            return r.mark.tip or None
        return None
