"""The schedules table: every schedule version, keyed by the date it comes into force."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion, from_json
from carelog.core.domain.timeutil import iso_now


def all_versions(conn: sqlite3.Connection) -> ScheduleSet:
    """Every schedule version, oldest first."""
    rows = conn.execute("SELECT body FROM schedules ORDER BY effective_from")
    return ScheduleSet([from_json(r[0]) for r in rows])


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
