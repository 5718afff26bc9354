"""The whole log as one table, read a page at a time as the person scrolls.

The model never reads the database itself: the view hands it a `pager`, a function that
returns the next page of entries after the last one shown (core's `Store.search_entries`).
Qt asks `canFetchMore`/`fetchMore` as the table scrolls, so ten years open as fast as a week.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.codes import LOG_PAGE
from carelog.core.domain.models import Entry, Source
from carelog.core.domain.timeutil import to_local
from carelog.gui.formatting import class_text
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, SORT_ROLE, Index, RowTableModel
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

COL_DAY, COL_START, COL_END, COL_MINUTES, COL_CATEGORY, COL_CLASS, COL_SOURCE, COL_NOTE = \
    range(8)

Pager = Callable[[tuple[int, int] | None], list[Entry]]

SOURCE_WORDS: dict[Source, str] = {
    Source.MANUAL: "Typed in",
    Source.QUICK: "Quick log",
    Source.TIMER: "Timer",
    Source.IMPORT_ICS: "Calendar import",
    Source.IMPORT_CSV: "Spreadsheet import",
    Source.DEMO: "Sample data",
}


_ANSWERED = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole, SORT_ROLE,
                       Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                       Qt.ItemDataRole.TextAlignmentRole})


@dataclass(slots=True)
class _Row:
    """An entry and the words for it, worked out the first time the row is painted."""

    entry: Entry
    planned: bool
    texts: tuple[str, ...] | None = None


class LogTableModel(RowTableModel[_Row]):
    """Entries newest first, fetched a page at a time through the pager it is given."""

    headers = ("Day", "Start", "End", "Min", "Category", "Counts as", "From", "Note")
    header_tips = (
        "The day the entry began; planned entries have not happened yet and count once "
        "their time has passed.",
        "When the entry began (local time).", "When the entry ended (local time).",
        "Length in whole minutes.", "The activity category.",
        "What the category counts toward in the weekly ledger.",
        "How the entry came into the log.",
        "Your private note; it never leaves this computer in a committee export.",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pager: Pager | None = None
        self._registry = CategoryRegistry()
        self._tz = ZoneInfo("UTC")
        self._now = 0
        self._more = False

    def start(self, pager: Pager, registry: CategoryRegistry, tz: ZoneInfo, now: int) -> None:
        """Show the first page of what the pager finds (one model reset)."""
        self._pager, self._registry, self._tz, self._now = pager, registry, tz, now
        first = pager(None)
        self._more = len(first) >= LOG_PAGE
        self.replace_rows(self._make(first))

    def entries(self) -> list[Entry]:
        """The entries read so far, in row order."""
        return [r.entry for r in self._rows]

    def entry_at(self, row: int) -> Entry:
        """The entry shown in a row."""
        return self.row_at(row).entry

    def _make(self, entries: Sequence[Entry]) -> list[_Row]:
        # Only the rows on screen are ever painted: their words are worked out then (`_texts`),
        # so a page costs the same however long its rows' words would take.
        return [_Row(e, e.planned(self._now)) for e in entries]

    def _texts(self, r: _Row) -> tuple[str, ...]:
        if r.texts is None:
            e = r.entry
            start, end = to_local(e.start, self._tz), to_local(e.end, self._tz)
            info = self._registry.get(e.category) if e.category in self._registry else None
            end_text = f"{end:%H:%M}" if end.date() == start.date() else \
                f"{end:%a} {end.day} {end:%b %H:%M}"
            day = f"{start:%a} {start.day} {start:%b %Y}"
            r.texts = (f"{day} · planned" if r.planned else day, f"{start:%H:%M}", end_text,
                       str(e.minutes), info.label if info else e.category,
                       class_text(info, self._registry.class_of(e.category)),
                       SOURCE_WORDS.get(e.source, ""), e.note)
        return r.texts

    # ------------------------------------------------------------------ Qt overrides

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """True while the pager may have older entries."""
        return not parent.isValid() and self._more and self._pager is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Read the next page and append it."""
        if parent.isValid() or self._pager is None or not self._rows:
            return
        last = self._rows[-1].entry
        page = self._pager((last.start, int(last.id or 0)))
        self._more = len(page) >= LOG_PAGE
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(self._make(page))
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows; the roles the log never answers are turned away first.

        A table asks every visible cell for a dozen roles at each paint; answering the ones it
        does not use at once keeps a filter's repaint quick on a long log.
        """
        if role not in _ANSWERED:
            return None
        return super().data(index, role)

    def cell(self, r: _Row, col: int, role: int) -> Any:
        """Day, times, minutes, category, class, source and note; the id in UserRole."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(r)[col]
        if role == Qt.ItemDataRole.UserRole:
            return r.entry.id
        if role == SORT_ROLE:
            if col in (COL_DAY, COL_START):
                return r.entry.start
            if col == COL_END:
                return r.entry.end
            if col == COL_MINUTES:
                return r.entry.minutes
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_DAY and r.planned:
                return "Planned: it has not happened yet and counts once its time has passed."
            if col == COL_NOTE:
                return r.entry.note or None
            return None
        if role == Qt.ItemDataRole.FontRole and r.planned:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_MINUTES:
            return RIGHT_ALIGNED
        return None
