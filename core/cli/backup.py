"""`carelog backup | restore | check | scrub`: keeping the database safe and private."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
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


def cmd_scrub(store: Store, a: argparse.Namespace) -> int:
    """Remove a piece of text from every note, the undo journal and the file's free pages.

    TEXT '-' reads the text from standard input, so that it stays out of the shell's history.
    Nothing printed repeats the text.
    """
    text = sys.stdin.readline().rstrip("\r\n") if a.text == "-" else a.text
    report = store.scrub(text)
    out(f"Removed the text from {_count(report.notes, 'note')}, "
        f"{_count(report.journal, 'undo record')} and {_count(report.other, 'other place')} "
        f"({_count(report.places, 'place')} in all). The file was rebuilt so that no free space "
        f"keeps the text, and a fresh backup was written and verified: {report.backup}")
    if not report.still_held:
        out("No older backup or kept copy holds the text.")
        return 0
    paths = [str(p) for p in report.still_held]
    command = (" ".join(["del", *(f'"{p}"' for p in paths)]) if os.name == "nt"
               else shlex.join(["rm", "--", *paths]))
    out(f"{_count(len(paths), 'older copy', 'older copies')} still hold the text; delete "
        f"{'it' if len(paths) == 1 else 'them'} with: {command}")
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
