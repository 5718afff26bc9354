"""The check at open, skipped for a file that has not changed since it last passed (DESIGN §6).

`PRAGMA quick_check` reads every page of the database: on ten years of a busy log it costs
several times what the rest of a report does. Its purpose is that damage is found before
Carelog reads or writes the file. A file that passed the check, and whose identity and size and
modification and change times (and its write-ahead log's, when that holds anything) are the
same now, is the same file, untouched by anything since: checking it again would find what
the last check found. So after a passing check Carelog remembers that state of the file in a
note beside it ('<database>.checked': the path and numbers only), and the next open checks
again only when anything about the file differs or the last check was on another day. Any
change at all, by Carelog or by anything else (a restore puts another file in its place), means
the next open checks the file. Losing the note costs one check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

from carelog.core.domain.timeutil import local_now
from carelog.core.store import connection
from carelog.core.store.files import write_private_atomic

NOTE_SUFFIX = ".checked"
_NOTE_MAX_BYTES = 4096
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


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


def note_path(path: Path) -> Path:
    """Where the note of a database's last check is kept: '<database>.checked' beside it."""
    return path.with_name(path.name + NOTE_SUFFIX)


def _read_note(note: Path) -> bytes | None:
    """The note's bytes; None for anything but a small regular file (a link is not followed)."""
    try:
        fd = os.open(note, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, _NOTE_MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _remembered(path: Path) -> dict[str, object] | None:
    raw = _read_note(note_path(path))
    if raw is None or len(raw) > _NOTE_MAX_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
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
    day = (today or local_now().date()).isoformat()
    if found is None or state is None or found.get("state") != state or found.get("day") != day:
        return None
    return day


def remember_check(path: Path, day: str | None = None,
                   opened: tuple[int, int] | None = None) -> None:
    """Note the file's state as sound, resting on the check of `day` (silently, if possible).

    With `opened` (the device and inode a connection opened), nothing is noted when another
    file has since taken the database's place (a restore).
    """
    state = _state(path)
    if state is None or (opened is not None and tuple(state[:2]) != opened):
        return
    body = {"path": _key(path), "state": state, "day": day or local_now().date().isoformat()}
    with contextlib.suppress(OSError):
        write_private_atomic(note_path(path), json.dumps(body).encode("utf-8"))


def quick_check(conn: sqlite3.Connection, path: Path) -> Soundness:
    """Run the check at open unless the file is unchanged since it passed one today.

    Returns what the file's soundness rests on, for `note_at_close`. A failing check raises as
    connection.quick_check does (the damaged file is kept and a backup offered).
    """
    day = _checked_on(path)
    if day is None:
        connection.quick_check(conn, path)
        day = local_now().date().isoformat()
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


def note_at_close(conn: sqlite3.Connection, path: Path, sound: Soundness,
                  opened: tuple[int, int] | None = None) -> None:
    """Before closing: note the file as this connection leaves it, if only it changed it.

    The write-ahead log is folded into the file first, so the note describes the file itself.
    Nothing is noted when another program committed anything since the file was found sound,
    the log could not be folded in (another program is reading it), or the file the connection
    opened is no longer the one at path (`opened`, its device and inode: a restore replaced it).
    """
    try:
        if conn.in_transaction:
            return
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy or _data_version(conn) != sound.version:
            return
    except sqlite3.Error:
        return
    remember_check(path, sound.day, opened)
