"""The tables kept per date: leave, block tags, access and capacity counts.

A block tag says why a protected block was lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from carelog.core.domain.errors import BadInput
from carelog.core.domain.formatting import clock
from carelog.core.domain.models import (
    AccessObservation,
    BlockTag,
    CapacityObservation,
    ErosionReason,
    Leave,
    LeaveType,
)
from carelog.core.store.readable import Skip, ignore, readable

T = TypeVar("T")


def _upsert(conn: sqlite3.Connection, table: str, keys: tuple[str, ...],
            row: dict[str, object]) -> None:
    """Insert a row, or replace the other values of the row that has the same keys."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c not in keys)
    conn.execute(f"INSERT INTO {table}({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
                 f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}", tuple(row.values()))


def _leave(r: Any) -> Leave:
    return Leave(day=date.fromisoformat(r[0]), minutes=r[1], type=LeaveType(r[2]))


def _tag(r: Any) -> BlockTag:
    return BlockTag(day=date.fromisoformat(r[0]), start_minute=r[1], reason=ErosionReason(r[2]),
                    escalated=bool(r[3]))


def _access(r: Any) -> AccessObservation:
    return AccessObservation(day=date.fromisoformat(r[0]), days=r[1])


def _capacity(r: Any) -> CapacityObservation:
    return CapacityObservation(day=date.fromisoformat(r[0]), caseload=r[1],
                               return_not_offered=r[2])


@dataclass(frozen=True, slots=True)
class _Table(Generic[T]):
    """How one table kept per date is read: its rows, the model each makes, what it is called."""

    select: str
    """'SELECT day, … FROM table': the columns the model is made from, the date first."""
    make: Callable[[Any], T]
    what: str
    """The row's name in the sentence about a row that cannot be read."""
    order: str = "day"

    def all(self, conn: sqlite3.Connection, skip: Skip) -> list[T]:
        """Every readable row (unreadable ones told to skip)."""
        return readable(conn.execute(self.select), self.make, self.what, skip)

    def between(self, conn: sqlite3.Connection, first: date, last: date, skip: Skip) -> list[T]:
        """The readable rows on dates from first to last inclusive, in order."""
        rows = conn.execute(f"{self.select} WHERE day BETWEEN ? AND ? ORDER BY {self.order}",
                            (first.isoformat(), last.isoformat()))
        return readable(rows, self.make, self.what, skip)


_LEAVE = _Table("SELECT day, minutes, type FROM leave", _leave, "leave")
_TAGS = _Table("SELECT day, start_minute, reason, escalated FROM block_tags", _tag, "block tag",
               order="day, start_minute")
_ACCESS = _Table("SELECT day, days FROM access", _access, "access observation")
_CAPACITY = _Table("SELECT day, caseload, return_not_offered FROM capacity", _capacity,
                   "capacity count")


def unreadable(conn: sqlite3.Connection) -> list[str]:
    """Sentences about every stored leave, tag or access row that cannot be read."""
    found: list[str] = []
    for table in (_LEAVE, _TAGS, _ACCESS, _CAPACITY):
        table.all(conn, found.append)
    return found


# ----------------------------------------------------------------------------- leave


def add_leave(conn: sqlite3.Connection, leave: Leave) -> None:
    """Record leave on a date; a date already on leave is refused."""
    row = conn.execute("SELECT type FROM leave WHERE day = ?",
                       (leave.day.isoformat(),)).fetchone()
    if row is not None:
        raise BadInput(f"{leave.day} is already on leave ({row[0]}); remove that first.",
                       field="date")
    conn.execute("INSERT INTO leave(day, minutes, type) VALUES (?, ?, ?)",
                 (leave.day.isoformat(), leave.minutes, leave.type.value))


def remove_leave(conn: sqlite3.Connection, day: date) -> None:
    """Remove the leave on a date (BadInput when there is none)."""
    cur = conn.execute("DELETE FROM leave WHERE day = ?", (day.isoformat(),))
    if cur.rowcount == 0:
        raise BadInput(f"{day} has no leave to remove.", field="date")


def leave_between(conn: sqlite3.Connection, first: date, last: date,
                  skip: Skip = ignore) -> list[Leave]:
    """Leave on dates from first to last inclusive (unreadable rows skipped, told to skip)."""
    return _LEAVE.between(conn, first, last, skip)


# ----------------------------------------------------------------------------- block tags

def save_block_tag(conn: sqlite3.Connection, tag: BlockTag) -> None:
    """Record (or replace) the erosion reason of one block occurrence."""
    _upsert(conn, "block_tags", ("day", "start_minute"),
            {"day": tag.day.isoformat(), "start_minute": tag.start_minute,
             "reason": tag.reason.value, "escalated": int(tag.escalated)})


def remove_block_tag(conn: sqlite3.Connection, day: date, start_minute: int) -> None:
    """Remove the tag of one block occurrence (BadInput when there is none)."""
    cur = conn.execute("DELETE FROM block_tags WHERE day = ? AND start_minute = ?",
                       (day.isoformat(), start_minute))
    if cur.rowcount == 0:
        raise BadInput(f"The block at {clock(start_minute)} on {day} has no tag to remove.",
                       field="time")


def block_tags_between(conn: sqlite3.Connection, first: date, last: date,
                       skip: Skip = ignore) -> list[BlockTag]:
    """Tags on dates from first to last inclusive (unreadable rows skipped, told to skip)."""
    return _TAGS.between(conn, first, last, skip)


# ----------------------------------------------------------------------------- access

def log_access(conn: sqlite3.Connection, obs: AccessObservation) -> None:
    """Record (or replace) the access observation of a date."""
    _upsert(conn, "access", ("day",), {"day": obs.day.isoformat(), "days": obs.days})


def access_between(conn: sqlite3.Connection, first: date, last: date,
                   skip: Skip = ignore) -> list[AccessObservation]:
    """Access observations from first to last inclusive (unreadable rows skipped)."""
    return _ACCESS.between(conn, first, last, skip)


# ----------------------------------------------------------------------------- capacity

def log_capacity(conn: sqlite3.Connection, obs: CapacityObservation) -> None:
    """Record (or replace) the capacity counts of a date."""
    _upsert(conn, "capacity", ("day",), {"day": obs.day.isoformat(), "caseload": obs.caseload,
                                         "return_not_offered": obs.return_not_offered})


def capacity_between(conn: sqlite3.Connection, first: date, last: date,
                     skip: Skip = ignore) -> list[CapacityObservation]:
    """Capacity counts on dates from first to last inclusive (unreadable rows skipped)."""
    return _CAPACITY.between(conn, first, last, skip)
