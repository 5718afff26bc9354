"""`carelog check`: integrity, foreign keys, schema and contents of a database, in a few lines."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import EntryState
from carelog.core.domain.seal import NO_PREVIOUS
from carelog.core.domain.timeutil import format_local, instant_of_stamp, to_local, zone
from carelog.core.store import backup as backups
from carelog.core.store import (
    calendar_days,
    entries,
    escalations,
    history,
    schedules,
    seals,
    timer,
)
from carelog.core.store import settings as kv
from carelog.core.store.connection import user_version
from carelog.core.store.schema import SCHEMA_VERSION
from carelog.core.store.settings import Setting


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


def unreadable_rows(conn: sqlite3.Connection) -> list[str]:
    """A sentence for each kind of stored value that reading leaves out (and why)."""
    found = (schedules.unreadable(conn) + calendar_days.unreadable(conn)
             + escalations.unreadable(conn))
    unsound = entries.unsound(conn)
    if unsound:
        found.append(f"{unsound} stored entr{'y has' if unsound == 1 else 'ies have'} times, a "
                     "category or a source Carelog cannot read.")
    unknown = int(conn.execute("SELECT COUNT(*) FROM entries WHERE category NOT IN "
                               "(SELECT code FROM categories)").fetchone()[0])
    if unknown:
        found.append(f"{unknown} stored entr{'y names' if unknown == 1 else 'ies name'} a "
                     "category that does not exist.")
    try:
        timer.running(conn)
    except ValueError:
        found.append("The stored timer cannot be read.")
    name = kv.get(conn, Setting.TIMEZONE)
    if name is not None:
        try:
            zone(name)
        except BadInput:
            found.append(f"The stored time zone '{name[:40]}' is unknown.")
    return found


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
    stored = unreadable_rows(conn)
    if stored:
        ok = False
        lines.append(f"Stored rows that cannot be read (left out of every report): "
                     f"{len(stored)}")
        lines.extend(f"  {s}" for s in stored[:20])
    record = record_breaks(conn, tz)
    ok = ok and not record
    lines.append(f"History: {history.count(conn)} events; "
                 + ("every entry is as its history says" if not record
                    else f"{len(record)} problem{'s' if len(record) != 1 else ''}"))
    lines.extend(record)
    chain = seal_breaks(conn, tz)
    ok = ok and not chain
    n = seals.count(conn)
    lines.append(f"Seals: {n}" + ("" if not n else ", the chain is intact" if not chain
                                   else f", {len(chain)} break{'s' if len(chain) != 1 else ''}"))
    lines.extend(chain)
    lines.append(f"Time zone: {tz.key}")
    found = backups.list_backups(path)
    if found:
        lines.append(f"Backups: {len(found)}, newest {found[0].made:%Y-%m-%d %H:%M} "
                     f"({found[0].path})")
    else:
        lines.append("Backups: none yet")
    lines.append(f"File: {path}")
    return CheckReport(ok, lines)


MAX_SENTENCES = 10


def _state_text(s: EntryState, tz: ZoneInfo) -> str:
    start, end = format_local(s.start, tz), format_local(s.end, tz)
    return f"{s.category} {start}–{end[11:] if end[:10] == start[:10] else end}"


def record_breaks(conn: sqlite3.Connection, tz: ZoneInfo) -> list[str]:
    """One sentence for each entry whose history does not end in the entry as it is."""
    out: list[str] = []
    more = 0
    for entry_id, held, told, has_history in history.mismatches(conn):
        if len(out) >= MAX_SENTENCES:
            more += 1
            continue
        if not has_history:
            out.append(f"Entry {entry_id} has no history: it was written without going "
                       "through Carelog.")
        elif held is None:
            out.append(f"Entry {entry_id} is missing from the log, but its history never "
                       "deleted it.")
        elif told is None:
            out.append(f"Entry {entry_id} is in the log, but its history says it was "
                       "deleted.")
        else:
            out.append(f"Entry {entry_id} reads {_state_text(held, tz)}, but its history ends "
                       f"at {_state_text(told, tz)}: it was changed without going through "
                       "Carelog.")
    if more:
        out.append(f"{more} more entr{'y differs' if more == 1 else 'ies differ'} from their "
                   "history.")
    missing = history.missing_guards(conn)
    if missing:
        out.append(f"The guard that keeps the record from being rewritten is missing "
                   f"({', '.join(missing)}).")
    return out


def seal_breaks(conn: sqlite3.Connection, tz: ZoneInfo) -> list[str]:
    """One sentence for each seal that does not match what it covered or breaks the chain."""
    out: list[str] = []
    expected = NO_PREVIOUS
    for seal in seals.every(conn):
        made = to_local(instant_of_stamp(seal.sealed_at), tz).date()
        if seal.previous != expected:
            out.append(f"The seal of {seal.week} made {made} does not follow the seal before "
                       "it: the chain of seals is broken there.")
        elif seal.recompute(seals.entries_of(conn, seal.id)) != seal.digest:
            out.append(f"The seal of {seal.week} made {made} does not match the entries it "
                       "recorded: the seal's record was altered.")
        expected = seal.digest
    return out
