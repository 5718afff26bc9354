"""The week_records table: the stored ledger of complete weeks (migration m006).

The ledger (carelog.core.ledger.stored) writes a week here once it has computed it complete,
and reads it back instead of computing it again. Nothing else writes here, and nothing needs to
remove a row: the triggers m006 made on every table the ledger reads delete the rows a change
touches, in the change's own transaction. A row written by another version of the computation
is never read.

Storing is an afterthought of reading, never a reason to fail or to wait: a week is stored only
inside the read transaction its inputs came from, so a change committed by another program in
the meantime makes the write fail (SQLite's snapshot rule) and the week is simply not stored;
a busy, read-only or full database is skipped the same way.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from carelog.core.domain.codes import DEFAULT_PARTLY_MET_AT
from carelog.core.domain.datatypes import Record
from carelog.core.domain.timeutil import in_years
from carelog.core.store import connection


class StoredWeek(Record, frozen=True):
    """One stored week: its Monday, its span in UTC, and its record as decoded JSON."""

    monday: date
    start: int
    end: int
    body: dict[str, Any]


class WeekRow(Record, frozen=True):
    """A complete week to store: its Monday and label, its span in UTC, its record as JSON."""

    monday: date
    week: str
    start: int
    end: int
    body: dict[str, Any]


def read(conn: sqlite3.Connection, first: date, last: date, version: int) -> list[StoredWeek]:
    """The stored weeks with Mondays from first to last written by this version, in order.

    A row that cannot be read (changed by another program) is left out: its week is computed
    again and stored over it.
    """
    rows = conn.execute("SELECT monday, start_utc, end_utc, body FROM week_records "
                        "WHERE monday BETWEEN ? AND ? AND ledger = ? ORDER BY monday",
                        (first.isoformat(), last.isoformat(), version))
    out = []
    for r in rows:
        try:
            body = json.loads(r[3])
            if isinstance(body, dict):
                out.append(StoredWeek(date.fromisoformat(r[0]), int(r[1]), int(r[2]), body))
        except (TypeError, ValueError, RecursionError):
            continue
    return out


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every read inside sees the same state of the file.

    Inside a transaction already open, it joins it. It takes no lock that stops a writer; a
    week stored inside it (`remember`) is written only if nothing changed since it began.
    """
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        connection.roll_back(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error:
        # Only stored weeks can be pending here; losing them costs a recomputation.
        connection.roll_back(conn)


def remember(conn: sqlite3.Connection, weeks: Iterable[WeekRow], version: int) -> bool:
    """Store complete weeks, inside the read transaction their inputs came from.

    Returns False, having written nothing, when the database changed since that transaction
    began, another program holds the write lock, or the file cannot be written: the weeks are
    then computed again next time. Never waits for a lock.
    """
    rows = [(w.monday.isoformat(), (w.monday + timedelta(days=6)).isoformat(), w.week, w.start,
             w.end, version, json.dumps(w.body, separators=(",", ":"))) for w in weeks]
    if not rows:
        return True
    return connection.write_if_free(
        conn, "INSERT OR REPLACE INTO week_records(monday, sunday, week, start_utc, end_utc, "
        "ledger, body) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def count(conn: sqlite3.Connection) -> int:
    """How many weeks are stored (of any version)."""
    return int(conn.execute("SELECT COUNT(*) FROM week_records").fetchone()[0])


def partly_met_at_on(conn: sqlite3.Connection, day: date) -> float | None:
    """The `partly_met_at` of the schedule version in force on day, else of the newest one.

    None when there is no schedule. Read from the stored version's JSON without building the
    schedule model (a report read from the stored weeks needs only this number of it); the
    version in force is the one with the latest effective date on or before the day, as
    ScheduleSet.on decides, and a test holds the two to the same answer. ValueError when that
    version cannot be read this way (the schedule model would skip it): the caller computes.
    """
    row = conn.execute("SELECT effective_from, body FROM schedules WHERE effective_from <= ? "
                       "ORDER BY effective_from DESC LIMIT 1", (day.isoformat(),)).fetchone()
    if row is None:
        row = conn.execute("SELECT effective_from, body FROM schedules "
                           "ORDER BY effective_from DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        body = json.loads(row[1])
    except RecursionError:
        raise ValueError("the stored schedule is nested too deeply") from None
    if not isinstance(body, dict) or body.get("effective_from") != row[0] \
            or not in_years(date.fromisoformat(str(row[0]))):
        raise ValueError("the stored schedule is not one Carelog wrote")
    target = body.get("target") or {}
    mark = target.get("partly_met_at", DEFAULT_PARTLY_MET_AT) if isinstance(target, dict) \
        else None
    if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 < mark <= 1:
        raise ValueError("the stored schedule's partly-met mark is not a share")
    return float(mark)
