"""The settings table: one text value per key, and every key Carelog uses, named in one place."""

from __future__ import annotations

import sqlite3
from enum import StrEnum


class Setting(StrEnum):
    """The keys of the settings table (stored as these strings; never rename one)."""

    TIMEZONE = "timezone"
    """The user's IANA zone, which decides days and weeks."""
    JOURNAL_SEQ = "journal_seq"
    """The last journal group number handed out (numbers are never reused)."""
    CONTRIBUTOR = "contributor"
    """The anonymous contributor id written into committee exports."""
    DISPLAY_NAME = "display_name"
    """The name shown in committee exports, when the therapist chose one."""
    IMPORT_KEY = "import_key"
    """The secret for hashing calendar UIDs."""
    IMPORT_FALLBACK = "import_fallback"
    """The category for timed calendar events in working hours that no rule matches."""
    REMINDER_ENABLED = "reminder_enabled"
    REMINDER_TIME = "reminder_time"
    WELCOME_DONE = "welcome_done"
    QUICK_PRESETS = "quick_presets"
    MEAL_BREAK_MIN = "meal_break_min"
    """The shortest break that counts as a meal break, in minutes (30 unless set)."""
    TIMER_LIMIT_MIN = "timer_limit_min"
    """A timer running longer than this many minutes asks whether it is still wanted."""


def get(conn: sqlite3.Connection, key: str) -> str | None:
    """The value of a setting, or None when it was never set."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


PUT_SQL = ("INSERT INTO settings(key, value) VALUES (?, ?) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Write a setting (inside the caller's transaction)."""
    conn.execute(PUT_SQL, (str(key), value))
