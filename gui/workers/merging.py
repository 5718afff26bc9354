"""Reading clinicians' summary files and merging them, off the GUI thread (no Qt, no widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.exporting.merge import merge_files, read_summary
from carelog.gui.models.merge_files_model import ListedFile


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """What one background read-and-merge found (built off the GUI thread, shown on it)."""

    paths: tuple[Path, ...]
    min_clinicians: int
    files: list[ListedFile]
    clinic: dict[str, Any] | None
    error: str | None


def read_listed(path: Path) -> ListedFile:
    """Read and validate one summary file, keeping a refusal as its message."""
    try:
        return ListedFile(path, read_summary(path), None)
    except BadInput as exc:
        return ListedFile(path, None, exc.message)


def read_and_merge(paths: Sequence[Path], min_clinicians: int) -> MergeOutcome:
    """Validate every file and, when all are good, merge them."""
    files = [read_listed(p) for p in paths]
    clinic, error = None, None
    if files and not any(f.error for f in files):
        try:
            clinic = merge_files([(f.path, f.summary) for f in files if f.summary],
                                 min_clinicians)
        except CarelogError as exc:
            error = exc.message
    return MergeOutcome(tuple(paths), min_clinicians, files, clinic, error)
