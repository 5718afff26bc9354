"""The escalations table: when a manager was told that protected time was lost, and the answer."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Escalation, EscalationHow, EscalationResponse
from carelog.core.domain.timeutil import iso_now
from carelog.core.store.readable import Skip, ignore, readable

_COLUMNS = ("id, day, start_minute, told_utc, to_role, how, asked, response, response_on, "
            "resolved, note")




def unreadable(conn: sqlite3.Connection) -> list[str]:
    """Sentences about every stored escalation that cannot be read (for carelog check)."""
    found: list[str] = []
    readable(conn.execute(f"SELECT {_COLUMNS} FROM escalations"), _row, "escalation", found.append)
    return found


def _row(r: tuple[Any, ...]) -> Escalation:
    return Escalation(id=r[0], day=date.fromisoformat(r[1]), start_minute=r[2], told_at=r[3],
                      to_role=r[4], how=None if r[5] is None else EscalationHow(r[5]),
                      asked=r[6], response=EscalationResponse(r[7]),
                      response_on=None if r[8] is None else date.fromisoformat(r[8]),
                      resolved=bool(r[9]), note=r[10])


def add(conn: sqlite3.Connection, esc: Escalation) -> Escalation:
    """Insert an escalation and return it with its id."""
    cur = conn.execute(
        "INSERT INTO escalations(day, start_minute, told_utc, to_role, how, asked, response, "
        "response_on, resolved, note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (esc.day.isoformat(), esc.start_minute, esc.told_at, esc.to_role,
         None if esc.how is None else esc.how.value, esc.asked, esc.response.value,
         None if esc.response_on is None else esc.response_on.isoformat(), int(esc.resolved),
         esc.note, iso_now()))
    return esc.model_copy(update={"id": cur.lastrowid})


def get(conn: sqlite3.Connection, escalation_id: int) -> Escalation:
    """The escalation with this id, or BadInput."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM escalations WHERE id = ?",
                       (escalation_id,)).fetchone()
    if row is None:
        raise BadInput(f"There is no escalation with id {escalation_id}.",
                       field="id")
    return _row(row)


def update_response(conn: sqlite3.Connection, esc: Escalation) -> None:
    """Write an escalation's response, its date and whether it is resolved."""
    conn.execute("UPDATE escalations SET response = ?, response_on = ?, resolved = ? "
                 "WHERE id = ?",
                 (esc.response.value,
                  None if esc.response_on is None else esc.response_on.isoformat(),
                  int(esc.resolved), esc.id))


def for_block(conn: sqlite3.Connection, day: date, start_minute: int,
              skip: Skip = ignore) -> list[Escalation]:
    """The escalations about one protected block occurrence, oldest first."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM escalations WHERE day = ? AND "
                        "start_minute = ? ORDER BY told_utc, id",
                        (day.isoformat(), start_minute))
    return readable(rows, _row, "escalation", skip)


def between(conn: sqlite3.Connection, first: date, last: date,
            skip: Skip = ignore) -> list[Escalation]:
    """Escalations about dates from first to last inclusive, by date and time told."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM escalations WHERE day BETWEEN ? AND ? "
                        "ORDER BY day, told_utc, id", (first.isoformat(), last.isoformat()))
    return readable(rows, _row, "escalation", skip)
