"""The SQL of importing: mapping rules, links from calendar events to entries, journaled writes.

Every function takes an open Store and uses its connection; the writing ones must run inside
`store.transaction()`, so a whole import is one transaction and one journal group (one undo
step).

A link row says "entry E was written from the calendar event whose keyed UID hash is K, by the
change (journal group) G, when the event read (start, end, category)". A link counts only while
its entry still exists with the same `created` stamp and its change is in effect (not undone):
undoing an import therefore makes the links it wrote disappear, and redoing it brings them back,
without the journal having to know about links.
"""

from __future__ import annotations

import secrets
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from carelog.core.domain.history import Reason, Via
from carelog.core.domain.models import Entry
from carelog.core.store import entries, journal
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting

KEY_SETTING = Setting.IMPORT_KEY
IMPORT_LABEL_PREFIX = "import "


@dataclass(frozen=True, slots=True)
class Link:
    """One entry written from a calendar event, and how the event read when it was written."""

    key: str
    grp: int | None
    event_start: int
    event_end: int
    event_category: str
    entry: Entry


# ----------------------------------------------------------------------------- rules

def read_rules(store: Store) -> list[tuple[str, str]]:
    """The saved (pattern, category) pairs in order."""
    rows = store.conn.execute("SELECT pattern, category FROM import_rules ORDER BY position")
    return [(str(r[0]), str(r[1])) for r in rows]


def write_rules(store: Store, pairs: list[tuple[str, str]], fallback: str) -> None:
    """Replace every rule and the fallback in one transaction."""
    with store.transaction() as c:
        c.execute("DELETE FROM import_rules")
        c.executemany("INSERT INTO import_rules(position, pattern, category) VALUES (?, ?, ?)",
                      [(i, p, cat) for i, (p, cat) in enumerate(pairs, start=1)])
        store.set_setting(Setting.IMPORT_FALLBACK, fallback)


# ----------------------------------------------------------------------------- links

def uid_key(store: Store) -> bytes:
    """This database's secret for hashing calendar UIDs (made on first need)."""
    value = store.setting(KEY_SETTING)
    if value is None:
        value = secrets.token_hex(32)
        store.set_setting(KEY_SETTING, value)
    return bytes.fromhex(value)


def current_links(store: Store) -> dict[str, list[Link]]:
    """For each event key, the links in effect now (those of the newest change still applied)."""
    rows = store.conn.execute(
        "SELECT l.key, l.grp, l.event_start, l.event_end, l.event_category, "
        f"{entries.columns('e')} FROM import_links l "
        "JOIN entries e ON e.id = l.entry_id AND e.created = l.created "
        "WHERE l.grp IS NULL OR EXISTS (SELECT 1 FROM journal j WHERE j.grp = l.grp "
        f"AND j.undone = 0 AND j.label LIKE '{IMPORT_LABEL_PREFIX}%') "
        "ORDER BY l.key, l.grp, e.start_utc").fetchall()
    out: dict[str, list[Link]] = {}
    for r in rows:
        link = Link(str(r[0]), r[1], int(r[2]), int(r[3]), str(r[4]), entries.entry_from_row(r[5:]))
        have = out.get(link.key)
        if have and (have[0].grp or 0) < (link.grp or 0):
            have.clear()
        out.setdefault(link.key, []).append(link)
    return out


def forget_undone_links(store: Store) -> None:
    """Drop links of undone changes that a new change is about to make unreachable.

    Call it inside the import's transaction just before the journal group begins. Links whose
    change is gone from the journal (or was not an import) are dropped as well.
    """
    store.conn.execute(
        "DELETE FROM import_links WHERE grp IS NOT NULL AND grp NOT IN (SELECT grp FROM journal "
        f"WHERE undone = 0 AND label LIKE '{IMPORT_LABEL_PREFIX}%')")


def add_link(store: Store, key: str, entry: Entry, grp: int | None, event_start: int,
             event_end: int, event_category: str) -> None:
    """Link an entry to an event key.

    Links of the same entry from this change, and stale ones from an earlier entry that had the
    same id, are replaced; links from earlier changes stay, so that undo can fall back on them.
    """
    store.conn.execute("DELETE FROM import_links WHERE entry_id = ? AND (created != ? OR "
                       "grp IS NULL OR grp = ?)", (entry.id, entry.created, grp))
    store.conn.execute(
        "INSERT INTO import_links(key, entry_id, created, grp, event_start, event_end, "
        "event_category) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (key, entry.id, entry.created, grp, event_start, event_end, event_category))


# ----------------------------------------------------------------------------- journaled writes

def begin_import(store: Store) -> int:
    """Start the journal group of an import and return its number."""
    forget_undone_links(store)
    return journal.begin_change(store.conn)


def insert_entry(store: Store, grp: int, label: str, draft: Entry, reason: Reason) -> Entry:
    """Insert a new entry and journal it; `reason` is recorded if it falls in a sealed week."""
    return journal.insert_entry(store.conn, grp, label, draft, via=Via.IMPORT, reason=reason)


def update_entry(store: Store, grp: int, label: str, old: Entry, new: Entry,
                 reason: Reason) -> Entry:
    """Change an entry's category and times and journal it (an amendment in a sealed week)."""
    return journal.update_entry(store.conn, grp, label, old, new, via=Via.IMPORT,
                                reason=reason)


def insert_entries(store: Store, grp: int, label: str,
                   drafts: Iterable[tuple[str, int, int, str, str]],
                   reason: Reason) -> array[int]:
    """Insert many new entries (category, start, end, note, source) in batches; their ids."""
    return journal.insert_many(store.conn, grp, label, drafts, via=Via.IMPORT, reason=reason)


def spans_between(store: Store, start: int, end: int) -> list[tuple[int, int, str, int]]:
    """(start, end, category, id) of the entries overlapping [start, end), by start."""
    return entries.spans_between(store.conn, start, end)


def delete_entry(store: Store, grp: int, label: str, old: Entry, reason: Reason) -> None:
    """Delete an entry and journal it (an amendment in a sealed week)."""
    journal.delete_entry(store.conn, grp, label, old, via=Via.IMPORT, reason=reason)


def overlaps_between(store: Store, start: int, end: int) -> int:
    """How many neighbouring pairs of entries overlap among those starting in [start, end)."""
    return entries.overlapping_pairs(store.conn, start, end)


def data_version(store: Store) -> tuple[object, ...]:
    """Changes as soon as anything is written to the log, by this connection or another."""
    other = store.conn.execute("PRAGMA data_version").fetchone()[0]
    return id(store.conn), store.conn.total_changes, other
