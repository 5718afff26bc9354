"""The timer table: at most one running timer, kept in the database so it survives a restart."""

from __future__ import annotations

import sqlite3

from carelog.core.domain.models import TimerState
from pydantic import ValidationError


def running(conn: sqlite3.Connection) -> TimerState | None:
    """The running timer, if any (ValueError when the stored row cannot be read)."""
    row = conn.execute("SELECT category, started_utc, note FROM timer").fetchone()
    if row is None:
        return None
    try:
        return TimerState.model_validate({"category": row[0], "started": row[1],
                                          "note": row[2]}, strict=True)
    except ValidationError as exc:
        raise ValueError("The stored timer cannot be read.") from exc


def start(conn: sqlite3.Connection, state: TimerState) -> None:
    """Record a running timer (the caller checked that none runs)."""
    conn.execute("INSERT INTO timer(id, category, started_utc, note) VALUES (1, ?, ?, ?)",
                 (state.category, state.started, state.note))


def clear(conn: sqlite3.Connection) -> None:
    """Forget the running timer."""
    conn.execute("DELETE FROM timer")
