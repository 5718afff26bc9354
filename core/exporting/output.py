"""Writing an export or a roll-up: where it may go, and the file written whole or not at all.

Light on purpose: `carelog merge` writes through it without loading the committee export's
modules (the ledger, the models and the PDF).
"""

from __future__ import annotations

import os
from pathlib import Path

from carelog.core.domain.errors import BadInput, EnvironmentFailure
from carelog.core.store.files import check_name, is_database_file, write_private_atomic


def check_destination(out: Path) -> Path:
    """Refuse an output path whose folder is missing or not writable, before any work."""
    out = out.expanduser()
    check_name(out, "export", "out")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"The folder {folder} does not exist; choose an existing folder for the "
                       "export.", field="out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"The folder {folder} is not writable; choose another place for the "
                       "export.", field="out")
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name for the export.", field="out")
    if is_database_file(out):
        raise BadInput(f"{out} is a database (a Carelog log, a backup or one of their files), "
                       "not an export; give the export another name.", field="out")
    if out.exists() and not out.is_file():
        raise BadInput(f"{out} is not a regular file; give a file name for the export.",
                       field="out")
    return out


def write_output(out: Path, payload: bytes) -> Path:
    """Write bytes atomically (temporary name, then rename) with 0600 permissions."""
    out = check_destination(out)
    try:
        write_private_atomic(out, payload)
    except PermissionError as exc:
        raise BadInput(f"The folder {out.parent} is not writable; choose another place for "
                       "the export.", field="out") from exc
    except OSError as exc:
        raise EnvironmentFailure(f"The export to {out} could not be written: "
                                 f"{(exc.strerror or str(exc)).lower()}; nothing was left "
                                 "behind.") from exc
    return out
