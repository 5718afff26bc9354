"""`carelog check`: integrity, foreign keys, schema and contents of a database, in a few lines."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from carelog.core.domain.timeutil import to_local
from carelog.core.store import backup as backups
from carelog.core.store import entries
from carelog.core.store.connection import user_version
from carelog.core.store.schema import SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `carelog check` found, line by line."""

    ok: bool
    lines: list[str]


def first_last_day(conn: sqlite3.Connection, tz: ZoneInfo) -> tuple[date, date] | None:
    """The local dates of the first and last entry, or None for an empty log."""
    span = entries.span(conn)
    if span is None:
        return None
    return to_local(span[0], tz).date(), to_local(span[1] - 1, tz).date()


def check(conn: sqlite3.Connection, path: Path, tz: ZoneInfo) -> CheckReport:
    """Integrity, foreign keys, schema and contents, in a few lines."""
    lines: list[str] = []
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    ok = integrity == ["ok"]
    lines.append("Integrity: ok" if ok else "Integrity: " + "; ".join(integrity[:5]))
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    lines.append("Foreign keys: ok" if not fk else f"Foreign keys: {len(fk)} broken links")
    ok = ok and not fk
    lines.append(f"Schema: version {user_version(conn)} of {SCHEMA_VERSION}")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    lines.append(f"Journal mode: {mode}")
    n = entries.count(conn)
    span = first_last_day(conn, tz)
    lines.append(f"Entries: {n}" + (f", from {span[0]} to {span[1]}" if span else ""))
    bad = entries.invalid_times(conn)
    overlaps = entries.overlapping_pairs(conn)
    if bad or overlaps:
        ok = False
    lines.append(f"Entry times: {bad} invalid, {overlaps} overlapping")
    lines.append(f"Time zone: {tz.key}")
    found = backups.list_backups(path)
    if found:
        lines.append(f"Backups: {len(found)}, newest {found[0].made:%Y-%m-%d %H:%M} "
                     f"({found[0].path})")
    else:
        lines.append("Backups: none yet")
    lines.append(f"File: {path}")
    return CheckReport(ok, lines)
