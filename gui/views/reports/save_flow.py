"""Saving what a view previews: ask where, check the name, then write the file in the background.

The Reports and Merge views save the same way. The person picks a file (the view's
`choose_path`, which a test may answer instead), the name gets the format's suffix and is
checked (`check_destination`: a missing folder, a special file), the view says what to write
now that the file is known (`SaveJob`, or None when it has already said why not), and the
file is rendered and written on a worker. The outcome is one sentence in the view's status
line (and the status bar); an unexpected failure goes to the log and reaches the person as
the view's own sentence. Nothing half-written is left: the file is replaced whole or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.timeutil import Period, day_span
from carelog.core.exporting.output import check_destination
from carelog.gui.state import AppState
from carelog.gui.views.reports.file_dialogs import ask_save_path, default_folder, path_for_format
from carelog.gui.widgets.labels import show_message, value_label
from carelog.gui.workers.background import Operation, run_in_background
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

log = logging.getLogger(__name__)

ChoosePath = Callable[[Path, str], Path | None]


@dataclass(frozen=True, slots=True)
class SaveJob:
    """What to write once the file is known, and the sentences that go with it."""

    write: Callable[[], Path]  # runs on the worker (no widgets); returns the file written
    writing: str               # shown while it runs, e.g. "Writing the PDF to …"
    saved: Callable[[Path], str]  # the sentence once the file is written
    changes_log: bool = False  # writing also changed the log (a seal): every view reads again


def suggested_name(stem: str, weeks: Sequence[Mapping[str, Any]], fmt: str) -> str:
    """'carelog-committee-2026-W45-to-2026-W47.pdf', or the stem alone without weeks."""
    if not weeks:
        return f"{stem}.{fmt}"
    first, last = weeks[0]["week"], weeks[-1]["week"]
    span = first if len(weeks) == 1 else f"{first}-to-{last}"
    return f"{stem}-{span}.{fmt}"


def titled_name(what: str, period: Period, fmt: str) -> str:
    """'Protected time — October 2026.pdf': the report and its period in words."""
    when = period.name or day_span(period.first, period.last)
    return f"{what} — {when}.{fmt}"


def busy_bar(name: str) -> QProgressBar:
    """A small busy indicator (no percentage: the work says nothing of how far it is), hidden."""
    bar = QProgressBar()
    bar.setAccessibleName(name)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumWidth(160)
    bar.hide()
    return bar


class SaveFlow(QObject):
    """The one way a view saves a file: chosen, checked, then written off the GUI thread.

    It owns the view's status line: a busy bar (`progress`, shown by the view while a file is
    written) and the sentence that says what happened (`status`), named for screen readers.
    """

    def __init__(self, view: QWidget, state: AppState, what: str, dialog_title: str,
                 failure_text: str, *, status_name: str, busy_name: str) -> None:
        super().__init__(view)
        self.view = view
        self.state = state
        self.status = value_label(status_name)
        self.progress = busy_bar(busy_name)
        self.what = what
        self.dialog_title = dialog_title
        self.failure_text = failure_text
        self.folder = default_folder()
        self.operation: Operation | None = None

    def status_row(self, *widgets: QWidget) -> QHBoxLayout:
        """A row of the given widgets, then the busy bar and the sentence, which stretches."""
        row = QHBoxLayout()
        for widget in (*widgets, self.progress):
            row.addWidget(widget)
        row.addWidget(self.status, 1)
        return row

    @property
    def busy(self) -> bool:
        """True while a file is being written."""
        return self.operation is not None and self.operation.running

    def ask_path(self, suggested: Path, fmt: str) -> Path | None:
        """Ask where to save (the save dialog); None when the person cancels."""
        return ask_save_path(self.view, self.dialog_title, suggested, fmt)

    def save(self, fmt: str, name: str, choose_path: ChoosePath,
             prepare: Callable[[Path], SaveJob | None]) -> Operation | None:
        """Ask for the file, check it, and start writing; None when nothing was started."""
        chosen = choose_path(self.folder / name, fmt)
        if chosen is None:
            return None
        try:
            out = check_destination(path_for_format(chosen.expanduser(), fmt))
            job = prepare(out)
        except CarelogError as exc:
            show_message(self.status, exc.message, error=True)
            return None
        if job is None:
            return None
        self.folder = out.parent
        show_message(self.status, job.writing)

        def saved(written: object) -> None:
            if job.changes_log:
                self.state.notify_changed()
            text = job.saved(written if isinstance(written, Path) else out)
            show_message(self.status, text)
            self.state.say(text)

        self.operation = run_in_background(self, job.write, saved, self._on_failed)
        return self.operation

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CarelogError):
            text = exc.message
        else:
            log.error("%s failed", self.what, exc_info=exc)
            text = self.failure_text
        show_message(self.status, text, error=True)
