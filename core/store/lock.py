"""The single-writer lock: one window, one restore or one scrub holds a log at a time.

The lock is an advisory lock on '<database>.lock' beside the log, held for as long as its holder
runs (the window for its whole life) and let go by the system when the process ends, however it
ends. The file says who holds it, so whoever is refused can name the holder in one sentence.

The command line's ordinary changes (add, edit, import…) do not take it: SQLite's own locking
lets them save while the window is open. What must not run under an open window — replacing the
file, rewriting it to erase text — takes it, and refuses when it is held.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import threading
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from carelog.core.domain.errors import EnvironmentFailure
from carelog.core.store.files import PRIVATE_FILE, ensure_private_dir, try_lock

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class Holder(StrEnum):
    """Who holds a log's writer lock."""

    WINDOW = "window"
    RESTORE = "restore"
    SCRUB = "scrub"
    RECOVERY = "recovery"


class LogInUse(EnvironmentFailure):
    """The writer lock is held by another program (the window, or a restore under way)."""


def lock_path(db: Path) -> Path:
    """The lock file of a database: '<name>.lock' beside it."""
    return db.with_name(db.name + ".lock")


def _key(db: Path) -> str:
    try:
        return str(db.expanduser().resolve())
    except OSError:
        return str(db.expanduser().absolute())


_held: dict[str, WriterLock] = {}
_held_guard = threading.Lock()


class WriterLock:
    """The writer lock of one database, held by this process."""

    def __init__(self, db: Path, fd: int, holder: Holder) -> None:
        self.db = db
        self.fd = fd
        self.holder = holder

    @classmethod
    def take(cls, db: Path, holder: Holder, doing: str = "changed") -> WriterLock:
        """Take the lock without waiting, or raise LogInUse naming who holds it.

        `doing` finishes the refusal: "The Carelog window is open on carelog.db (process 42),
        so it cannot be <doing> now; …".
        """
        ensure_private_dir(db.parent)
        path = lock_path(db)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _BINARY,
                         PRIVATE_FILE)
        except OSError as exc:
            raise EnvironmentFailure(f"The lock file {path} could not be created: "
                                     f"{(exc.strerror or str(exc)).lower()}.") from exc
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise EnvironmentFailure(f"The lock file {path} is not a regular file; remove it "
                                     "and try again.")
        if not try_lock(fd):
            text = _read_holder(fd)
            os.close(fd)
            raise LogInUse(_refusal(db, text, doing))
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n{holder.value}\n{socket.gethostname()}\n".encode())
        lock = cls(db, fd, holder)
        with _held_guard:
            _held.setdefault(_key(db), lock)
        return lock

    def release(self) -> None:
        """Let go of the lock (closing the file lets the system drop it)."""
        if self.fd < 0:
            return
        with _held_guard:
            if _held.get(_key(self.db)) is self:
                del _held[_key(self.db)]
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
        os.close(self.fd)
        self.fd = -1


def held(db: Path) -> WriterLock | None:
    """The writer lock of db when this process holds it (say, the window asking to restore)."""
    with _held_guard:
        return _held.get(_key(db))


@contextlib.contextmanager
def holding(db: Path, holder: Holder, doing: str) -> Iterator[WriterLock]:
    """Hold the writer lock for a block: the one this process holds already, or a new one."""
    mine = held(db)
    if mine is not None:
        yield mine
        return
    lock = WriterLock.take(db, holder, doing)
    try:
        yield lock
    finally:
        lock.release()


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 512).decode("utf-8", "replace")
    return ""


def _refusal(db: Path, text: str, doing: str) -> str:
    lines = text.splitlines()
    pid = lines[0].strip() if lines and lines[0].strip().isdigit() else None
    holder = lines[1].strip() if len(lines) > 1 else ""
    process = f" (process {pid})" if pid else ""
    if holder == Holder.WINDOW:
        return (f"The Carelog window is open on {db.name}{process}, so it cannot be {doing} "
                "now; close the window, or use its own menu, and try again.")
    if holder == Holder.RESTORE:
        return (f"A restore of {db.name} is under way{process}, so it cannot be {doing} now; "
                "try again in a moment.")
    return (f"Another Carelog program{process} is working on {db.name}, so it cannot be "
            f"{doing} now; try again in a moment.")
