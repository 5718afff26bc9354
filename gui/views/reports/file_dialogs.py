"""The file choosers of the export and merge views, and matching a chosen name to a format."""

from __future__ import annotations

from pathlib import Path

from carelog.core.domain.errors import BadInput
from PySide6.QtWidgets import QFileDialog, QWidget

FILTERS: dict[str, str] = {
    "pdf": "PDF document (*.pdf)",
    "csv": "CSV spreadsheet (*.csv)",
    "json": "JSON summary (*.json)",
}
KNOWN_SUFFIXES = frozenset(FILTERS)


def default_folder() -> Path:
    """Where a save or open dialog starts: Documents when there is one, else the home folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def ask_save_path(parent: QWidget, title: str, suggested: Path, fmt: str) -> Path | None:
    """Ask where to save a file of one format; None when the person cancels."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), FILTERS[fmt])
    return Path(chosen) if chosen else None


def ask_open_paths(parent: QWidget, title: str, folder: Path) -> list[Path]:
    """Ask for summary JSON files to open; empty when the person cancels."""
    chosen, _ = QFileDialog.getOpenFileNames(
        parent, title, str(folder), f"{FILTERS['json']};;All files (*)")
    return [Path(c) for c in chosen]


def path_for_format(path: Path, fmt: str) -> Path:
    """The chosen path, ending in the format's suffix ('.pdf' is added to 'report').

    A name that ends in another format's suffix is refused rather than written with content
    that does not match it.
    """
    suffix = path.suffix.lstrip(".").lower()
    if suffix == fmt:
        return path
    if suffix in KNOWN_SUFFIXES:
        raise BadInput(f"The file name {path.name} ends in .{suffix}, but the format chosen is "
                       f"{fmt.upper()}; choose a name ending in .{fmt}.", field="out")
    return path.with_name(f"{path.name}.{fmt}")
