"""The schedules table: every schedule version, keyed by the date it comes into force."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion, from_json
from carelog.core.domain.timeutil import iso_now
from carelog.core.store.readable import Skip, ignore


def all_versions(conn: sqlite3.Connection, skip: Skip = ignore) -> ScheduleSet:
    """Every schedule version, oldest first; a stored version that cannot be read is skipped.

    `skip` is told, in a sentence, about each version left out (carelog check lists them too).
    """
    versions = []
    for key, body in conn.execute("SELECT effective_from, body FROM schedules "
                                  "ORDER BY effective_from"):
        try:
            versions.append(from_json(str(body)))
        except BadInput as exc:
            skip(f"The stored schedule from {str(key)[:20]} cannot be read and was skipped "
                 f"({_plain(exc.message)}).")
    return ScheduleSet(versions)


def unreadable(conn: sqlite3.Connection) -> list[str]:
    """Sentences about every stored schedule version that cannot be read (for carelog check)."""
    found: list[str] = []
    all_versions(conn, found.append)
    return found


def _plain(message: str) -> str:
    return message[0].lower() + message[1:].rstrip(".") if message else "unreadable"


def save(conn: sqlite3.Connection, version: ScheduleVersion) -> bool:
    """Store a version (replacing one with the same date); True when it is now the newest."""
    conn.execute("INSERT INTO schedules(effective_from, body, saved) VALUES (?, ?, ?) "
                 "ON CONFLICT(effective_from) DO UPDATE SET body = excluded.body, "
                 "saved = excluded.saved",
                 (version.effective_from.isoformat(), json.dumps(version.to_json_dict()),
                  iso_now()))
    latest = conn.execute("SELECT MAX(effective_from) FROM schedules").fetchone()[0]
    return bool(latest == version.effective_from.isoformat())


def delete(conn: sqlite3.Connection, effective_from: date) -> None:
    """Remove one schedule version (BadInput when there is none from that date)."""
    cur = conn.execute("DELETE FROM schedules WHERE effective_from = ?",
                       (effective_from.isoformat(),))
    if cur.rowcount == 0:
        raise BadInput(f"There is no schedule version starting {effective_from}.",
                       field="effective_from")
