"""The seal chain: seals of exported weeks, the entries each covered, and the exports written.

Rows are only ever appended (triggers made by the migration abort any UPDATE or DELETE). The
digests themselves are computed in carelog.core.domain.seal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from carelog.core.domain.seal import NO_PREVIOUS, Seal, SealedEntry, seal_digest
from carelog.core.domain.timeutil import iso_now
from carelog.core.store import entries

_COLUMNS = "id, week, start_utc, end_utc, sealed_at, previous, digest"
# A week lasts at most 7 days and an hour (a daylight-saving change), so a range on the indexed
# start finds every seal overlapping a span.
_LONGEST_WEEK = 8 * 86_400


def _seal(row: tuple[Any, ...]) -> Seal:
    return Seal(int(row[0]), str(row[1]), int(row[2]), int(row[3]), str(row[4]), str(row[5]),
                str(row[6]))


def weeks_touching(conn: sqlite3.Connection, spans: Iterable[tuple[int, int]]) -> list[str]:
    """The sealed weeks that any of the spans [start, end) overlaps, in order."""
    weeks: set[str] = set()
    for a, b in spans:
        rows = conn.execute("SELECT DISTINCT week FROM seals WHERE start_utc < ? AND "
                            "start_utc > ? AND end_utc > ?", (b, a - _LONGEST_WEEK, a))
        weeks.update(str(r[0]) for r in rows)
    return sorted(weeks)


def sealed_spans(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """The distinct [start, end) of every sealed week, by start (for many checks at once)."""
    return [(int(a), int(b)) for a, b in conn.execute(
        "SELECT DISTINCT start_utc, end_utc FROM seals ORDER BY start_utc")]


def head(conn: sqlite3.Connection) -> Seal | None:
    """The newest seal of the chain, or None before the first."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM seals ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else _seal(row)


def latest_of_week(conn: sqlite3.Connection, week: str) -> Seal | None:
    """The newest seal of a week, or None when it was never sealed."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM seals WHERE week = ? ORDER BY id DESC LIMIT 1",
                       (week,)).fetchone()
    return None if row is None else _seal(row)


def by_digest(conn: sqlite3.Connection, digest: str) -> Seal | None:
    """The seal with this digest, or None when this log never made it."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM seals WHERE digest = ?", (digest,)).fetchone()
    return None if row is None else _seal(row)


def entries_of(conn: sqlite3.Connection, seal_id: int) -> list[SealedEntry]:
    """The entries a seal covered, as they were when it was made."""
    rows = conn.execute("SELECT start_utc, end_utc, category, entry_id FROM seal_entries "
                        "WHERE seal_id = ? ORDER BY start_utc, end_utc, category", (seal_id,))
    return [SealedEntry(int(a), int(b), str(c), int(i)) for a, b, c, i in rows]


def first_seals_between(conn: sqlite3.Connection, start: int, end: int) -> dict[str, Seal]:
    """The first seal of each week that starts in [start, end), by week."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM seals WHERE start_utc >= ? AND start_utc < ? "
                        "ORDER BY id", (start - _LONGEST_WEEK, end))
    first: dict[str, Seal] = {}
    for r in rows:
        s = _seal(r)
        first.setdefault(s.week, s)
    return first


def every(conn: sqlite3.Connection) -> Iterator[Seal]:
    """Every seal, in the order they were made."""
    for r in conn.execute(f"SELECT {_COLUMNS} FROM seals ORDER BY id"):
        yield _seal(r)


def count(conn: sqlite3.Connection) -> int:
    """How many seals the chain holds."""
    return int(conn.execute("SELECT COUNT(*) FROM seals").fetchone()[0])


def add(conn: sqlite3.Connection, week: str, start: int, end: int, previous: str | None,
        digest: str, entries: Iterable[SealedEntry]) -> Seal:
    """Append a seal and the entries it covers (inside the caller's transaction)."""
    at = iso_now()
    cur = conn.execute(
        "INSERT INTO seals(week, start_utc, end_utc, sealed_at, previous, digest) "
        "VALUES (?,?,?,?,?,?)", (week, start, end, at, previous or NO_PREVIOUS, digest))
    seal_id = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO seal_entries(seal_id, entry_id, start_utc, end_utc, category) "
        "VALUES (?,?,?,?,?)", [(seal_id, e.entry_id, e.start, e.end, e.category)
                               for e in entries])
    return Seal(seal_id, week, start, end, at, previous or NO_PREVIOUS, digest)


def record_export(conn: sqlite3.Connection, period: str, digest: str) -> None:
    """Remember the digest of a committee JSON as written (inside the caller's transaction)."""
    conn.execute("INSERT INTO exports(at, period, digest) VALUES (?,?,?)",
                 (iso_now(), period, digest))


def export_known(conn: sqlite3.Connection, digest: str) -> bool:
    """True when this log wrote a committee JSON with this digest."""
    return conn.execute("SELECT 1 FROM exports WHERE digest = ? LIMIT 1",
                        (digest,)).fetchone() is not None


def current_entries(conn: sqlite3.Connection, start: int, end: int) -> list[SealedEntry]:
    """The log's entries overlapping [start, end) as a seal covers them."""
    return [SealedEntry(int(a), int(b), str(c), int(i))
            for a, b, c, i in entries.spans_between(conn, start, end)]


def seal_week(conn: sqlite3.Connection, week: str, start: int, end: int) -> tuple[Seal, bool]:
    """Seal a week as it is now (inside the caller's transaction); True when a seal was added.

    A week whose newest seal still matches its entries keeps that seal, so exporting the same
    weeks twice hands in the same digests; a changed week gets a new seal at the chain's head.
    """
    current = current_entries(conn, start, end)
    latest = latest_of_week(conn, week)
    if latest is not None and (latest.start, latest.end) == (start, end) \
            and latest.recompute(current) == latest.digest:
        return latest, False
    chain = head(conn)
    previous = chain.digest if chain else None
    digest = seal_digest(week, start, end, previous, current)
    return add(conn, week, start, end, previous, digest, current), True
