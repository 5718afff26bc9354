"""`carelog backup | restore | check`: keeping the database safe and telling how it is."""

from __future__ import annotations

import argparse
from pathlib import Path

from carelog.core.cli.common import out
from carelog.core.store.database import Store
from carelog.core.store.restore import restore


def cmd_backup(store: Store, a: argparse.Namespace) -> int:
    """Write a verified backup now."""
    path = store.backup(Path(a.to).expanduser() if a.to else None)
    out(f"Backup written and verified: {path}")
    return 0


def cmd_restore(a: argparse.Namespace) -> int:
    """Replace the database (a.db_path) with a backup; the replaced file is kept."""
    db: Path = a.db_path
    kept = restore(Path(a.path), db)
    out(f"Restored {db} from {a.path}." + (f" The replaced file was kept as {kept}."
                                            if kept else ""))
    return 0


def cmd_check(store: Store, a: argparse.Namespace) -> int:
    """Integrity, foreign keys and contents in one screen."""
    report = store.check()
    for line in report.lines:
        out(line)
    out("All good." if report.ok else "Problems found; see above.")
    return 0 if report.ok else 1
