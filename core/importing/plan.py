"""Import as plan, preview and apply: shared by the calendar (ICS) and spreadsheet (CSV) imports.

A reader turns a file into drafts (what each event or row would put in the log). `resolve`
compares the drafts with the log and says, row by row, whether each would be added, would update
an entry imported earlier, or is skipped and why; it also lists the entries (or earlier rows)
each one overlaps. That is the `ImportPlan` a preview shows. `apply_plan` resolves the drafts
again inside one write transaction (the log may have changed since the preview), fits them
around what is there (skip or trim), writes everything as one journal group so one undo
reverses the whole import, and returns an `ImportResult`.

Event titles are kept on drafts in memory only (`Draft.title`, excluded from every dump) so a
window can show them; they are never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal

from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Reason, ReasonCode
from carelog.core.domain.models import Entry, Source, fit_between
from carelog.core.domain.timeutil import (
    DAY_SECONDS,
    MINUTE,
    day_start_utc,
    format_local,
    iso_now,
    utc_now,
)
from carelog.core.importing.occupied import Occupied
from carelog.core.importing.text_files import bulk_work
from carelog.core.store import imports as db
from carelog.core.store.database import Store
from carelog.core.store.imports import IMPORT_LABEL_PREFIX, Link, current_links
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

OnConflict = Literal["skip", "trim"]
ImportKind = Literal["ics", "csv"]
KIND_WORDS: dict[str, str] = {"ics": "calendar", "csv": "spreadsheet"}
# What a change an import makes to a sealed week is recorded as (DESIGN §2.6).
KIND_REASONS: dict[str, Reason] = {"ics": Reason(ReasonCode.CALENDAR_IMPORT),
                                   "csv": Reason(ReasonCode.SPREADSHEET_IMPORT)}


class RowAction(StrEnum):
    """What importing a row does to the log."""

    ADD = "add"
    UPDATE = "update"
    SKIP = "skip"


class Draft(BaseModel):
    """One event occurrence or spreadsheet row after reading and mapping, before the log."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    where: str = Field(description="where it is in the file, e.g. 'line 12' or 'row 5'")
    start: int | None = None
    end: int | None = None
    category: str | None = None
    note: str = ""
    source: Source = Source.IMPORT_CSV
    key: str | None = Field(default=None, description="keyed hash of the calendar UID")
    reason: str = Field(default="", description="why this category, or why it is skipped")
    skip: bool = False
    cancelled: bool = Field(default=False, description="the calendar says it will not happen")
    leave_days: tuple[date, ...] = Field(default=(), description="all-day event: leave candidate")
    title: str = Field(default="", exclude=True, repr=False,
                       description="the event's title, in memory only; never stored or dumped")

    @property
    def minutes(self) -> int:
        """Length in minutes (0 when the draft has no times)."""
        if self.start is None or self.end is None:
            return 0
        return (self.end - self.start) // MINUTE

    def as_entry(self) -> Entry:
        """The entry this draft would add (its fields were validated when it was read)."""
        return Entry(category=self.category or "", start=self.start or 0, end=self.end or 0,
                     note=self.note, source=self.source)


class PlanRow(BaseModel):
    """One draft and what importing it would do."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    index: int
    draft: Draft
    action: RowAction
    reason: str
    entry_ids: tuple[int, ...] = Field(default=(), description="entries it updates or matches")
    previous: tuple[Entry, ...] = Field(default=(), description="their state now")
    new: Entry | None = Field(default=None, description="what an add or update would write")
    clashes: tuple[int, ...] = Field(default=(), description="ids of entries it overlaps")
    clash_rows: tuple[int, ...] = Field(default=(), description="earlier rows it overlaps")
    link_only: bool = Field(default=False, description="a skip that records the event's link")

    @property
    def conflict(self) -> bool:
        """True when it overlaps an entry in the log or an earlier row of the file."""
        return bool(self.clashes or self.clash_rows)

    @property
    def why(self) -> str:
        """The reason in words, with the mapping reason for rows that are imported."""
        if self.action is RowAction.SKIP or not self.draft.reason:
            return self.reason
        return f"{self.reason}; {self.draft.reason}"


class Conflict(BaseModel):
    """An imported row that overlaps what is already in the log or an earlier row."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    row: int
    where: str
    entry_ids: tuple[int, ...]
    rows: tuple[int, ...]


class ImportPlan(BaseModel):
    """What an import would do, row by row: the preview."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: ImportKind
    file_name: str
    first: date | None = None
    last: date | None = None
    rows: tuple[PlanRow, ...]
    warnings: tuple[str, ...] = ()
    removals: tuple[Entry, ...] = Field(
        default=(), description="planned entries whose events were cancelled or are gone")
    _log_state: tuple[object, ...] | None = PrivateAttr(default=None)
    # A spreadsheet's rows held in columns (carelog.core.importing.rows.RowsPlan): then `rows`
    # is the preview of the first of them, and the counts and the import cover them all.
    _bulk: Any = PrivateAttr(default=None)

    @property
    def drafts(self) -> list[Draft]:
        """The drafts, in plan order."""
        return [r.draft for r in self.rows]

    @property
    def total(self) -> int:
        """How many rows (or occurrences) the file has; `rows` may show only the first."""
        return len(self._bulk.rows) if self._bulk is not None else len(self.rows)

    def count(self, action: RowAction) -> int:
        """How many rows have this action."""
        if self._bulk is not None:
            return int(self._bulk.count(action))
        return sum(1 for r in self.rows if r.action is action)

    @property
    def conflicts(self) -> list[Conflict]:
        """Rows to add or update that overlap the log or an earlier row of the file."""
        if self._bulk is not None:
            return list(self._bulk.conflicts())
        return [Conflict(row=r.index, where=r.draft.where, entry_ids=r.clashes,
                         rows=r.clash_rows) for r in self.rows if r.conflict]

    @property
    def leave_days(self) -> list[date]:
        """Dates of all-day events (leave candidates), in order, once each."""
        return sorted({d for r in self.rows for d in r.draft.leave_days})

    def summary(self) -> str:
        """'12 to add, 1 to update, 3 to skip, 2 overlapping'."""
        parts = [f"{self.count(RowAction.ADD)} to add", f"{self.count(RowAction.UPDATE)} to update",
                 f"{self.count(RowAction.SKIP)} to skip"]
        n = len(self.conflicts)
        if n:
            parts.append(f"{n} overlapping")
        if self.removals:
            parts.append(f"{len(self.removals)} planned to remove (cancelled or gone from the "
                         "calendar)")
        return ", ".join(parts)


class ImportResult(BaseModel):
    """What an applied import did."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    added: int = 0
    updated: int = 0
    skipped: int = 0
    overlapping_skipped: int = 0
    trimmed: int = 0
    removed: int = Field(default=0, description="planned entries of cancelled or gone events")
    entry_ids: tuple[int, ...] = ()
    label: str | None = Field(default=None, description="the undo step's label; None: no change")


# ----------------------------------------------------------------------------- plans

def make_plan(store: Store, kind: ImportKind, file_name: str, rows: list[PlanRow],
              warnings: list[str], first: date | None = None,
              last: date | None = None, removals: list[Entry] | None = None) -> ImportPlan:
    """An ImportPlan that remembers the state of the log it was resolved against."""
    plan = ImportPlan(kind=kind, file_name=file_name, first=first, last=last, rows=tuple(rows),
                      warnings=tuple(warnings), removals=tuple(removals or ()))
    plan._log_state = db.data_version(store)
    return plan


# ----------------------------------------------------------------------------- keys

def event_key(secret: bytes, uid: str, occurrence: str | None) -> str:
    """The stored stand-in for a calendar UID (and occurrence): a keyed hash, not reversible."""
    text = uid if occurrence is None else f"{uid}\x1f{occurrence}"
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


# ----------------------------------------------------------------------------- resolving

def _span(e: Entry) -> tuple[int, int, str]:
    return e.start, e.end, e.category


def _ids(entries: list[Entry]) -> tuple[int, ...]:
    return tuple(int(e.id or 0) for e in entries)


def _entries_text(ids: tuple[int, ...]) -> str:
    if len(ids) == 1:
        return f"entry {ids[0]}"
    return "entries " + ", ".join(str(i) for i in ids)


def _linked_row(index: int, d: Draft, linked: list[Link]) -> PlanRow:
    """Decide what a draft whose event was imported before does to its entries."""
    entries = [link.entry for link in linked]
    ids = _ids(entries)
    fp = linked[0]
    event_then = (fp.event_start, fp.event_end, fp.event_category)
    now = (d.start or 0, d.end or 0, d.category or "")
    base = {"index": index, "draft": d, "entry_ids": ids, "previous": tuple(entries)}
    if len(entries) == 1 and _span(entries[0]) == now:
        return PlanRow(action=RowAction.SKIP, reason=f"already in the log as {_entries_text(ids)}",
                       link_only=event_then != now, **base)
    if event_then == now:
        return PlanRow(action=RowAction.SKIP,
                       reason=f"unchanged in the calendar since it was imported; "
                              f"{_entries_text(ids)} keeps your changes", **base)
    moved = (fp.event_start, fp.event_end) != now[:2]
    recategorised = fp.event_category != now[2]
    why = " and ".join(w for w, flag in (("moved in the calendar", moved),
                                          ("given another category by the rules", recategorised))
                       if flag)
    if len(entries) == 1:
        old = entries[0]
        fields: dict[str, object] = {}
        if moved:
            fields.update(start=now[0], end=now[1])
        if recategorised:
            fields["category"] = now[2]
        new = old.model_copy(update=fields)
        if _span(new) == _span(old):
            return PlanRow(action=RowAction.SKIP, reason=f"already matches {_entries_text(ids)}",
                           link_only=True, **base)
        return PlanRow(action=RowAction.UPDATE, reason=f"{why}: updates {_entries_text(ids)}",
                       new=new, **base)
    return PlanRow(action=RowAction.UPDATE, reason=f"{why}: replaces {_entries_text(ids)}",
                   new=d.as_entry(), **base)


def resolve(store: Store, drafts: list[Draft], exclude: frozenset[int] = frozenset(),
            mark_overlaps: bool = True) -> list[PlanRow]:
    """Compare drafts with the log: add, update or skip each, and the overlaps of each."""
    timed = [d for d in drafts if not d.skip and d.start is not None and d.end is not None]
    existing: list[Entry] = []
    if timed:
        lo = min(d.start or 0 for d in timed) - DAY_SECONDS
        hi = max(d.end or 0 for d in timed) + DAY_SECONDS
        existing = store.entries_between(lo, hi)
    links = current_links(store) if any(d.key for d in drafts) else {}
    known = store.categories
    by_span: dict[tuple[int, int, str], Entry] = {_span(e): e for e in existing}
    seen_keys: dict[str, str] = {}
    seen_spans: dict[tuple[int, int, str], str] = {}
    claimed: set[int | None] = {link.entry.id for group in links.values() for link in group}
    rows: list[PlanRow] = []
    for i, d in enumerate(drafts):
        if i in exclude:
            rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                                reason="left out in the preview"))
            continue
        if d.skip or d.start is None or d.end is None or d.category is None:
            rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP, reason=d.reason))
            continue
        if d.category not in known:
            rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                                reason=f"the category '{d.category}' does not exist"))
            continue
        if d.key is not None:
            if d.key in seen_keys:
                rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                                    reason=f"the same event as {seen_keys[d.key]}"))
                continue
            seen_keys[d.key] = d.where
            linked = links.get(d.key)
            if linked:
                rows.append(_linked_row(i, d, linked))
                continue
        span = (d.start, d.end, d.category)
        same = by_span.get(span)
        if same is not None and (d.key is None or same.id not in claimed):
            if d.key is not None:  # from now on this entry stands for this event
                claimed.add(same.id)
            rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                                reason=f"already in the log as entry {same.id}",
                                entry_ids=(int(same.id or 0),), previous=(same,),
                                link_only=d.key is not None))
            continue
        if d.key is None:  # a spreadsheet row repeated; two calendar events may overlap
            if span in seen_spans:
                rows.append(PlanRow(index=i, draft=d, action=RowAction.SKIP,
                                    reason=f"the same as {seen_spans[span]}"))
                continue
            seen_spans[span] = d.where
        rows.append(PlanRow(index=i, draft=d, action=RowAction.ADD, reason="new",
                            new=d.as_entry()))
    return _mark_overlaps(rows, existing) if mark_overlaps else rows


def planned_removals(store: Store, drafts: list[Draft], first: date, last: date,
                     now: int | None = None) -> list[Entry]:
    """Planned entries from a calendar that a re-import of the period should take out.

    An entry written from a calendar event, not over yet (its end is after now) and starting
    inside the period, whose event the file now says is cancelled, or no longer holds in the
    period. Past entries are never taken out: they are the record of what happened.
    """
    now = utc_now() if now is None else now
    tz = store.tz
    lo = day_start_utc(first, tz)
    hi = day_start_utc(last + timedelta(days=1), tz)
    live = {d.key for d in drafts if d.key is not None and not d.cancelled}
    out: list[Entry] = []
    for key, group in current_links(store).items():
        if key in live:
            continue
        out.extend(link.entry for link in group
                   if link.entry.end > now and lo <= link.entry.start < hi)
    return sorted(out, key=lambda e: e.start)


# ----------------------------------------------------------------------------- fitting

def _fit_order(rows: list[PlanRow]) -> list[PlanRow]:
    todo = [r for r in rows if r.action is not RowAction.SKIP and r.new is not None]
    return sorted(todo, key=lambda r: (r.new.start if r.new else 0, r.index))


def _mark_overlaps(rows: list[PlanRow], existing: list[Entry]) -> list[PlanRow]:
    """Note, for each row to add or update, what it overlaps (earlier overlapping rows yield)."""
    occupied = Occupied(sorted((e.start, e.end, int(e.id or 0)) for e in existing))
    marked: dict[int, PlanRow] = {}
    for r in _fit_order(rows):
        assert r.new is not None
        hits = occupied.hits(r.new.start, r.new.end, set(r.entry_ids))
        if hits:
            marked[r.index] = r.model_copy(update={
                "clashes": tuple(h[2] for h in hits if h[3] < 0),
                "clash_rows": tuple(h[3] for h in hits if h[3] >= 0)})
        else:
            occupied.take(r.new.start, r.new.end, r.index)
    return [marked.get(r.index, r) for r in rows]


def _fit(rows: list[PlanRow], existing: list[Entry], on_conflict: OnConflict
         ) -> tuple[dict[int, list[Entry]], set[int]]:
    """The pieces each row to add or update writes; a row missing from the result is skipped.

    Returns the pieces by row index and the indexes of rows that were trimmed.
    """
    occupied = Occupied(sorted((e.start, e.end, int(e.id or 0)) for e in existing))
    pieces: dict[int, list[Entry]] = {}
    trimmed: set[int] = set()
    for r in _fit_order(rows):
        assert r.new is not None
        hits = occupied.hits(r.new.start, r.new.end, set(r.entry_ids))
        parts = [r.new]
        if hits:
            if on_conflict == "skip":
                continue
            blockers = [Entry.model_construct(category="", start=h[0], end=h[1]) for h in hits]
            parts = fit_between(r.new, blockers)
            if not parts:
                continue
            trimmed.add(r.index)
        for p in parts:
            occupied.take(p.start, p.end, r.index)
        pieces[r.index] = parts
    return pieces, trimmed


# ----------------------------------------------------------------------------- applying

def import_label(kind: ImportKind, added: int, updated: int, removed: int = 0) -> str:
    """The undo step's label: 'import spreadsheet: 12 added'."""
    parts = ([f"{added} added"] + ([f"{updated} updated"] if updated else [])
             + ([f"{removed} planned removed"] if removed else []))
    return f"{IMPORT_LABEL_PREFIX}{KIND_WORDS[kind]}: {', '.join(parts)}"


def apply_plan(store: Store, plan: ImportPlan, on_conflict: OnConflict = "skip",
               exclude: frozenset[int] = frozenset()) -> ImportResult:
    """Import the plan's rows: one transaction and one undo step, all or nothing.

    The rows are checked again against the log as it is now. Rows that overlap the log (or an
    earlier row) are skipped, or with on_conflict="trim" cut to the gaps between entries.
    Rows whose index is in `exclude` are left out.
    """
    if plan._bulk is not None:  # a spreadsheet's rows held in columns
        result: ImportResult = plan._bulk.apply(store, plan, on_conflict, exclude)
        return result
    if on_conflict not in ("skip", "trim"):
        raise BadInput(f"The conflict choice '{on_conflict}' must be skip or trim.",
                       field="on_conflict")
    with store.transaction(), bulk_work():
        removals = list(plan.removals)
        if exclude or plan._log_state is None or plan._log_state != db.data_version(store):
            # The log changed since the preview (or rows were left out): decide again.
            rows = resolve(store, plan.drafts, exclude, mark_overlaps=False)
            if plan.kind == "ics" and plan.first is not None and plan.last is not None:
                removals = planned_removals(store, plan.drafts, plan.first, plan.last)
        else:
            rows = list(plan.rows)
        gone = {int(e.id or 0) for e in removals}
        timed = [r.draft for r in rows if r.new is not None]
        existing: list[Entry] = []
        lo = hi = 0
        if timed:
            lo = min(min(d.start or 0 for d in timed),
                     min((e.start for r in rows for e in r.previous), default=2**62))
            hi = max(d.end or 0 for d in timed)
            existing = store.entries_between(lo - DAY_SECONDS, hi + DAY_SECONDS)
            existing = [e for e in existing if e.id not in gone]  # their time is free again
        pieces, trimmed = _fit(rows, existing, on_conflict)
        added = sum(1 for r in rows if r.action is RowAction.ADD and r.index in pieces)
        updated = sum(1 for r in rows if r.action is RowAction.UPDATE and r.index in pieces)
        overlapping = sum(1 for r in rows if r.new is not None and r.index not in pieces)
        skipped = sum(1 for r in rows if r.action is RowAction.SKIP) + overlapping
        links = [r for r in rows if r.link_only and r.draft.key is not None]
        if not pieces and not links and not removals:
            return ImportResult(skipped=skipped, overlapping_skipped=overlapping)
        grp: int | None = None
        label: str | None = None
        written: list[int] = []
        if pieces or removals:
            label = import_label(plan.kind, added, updated, len(removals))
            grp = db.begin_import(store)
            now = iso_now()
            for old in removals:  # first, so that what replaces them finds their time free
                db.delete_entry(store, grp, label, old, KIND_REASONS[plan.kind])
            for r in rows:
                parts = pieces.get(r.index)
                if parts is None:
                    continue
                saved = _write_row(store, grp, label, r, parts, now, KIND_REASONS[plan.kind])
                written.extend(int(e.id or 0) for e in saved)
                if r.draft.key is not None:
                    d = r.draft
                    for e in saved:
                        db.add_link(store, d.key or "", e, grp, d.start or 0, d.end or 0,
                                    d.category or "")
        for r in links:
            d = r.draft
            for e in r.previous:
                db.add_link(store, d.key or "", e, grp, d.start or 0, d.end or 0,
                            d.category or "")
        if pieces and db.overlaps_between(store, lo - DAY_SECONDS, hi + DAY_SECONDS):
            raise BadInput(f"The rows of {plan.file_name} could not be fitted around the entries "
                           "in the log; nothing was imported.", field="file")
    return ImportResult(added=added, updated=updated, skipped=skipped,
                        overlapping_skipped=overlapping, trimmed=len(trimmed),
                        removed=len(removals), entry_ids=tuple(written), label=label)


def _write_row(store: Store, grp: int, label: str, r: PlanRow, parts: list[Entry],
               now: str, reason: Reason) -> list[Entry]:
    """Write one row's pieces: insert them, or update (or replace) the entries it links to.

    A row that changes a sealed week is recorded as an amendment with the import's reason.
    """
    if r.action is RowAction.ADD:
        return [db.insert_entry(store, grp, label, p, reason) for p in parts]
    if len(r.previous) == 1 and len(parts) == 1:
        old = r.previous[0]
        p = parts[0]
        new = old.model_copy(update={"category": p.category, "start": p.start, "end": p.end,
                                     "updated": now})
        return [db.update_entry(store, grp, label, old, new, reason)]
    for old in r.previous:
        db.delete_entry(store, grp, label, old, reason)
    fresh = [p.model_copy(update={"id": None, "created": "", "updated": ""}) for p in parts]
    return [db.insert_entry(store, grp, label, p, reason) for p in fresh]


# ----------------------------------------------------------------------------- showing

def preview_lines(store: Store, plan: ImportPlan) -> list[str]:
    """The plan as a plain-text table (times in the user's zone), without event titles."""
    tz = store.tz
    lines = [f"{'Where':10}  {'Action':6}  {'Category':20}  {'Start':16}  {'End':5}  "
             f"{'Min':>4}  Why"]
    for r in plan.rows:
        d = r.draft
        shown = r.new if r.new is not None else None
        start = shown.start if shown else d.start
        end = shown.end if shown else d.end
        category = (shown.category if shown else d.category) or "-"
        start_text = format_local(start, tz) if start is not None else "-"
        end_text = "-"
        if end is not None:
            end_text = format_local(end, tz)
            if end_text[:10] == start_text[:10]:
                end_text = end_text[11:]
        minutes = "" if start is None or end is None else str((end - start) // MINUTE)
        if d.leave_days and start is None:
            start_text = d.leave_days[0].isoformat()
            if len(d.leave_days) > 1:
                end_text = d.leave_days[-1].isoformat()
        why = r.why
        if r.clashes:
            why += f"; overlaps {_entries_text(r.clashes)}"
        if r.clash_rows:
            why += "; overlaps " + ", ".join(plan.rows[i].draft.where for i in r.clash_rows)
        lines.append(f"{d.where:10}  {r.action.value:6}  {category:20}  {start_text:16}  "
                     f"{end_text:5}  {minutes:>4}  {why}")
    if plan.total > len(plan.rows):
        lines.append(f"… and {plan.total - len(plan.rows):,} more rows, not shown; the counts "
                     "above cover every row.")
    for e in plan.removals:
        start_text, end_text = format_local(e.start, tz), format_local(e.end, tz)
        if end_text[:10] == start_text[:10]:
            end_text = end_text[11:]
        lines.append(f"{'in the log':10}  {'remove':6}  {e.category:20}  {start_text:16}  "
                     f"{end_text:5}  {e.minutes:>4}  planned entry {e.id}: its event was "
                     "cancelled or is gone from the calendar")
    return lines
