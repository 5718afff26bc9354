"""Spreadsheet rows held in columns: a million of them planned and imported without an object each.

`CsvRows` keeps each row's number, start, end, category, source and note in arrays (a note only
when there is one). `plan_rows` decides, row by row, what the import does — the same decisions
as carelog.core.importing.plan.resolve makes for drafts: a row already in the log is skipped,
a row repeating an earlier one is skipped, the rest are added, and each is checked for
overlaps with the log and with earlier rows — and makes the `ImportPlan` a preview shows, whose
`rows` are the first PREVIEW_ROWS rows as PlanRow objects while its counts cover them all.
Applying such a plan (`RowsPlan.apply`, which `apply_plan` calls) fits the rows around the log
(skip or trim), writes them in batches inside one transaction as one journal group (one undo
step), and checks afterwards that nothing overlaps.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Source
from carelog.core.domain.timeutil import DAY_SECONDS, MINUTE
from carelog.core.importing.occupied import Hit, Occupied
from carelog.core.importing.plan import (
    KIND_REASONS,
    Conflict,
    Draft,
    ImportPlan,
    ImportResult,
    OnConflict,
    PlanRow,
    RowAction,
    import_label,
    make_plan,
)
from carelog.core.importing.text_files import bulk_work
from carelog.core.store import imports as db
from carelog.core.store.database import Store

PREVIEW_ROWS = 50_000
ADD, IN_LOG, SAME_ROW, LEFT_OUT = 0, 1, 2, 3
_ACTIONS = {ADD: RowAction.ADD, IN_LOG: RowAction.SKIP, SAME_ROW: RowAction.SKIP,
            LEFT_OUT: RowAction.SKIP}


@dataclass
class CsvRows:
    """The rows of a spreadsheet, read and checked, one array per field."""

    name: str
    numbers: array[int] = field(default_factory=lambda: array("l"))
    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    cats: array[int] = field(default_factory=lambda: array("H"))
    srcs: array[int] = field(default_factory=lambda: array("B"))
    categories: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.starts)

    def category_index(self, code: str) -> int:
        """The index of a category code in this file's list (added on first use)."""
        if code not in self.categories:
            self.categories.append(code)
        return self.categories.index(code)

    def append(self, number: int, start: int, end: int, category: int, source: Source,
               note: str) -> None:
        """Add one row."""
        if source not in self.sources:
            self.sources.append(source)
        if note:
            self.notes[len(self.starts)] = note
        self.numbers.append(number)
        self.starts.append(start)
        self.ends.append(end)
        self.cats.append(category)
        self.srcs.append(self.sources.index(source))

    def category(self, i: int) -> str:
        """Row i's category code."""
        return self.categories[self.cats[i]]

    def draft(self, i: int) -> Draft:
        """Row i as a draft (for a preview)."""
        return Draft(where=f"row {self.numbers[i]}", start=self.starts[i], end=self.ends[i],
                     category=self.category(i), note=self.notes.get(i, ""),
                     source=self.sources[self.srcs[i]])

    def fields(self, i: int, start: int, end: int) -> tuple[str, int, int, str, str]:
        """(category, start, end, note, source) of row i, with the times given.

        A trimmed piece of a row may be shorter than the row.
        """
        return (self.category(i), start, end, self.notes.get(i, ""),
                self.sources[self.srcs[i]].value)


@dataclass
class RowsPlan:
    """What importing held rows does: an action for each, and what each added row overlaps."""

    rows: CsvRows
    actions: array[int]
    same: dict[int, int]  # IN_LOG: the entry's id; SAME_ROW: the earlier row's index
    clashes: dict[int, tuple[tuple[int, ...], tuple[int, ...]]]
    span: tuple[int, int]  # the earliest start and latest end of the rows

    def count(self, action: RowAction) -> int:
        """How many rows have this action."""
        return sum(1 for a in self.actions if _ACTIONS[a] is action)

    def conflicts(self) -> list[Conflict]:
        """Rows to add that overlap the log or an earlier row."""
        return [Conflict(row=i, where=f"row {self.rows.numbers[i]}", entry_ids=ids, rows=rows)
                for i, (ids, rows) in sorted(self.clashes.items())]

    def apply(self, store: Store, plan: ImportPlan, on_conflict: OnConflict,
              exclude: frozenset[int]) -> ImportResult:
        """Import the rows (see the module); called by apply_plan."""
        return _apply(store, self, plan, on_conflict, exclude)


def _keys(rows: CsvRows) -> array[int]:
    """One integer per row that is equal exactly when start, end and category are."""
    return array("q", ((rows.starts[k] // MINUTE) << 27
                       | ((rows.ends[k] - rows.starts[k]) // MINUTE) << 16 | rows.cats[k]
                       for k in range(len(rows))))


def resolve_rows(store: Store, rows: CsvRows, exclude: frozenset[int] = frozenset(),
                 mark_overlaps: bool = True) -> RowsPlan:
    """Decide each row's action against the log as it is now (nothing is written)."""
    n = len(rows)
    lo, hi = min(rows.starts), max(rows.ends)
    existing = db.spans_between(store, lo - DAY_SECONDS, hi + DAY_SECONDS)
    by_span = {(s, e, c): i for s, e, c, i in existing}
    actions = array("b", bytes(n))
    same: dict[int, int] = {}
    for k in range(n):
        if k in exclude:
            actions[k] = LEFT_OUT
            continue
        found = by_span.get((rows.starts[k], rows.ends[k], rows.category(k)))
        if found is not None:
            actions[k] = IN_LOG
            same[k] = found
    keys = _keys(rows)
    # A row repeating an earlier one (same start, end and category) is skipped; sorting by key
    # keeps rows with equal keys in file order, so the first of them is the one added.
    last_key, first = -1, -1
    for k in sorted((k for k in range(n) if actions[k] == ADD), key=keys.__getitem__):
        if keys[k] == last_key:
            actions[k] = SAME_ROW
            same[k] = first
        else:
            last_key, first = keys[k], k
    clashes: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    if mark_overlaps:
        occupied = Occupied((x[0], x[1], x[3]) for x in existing)
        for k in _time_order(rows, actions):
            found_hits = occupied.hits(rows.starts[k], rows.ends[k])
            if found_hits:
                clashes[k] = (tuple(h[2] for h in found_hits if h[3] < 0),
                              tuple(h[3] for h in found_hits if h[3] >= 0))
            else:
                occupied.take(rows.starts[k], rows.ends[k], k)
    return RowsPlan(rows, actions, same, clashes, (lo, hi))


def _time_order(rows: CsvRows, actions: array[int]) -> list[int]:
    """The rows to add, by start (file order among equal starts)."""
    return sorted((k for k in range(len(rows)) if actions[k] == ADD),
                  key=rows.starts.__getitem__)


def plan_rows(store: Store, rows: CsvRows, warnings: list[str] | None = None,
              preview_rows: int = PREVIEW_ROWS) -> ImportPlan:
    """The plan of importing held rows: decisions for all, PlanRows for the first few."""
    decided = resolve_rows(store, rows)
    plan = make_plan(store, "csv", rows.name, preview(store, decided, preview_rows),
                     warnings or [])
    plan._bulk = decided
    return plan


def preview(store: Store, decided: RowsPlan, limit: int = PREVIEW_ROWS) -> list[PlanRow]:
    """The first rows of a plan as PlanRow objects, worded as a preview shows them."""
    rows = decided.rows
    out: list[PlanRow] = []
    for i in range(min(len(rows), limit)):
        d = rows.draft(i)
        action = decided.actions[i]
        if action == LEFT_OUT:
            out.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                               reason="left out in the preview"))
        elif action == IN_LOG:
            entry_id = decided.same[i]
            out.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                               reason=f"already in the log as entry {entry_id}",
                               entry_ids=(entry_id,), previous=(store.get_entry(entry_id),)))
        elif action == SAME_ROW:
            out.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                               reason=f"the same as row {rows.numbers[decided.same[i]]}"))
        else:
            ids, earlier = decided.clashes.get(i, ((), ()))
            out.append(PlanRow(index=i, draft=d, action=RowAction.ADD, reason="new",
                               new=d.as_entry(), clashes=ids, clash_rows=earlier))
    return out


def _fit(decided: RowsPlan, existing: list[tuple[int, int, str, int]],
         on_conflict: OnConflict) -> tuple[array[int], array[int], array[int], int]:
    """The pieces each row writes (row index, start, end), in time order, and rows trimmed.

    A row with no piece is skipped.
    """
    rows = decided.rows
    occupied = Occupied((x[0], x[1], x[3]) for x in existing)
    piece_row: array[int] = array("l")
    piece_start: array[int] = array("q")
    piece_end: array[int] = array("q")
    trimmed = 0
    for k in _time_order(rows, decided.actions):
        start, end = rows.starts[k], rows.ends[k]
        hits = occupied.hits(start, end)
        parts = [(start, end)]
        if hits:
            if on_conflict == "skip":
                continue
            parts = _free(start, end, hits)
            if not parts:
                continue
            trimmed += 1
        for a, b in parts:
            occupied.take(a, b, k)
            piece_row.append(k)
            piece_start.append(a)
            piece_end.append(b)
    return piece_row, piece_start, piece_end, trimmed


def _free(start: int, end: int, hits: list[Hit]) -> list[tuple[int, int]]:
    """The parts of [start, end) that the hits leave free (as carelog add --trim fits)."""
    parts: list[tuple[int, int]] = []
    cursor = start
    for a, b, _, _ in sorted(hits):
        if a > cursor:
            parts.append((cursor, min(a, end)))
        cursor = max(cursor, b)
        if cursor >= end:
            break
    if cursor < end:
        parts.append((cursor, end))
    return parts


def _apply(store: Store, decided: RowsPlan, plan: ImportPlan, on_conflict: OnConflict,
           exclude: frozenset[int]) -> ImportResult:
    if on_conflict not in ("skip", "trim"):
        raise BadInput(f"The conflict choice '{on_conflict}' must be skip or trim.",
                       field="on_conflict")
    rows = decided.rows
    with store.transaction(), bulk_work():
        if exclude or plan._log_state is None or plan._log_state != db.data_version(store):
            # The log changed since the preview (or rows were left out): decide again.
            decided = resolve_rows(store, rows, exclude, mark_overlaps=False)
        lo, hi = decided.span
        existing = db.spans_between(store, lo - DAY_SECONDS, hi + DAY_SECONDS)
        piece_row, piece_start, piece_end, trimmed = _fit(decided, existing, on_conflict)
        placed = set(piece_row)
        wanted = sum(1 for a in decided.actions if a == ADD)
        added = len(placed)
        overlapping = wanted - added
        skipped = len(rows) - wanted + overlapping
        if not added:
            return ImportResult(skipped=skipped, overlapping_skipped=overlapping)
        label = import_label("csv", added, 0)
        grp = db.begin_import(store)
        # Written in the file's order (an entry's id follows its row), each row's pieces by time.
        order = sorted(range(len(piece_row)), key=piece_row.__getitem__)
        ids = db.insert_entries(
            store, grp, label,
            (rows.fields(piece_row[p], piece_start[p], piece_end[p]) for p in order),
            KIND_REASONS["csv"])
        if db.overlaps_between(store, lo - DAY_SECONDS, hi + DAY_SECONDS):
            raise BadInput(f"The rows of {plan.file_name} could not be fitted around the entries "
                           "in the log; nothing was imported.", field="file")
    return ImportResult(added=added, updated=0, skipped=skipped,
                        overlapping_skipped=overlapping, trimmed=trimmed,
                        entry_ids=tuple(ids), label=label)

