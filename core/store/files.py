"""Where Carelog keeps its files, and how it creates them readable by the user alone.

Every file Carelog writes beside the log or an export is made the same way: created exclusively
(`O_EXCL`) without following a link (`O_NOFOLLOW`), 0600, in the destination folder, under a
name nobody can predict, then renamed into place. Another local user who plants a link at a
name Carelog is about to use can make Carelog choose another name, never write through the link.

A temporary file holds an advisory lock for as long as its writer lives, so the next open can
tell the leftovers of a killed process (lock free: removed) from a file another Carelog is still
writing (locked: left alone).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carelog.core.domain.errors import BadInput
from platformdirs import user_data_dir

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

DB_FILENAME = "carelog.db"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TEMP_SUFFIX = ".tmp"
SIDECARS = ("-wal", "-shm", "-journal")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_EXCLUSIVE = os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
# Names earlier versions of Carelog gave their temporary files (predictable, so no longer used);
# a file by one of these names older than this is the leftover of a killed run.
_OLD_TEMP = re.compile(r"(\.part(-\d+)?|\.restoring)(-wal|-shm|-journal)?$")
_OLD_TEMP_AGE_S = 600


def data_dir() -> Path:
    """The platform's per-user data folder for Carelog (e.g. ~/.local/share/Carelog)."""
    return Path(user_data_dir("Carelog", appauthor=False, roaming=False))


def default_db_path() -> Path:
    """$CARELOG_DB when set, else carelog.db in the user data folder."""
    env = os.environ.get("CARELOG_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def ensure_private_dir(folder: Path) -> None:
    """Create a folder (and parents) as 0700 when it does not exist yet.

    An existing folder is left as it is unless it is Carelog's own data folder, which is tightened
    to 0700: a folder the user chose (say, their Documents) is theirs to set.
    """
    if not folder.exists():
        folder.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, PRIVATE_DIR)
    elif folder.resolve() == data_dir().resolve() and os.name == "posix":
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode != PRIVATE_DIR:
            with contextlib.suppress(OSError):
                os.chmod(folder, PRIVATE_DIR)


NAME_MAX_BYTES = 255


def check_name(path: Path, what: str, field: str) -> None:
    """Refuse a path with a name longer than file systems allow (255 bytes), naming it."""
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX_BYTES:
            shown = part if len(part) <= 40 else part[:20] + "…" + part[-12:]
            raise BadInput(f"The {what} name {shown} is {size} bytes long; a file name can be at "
                           f"most {NAME_MAX_BYTES} bytes.", field=field)


_SQLITE_HEADER = b"SQLite format 3\x00"


def is_database_file(path: Path) -> bool:
    """True when path holds a database or one of its companions (an export must not replace it).

    A file starting with SQLite's header (a log or a backup), and the write-ahead log, index,
    journal and lock files that sit beside a log.
    """
    if not path.is_file():  # nothing there, or a folder, a device or a pipe (never opened here)
        return False
    if path.name.endswith(("-wal", "-shm", "-journal", ".lock", ".restore-journal")):
        return True
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 16) == _SQLITE_HEADER
    except OSError:
        return False
    finally:
        os.close(fd)


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words ('a device', 'a pipe'), else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def create_exclusive(path: Path) -> int:
    """Create path as a new 0600 file, never following a link; returns the open descriptor.

    FileExistsError when anything (a file, a folder, a link) already has that name.
    """
    # The mode is 0600 whatever the umask: a umask can only take bits away.
    return os.open(path, _EXCLUSIVE | os.O_RDWR, PRIVATE_FILE)


def create_new_database_file(path: Path) -> None:
    """Create an empty database file (0600) where nothing exists yet; never through a link."""
    with contextlib.suppress(FileExistsError):
        os.close(create_exclusive(path))


def reserve_name(folder: Path, base: str) -> Path:
    """Claim a name no file has yet: base, else base-2, base-3… (an empty 0600 file is left there).

    The caller then renames its own file over the reserved one, so nothing that existed before
    (another kept log, or a link someone planted) is ever overwritten or followed.
    """
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        candidate = folder / name
        taken = any(candidate.with_name(name + s).exists() or candidate.with_name(name + s)
                    .is_symlink() for s in SIDECARS)
        if not taken:
            try:
                os.close(create_exclusive(candidate))
                return candidate
            except FileExistsError:
                pass
        n += 1
        if n > 10_000:
            raise FileExistsError(f"No free name for {base} in {folder}.")


def try_lock(fd: int) -> bool:
    """Take an exclusive advisory lock on an open file without waiting; True when taken."""
    try:
        if sys.platform == "win32":  # pragma: no cover
            os.lseek(fd, 1 << 30, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass
class TempFile:
    """A private temporary file in a destination folder, locked while its writer lives."""

    path: Path
    fd: int
    kept: bool = field(default=False)

    def keep_as(self, dest: Path) -> Path:
        """Rename the finished file onto dest (replacing it) and stop treating it as temporary."""
        os.replace(self.path, dest)
        self.kept = True
        self.path = dest
        return dest

    def discard(self) -> None:
        """Remove the file (unless kept) with any sidecars SQLite left, and let go of the lock."""
        if not self.kept:
            remove_with_sidecars(self.path)
        with contextlib.suppress(OSError):
            os.close(self.fd)


@contextlib.contextmanager
def private_temp(folder: Path, name: str) -> Iterator[TempFile]:
    """A new temporary file for `name` in folder: '.<name>.<random>.tmp', 0600, locked.

    Removed on leaving the block unless `keep_as` renamed it into place.
    """
    fd, raw = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = TempFile(Path(raw), fd)
    try_lock(fd)
    try:
        yield temp
    finally:
        temp.discard()


def remove_with_sidecars(path: Path) -> None:
    """Remove a file and the -wal, -shm and -journal files SQLite may have left beside it."""
    for p in (path, *(path.with_name(path.name + s) for s in SIDECARS)):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            p.unlink()


def _is_temp_of(name: str, stem: str) -> bool:
    return name.startswith(f".{stem}") and any(
        name.endswith(TEMP_SUFFIX + s) for s in ("", *SIDECARS))


def clean_leftovers(folder: Path, stem: str) -> list[Path]:
    """Remove the temporary files of killed runs for names starting with stem; return them.

    A temporary file whose lock is still held belongs to a live writer and is left alone.
    Leftovers under the predictable names of earlier versions are removed once they are old.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in sorted(names):
        path = folder / name
        if _is_temp_of(name, stem) and name.endswith(TEMP_SUFFIX):
            if _dead(path):
                remove_with_sidecars(path)
                removed.append(path)
        elif _is_temp_of(name, stem):  # a sidecar whose temporary file is already gone
            main = folder / name.rsplit("-", 1)[0]
            if not main.exists():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
        elif (name.startswith((stem, f".{stem}")) and _OLD_TEMP.search(name)):
            with contextlib.suppress(OSError):
                st = path.lstat()
                if now - st.st_mtime > _OLD_TEMP_AGE_S:
                    path.unlink()
                    removed.append(path)
    return removed


def _dead(path: Path) -> bool:
    """True when nobody holds the lock of a temporary file (its writer is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return path.is_symlink()  # a link planted under a temporary name is removed too
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return try_lock(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make renames in a folder durable (where the platform allows opening a folder)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a private temporary file in the same folder, then rename.

    The file is created 0600; if anything fails, no partial file is left behind. On Linux the
    temporary file has no name at all until it is complete, so even a killed run leaves nothing.
    """
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"The folder {folder} does not exist.")
    clean_leftovers(folder, path.name)
    if _write_unnamed(path, data):
        return
    with private_temp(folder, path.name) as temp:
        with os.fdopen(os.dup(temp.fd), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        temp.keep_as(path)
    fsync_folder(folder)


def _write_unnamed(path: Path, data: bytes) -> bool:
    """Write through an unnamed file (Linux O_TMPFILE), link and rename it; False if unavailable."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return False
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY, PRIVATE_FILE)
    except OSError:
        return False
    dir_fd = -1
    try:
        try_lock(fd)  # like every temporary file: locked while its writer lives
        with os.fdopen(os.dup(fd), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        dir_fd = os.open(path.parent, os.O_RDONLY)
        for _ in range(100):
            name = path.parent / f".{path.name}.{os.urandom(6).hex()}{TEMP_SUFFIX}"
            try:
                # linkat with AT_SYMLINK_FOLLOW (a folder descriptor makes Python use linkat)
                os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=dir_fd,
                        follow_symlinks=True)
            except FileExistsError:
                continue
            except OSError:
                return False
            try:
                os.replace(name, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    name.unlink()
                raise
            fsync_folder(path.parent)
            return True
        raise FileExistsError(f"No free temporary name in {path.parent}.")
    finally:
        os.close(fd)
        if dir_fd >= 0:
            os.close(dir_fd)


MAX_INPUT_BYTES = 256 * 1024 * 1024


def read_input(path: Path, what: str, limit: int = MAX_INPUT_BYTES,
               limit_text: str | None = None) -> bytes:
    """The bytes of a file the user gave (to import, merge, restore or read a schedule from).

    Refused before reading, with a sentence naming the file: a folder, a device, a pipe or a
    socket (reading /dev/zero or a FIFO would never end), a file over the limit, a name too long
    for the system. Links to a regular file are followed.
    """
    name = path.name or str(path)
    fd = open_input(path, what, limit, limit_text)
    try:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise BadInput(_too_big(name, what, size, limit, limit_text), field="file")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise BadInput(f"The {what} {path} could not be read: {_why(exc)}.",
                       field="file") from exc
    finally:
        os.close(fd)


def open_input(path: Path, what: str, limit: int, limit_text: str | None = None) -> int:
    """Open a file the user gave for streaming, with the same refusals as read_input."""
    name = path.name or str(path)
    check_name(path, what, "file")
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as exc:
        raise BadInput(f"The {what} {path} could not be read: {_why(exc)}.",
                       field="file") from exc
    try:
        st = os.fstat(fd)
        kind = special_kind(st.st_mode)
        if kind is not None:
            raise BadInput(f"The {what} {name} is {kind}, not a file; give a regular file.",
                           field="file")
        if st.st_size > limit:
            raise BadInput(_too_big(name, what, st.st_size, limit, limit_text), field="file")
        if _NONBLOCK and sys.platform != "win32":
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _too_big(name: str, what: str, size: int, limit: int, limit_text: str | None) -> str:
    return (f"The {what} {name} is {size / 2**20:.0f} MB; Carelog reads files of up to "
            f"{limit_text or f'{limit // 2**20} MB'}.")


def _why(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    return text.rstrip(".").lower()
