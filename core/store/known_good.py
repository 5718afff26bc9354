"""The check at open, skipped for a file that has not changed since it last passed (DESIGN §6).

`PRAGMA quick_check` reads every page of the database: on ten years of a busy log it costs
several times what the rest of a report does. Its purpose is that damage is found before
Carelog reads or writes the file. A file that passed the check, and whose identity and size and
modification and change times (and its write-ahead log's, when that holds anything) are the
same now, is the same file, untouched by anything since: checking it again would find what
the last check found. So after a passing check Carelog remembers that state of the file, in its
cache folder (a file named by a hash of the database's path: numbers only), and the next open
checks again only when anything about the file differs or the last check was on another day.
Any change at all, by Carelog or by anything else, means the next open checks the file.
Losing the cache costs one check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import date
from pathlib import Path

from carelog.core.store import connection
from carelog.core.store.backup import backup_dir
from carelog.core.store.files import ensure_private_dir, write_private_atomic


def _state(path: Path) -> list[int] | None:
    """What identifies the file as it is now: device, inode, size, modified and changed times.

    The write-ahead log is part of the database while it holds anything; an empty or missing
    one (recreated at every open) says nothing.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    out = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    with contextlib.suppress(OSError):
        wal = os.stat(str(path) + "-wal")
        if wal.st_size:
            out += [wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns]
    return out


def _key(path: Path) -> str:
    return str(path.resolve())


def _stamp_path(path: Path) -> Path:
    # Beside the database's backups; the path is inside too, so two databases that share the
    # folder and the name only check their files more often.
    return backup_dir(path) / f"{path.name}.checked"


def _remembered(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("path") != _key(path):
        return None
    return data


def unchanged_since_check(path: Path, today: date | None = None) -> bool:
    """True when the file is exactly as it was noted after a check made today."""
    return _checked_on(path, today) is not None


def _checked_on(path: Path, today: date | None = None) -> str | None:
    """The day of today's check the file as it is now rests on, or None."""
    found = _remembered(path)
    state = _state(path)
    day = (today or date.today()).isoformat()
    if found is None or state is None or found.get("state") != state or found.get("day") != day:
        return None
    return day


def remember_check(path: Path, day: str | None = None) -> None:
    """Note the file's state as sound, resting on the check of `day` (silently, if possible)."""
    state = _state(path)
    if state is None:
        return
    stamp = _stamp_path(path)
    body = {"path": _key(path), "state": state, "day": day or date.today().isoformat()}
    with contextlib.suppress(OSError):
        ensure_private_dir(stamp.parent)
        write_private_atomic(stamp, json.dumps(body).encode("utf-8"))


def quick_check(conn: sqlite3.Connection, path: Path) -> Soundness:
    """Run the check at open unless the file is unchanged since it passed one today.

    Returns what the file's soundness rests on, for `note_at_close`. A failing check raises as
    connection.quick_check does (the damaged file is kept and a backup offered).
    """
    day = _checked_on(path)
    if day is None:
        connection.quick_check(conn, path)
        day = date.today().isoformat()
        remember_check(path, day)
    return Soundness(day, _data_version(conn))


class Soundness:
    """The day of the check a connection's file rests on, and SQLite's data_version then."""

    __slots__ = ("day", "version")

    def __init__(self, day: str, version: int) -> None:
        self.day = day
        self.version = version


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def note_at_close(conn: sqlite3.Connection, path: Path, sound: Soundness) -> None:
    """Before closing: note the file as this connection leaves it, if only it changed it.

    The write-ahead log is folded into the file first, so the note describes the file itself.
    Nothing is noted when another program committed anything since the file was found sound,
    or the log could not be folded in (another program is reading it).
    """
    try:
        if conn.in_transaction:
            return
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy or _data_version(conn) != sound.version:
            return
    except sqlite3.Error:
        return
    remember_check(path, sound.day)
