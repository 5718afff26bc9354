"""The journal: every change to entries, recorded so that undo and redo work everywhere.

A change is one journal group (one undo step): `begin_change` drops whatever was undone (the
redo stack) and hands out a new group number, and each entry written in the change is recorded
with its state before and after. The functions that change entries (`add`, `edit`, `delete`,
and the row-level `insert_entry`, `update_entry`, `delete_entry` that an import uses) must run
inside the store's `transaction()`.

The journal is also the one door to an entry's history (carelog.core.store.history): `record`
appends a history event for every row it journals, saying how the change came (`Via`), and an
undo or a redo is a new event of its own, never an erasure. The journal may drop undone groups;
the history keeps everything. A change that moves minutes in a week a committee export sealed
needs a reason; without one it is refused (`ReasonNeeded`) and nothing is written.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.errors import NothingToUndo, OverlapError, ReasonNeeded, Remedy
from carelog.core.domain.history import Action, Reason, ReasonCode, Via
from carelog.core.domain.models import Entry, Source, describe_entry, fit_between, make_entry
from carelog.core.domain.timeutil import format_local, iso_now
from carelog.core.store import entries, history, seals
from carelog.core.store import settings as kv
from carelog.core.store.settings import Setting


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What an undo or redo did, in words a person can read."""

    label: str
    entries: list[Entry]


# ----------------------------------------------------------------------------- groups

def _next_group(conn: sqlite3.Connection) -> int:
    # Group numbers are never reused, even after undone groups are dropped, so anything
    # that remembers a group (an import's links) can never mistake a new change for it.
    row = conn.execute("SELECT grp FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    last = max(0 if row is None else int(row[0]), int(kv.get(conn, Setting.JOURNAL_SEQ) or 0))
    kv.put(conn, Setting.JOURNAL_SEQ, str(last + 1))
    return last + 1


def begin_change(conn: sqlite3.Connection) -> int:
    """Start a change: drop the redo stack and return the new group number."""
    tail = redo_group(conn)
    if tail is not None:
        conn.execute("DELETE FROM journal WHERE grp >= ?", (tail,))
    return _next_group(conn)


def _action(via: Via, before: Entry | None, after: Entry | None) -> Action:
    if via is Via.IMPORT:
        return Action.IMPORT
    if via is Via.UNDO:
        return Action.UNDO
    if via is Via.REDO:
        return Action.REDO
    if before is None:
        return Action.ADD
    return Action.DELETE if after is None else Action.EDIT


def _sealed_content(e: Entry | None) -> tuple[str, int, int] | None:
    return None if e is None else (e.category, e.start, e.end)


def sealed_weeks(conn: sqlite3.Connection, *changed: Entry | None) -> list[str]:
    """The sealed weeks that the given entries' times touch (in order)."""
    return seals.weeks_touching(conn, [(e.start, e.end) for e in changed if e is not None])


def reason_needed(weeks: list[str]) -> ReasonNeeded:
    """The refusal of a change to sealed weeks that came without a reason."""
    named = weeks[0] if len(weeks) == 1 else ", ".join(weeks[:-1]) + f" and {weeks[-1]}"
    verb = "was" if len(weeks) == 1 else "were"
    return ReasonNeeded(f"Week {named} {verb} sealed by a committee export; changing it needs "
                        "a reason.", field="reason", remedy=Remedy.GIVE_REASON,
                        about=tuple(weeks))


def amendment(conn: sqlite3.Connection, before: Entry | None, after: Entry | None,
              reason: Reason | None) -> tuple[Reason | None, list[str]]:
    """The reason to record and the sealed weeks the change amends (None and [] for none).

    A change amends a sealed week when it moves minutes there: a new entry, a deleted one, or
    other times or another category (a note is not sealed). Without a reason it is refused.
    """
    if _sealed_content(before) == _sealed_content(after):
        return None, []
    weeks = sealed_weeks(conn, before, after)
    if not weeks:
        return None, []
    if reason is None:
        raise reason_needed(weeks)
    return reason, weeks


def record(conn: sqlite3.Connection, grp: int, label: str, entry_id: int,
           before: Entry | None, after: Entry | None, *, via: Via,
           reason: Reason | None = None) -> None:
    """Record one entry's state before and after, as part of group grp, and its history event.

    `reason` is recorded only when the change amends a sealed week, and is required then.
    """
    why, weeks = amendment(conn, before, after, reason)
    conn.execute(
        "INSERT INTO journal(grp, at, label, entry_id, before, after) VALUES (?,?,?,?,?,?)",
        (grp, iso_now(), label, entry_id,
         before.model_dump_json() if before else None,
         after.model_dump_json() if after else None))
    history.append(conn, entry_id, _action(via, before, after), via, before, after, why, grp,
                   weeks)


BATCH = 5_000


def insert_many(conn: sqlite3.Connection, grp: int, label: str,
                drafts: Iterable[tuple[str, int, int, str, str]], *, via: Via,
                reason: Reason | None = None) -> array[int]:
    """Insert many new entries (category, start, end, note, source) as one change, in batches.

    The same rows, journal states and history events as `insert_entry` one at a time, written
    with a few statements per thousand rows (an import of a million rows). A row that amends a
    sealed week goes through `insert_entry`, which records the amendment and its reason.
    Returns the new ids, in order.
    """
    next_id = history.next_entry_id(conn)
    sealed = seals.sealed_spans(conn)
    sealed_starts = [a for a, _ in sealed]
    now = iso_now()
    action = _action(via, None, None).value
    quoted: dict[str, str] = {}  # category codes and sources, each written as JSON once
    ids: array[int] = array("q")
    rows: list[tuple[object, ...]] = []
    states: list[tuple[object, ...]] = []
    events: list[tuple[object, ...]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO entries(id, category, start_utc, end_utc, note, source, "
                         "created, updated) VALUES (?,?,?,?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO journal(grp, at, label, entry_id, before, after) "
                         "VALUES (?,?,?,?,?,?)", states)
        history.append_many(conn, events)
        rows.clear()
        states.clear()
        events.clear()

    for category, start, end, note, source in drafts:
        entry_id = next_id
        next_id += 1
        ids.append(entry_id)
        if sealed and _touches(sealed, sealed_starts, start, end):
            flush()
            insert_entry(conn, grp, label, Entry(id=entry_id, category=category, start=start,
                                                 end=end, note=note, source=Source(source)),
                         via=via, reason=reason)
            continue
        rows.append((entry_id, category, start, end, note, source, now, now))
        for text in (category, source):
            if text not in quoted:
                quoted[text] = json.dumps(text, ensure_ascii=False)
        # The entry's state as Entry.model_dump_json writes it, without building the model.
        states.append((grp, now, label, entry_id, None,
                       f'{{"id":{entry_id},"category":{quoted[category]},"start":{start},'
                       f'"end":{end},"note":{json.dumps(note, ensure_ascii=False)},'
                       f'"source":{quoted[source]},"created":"{now}","updated":"{now}"}}'))
        events.append((entry_id, now, action, via.value, category, start, end, int(bool(note)),
                       None, grp))
        if len(rows) >= BATCH:
            flush()
    flush()
    return ids


def _touches(sealed: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """True when [start, end) overlaps one of the sealed weeks (sorted by start)."""
    i = bisect.bisect_left(starts, end)
    while i > 0:
        i -= 1
        a, b = sealed[i]
        if b > start:
            return True
        if a < start - 8 * 86_400:  # weeks are shorter than that: nothing earlier can reach
            return False
    return False


def _newest_done(conn: sqlite3.Connection, column: str) -> Any:
    """A column of the newest journal row that is not undone (None when every row is)."""
    # Groups grow with the row id and undone rows are always the newest: walking back from
    # the end by rowid finds the answer without scanning the journal.
    row = conn.execute(
        f"SELECT {column} FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def undo_group(conn: sqlite3.Connection) -> int | None:
    """The group undo would reverse, or None."""
    grp = _newest_done(conn, "grp")
    return None if grp is None else int(grp)


def redo_group(conn: sqlite3.Connection) -> int | None:
    """The group redo would re-apply, or None."""
    # The undone groups form the tail of the journal; redo takes the oldest of them.
    grp = None
    for undone, g in conn.execute("SELECT undone, grp FROM journal ORDER BY id DESC"):
        if not undone:
            break
        grp = int(g)
    return grp


def undo_label(conn: sqlite3.Connection) -> str | None:
    """What undo would reverse, or None."""
    label = _newest_done(conn, "label")
    return None if label is None else str(label)


def redo_label(conn: sqlite3.Connection) -> str | None:
    """What redo would re-apply, or None."""
    grp = redo_group(conn)
    if grp is None:
        return None
    row = conn.execute("SELECT label FROM journal WHERE grp = ? ORDER BY id LIMIT 1",
                       (grp,)).fetchone()
    return None if row is None else str(row[0])


# ----------------------------------------------------------------------------- journaled rows

def insert_entry(conn: sqlite3.Connection, grp: int, label: str, draft: Entry, *, via: Via,
                 reason: Reason | None = None) -> Entry:
    """Insert a new entry and journal it (a new entry gets an id no entry ever had)."""
    if draft.id is None:
        draft = draft.model_copy(update={"id": history.next_entry_id(conn)})
    saved = entries.insert(conn, draft)
    record(conn, grp, label, int(saved.id or 0), None, saved, via=via, reason=reason)
    return saved


def update_entry(conn: sqlite3.Connection, grp: int, label: str, old: Entry, new: Entry,
                 *, via: Via, reason: Reason | None = None, note: bool = False) -> Entry:
    """Change an entry's category and times (and, with note, its note) and journal it."""
    if not note:
        new = new.model_copy(update={"note": old.note})
    entries.update(conn, int(old.id or 0), new, note=note)
    record(conn, grp, label, int(old.id or 0), old, new, via=via, reason=reason)
    return new


def delete_entry(conn: sqlite3.Connection, grp: int, label: str, old: Entry, *, via: Via,
                 reason: Reason | None = None) -> None:
    """Delete an entry and journal it."""
    entries.delete(conn, int(old.id or 0))
    record(conn, grp, label, int(old.id or 0), old, None, via=via, reason=reason)


# ----------------------------------------------------------------------------- changes

def clash_words(clash: Entry, categories: CategoryRegistry, tz: ZoneInfo,
                day: str | None = None) -> str:
    """The entry another one overlaps, by its category and time ('Charting 09:00–09:50').

    The date is named when it is not `day` (a local 'YYYY-MM-DD').
    """
    start, end = format_local(clash.start, tz), format_local(clash.end, tz)
    when = f"{start[11:]}–{end[11:]}" if start[:10] == day else f"{start}–{end[11:]}"
    if end[:10] != start[:10]:
        when = f"{start}–{end}"
    return f"{categories.label_of(clash.category)} {when}"


def overlap_error(e: Entry, clash: Entry, categories: CategoryRegistry,
                  tz: ZoneInfo) -> OverlapError:
    """The refusal of an entry that overlaps another: both named by their times."""
    start = format_local(e.start, tz)
    return OverlapError(
        f"{start}–{format_local(e.end, tz)[11:]} overlaps "
        f"{clash_words(clash, categories, tz, start[:10])}.", field="start",
        remedy=Remedy.TRIM, about=(str(clash.id),))


def add(conn: sqlite3.Connection, drafts: list[Entry], categories: CategoryRegistry,
        tz: ZoneInfo, *, via: Via, trim: bool = False, label: str | None = None,
        reason: Reason | None = None) -> list[Entry]:
    """Add entries as one change: an overlap is refused, or with trim fitted around."""
    added: list[Entry] = []
    grp = begin_change(conn)
    text = label or f"add {len(drafts)} entries"
    for e in drafts:
        categories.known(e.category)
        clashes = entries.overlapping(conn, e.start, e.end)
        pieces = [e]
        if clashes:
            if not trim:
                raise overlap_error(e, clashes[0], categories, tz)
            pieces = fit_between(e, clashes)
            if not pieces:
                raise OverlapError(
                    f"{format_local(e.start, tz)}–{format_local(e.end, tz)[11:]}"
                    " is already fully logged; nothing is left to add after trimming.",
                    field="start")
        added.extend(insert_entry(conn, grp, text, p, via=via, reason=reason) for p in pieces)
    return added


def edit(conn: sqlite3.Connection, entry_id: int, categories: CategoryRegistry, tz: ZoneInfo,
         *, via: Via, category: str | None = None, start: int | None = None,
         end: int | None = None, note: str | None = None,
         reason: Reason | None = None) -> Entry:
    """Change some fields of an entry as one change; the result is validated like a new one."""
    old = entries.get(conn, entry_id)
    fields = old.model_dump()
    for key, value in (("category", category), ("start", start), ("end", end), ("note", note)):
        if value is not None:
            fields[key] = value
    fields["updated"] = iso_now()
    new = make_entry(**fields)
    categories.known(new.category)
    clashes = entries.overlapping(conn, new.start, new.end, exclude=[entry_id])
    if clashes:
        raise overlap_error(new, clashes[0], categories, tz)
    grp = begin_change(conn)
    return update_entry(conn, grp, f"edit {describe_entry(new, categories, tz)}", old, new,
                        via=via, reason=reason, note=True)


def change_many(conn: sqlite3.Connection, ids: Iterable[int], categories: CategoryRegistry,
                tz: ZoneInfo, *, via: Via, category: str | None = None, shift_min: int = 0,
                reason: Reason | None = None) -> list[Entry]:
    """Give entries another category and/or move them by minutes, as one change.

    Each entry is validated like a new one and must not overlap an entry outside the change
    (moving them all by the same minutes keeps them apart from each other). A change that
    touches a sealed week needs a reason; all or nothing.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    if category is not None:
        categories.known(category)
    olds = [entries.get(conn, i) for i in ids]
    stamp = iso_now()
    news: list[Entry] = []
    for old in olds:
        fields = old.model_dump()
        if category is not None:
            fields["category"] = category
        fields["start"] = old.start + shift_min * 60
        fields["end"] = old.end + shift_min * 60
        fields["updated"] = stamp
        new = make_entry(**fields)
        clashes = entries.overlapping(conn, new.start, new.end, exclude=ids)
        if clashes:
            raise overlap_error(new, clashes[0], categories, tz)
        news.append(new)
    grp = begin_change(conn)
    label = change_label(len(ids), categories.label_of(category) if category else None,
                         shift_min)
    for old, new in zip(olds, news, strict=True):
        update_entry(conn, grp, label, old, new, via=via, reason=reason)
    return news


def change_label(count: int, category_label: str | None, shift_min: int) -> str:
    """What a change of several entries is called in Undo ('move 3 entries 15 min later')."""
    what = "1 entry" if count == 1 else f"{count} entries"
    parts = []
    if category_label is not None:
        parts.append(f"change {what} to {category_label}")
    if shift_min:
        way = "later" if shift_min > 0 else "earlier"
        moved = f"{abs(shift_min)} min {way}"
        parts.append(f"move {what} {moved}" if not parts else f"move them {moved}")
    return ", ".join(parts) or f"change {what}"


def delete(conn: sqlite3.Connection, ids: Iterable[int], categories: CategoryRegistry,
           tz: ZoneInfo, *, via: Via, reason: Reason | None = None) -> list[Entry]:
    """Delete entries as one change (undo brings them back with the same ids)."""
    ids = list(ids)
    gone: list[Entry] = []
    grp = begin_change(conn)
    for entry_id in ids:
        old = entries.get(conn, entry_id)
        label = f"delete {describe_entry(old, categories, tz)}" if len(ids) == 1 \
            else f"delete {len(ids)} entries"
        delete_entry(conn, grp, label, old, via=via, reason=reason)
        gone.append(old)
    return gone


def _apply_state(conn: sqlite3.Connection, grp: int, entry_id: int, state: str | None,
                 back: bool, categories: CategoryRegistry, tz: ZoneInfo,
                 group_ids: set[int]) -> Entry | None:
    current = entries.find(conn, entry_id)
    entries.delete(conn, entry_id)
    restored = None if state is None else Entry.model_validate_json(state)
    if restored is not None:
        # The other entries of the step move back too, so only the rest of the log can clash.
        clashes = entries.overlapping(conn, restored.start, restored.end, exclude=group_ids)
        if clashes:
            raise OverlapError("This step cannot be undone because "
                               f"{clash_words(clashes[0], categories, tz)} now covers the "
                               "same time.")
        restored = entries.insert(conn, restored)
    via, code = (Via.UNDO, ReasonCode.UNDO) if back else (Via.REDO, ReasonCode.REDO)
    why, weeks = amendment(conn, current, restored, Reason(code))
    history.append(conn, entry_id, _action(via, current, restored), via, current, restored,
                   why, grp, weeks)
    return restored


def _step(conn: sqlite3.Connection, grp: int, categories: CategoryRegistry, tz: ZoneInfo, *,
          back: bool) -> UndoResult:
    # Undo puts back each entry's state before the change, newest row first; redo its state
    # after, oldest first. Either way the history gains new events; nothing is erased there.
    state, order = ("before", "DESC") if back else ("after", "ASC")
    rows = conn.execute(f"SELECT id, label, entry_id, {state} FROM journal WHERE grp = ? "
                        f"ORDER BY id {order}", (grp,)).fetchall()
    label = str(rows[0][1])
    group_ids = {int(r[2]) for r in rows}
    restored = [_apply_state(conn, grp, r[2], r[3], back, categories, tz, group_ids)
                for r in rows]
    conn.execute("UPDATE journal SET undone = ? WHERE grp = ?", (int(back), grp))
    return UndoResult(label, [e for e in restored if e is not None])


def undo(conn: sqlite3.Connection, categories: CategoryRegistry, tz: ZoneInfo) -> UndoResult:
    """Reverse the newest change that is not undone yet."""
    grp = undo_group(conn)
    if grp is None:
        raise NothingToUndo("There is nothing to undo.")
    return _step(conn, grp, categories, tz, back=True)


def redo(conn: sqlite3.Connection, categories: CategoryRegistry, tz: ZoneInfo) -> UndoResult:
    """Re-apply the oldest undone change."""
    grp = redo_group(conn)
    if grp is None:
        raise NothingToUndo("There is nothing to redo.")
    return _step(conn, grp, categories, tz, back=False)
