"""Where Carelog keeps its files, and how it creates them readable by the user alone."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DB_FILENAME = "carelog.db"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


APP_FOLDER = "Carelog"
"""The name of Carelog's own folder in the user data folder, on every platform."""


def data_dir() -> Path:
    """The platform's per-user data folder for Carelog (e.g. ~/.local/share/Carelog)."""
    # platformdirs loads tempfile, random and shutil with it: only when the default place is
    # needed, not for a database named by --db or $CARELOG_DB.
    from platformdirs import user_data_dir  # noqa: PLC0415

    return Path(user_data_dir(APP_FOLDER, appauthor=False, roaming=False))


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
    elif os.name == "posix" and folder.name == APP_FOLDER \
            and folder.resolve() == data_dir().resolve():
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode != PRIVATE_DIR:
            with contextlib.suppress(OSError):
                os.chmod(folder, PRIVATE_DIR)


def touch_private(path: Path) -> None:
    """Create an empty file readable by the user alone, if it does not exist."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file in the same folder, then rename.

    The file is created 0600; if anything fails, no partial file is left behind.
    """
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"The folder {folder} does not exist.")
    tmp = folder / f".{path.name}.part-{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            raise
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
