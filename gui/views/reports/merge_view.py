"""The clinic roll-up for a committee member: list clinicians' summary files, merge, save.

Reading the files and merging them run in the background (hundreds of files take a moment), as
does writing the roll-up; no database is involved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from carelog.core.domain.errors import CarelogError
from carelog.core.exporting.clinic_rollup import ClinicRollup
from carelog.core.exporting.merge import DEFAULT_MIN_CLINICIANS, render_clinic
from carelog.core.exporting.output import write_output
from carelog.gui.formatting import week_span
from carelog.gui.models import clinic_table_model as clinic_m
from carelog.gui.models import merge_files_model as files_m
from carelog.gui.models.clinic_table_model import ClinicTableModel
from carelog.gui.models.merge_files_model import MergeFilesModel
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour, muted_colour, tint, warning_colour
from carelog.gui.views.reports.file_dialogs import ask_open_paths
from carelog.gui.views.reports.save_flow import (
    ChoosePath,
    SaveFlow,
    SaveJob,
    suggested_name,
)
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import (
    emphasise,
    show_message,
    view_title,
    wrapped_label,
)
from carelog.gui.widgets.tables import read_only_table
from carelog.gui.workers.background import Operation, run_in_background
from carelog.gui.workers.merging import MergeOutcome, read_and_merge
from PySide6.QtCore import QAbstractItemModel, QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

FORMATS = (("PDF", "pdf"), ("JSON", "json"))
MAX_MIN_CLINICIANS = 100

INTRO_TEXT = ("Merge the summaries clinicians bring to the committee into one clinic picture. "
              "Weeks with fewer clinicians than the minimum show no figures, so no one can be "
              "singled out.")
EMPTY_TEXT = (
    "<p><b>No summary files yet.</b></p>"
    "<ol>"
    "<li>Ask each clinician for their committee export as <b>JSON</b> (in Carelog: "
    "Committee export, format JSON, or <code>carelog export --format json</code>).</li>"
    "<li>Click <b>Add files…</b> and choose the files; add more at any time.</li>"
    "<li>Check the roll-up, then <b>Save roll-up…</b> as a PDF for the meeting or as JSON.</li>"
    "</ol>"
    "<p>Each file holds weekly aggregates only: no patient information, no notes, no "
    "individual entries. When the same clinician's week appears in two files, the newer export "
    "is used.</p>"
)
BLOCKED_TEXT = ("Remove the files marked in red, or replace them with good exports, to see the "
                "roll-up.")
NO_NOTES_TEXT = "No clinician's week was given twice."
LOW_MINIMUM_TEXT = (f"Below {DEFAULT_MIN_CLINICIANS}, a clinician may be recognisable from a "
                    "week's figures.")
UNEXPECTED_TEXT = "The roll-up failed because of an unexpected error; nothing was written."

ChooseFiles = Callable[[], list[Path]]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _merge_table(name: str, model: QAbstractItemModel) -> QTableView:
    table = read_only_table(name, model, select_rows=False, padding=8)
    table.setWordWrap(False)
    return table


class MergeView(QWidget):
    """Summary files in, a clinic roll-up out: files, minimum clinicians, preview, save."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.clinic: dict[str, Any] | None = None
        self.operation: Operation | None = None
        self.choose_files: ChooseFiles = self._ask_files
        self._paths: list[Path] = []
        self._pending = False
        self.setAccessibleName("Clinic roll-up")

        title = view_title("Clinic roll-up")
        intro = QLabel(INTRO_TEXT)
        intro.setWordWrap(True)

        self.add_button = named(QPushButton("Add files…"), "Add summary files",
                                "Choose clinicians' summary JSON files to merge.")
        self.remove_button = named(QPushButton("Remove"), "Remove the selected files")
        self.clear_button = named(QPushButton("Clear"), "Remove every file")
        self.min_spin = named(QSpinBox(), "Minimum clinicians")
        self.min_spin.setRange(1, MAX_MIN_CLINICIANS)
        self.min_spin.setValue(DEFAULT_MIN_CLINICIANS)
        self.min_spin.setToolTip("A week shows figures only when at least this many clinicians "
                                 "contribute to it.")
        self.low_minimum_label = named(QLabel(LOW_MINIMUM_TEXT), "Low minimum warning")
        tint(self.low_minimum_label, warning_colour)
        self.low_minimum_label.hide()
        self.format_combo = named(QComboBox(), "Roll-up format")
        for text, code in FORMATS:
            self.format_combo.addItem(text, code)
        self.save_button = named(QPushButton("Save roll-up…"), "Save the roll-up",
                                 "Choose where to save the roll-up; it is written in the "
                                 "background, readable by you only.")
        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.clear_button)
        tools.addSpacing(24)
        tools.addWidget(QLabel("Minimum clinicians per week:"))
        tools.addWidget(self.min_spin)
        tools.addWidget(self.low_minimum_label)
        tools.addStretch(1)
        tools.addWidget(QLabel("Format:"))
        tools.addWidget(self.format_combo)
        tools.addWidget(self.save_button)

        self.pages = QStackedWidget()
        self.empty_page = self._build_empty_page()
        self.content_page = self._build_content_page()
        self.pages.addWidget(self.empty_page)
        self.pages.addWidget(self.content_page)

        self.saver = SaveFlow(self, state, "roll-up", "Save the clinic roll-up", UNEXPECTED_TEXT,
                              status_name="Roll-up status", busy_name="Working")
        self.progress, self.message_label = self.saver.progress, self.saver.status
        self.choose_path: ChoosePath = self.saver.ask_path
        bottom = self.saver.status_row()

        outer = QVBoxLayout(self)
        outer.addWidget(title)
        outer.addWidget(intro)
        outer.addLayout(tools)
        outer.addWidget(self.pages, 1)
        outer.addLayout(bottom)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.min_spin.valueChanged.connect(self._on_min_spin_value_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.files_table.selectionModel().selectionChanged.connect(
            self._on_files_selection_changed)
        self._show_state()

    # ------------------------------------------------------------------ building

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.empty_label = named(QLabel(EMPTY_TEXT), "How to make a roll-up")
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMaximumWidth(760)
        emphasise(self.empty_label, 1.1, bold=False)
        box.addWidget(self.empty_label)
        box.addStretch(1)
        return page

    def _build_content_page(self) -> QWidget:
        files_box = QGroupBox("Summary files")
        self.files_model = MergeFilesModel(self)
        self.files_table = _merge_table("Summary files to merge", self.files_model)
        self.files_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        fh = self.files_table.horizontalHeader()
        for col in (files_m.COL_FILE, files_m.COL_CONTRIBUTOR, files_m.COL_WEEKS,
                    files_m.COL_EXPORTED):
            fh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        fh.setSectionResizeMode(files_m.COL_CHECK, QHeaderView.ResizeMode.Stretch)
        fbox = QVBoxLayout(files_box)
        fbox.addWidget(self.files_table)

        rollup_box = QGroupBox("Clinic roll-up")
        self.summary_label = wrapped_label("Roll-up summary")
        emphasise(self.summary_label)
        self.problem_label = wrapped_label("Why there is no roll-up")
        tint(self.problem_label, error_colour)
        self.clinic_model = ClinicTableModel(self)
        self.clinic_table = _merge_table("Clinic roll-up week by week", self.clinic_model)
        self.clinic_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.clinic_table.setWordWrap(True)  # the reasons, in the clinicians' own categories
        self.clinic_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.clinic_table.verticalHeader().setMinimumSectionSize(
            self.clinic_table.fontMetrics().height() + 8)
        ch = self.clinic_table.horizontalHeader()
        ch.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(clinic_m.COL_REASONS, QHeaderView.ResizeMode.Stretch)
        self.notes_label = wrapped_label("Notes on the merge")
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tint(self.notes_label, muted_colour)
        rbox = QVBoxLayout(rollup_box)
        rbox.addWidget(self.summary_label)
        rbox.addWidget(self.problem_label)
        rbox.addWidget(self.clinic_table, 1)
        rbox.addWidget(self.notes_label)
        rbox.addStretch(0)  # keeps a refusal at the top while the table is hidden

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(files_box)
        split.addWidget(rollup_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([250, 630])
        self.splitter = split
        return split

    # ------------------------------------------------------------------ public

    @property
    def busy(self) -> bool:
        """True while files are read and merged (or about to be), or the roll-up is written."""
        return self._running() or self._pending

    def paths(self) -> list[Path]:
        """The files listed for the merge."""
        return list(self._paths)

    def fmt(self) -> str:
        """The chosen roll-up format: 'pdf' or 'json'."""
        return str(self.format_combo.currentData())

    def select_format(self, fmt: str) -> None:
        """Choose the roll-up format by its code: 'pdf' or 'json'."""
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def message(self) -> str:
        """The status line at the bottom (saved, or why not)."""
        return self.message_label.text()

    def add_files(self, paths: Sequence[Path]) -> None:
        """List more summary files (a file already listed is not added twice) and merge."""
        new = [p for p in paths if not any(_same_file(p, q) for q in self._paths)]
        skipped = len(paths) - len(new)
        if skipped:
            show_message(self.message_label, f"{skipped} file"
                         f"{' was' if skipped == 1 else 's were'} already in the list.")
        if not new:
            return
        self._paths += new
        self.refresh()

    def remove_rows(self, rows: Sequence[int]) -> None:
        """Take the files in these rows off the list and merge the rest."""
        gone = {self.files_model.file_at(r).path for r in rows}
        self._paths = [p for p in self._paths if p not in gone]
        self.refresh()

    def clear(self) -> None:
        """Take every file off the list."""
        self._paths = []
        self.refresh()

    def refresh(self) -> None:
        """Read the listed files again and merge them with the chosen minimum."""
        if not self._paths:
            self._pending = False  # a merge still running is dropped when it reports
            self._apply(MergeOutcome((), self.min_spin.value(), [], None, None))
            return
        if self._running():
            self._pending = True
            self._show_state()
            return
        paths, minimum = tuple(self._paths), self.min_spin.value()
        self._pending = False
        self.operation = run_in_background(
            self, lambda: read_and_merge(paths, minimum), self._on_merge_succeeded,
            self._on_work_failed)
        self.operation.finished.connect(self._on_operation_finished)
        self._show_state()

    # ------------------------------------------------------------------ drawing

    def _apply(self, outcome: MergeOutcome) -> None:
        self.files_model.set_rows(outcome.files)
        self.clinic = outcome.clinic
        # The roll-up stays as the merge gave it, to be saved; it is shown from its records.
        clinic = None if outcome.clinic is None else ClinicRollup.of(outcome.clinic)
        self.clinic_model.set_rows(clinic.weeks if clinic else [],
                                   clinic.min_clinicians if clinic else outcome.min_clinicians)
        self.clinic_table.clearSpans()
        if clinic:
            for row in range(self.clinic_model.rowCount()):
                if self.clinic_model.is_suppressed(row):
                    self.clinic_table.setSpan(row, clinic_m.COL_CLINICIANS, 1,
                                              clinic_m.COL_REASONS - clinic_m.COL_CLINICIANS + 1)
            span = "" if clinic.first is None or clinic.last is None \
                else week_span(clinic.first, clinic.last)
            self.summary_label.setText(
                f"{clinic.clinicians} clinicians' summaries merged, {span}; figures shown "
                f"only where at least {clinic.min_clinicians} clinicians contribute.")
            notes = clinic.notes
            self.notes_label.setText("\n".join(notes) if notes else NO_NOTES_TEXT)
        else:
            self.summary_label.setText("")
            self.notes_label.setText("")
        errors = self.files_model.errors()
        if errors:
            self.problem_label.setText("\n".join([*errors, BLOCKED_TEXT]))
            first_bad = next(i for i, f in enumerate(outcome.files) if f.error)
            self.files_table.scrollTo(self.files_model.index(first_bad, files_m.COL_FILE))
        else:
            self.problem_label.setText(outcome.error or "")
        self._show_state()

    def _show_state(self) -> None:
        listed = bool(self._paths)
        self.pages.setCurrentWidget(self.content_page if listed else self.empty_page)
        running = self._running()
        self.progress.setVisible(self.busy)
        self.add_button.setEnabled(not running)
        self.clear_button.setEnabled(listed and not running)
        self.remove_button.setEnabled(not running and bool(self._selected_rows()))
        self.save_button.setEnabled(self.clinic is not None and not self.busy
                                    and not self.files_model.errors())
        self.problem_label.setVisible(bool(self.problem_label.text()))
        self.summary_label.setVisible(bool(self.summary_label.text()))
        self.notes_label.setVisible(bool(self.notes_label.text()))
        self.clinic_table.setVisible(self.clinic is not None)
        self.low_minimum_label.setVisible(self.min_spin.value() < DEFAULT_MIN_CLINICIANS)

    def _running(self) -> bool:
        return self.operation is not None and self.operation.running

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.files_table.selectionModel().selectedRows()})

    # ------------------------------------------------------------------ files and saving

    def _ask_files(self) -> list[Path]:
        chosen = ask_open_paths(self, "Add clinicians' summary files", self.saver.folder)
        if chosen:
            self.saver.folder = chosen[0].parent
        return chosen

    # ------------------------------------------------------------------ slots

    def _on_add_button_clicked(self) -> None:
        chosen = self.choose_files()
        if chosen:
            self.add_files(chosen)

    def _on_remove_button_clicked(self) -> None:
        rows = self._selected_rows()
        if rows:
            self.remove_rows(rows)

    def _on_clear_button_clicked(self) -> None:
        self.clear()

    def _on_min_spin_value_changed(self, value: int) -> None:
        self.refresh()

    def _on_files_selection_changed(self, selected: QItemSelection,
                                    deselected: QItemSelection) -> None:
        self._show_state()

    def _on_merge_succeeded(self, result: object) -> None:
        assert isinstance(result, MergeOutcome)
        current = (tuple(self._paths), self.min_spin.value())
        if (result.paths, result.min_clinicians) != current:
            self._pending = True  # the list or the minimum changed meanwhile: merge again
            return
        self._apply(result)

    def _on_work_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CarelogError):
            text = exc.message
        else:
            log.error("roll-up failed", exc_info=exc)
            text = UNEXPECTED_TEXT
        show_message(self.message_label, text, error=True)

    def _on_operation_finished(self) -> None:
        if self._pending:
            self.refresh()
        else:
            self._show_state()

    def _on_save_button_clicked(self) -> None:
        clinic = self.clinic
        if clinic is None or self.busy:
            return
        fmt = self.fmt()

        def job(out: Path) -> SaveJob:
            return SaveJob(write=lambda: write_output(out, render_clinic(clinic, fmt)),
                           writing=f"Writing the roll-up to {out}…",
                           saved=lambda written: f"Saved the roll-up to {written} "
                                                 f"({fmt.upper()}).")

        name = suggested_name("clinic-rollup", clinic["weeks"], fmt)
        op = self.saver.save(fmt, name, self.choose_path, job)
        if op is None:
            return
        self.operation = op
        op.finished.connect(self._on_operation_finished)
        self._show_state()
