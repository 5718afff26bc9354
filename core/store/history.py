"""The history table: one appended event per change of an entry, never rewritten.

Only the journal writes here (carelog.core.store.journal calls `append` for every row it
changes), so no change to an entry can bypass its history. Triggers made by the migration
abort any UPDATE or DELETE of a history row. Notes are never stored: an event says only
whether the note changed. A reason's free text is private and lives in `history_reasons`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from carelog.core.domain.history import (
    Action,
    EntryState,
    HistoryEvent,
    Reason,
    ReasonCode,
    Via,
)
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import instant_of_stamp, iso_now

_SELECT = ("SELECT h.id, h.entry_id, h.at, h.action, h.via, h.category, h.start_utc, "
           "h.end_utc, h.note_changed, h.reason, r.text FROM history h "
           "LEFT JOIN history_reasons r ON r.history_id = h.id")


_ACTIONS = {a.value: a for a in Action}
_VIAS = {v.value: v for v in Via}


def _event(row: tuple[Any, ...]) -> HistoryEvent:
    state = None if row[5] is None else EntryState(row[5], row[6], row[7])
    reason = None if row[9] is None else Reason(ReasonCode(row[9]), row[10] or "")
    return HistoryEvent(row[0], row[1], instant_of_stamp(row[2]), _ACTIONS[row[3]],
                        _VIAS[row[4]], state, bool(row[8]), reason)


def append(conn: sqlite3.Connection, entry_id: int, action: Action, via: Via,
           before: Entry | None, after: Entry | None, reason: Reason | None,
           grp: int | None, amends: Iterable[str] = ()) -> int:
    """Append the event that took the entry from before to after; returns its id.

    `amends` names the sealed weeks the change amended (it then carries a reason).
    """
    note_changed = (before.note if before else "") != (after.note if after else "")
    # Sample data carries the moment it pretends to have been recorded; everything else is
    # recorded now.
    at = after.created if via is Via.DEMO and after is not None and after.created \
        else iso_now()
    cur = conn.execute(
        "INSERT INTO history(entry_id, at, action, via, category, start_utc, end_utc, "
        "note_changed, reason, grp) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (entry_id, at, action.value, via.value,
         after.category if after else None, after.start if after else None,
         after.end if after else None, int(note_changed and after is not None),
         reason.code.value if reason else None, grp))
    event_id = int(cur.lastrowid or 0)
    if reason is not None and reason.text:
        conn.execute("INSERT INTO history_reasons(history_id, text) VALUES (?, ?)",
                     (event_id, reason.text))
    conn.executemany("INSERT INTO amendments(history_id, week) VALUES (?, ?)",
                     [(event_id, week) for week in amends])
    return event_id


def amendment_reasons(conn: sqlite3.Connection, week: str) -> dict[str, int]:
    """How many changes amended a sealed week, by reason category."""
    rows = conn.execute("SELECT h.reason, COUNT(*) FROM amendments a JOIN history h "
                        "ON h.id = a.history_id WHERE a.week = ? GROUP BY h.reason "
                        "ORDER BY h.reason", (week,))
    return {str(r[0]): int(r[1]) for r in rows}


def append_many(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Append many events at once, as `append` would one by one.

    Each row is (entry_id, at, action, via, category, start_utc, end_utc, note_changed, reason,
    grp): for a large import, whose rows amend no sealed week and carry no reason text.
    """
    conn.executemany(
        "INSERT INTO history(entry_id, at, action, via, category, start_utc, end_utc, "
        "note_changed, reason, grp) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def next_entry_id(conn: sqlite3.Connection) -> int:
    """The id for a new entry: never one that an entry, present or deleted, has had."""
    row = conn.execute("SELECT MAX(id) FROM entries").fetchone()
    hist = conn.execute("SELECT MAX(entry_id) FROM history").fetchone()
    return max(int(row[0] or 0), int(hist[0] or 0)) + 1


def events_of(conn: sqlite3.Connection, entry_id: int) -> list[HistoryEvent]:
    """Every event of one entry, oldest first."""
    rows = conn.execute(f"{_SELECT} WHERE h.entry_id = ? ORDER BY h.id", (entry_id,))
    return [_event(r) for r in rows]


def has_events(conn: sqlite3.Connection, entry_id: int) -> bool:
    """True when the entry id has any history at all."""
    return conn.execute("SELECT 1 FROM history WHERE entry_id = ? LIMIT 1",
                        (entry_id,)).fetchone() is not None


def events_of_entries(conn: sqlite3.Connection,
                      entry_ids: Iterable[int]) -> dict[int, list[HistoryEvent]]:
    """The events of several entries, oldest first, by entry id."""
    out: dict[int, list[HistoryEvent]] = {}
    ids = sorted(set(entry_ids))
    # SQLite limits the variables of one statement; ask in slices.
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"{_SELECT} WHERE h.entry_id IN ({marks}) ORDER BY h.id", part)
        for r in rows:
            e = _event(r)
            out.setdefault(e.entry_id, []).append(e)
    return out


def events_between(conn: sqlite3.Connection, start: int, end: int,
                   longest: int = 86_400) -> dict[int, list[HistoryEvent]]:
    """The events of every entry that now overlaps [start, end), by entry id."""
    rows = conn.execute(
        f"{_SELECT} JOIN entries e ON e.id = h.entry_id WHERE e.start_utc >= ? "
        "AND e.start_utc < ? AND e.end_utc > ? ORDER BY h.id", (start - longest, end, start))
    out: dict[int, list[HistoryEvent]] = {}
    for r in rows:
        e = _event(r)
        out.setdefault(e.entry_id, []).append(e)
    return out


def latest_states(conn: sqlite3.Connection) -> Iterator[tuple[int, EntryState | None]]:
    """Each entry id in the history with the state its newest event left it in."""
    rows = conn.execute(
        "SELECT h.entry_id, h.category, h.start_utc, h.end_utc FROM history h "
        "JOIN (SELECT entry_id, MAX(id) AS last FROM history GROUP BY entry_id) m "
        "ON m.last = h.id ORDER BY h.entry_id")
    for entry_id, category, start, end in rows:
        yield int(entry_id), (None if category is None
                              else EntryState(str(category), int(start), int(end)))


def count(conn: sqlite3.Connection) -> int:
    """How many events the history holds."""
    return int(conn.execute("SELECT COUNT(*) FROM history").fetchone()[0])


def mismatches(conn: sqlite3.Connection) -> Iterator[tuple[int, EntryState | None,
                                                           EntryState | None, bool]]:
    """Entries whose newest history event does not leave them as the log holds them.

    Yields (id, the entry as the log holds it or None, the state its history ends in or None,
    whether it has any history at all), in id order.
    """
    newest = ("(SELECT entry_id, MAX(id) AS last FROM history GROUP BY entry_id) m")
    rows = conn.execute(
        "SELECT e.id, e.category, e.start_utc, e.end_utc, h.id, h.category, h.start_utc, "
        f"h.end_utc FROM entries e LEFT JOIN {newest} ON m.entry_id = e.id "
        "LEFT JOIN history h ON h.id = m.last WHERE h.id IS NULL OR h.category IS NULL "
        "OR h.category != e.category OR h.start_utc != e.start_utc OR h.end_utc != e.end_utc "
        "UNION ALL "
        "SELECT m.entry_id, NULL, NULL, NULL, h.id, h.category, h.start_utc, h.end_utc "
        f"FROM {newest} JOIN history h ON h.id = m.last WHERE h.category IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM entries x WHERE x.id = m.entry_id) ORDER BY 1")
    for r in rows:
        if not all(v is None or type(v) is int for v in (r[2], r[3], r[6], r[7])):
            continue  # a row that cannot be read: carelog check lists it as such
        held = None if r[1] is None else EntryState(str(r[1]), int(r[2]), int(r[3]))
        told = None if r[5] is None else EntryState(str(r[5]), int(r[6]), int(r[7]))
        yield int(r[0]), held, told, r[4] is not None


APPEND_ONLY_TABLES = ("history", "amendments", "seals", "seal_entries", "exports")


def missing_guards(conn: sqlite3.Connection) -> list[str]:
    """The triggers that keep the record append-only and are missing from the file."""
    have = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                            "'trigger'")}
    return [f"{t}_no_{verb}" for t in APPEND_ONLY_TABLES for verb in ("update", "delete")
            if f"{t}_no_{verb}" not in have]
