"""The preview of an import: what each event or row would add, update or skip, and why.

One row per row of the `ImportPlan`, in plan order. Rows to add or update carry a checkbox:
unticking one leaves it out of the import (`left_out()` gives the plan indexes to pass to
`apply_plan(exclude=...)`). Those choices survive a new plan of the same file (another period,
another rule) for the rows that are still there.

Event titles are shown from the plan's drafts, held in memory only; the model never reads the
database and nothing it holds is written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import to_local
from carelog.core.importing.plan import ImportPlan, PlanRow, RowAction
from carelog.gui.models.row_table_model import RIGHT_ALIGNED, SORT_ROLE, Index, RowTableModel
from carelog.gui.theme import muted_colour, warning_colour
from PySide6.QtCore import Qt

COL_ACTION, COL_WHERE, COL_WHEN, COL_MINUTES, COL_CATEGORY, COL_TITLE, COL_WHY = range(7)

ACTION_WORDS: dict[RowAction, str] = {
    RowAction.ADD: "Add",
    RowAction.UPDATE: "Update",
    RowAction.SKIP: "Skip",
}
LEFT_OUT = "Left out"
NO_CATEGORY = "—"

_HEADERS = ("Import", "Where", "When", "Min", "Category", "Event title", "Why")
_HEADER_TIPS = (
    "What importing does with the row: add an entry, update one imported before, or skip it. "
    "Untick a row to leave it out.",
    "Where the row is in the file: the line of the calendar where the event begins, or the "
    "spreadsheet's row (the header is row 1).",
    "The day and time the entry would have, in your time zone.",
    "Length in whole minutes.",
    "The category the entry would have (for a calendar, chosen by the mapping rules).",
    "The event's title, shown here only so you can tell the rows apart; it is never stored.",
    "Why the row is added, updated or skipped, and what it overlaps.",
)

_Choice = tuple[str, int | None]  # (where in the file, start): a row across new plans


@dataclass(frozen=True, slots=True)
class _Row:
    plan_row: PlanRow
    choice: _Choice
    when: str
    when_full: str
    when_tip: str
    minutes: int | None
    sort_start: int
    category_text: str
    category_tip: str
    why: str
    previous_tip: str


def _day_text(d: date, year: bool) -> str:
    return f"{d:%a} {d.day} {d:%b}" + (f" {d.year}" if year else "")


def _span_text(start: datetime, end: datetime) -> str:
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    if end.date() == start.date() + timedelta(days=1) and (end.hour, end.minute) == (0, 0):
        return f"{start:%H:%M}–24:00"
    if end.date() == start.date() + timedelta(days=1):
        return f"{start:%H:%M}–{end:%H:%M} next day"
    return f"{start:%H:%M} – {end:%a %Y-%m-%d %H:%M}"


def _entry_text(e: Entry, registry: CategoryRegistry, tz: ZoneInfo) -> str:
    start, end = to_local(e.start, tz), to_local(e.end, tz)
    label = registry.get(e.category).label if e.category in registry else e.category
    return f"{label} {_day_text(start.date(), True)} {_span_text(start, end)}"


def _importable(r: _Row) -> bool:
    return r.plan_row.action is not RowAction.SKIP


def _years(plan: ImportPlan, tz: ZoneInfo) -> set[int]:
    years = {to_local(r.draft.start, tz).year for r in plan.rows if r.draft.start is not None}
    return years | {d.year for r in plan.rows for d in r.draft.leave_days}


class ImportPreviewModel(RowTableModel[_Row]):
    """Whole rows of an import plan, set at once; each row to import has a checkbox."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._left_out: set[_Choice] = set()
        self._show_titles = True
        self._locked = False

    def set_plan(self, plan: ImportPlan | None, registry: CategoryRegistry, tz: ZoneInfo,
                 clashing: Mapping[int, Entry] | None = None) -> None:
        """Replace every row with the plan's; `clashing` holds the log entries rows overlap.

        Rows left out before stay left out when the new plan still has them.
        """
        rows: list[_Row] = []
        if plan is not None:
            wheres = [r.draft.where for r in plan.rows]
            year = len(_years(plan, tz)) > 1  # the year is shown only when it tells rows apart
            for r in plan.rows:
                rows.append(self._make_row(r, wheres, registry, tz, clashing or {}, year))
        self._left_out = {r.choice for r in rows if r.choice in self._left_out}
        self.replace_rows(rows)

    def set_show_titles(self, show: bool) -> None:
        """Whether the title column holds the events' titles (a spreadsheet has none)."""
        self._show_titles = show
        self.column_changed(COL_TITLE)

    def set_locked(self, locked: bool) -> None:
        """Stop (or allow) ticking and unticking: while importing, and once imported."""
        self._locked = locked
        self.column_changed(COL_ACTION)

    @staticmethod
    def _make_row(r: PlanRow, wheres: list[str], registry: CategoryRegistry, tz: ZoneInfo,
                  clashing: Mapping[int, Entry], year: bool) -> _Row:
        d = r.draft
        shown = r.new
        start = shown.start if shown is not None else d.start
        end = shown.end if shown is not None else d.end
        category = shown.category if shown is not None else d.category
        when = when_full = when_tip = ""
        minutes: int | None = None
        if start is not None:
            a = to_local(start, tz)
            span = f"{a:%H:%M}"
            if end is not None and end > start:
                span = _span_text(a, to_local(end, tz))
                minutes = (end - start) // 60
            when = f"{_day_text(a.date(), year)} {span}"
            when_full = f"{_day_text(a.date(), True)} {span}"
            when_tip = f"{when_full} ({tz.key})"
        elif d.leave_days:
            first, last = d.leave_days[0], d.leave_days[-1]
            if first == last:
                when = f"{_day_text(first, year)}, all day"
            elif (first.year, first.month) == (last.year, last.month):
                when = f"{first:%a} {first.day} – {_day_text(last, year)}, all day"
            else:
                when = f"{_day_text(first, year)} – {_day_text(last, year)}, all day"
            when_full = when_tip = f"All day, {first.isoformat()} to {last.isoformat()}"
        if category is None:
            category_text, category_tip = NO_CATEGORY, "Not imported, so no category."
        elif category in registry:
            info = registry.get(category)
            category_text, category_tip = info.label, info.meaning
        else:
            category_text, category_tip = category, f"Category code '{category}'"
        overlaps: list[str] = []  # first, so a narrow column still shows it
        if r.clashes:
            texts = [_entry_text(clashing[i], registry, tz) if i in clashing else f"entry {i}"
                     for i in r.clashes]
            overlaps.append("overlaps " + ", ".join(texts) + " in the log")
        if r.clash_rows:
            overlaps.append("overlaps " + ", ".join(wheres[i] for i in r.clash_rows
                                                    if 0 <= i < len(wheres)) + " of the file")
        why = "; ".join([*overlaps, r.why])
        previous_tip = ""
        if r.action is RowAction.UPDATE and r.previous:
            previous_tip = "Now in the log: " + "; ".join(
                _entry_text(e, registry, tz) for e in r.previous)
        return _Row(plan_row=r, choice=(d.where, d.start), when=when, when_full=when_full,
                    when_tip=when_tip,
                    minutes=minutes,
                    sort_start=start if start is not None else 0,
                    category_text=category_text, category_tip=category_tip, why=why,
                    previous_tip=previous_tip)

    # ------------------------------------------------------------------ what the dialog asks

    def plan_row_at(self, row: int) -> PlanRow:
        """The plan row shown in a row."""
        return self.row_at(row).plan_row

    def is_importable(self, row: int) -> bool:
        """True when the row would add or update (so it has a checkbox)."""
        return _importable(self.row_at(row))

    def is_included(self, row: int) -> bool:
        """True when the row would be imported: it adds or updates and is ticked."""
        return self._included(self.row_at(row))

    def _included(self, r: _Row) -> bool:
        return _importable(r) and r.choice not in self._left_out

    def set_included(self, row: int, included: bool) -> None:
        """Tick or untick a row to add or update."""
        self.setData(self.index(row, COL_ACTION),
                     Qt.CheckState.Checked if included else Qt.CheckState.Unchecked,
                     Qt.ItemDataRole.CheckStateRole)

    def left_out(self) -> frozenset[int]:
        """Plan indexes of the rows unticked: what `apply_plan(exclude=...)` takes."""
        return frozenset(r.plan_row.index for r in self._rows
                         if _importable(r) and r.choice in self._left_out)

    def count(self, action: RowAction) -> int:
        """How many rows the plan gives this action (ticked or not)."""
        return sum(1 for r in self._rows if r.plan_row.action is action)

    def included_count(self) -> int:
        """How many rows would be imported."""
        return sum(1 for r in self._rows if self._included(r))

    def cell(self, r: _Row, col: int, role: int) -> Any:
        """What importing does with the row and why; a checkbox on the rows it would import."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_ACTION and _importable(r):
            return Qt.CheckState.Checked if self._included(r) else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self._included(r):
                return muted_colour()
            if col == COL_WHY and r.plan_row.conflict:
                return warning_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_MINUTES:
            return RIGHT_ALIGNED
        return None

    # ------------------------------------------------------------------ Qt overrides

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows that would add or update can be ticked and unticked (unless locked)."""
        base = super().flags(index)
        if index.isValid() and index.column() == COL_ACTION and not self._locked \
                and self.is_importable(index.row()):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Tick or untick a row; False for a row that cannot be ticked."""
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() \
                or index.column() != COL_ACTION or not 0 <= index.row() < len(self._rows) \
                or self._locked or not self.is_importable(index.row()):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked \
            if isinstance(value, (int, Qt.CheckState)) else bool(value)
        choice = self._rows[index.row()].choice
        if checked:
            self._left_out.discard(choice)
        else:
            self._left_out.add(choice)
        self.dataChanged.emit(self.index(index.row(), 0),
                              self.index(index.row(), len(self.headers) - 1))
        return True

    # ------------------------------------------------------------------ cells

    def _action_text(self, r: _Row) -> str:
        if _importable(r) and not self._included(r):
            return LEFT_OUT
        return ACTION_WORDS[r.plan_row.action]

    def _display(self, r: _Row, col: int) -> str | None:
        if col == COL_ACTION:
            return self._action_text(r)
        if col == COL_WHERE:
            return r.plan_row.draft.where
        if col == COL_WHEN:
            return r.when
        if col == COL_MINUTES:
            return "" if r.minutes is None else str(r.minutes)
        if col == COL_CATEGORY:
            return r.category_text
        if col == COL_TITLE:
            return r.plan_row.draft.title if self._show_titles else ""
        if col == COL_WHY:
            return r.why
        return None

    def _sort_key(self, r: _Row, col: int) -> int | str | None:
        if col == COL_ACTION:
            return self._action_text(r)
        if col == COL_WHERE:
            return r.plan_row.index
        if col == COL_WHEN:
            return r.sort_start
        if col == COL_MINUTES:
            return r.minutes or 0
        if col == COL_CATEGORY:
            return r.category_text.casefold()
        if col == COL_TITLE:
            return r.plan_row.draft.title.casefold() if self._show_titles else ""
        if col == COL_WHY:
            return r.why.casefold()
        return None

    def _tooltip(self, r: _Row, col: int) -> str | None:
        if col == COL_ACTION:
            if not _importable(r):
                return "Skipped: " + r.why
            if not self._included(r):
                return "Left out: tick the box to import this row."
            return (r.previous_tip + "." if r.previous_tip else
                    "Untick to leave this row out of the import.")
        if col == COL_CATEGORY:
            return r.category_tip
        if col == COL_WHY:
            return r.why + (f". {r.previous_tip}." if r.previous_tip else "")
        if col == COL_TITLE and self._show_titles and r.plan_row.draft.title:
            return r.plan_row.draft.title
        if col in (COL_WHEN, COL_MINUTES):
            return r.when_tip + (f". {r.previous_tip}." if r.previous_tip else "")
        return None

    def details(self, row: int) -> str:
        """Everything about one row in a sentence or two, for the line under the table."""
        r = self.row_at(row)
        d = r.plan_row.draft
        parts = [d.where.capitalize(), r.when_full or "no time"]
        if r.category_text != NO_CATEGORY:
            parts.append(r.category_text)
        if self._show_titles and d.title:
            parts.append(f"“{d.title}”")
        head = " · ".join(parts)
        text = f"{head} — {self._action_text(r).lower()}: {r.why}."
        return text + (f" {r.previous_tip}." if r.previous_tip else "")
