"""Scrub: erase a piece of text (a name written in a note) from everywhere the log keeps it.

A note corrected in the window still leaves its old text behind: in the undo journal (the state
before the edit), in the free pages of the file, in its write-ahead log and in every backup made
since. Scrubbing removes the text (matched without regard to case) from every note, every state
in the undo journal, the running timer's note and the private text of reasons; each entry whose
note changed gets a history event saying only that the note changed. Then, with SQLite's
secure_delete on, the file is rebuilt (VACUUM) and its write-ahead log emptied, so no freed page
keeps the text; a fresh backup is written and verified, and the backups (and replaced or damaged
copies) that still hold the text are named, for the person to delete.

The text itself is never written anywhere: not in a message, not in the history.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Action, Via
from carelog.core.domain.models import Entry
from carelog.core.store import backup as backups
from carelog.core.store import entries, history
from carelog.core.store.connection import roll_back
from carelog.core.store.lock import Holder, holding

MIN_TEXT = 3
_CHUNK = 1 << 20
_SPACES = re.compile(r"[ \t]{2,}")


@dataclass
class ScrubReport:
    """What a scrub changed, counted (never the text), and what still holds the text."""

    notes: int = 0
    journal: int = 0
    other: int = 0
    backup: Path | None = None
    still_held: list[Path] = field(default_factory=list)

    @property
    def places(self) -> int:
        """How many places in the log the text was removed from."""
        return self.notes + self.journal + self.other

    def sentence(self) -> str:
        """What was done, in words any front end can show (never the text itself)."""
        held = len(self.still_held)
        older = ("No older backup or kept copy holds the text." if not held else
                 f"{held} older backup{' still holds' if held == 1 else 's still hold'} it; "
                 "delete them to remove it for good.")
        return (f"Removed the text from {self.places} place{'' if self.places == 1 else 's'} "
                f"({self.notes} note{'' if self.notes == 1 else 's'}, {self.journal} undo "
                f"record{'' if self.journal == 1 else 's'}); the file's free space was cleared "
                f"and a fresh backup verified. {older}")


def pattern_of(text: str) -> re.Pattern[str]:
    """The text as a pattern matched without regard to case; BadInput when it is too short."""
    text = text.strip()
    if len(text) < MIN_TEXT:
        raise BadInput(f"Give at least {MIN_TEXT} characters of the text to remove; a shorter "
                       "piece would erase too much of your notes.", field="text")
    return re.compile(re.escape(text), re.IGNORECASE)


def erase(pattern: re.Pattern[str], text: str) -> str:
    """The text with every match taken out (and the spaces it leaves closed up)."""
    return _SPACES.sub(" ", pattern.sub("", text)).strip()


def scrub(conn: sqlite3.Connection, db: Path, text: str) -> ScrubReport:
    """Erase text from the log at db (conn is its writer connection); see the module.

    Holds the single-writer lock (refused with LogInUse while another program, such as the
    window, has the log open; the window itself may scrub).
    """
    pattern = pattern_of(text)
    report = ScrubReport()
    with holding(db, Holder.SCRUB, "scrubbed"):
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            report.notes = _scrub_entries(conn, pattern)
            report.journal = _scrub_journal(conn, pattern)
            report.other = _scrub_other(conn, pattern)
            conn.execute("COMMIT")
        except BaseException:
            roll_back(conn)
            raise
        # Rebuild the file so that no free page keeps old text, then fold the write-ahead log
        # (which holds the pages as they were) back in and empty it.
        conn.execute("VACUUM")
        for _ in range(5):
            if conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0:
                break
        report.backup = backups.make_backup(conn, db, kind="manual")
        report.still_held = [p for p in _copies(db) if p != report.backup and holds(p, pattern)]
    return report


def _scrub_entries(conn: sqlite3.Connection, pattern: re.Pattern[str]) -> int:
    changed = 0
    rows = conn.execute(f"SELECT {entries.columns('e')} FROM entries e WHERE e.note != ''")
    for row in rows.fetchall():
        if not entries.sound(row) or not pattern.search(str(row[4])):
            continue
        before = entries.entry_from_row(row)
        after = before.model_copy(update={"note": erase(pattern, before.note)})
        conn.execute("UPDATE entries SET note = ? WHERE id = ?", (after.note, before.id))
        history.append(conn, int(before.id or 0), Action.EDIT, Via.SCRUB, before, after, None,
                       None)
        changed += 1
    return changed


def _scrub_journal(conn: sqlite3.Connection, pattern: re.Pattern[str]) -> int:
    changed = 0
    rows = conn.execute("SELECT id, label, before, after FROM journal").fetchall()
    for row_id, label, before, after in rows:
        new = [label, _state(pattern, before), _state(pattern, after)]
        if pattern.search(str(label)):
            new[0] = erase(pattern, str(label))
        if new != [label, before, after]:
            conn.execute("UPDATE journal SET label = ?, before = ?, after = ? WHERE id = ?",
                         (*new, row_id))
            changed += 1
    return changed


def _state(pattern: re.Pattern[str], state: str | None) -> str | None:
    """A journaled entry state with the text taken out of its note."""
    if state is None or not pattern.search(state):
        return state
    try:
        entry = Entry.model_validate_json(state)
    except ValueError:
        return pattern.sub("", state)  # not an entry any more: take the text out all the same
    return entry.model_copy(update={"note": erase(pattern, entry.note)}).model_dump_json()


# Free text kept beside entries: (table, key, column, what an emptied required text becomes).
_FREE_TEXT = (("timer", "id", "note", ""), ("history_reasons", "history_id", "text", "removed"),
              ("escalations", "id", "note", ""), ("escalations", "id", "to_role", "removed"),
              ("escalations", "id", "asked", "removed"))


def _scrub_other(conn: sqlite3.Connection, pattern: re.Pattern[str]) -> int:
    """The timer's note, reasons' private text, and escalations' role, request and note."""
    changed = 0
    for table, key, column, emptied in _FREE_TEXT:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchone()
        if not exists:
            continue
        for row_key, value in conn.execute(f"SELECT {key}, {column} FROM {table}").fetchall():
            if isinstance(value, str) and pattern.search(value):
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                             (erase(pattern, value) or emptied, row_key))
                changed += 1
    return changed


def _copies(db: Path) -> Iterator[Path]:
    """Every file that is a copy of the log: backups, and replaced or damaged copies kept."""
    folder = backups.backup_dir(db)
    if folder.is_dir():
        yield from sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink()
                          and not p.name.startswith("."))
    for pattern in (f"{db.name}.replaced-*", f"{db.name}.corrupt*"):
        yield from sorted(p for p in db.parent.glob(pattern) if p.is_file()
                          and not p.is_symlink())


def holds(path: Path, pattern: re.Pattern[str]) -> bool:
    """True when a file's bytes hold the text (as UTF-8, in any case), read a chunk at a time."""
    needle = re.compile(pattern.pattern.encode("utf-8"), re.IGNORECASE)
    overlap = max(len(needle.pattern) * 4, 64)
    tail = b""
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                if needle.search(tail + chunk):
                    return True
                tail = chunk[-overlap:]
    except OSError:
        return False
    return False
