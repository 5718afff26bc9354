"""The entries table: reading entries, and the row-level writes the journal makes.

An entry row becomes an `Entry` in one place, `entry_from_row`. Nothing here journals a change:
every write to entries goes through carelog.core.store.journal, so undo and redo see it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from typing import Any

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Entry, Source
from carelog.core.domain.timeutil import iso_now
from carelog.core.store.readable import Skip, ignore

COLUMNS = ("id", "category", "start_utc", "end_utc", "note", "source", "created", "updated")
_SELECT = "SELECT " + ", ".join(f"e.{c}" for c in COLUMNS) + " FROM entries e"
# An entry lasts at most a day, so a range on the indexed start_utc finds every overlap.
_LONGEST = 86_400
_FIRST, _LAST = -2_208_988_800, 7_258_118_400  # 1900-01-01 and 2200-01-01, UTC
_SOURCES = frozenset(s.value for s in Source)


def sound(row: tuple[Any, ...] | sqlite3.Row) -> bool:
    """True when a stored row is an entry the model would accept (cheap: no validation pass).

    A row an older Carelog or another program wrote badly (text for a time, an end before its
    start, an unknown source) is never handed on, so reading cannot fail on it.
    """
    start, end = row[2], row[3]
    return (type(start) is int and type(end) is int and _FIRST <= start < end <= _LAST
            and end - start <= _LONGEST and start % 60 == 0 and end % 60 == 0
            and type(row[1]) is str and bool(row[1]) and type(row[4]) is str
            and row[5] in _SOURCES)


def _entries(rows: Iterable[Any], skip: Skip) -> list[Entry]:
    out = []
    bad = 0
    for r in rows:
        if sound(r):
            out.append(entry_from_row(r))
        else:
            bad += 1
    if bad:
        skip(f"{bad} stored entr{'y' if bad == 1 else 'ies'} cannot be read and "
             f"{'was' if bad == 1 else 'were'} skipped (a check of the database lists them).")
    return out


def unsound(conn: sqlite3.Connection) -> int:
    """How many stored entries cannot be read (for carelog check)."""
    return sum(1 for r in conn.execute(_SELECT) if not sound(r))


def columns(alias: str = "e") -> str:
    """The entry columns, in the order `entry_from_row` reads them, for a SELECT list."""
    return ", ".join(f"{alias}.{c}" for c in COLUMNS)


def entry_from_row(row: tuple[Any, ...] | sqlite3.Row) -> Entry:
    """The Entry of a row selected with `columns()` (already validated when it was written)."""
    return Entry.model_construct(
        id=row[0], category=row[1], start=row[2], end=row[3], note=row[4],
        source=Source(row[5]), created=row[6], updated=row[7])


def get(conn: sqlite3.Connection, entry_id: int) -> Entry:
    """The entry with this id, or BadInput naming the id."""
    if not 0 < entry_id < 2**63:
        raise BadInput(f"There is no entry with id {entry_id}.", field="id")
    row = conn.execute(f"{_SELECT} WHERE e.id = ?", (entry_id,)).fetchone()
    if row is None:
        raise BadInput(f"There is no entry with id {entry_id}.", field="id")
    if not sound(row):
        raise BadInput(f"The entry with id {entry_id} is stored with values Carelog cannot read; "
                       "delete it, or restore a backup.", field="id")
    return entry_from_row(row)


def find(conn: sqlite3.Connection, entry_id: int) -> Entry | None:
    """The entry with this id, or None when there is none."""
    row = conn.execute(f"{_SELECT} WHERE e.id = ?", (entry_id,)).fetchone()
    return None if row is None else entry_from_row(row)


def between(conn: sqlite3.Connection, start: int, end: int,
            skip: Skip = ignore) -> list[Entry]:
    """Entries overlapping [start, end), in time order (unreadable rows skipped)."""
    rows = conn.execute(f"{_SELECT} WHERE e.start_utc >= ? AND e.start_utc < ? "
                        "AND e.end_utc > ? ORDER BY e.start_utc",
                        (start - _LONGEST, end, start)).fetchall()
    return _entries(rows, skip)


def spans_between(conn: sqlite3.Connection, start: int, end: int
                  ) -> list[tuple[int, int, str, int]]:
    """(start, end, category, id) of the entries overlapping [start, end), in time order."""
    # Only rows that are sound (whole-minute integer times, in range, in order): a bad stored
    # row is left out here as everywhere (carelog check lists it).
    return conn.execute("SELECT start_utc, end_utc, category, id FROM entries "
                        "WHERE start_utc >= ? AND start_utc < ? AND end_utc > ? "
                        "AND typeof(start_utc) = 'integer' AND typeof(end_utc) = 'integer' "
                        "AND start_utc >= ? AND end_utc <= ? AND start_utc % 60 = 0 "
                        "AND end_utc % 60 = 0 AND end_utc - start_utc <= ? "
                        "ORDER BY start_utc", (start - _LONGEST, end, start, _FIRST, _LAST,
                                               _LONGEST)).fetchall()


def overlapping(conn: sqlite3.Connection, start: int, end: int,
                exclude: Iterable[int] = ()) -> list[Entry]:
    """Entries overlapping [start, end), leaving out the ids in exclude."""
    skip = set(exclude)
    return [e for e in between(conn, start, end) if e.id not in skip]


def _where(start: int | None, end: int | None, categories: Collection[str] | None,
           sources: Collection[str] | None, text: str) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if start is not None:
        clauses.append("e.start_utc >= ?")
        args.append(start)
    if end is not None:
        clauses.append("e.start_utc < ?")
        args.append(end)
    if categories is not None:
        # No category at all matches nothing (a class with none of the chosen categories).
        clauses.append(f"e.category IN ({', '.join('?' * len(categories))})" if categories
                       else "0")
        args.extend(sorted(categories))
    if sources is not None:
        clauses.append(f"e.source IN ({', '.join('?' * len(sources))})")
        args.extend(sorted(sources))
    if text:
        clauses.append("instr(lower(e.note), ?) > 0")
        args.append(text.lower())
    return clauses, args


def search(conn: sqlite3.Connection, *, start: int | None = None, end: int | None = None,
           categories: Collection[str] | None = None, sources: Collection[str] | None = None,
           text: str = "", before: tuple[int, int] | None = None,
           limit: int | None = None, skip: Skip = ignore) -> list[Entry]:
    """Entries starting in [start, end) that match, newest first, a page at a time.

    `categories` and `sources` (None: any) restrict the codes; `text` is looked for in the
    note ignoring case. `before` is the (start, id) of the last entry of the previous page:
    the page goes on after it, so every page costs the same however deep it is.
    """
    clauses, args = _where(start, end, categories, sources, text)
    if before is not None:
        clauses.append("(e.start_utc < ? OR (e.start_utc = ? AND e.id < ?))")
        args.extend((before[0], before[0], before[1]))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(f"{_SELECT}{where} ORDER BY e.start_utc DESC, e.id DESC{tail}",
                        args).fetchall()
    return _entries(rows, skip)


def count_matching(conn: sqlite3.Connection, *, start: int | None = None,
                   end: int | None = None, categories: Collection[str] | None = None,
                   sources: Collection[str] | None = None, text: str = "") -> tuple[int, int]:
    """How many entries match, and their minutes in all."""
    clauses, args = _where(start, end, categories, sources, text)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    row = conn.execute("SELECT COUNT(*), COALESCE(SUM(e.end_utc - e.start_utc), 0) / 60 "
                       f"FROM entries e{where}", args).fetchone()
    return int(row[0]), int(row[1])


def every(conn: sqlite3.Connection, skip: Skip = ignore) -> list[Entry]:
    """Every entry, in time order (unreadable rows skipped)."""
    return _entries(conn.execute(f"{_SELECT} ORDER BY e.start_utc"), skip)


def count(conn: sqlite3.Connection) -> int:
    """How many entries the log holds."""
    return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])


def span(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """The start of the first entry and the end of the last, or None for an empty log."""
    row = conn.execute("SELECT MIN(start_utc), MAX(end_utc) FROM entries WHERE "
                       "typeof(start_utc) = 'integer' AND typeof(end_utc) = 'integer' AND "
                       "start_utc >= ? AND end_utc <= ?", (_FIRST, _LAST)).fetchone()
    return None if row[0] is None else (int(row[0]), int(row[1]))


def invalid_times(conn: sqlite3.Connection) -> int:
    """How many entries have times the model would refuse (a check for `carelog check`)."""
    return int(conn.execute(
        "SELECT COUNT(*) FROM entries WHERE end_utc <= start_utc OR end_utc - start_utc > 86400 "
        "OR start_utc % 60 != 0 OR end_utc % 60 != 0").fetchone()[0])


def overlapping_pairs(conn: sqlite3.Connection, start: int | None = None,
                      end: int | None = None) -> int:
    """How many neighbouring pairs of entries overlap (among those starting in [start, end))."""
    where = "" if start is None else "WHERE start_utc >= ? AND start_utc < ?"
    args: tuple[int, ...] = () if start is None else (start, end or 0)
    return int(conn.execute(
        "SELECT COUNT(*) FROM (SELECT end_utc, LEAD(start_utc) OVER (ORDER BY start_utc) AS nxt "
        f"FROM entries {where}) WHERE nxt < end_utc", args).fetchone()[0])


def insert(conn: sqlite3.Connection, e: Entry) -> Entry:
    """Insert a row (keeping e.id when it has one) and return the entry as stored."""
    now = iso_now()
    cur = conn.execute(
        "INSERT INTO entries(id, category, start_utc, end_utc, note, source, created, updated)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (e.id, e.category, e.start, e.end, e.note, str(e.source), e.created or now,
         e.updated or now))
    return e.model_copy(update={"id": cur.lastrowid, "created": e.created or now,
                                "updated": e.updated or now})


def update(conn: sqlite3.Connection, entry_id: int, new: Entry, *, note: bool = True) -> None:
    """Write new's category, times, (note,) and updated stamp into the row entry_id."""
    if note:
        conn.execute("UPDATE entries SET category=?, start_utc=?, end_utc=?, note=?, updated=? "
                     "WHERE id=?", (new.category, new.start, new.end, new.note, new.updated,
                                    entry_id))
    else:
        conn.execute("UPDATE entries SET category = ?, start_utc = ?, end_utc = ?, updated = ? "
                     "WHERE id = ?", (new.category, new.start, new.end, new.updated, entry_id))


def delete(conn: sqlite3.Connection, entry_id: int) -> None:
    """Delete a row."""
    conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
