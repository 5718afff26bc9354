"""The committee export: choose a period and a format, see exactly what the file holds, save it.

The preview is built from the same dict and the same CSV cells that are written, on the GUI
thread (it needs the window's Store, and takes a few milliseconds); rendering the PDF and
writing the file run in the background.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from carelog.core.domain.errors import BadInput, CarelogError, Remedy
from carelog.core.domain.formatting import hm
from carelog.core.domain.timeutil import (
    Period,
    last_complete_month,
    last_complete_quarter,
    last_weeks,
    period_from_args,
    week_label,
    week_monday,
    year_to_date,
)
from carelog.core.exporting.committee import (
    PRIVACY_STATEMENT,
    Format,
    committee_data,
    csv_rows,
    write_export,
)
from carelog.core.exporting.committee_report import CommitteeReport
from carelog.core.exporting.report_table import report_table
from carelog.core.exporting.text import headline
from carelog.core.exporting.workload import workload_data, write_workload
from carelog.core.ledger.week import Ledger
from carelog.core.store.database import Store
from carelog.gui.models.export_preview_model import ExportPreviewModel
from carelog.gui.models.report_table_model import ReportTableModel
from carelog.gui.state import AppState
from carelog.gui.theme import muted_colour, tint
from carelog.gui.views.reports.save_flow import (
    ChoosePath,
    SaveFlow,
    SaveJob,
    titled_name,
)
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.dates import py_date, qdate
from carelog.gui.widgets.labels import emphasise, show_message, value_label, view_title
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from carelog.gui.workers.background import Operation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

(PERIOD_LAST_MONTH, PERIOD_LAST_QUARTER, PERIOD_YEAR_TO_DATE, PERIOD_MONTH, PERIOD_LAST_4_WEEKS,
 PERIOD_THIS_WEEK, PERIOD_CUSTOM) = range(7)
PERIOD_CHOICES = ("Last month", "Last quarter", "Year to date", "A month", "Last 4 weeks",
                  "This week (so far)", "From – to")
PERIOD_TIPS = (
    "The newest month whose weeks are all over.",
    "The newest quarter whose weeks are all over.",
    "This year's weeks, up to the last one that is over.",
    "The ISO weeks whose Thursday falls in the month, so no week is counted in two months.",
    "The four weeks before this one.",
    "The week under way: it has no verdict yet, so it is exported only as the weeks so far.",
    "Every ISO week that touches the dates from and to.",
)
SO_FAR_TEXT = "Include the weeks so far"
SO_FAR_TIP = ("A committee report speaks of weeks that are over. Tick this to add the week "
              "under way, marked “so far” and measured against what is due by now; it is left "
              "out of the headline and the totals.")
SO_FAR_REMEDY = f"Tick “{SO_FAR_TEXT}” to export them, marked as in progress."
SHOW_CSV, SHOW_REPORT = "Show the CSV's columns", "Show the report's table"
FORMATS = (("PDF", "pdf"), ("CSV", "csv"), ("JSON", "json"))
RECENT_MONTHS = 12

INTRO_TEXT = ("Weekly figures for the Professional Practice Committee. Below is exactly what "
              "the file will hold; check it, then save.")
FORMAT_NOTES: dict[str, str] = {
    "pdf": "The PDF lays out these weekly figures with the headline, charts of target and "
           "received time, and the definitions of every figure.",
    "csv": "The CSV holds exactly these cells, one line per row under this header.",
    "json": "The JSON holds these weekly figures in Carelog's summary format, which a "
            "committee member can merge with other clinicians' files.",
}
CHANGED_TEXT = ("Your log changed after this preview was made; the preview now shows what "
                "would be written, so check it and save again.")
SEALED_ON_SAVE = "sealed when saved"
UNEXPECTED_TEXT = "The export failed because of an unexpected error; nothing was written."
WORKLOAD_TIP = ("One page per week of the same period, in the style of a union workload report: "
                "planned and actual hours, protected time due and received, each lost block "
                "with its reason and what you did about it (to whom, when, how, the response), "
                "and days without a meal break. No patient information and no note text.")



def _recent_months(today: date) -> list[date]:
    """The first day of this month and of the months before it, newest first."""
    months, y, m = [], today.year, today.month
    for _ in range(RECENT_MONTHS):
        months.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months


def _window_sentence(exc: CarelogError) -> str:
    """Core's sentence, with the remedy in the window's words (a box to tick)."""
    if exc.remedy is Remedy.INCLUDE_CURRENT:
        return f"{exc.message} {SO_FAR_REMEDY}"
    return exc.message


def _preview_table(model: Any, name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class ReportsView(RefreshWhenShown):
    """Committee export: period and format, a preview of the very cells written, then Save."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.data: CommitteeReport | None = None
        self.operation: Operation | None = None
        self._period_error = False
        self.setAccessibleName("Committee export")

        title = view_title("Committee export")
        intro = QLabel(INTRO_TEXT)
        intro.setWordWrap(True)

        self.period_combo = named(QComboBox(), "Period")
        self.period_combo.addItems(list(PERIOD_CHOICES))
        for i, tip in enumerate(PERIOD_TIPS):
            self.period_combo.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.so_far_check = named(QCheckBox(SO_FAR_TEXT), "Include the weeks so far", SO_FAR_TIP)
        self.month_combo = named(QComboBox(), "Month",
                                 "The ISO weeks whose Thursday falls in the month, so no week "
                                 "is counted in two months.")
        self.from_edit = named(QDateEdit(), "From date")
        self.to_edit = named(QDateEdit(), "To date")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setToolTip("Every ISO week that touches the dates from and to is included.")
        self.dash_label = QLabel("–")
        self.format_combo = named(QComboBox(), "Format")
        for text, code in FORMATS:
            self.format_combo.addItem(text, code)
        self._fill_months()
        today = self.state.today()
        self.from_edit.setDate(qdate(week_monday(today) - timedelta(weeks=3)))
        self.to_edit.setDate(qdate(today))

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Period:"))
        choose.addWidget(self.period_combo)
        choose.addWidget(self.month_combo)
        choose.addWidget(self.from_edit)
        choose.addWidget(self.dash_label)
        choose.addWidget(self.to_edit)
        choose.addSpacing(12)
        choose.addWidget(self.so_far_check)
        choose.addSpacing(24)
        choose.addWidget(QLabel("Format:"))
        choose.addWidget(self.format_combo)
        choose.addStretch(1)

        preview = QGroupBox("What will be written")
        self.headline_label = value_label("Headline")
        emphasise(self.headline_label, 1.2)
        self.period_label = value_label("Weeks in the export")
        self.attribution_label = value_label("Attributed to")
        self.contract_label = value_label("Contract rule")
        self.record_label = value_label("How the log was kept")
        self.privacy_label = value_label("What the export never holds")
        self.privacy_label.setText(PRIVACY_STATEMENT)
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts.addRow(_caption("Weeks:"), self.period_label)
        facts.addRow(_caption("Attributed to:"), self.attribution_label)
        facts.addRow(_caption("Contract rule:"), self.contract_label)
        facts.addRow(_caption("Record:"), self.record_label)
        facts.addRow(_caption("Privacy:"), self.privacy_label)

        # The table a committee member will read, as the PDF prints it; the CSV's own columns
        # are one click away.
        self.report_model = ReportTableModel(self)
        self.report_table = _preview_table(self.report_model, "Weeks of the report")
        self.preview_model = ExportPreviewModel(self)
        self.preview_table = _preview_table(self.preview_model, "Rows of the export")
        self.preview_table.hide()
        self.columns_button = named(QPushButton(SHOW_CSV), "Switch between the report's table "
                                    "and the CSV's columns")
        self.columns_button.setCheckable(True)
        self.format_note_label = value_label("About the format")
        tint(self.format_note_label, muted_colour)


        self.save_button = named(QPushButton("Save…"), "Save the export",
                                 "Choose where to save the file; it is written in the "
                                 "background, readable by you only.")
        self.workload_button = named(QPushButton("Workload report (PDF)…"),
                                     "Save the workload report", WORKLOAD_TIP)
        self.saver = SaveFlow(self, state, "committee export", "Save committee export",
                              UNEXPECTED_TEXT, status_name="Export status",
                              busy_name="Writing the export")
        self.progress, self.message_label = self.saver.progress, self.saver.status
        self.choose_path: ChoosePath = self.saver.ask_path
        bottom = self.saver.status_row(self.save_button, self.workload_button)

        box = QVBoxLayout(preview)
        box.addWidget(self.headline_label)
        box.addLayout(facts)
        box.addWidget(self.report_table)
        box.addWidget(self.preview_table)
        note_row = QHBoxLayout()
        note_row.addWidget(self.format_note_label, 1)
        note_row.addWidget(self.columns_button)
        box.addLayout(note_row)
        box.addSpacing(6)
        box.addLayout(bottom)

        outer = QVBoxLayout(self)
        outer.addWidget(title)
        outer.addWidget(intro)
        outer.addLayout(choose)
        outer.addWidget(preview)
        outer.addStretch(1)  # a short export's table ends at its last row, not at the window's

        self.period_combo.currentIndexChanged.connect(self._on_period_combo_current_index_changed)
        self.month_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.from_edit.dateChanged.connect(self._on_choice_changed)
        self.to_edit.dateChanged.connect(self._on_choice_changed)
        self.format_combo.currentIndexChanged.connect(self._on_format_combo_current_index_changed)
        self.so_far_check.toggled.connect(self._on_choice_changed)
        self.columns_button.toggled.connect(self._on_columns_button_toggled)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.workload_button.clicked.connect(self._on_workload_button_clicked)
        state.data_changed.connect(self._on_data_changed)
        self._show_period_controls()
        self._show_format_note()
        self.save_button.setEnabled(False)
        self.workload_button.setEnabled(False)

    # ------------------------------------------------------------------ public

    @property
    def busy(self) -> bool:
        """True while an export is being written."""
        return self.operation is not None and self.operation.running

    def fmt(self) -> str:
        """The chosen format: 'pdf', 'csv' or 'json'."""
        return str(self.format_combo.currentData())

    def period(self) -> Period:
        """The weeks the controls select (BadInput for a reversed or too long range)."""
        kind = self.period_combo.currentIndex()
        today = self.state.today()
        if kind == PERIOD_LAST_MONTH:
            return last_complete_month(today)
        if kind == PERIOD_LAST_QUARTER:
            return last_complete_quarter(today)
        if kind == PERIOD_YEAR_TO_DATE:
            return year_to_date(today)
        if kind == PERIOD_THIS_WEEK:
            return period_from_args(week=week_label(today))
        if kind == PERIOD_LAST_4_WEEKS:
            return last_weeks(today, 4)
        if kind == PERIOD_MONTH:
            return period_from_args(month=str(self.month_combo.currentData()))
        return period_from_args(start=py_date(self.from_edit.date()).isoformat(),
                                end=py_date(self.to_edit.date()).isoformat())

    def select_period(self, kind: int) -> None:
        """Choose one of the PERIOD_CHOICES (PERIOD_* constants)."""
        self.period_combo.setCurrentIndex(kind)

    def select_format(self, fmt: str) -> None:
        """Choose the format by its code: 'pdf', 'csv' or 'json'."""
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def message(self) -> str:
        """The status line under the preview (saved, or why not)."""
        return self.message_label.text()

    def include_current(self) -> bool:
        """True when the weeks so far of an unfinished period are asked for."""
        return self.so_far_check.isChecked()

    def set_include_current(self, on: bool) -> None:
        """Ask for (or not) the weeks so far of a period that is not over."""
        self.so_far_check.setChecked(on)

    def showing_csv_columns(self) -> bool:
        """True when the preview shows the CSV's own columns instead of the report's table."""
        return not self.preview_table.isHidden()

    def refresh(self) -> None:
        """Compute the export of the chosen period again and show it."""
        self.stale = False
        self._fill_months()
        try:
            data, _ledger = self._committee_data(self.state.store, self.period())
        except CarelogError as exc:
            self._show_data(None)
            self._show_message(_window_sentence(exc), error=True, period_error=True)
            return
        if self._period_error:
            self._show_message("")
        self._show_data(data)

    # ------------------------------------------------------------------ drawing

    def _fill_months(self) -> None:
        months = _recent_months(self.state.today())
        if self.month_combo.count() and self.month_combo.itemData(0) == f"{months[0]:%Y-%m}":
            return
        kept = self.month_combo.currentData()
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        for first in months:
            self.month_combo.addItem(f"{first:%B %Y}", f"{first:%Y-%m}")
        index = self.month_combo.findData(kept)
        self.month_combo.setCurrentIndex(max(index, 0))
        self.month_combo.blockSignals(False)

    def _show_period_controls(self) -> None:
        kind = self.period_combo.currentIndex()
        self.month_combo.setVisible(kind == PERIOD_MONTH)
        for w in (self.from_edit, self.dash_label, self.to_edit):
            w.setVisible(kind == PERIOD_CUSTOM)

    def _show_format_note(self) -> None:
        self.format_note_label.setText(FORMAT_NOTES[self.fmt()])

    def _show_data(self, data: CommitteeReport | None) -> None:
        self.data = data
        if data is None:
            self.preview_model.set_rows([], [])
            for label in (self.headline_label, self.period_label, self.attribution_label,
                          self.contract_label, self.record_label):
                label.setText("")
            self.save_button.setEnabled(False)
            self.workload_button.setEnabled(False)
            return
        self.report_model.set_table(report_table(data))
        header, rows = csv_rows(data)
        # Seals are made when the file is written; the preview says which weeks get one.
        seal_col = header.index("seal")
        for row, week in zip(rows, [*data.weeks, None], strict=True):
            if week is not None and week.record.complete:
                row[seal_col] = SEALED_ON_SAVE
        self.preview_model.set_rows(header, rows)
        self._fit_table_height(self.report_table)
        self._fit_table_height(self.preview_table)
        self.headline_label.setText(headline(data.totals.figures, hm) + ".")
        weeks = [w.record for w in data.weeks]
        plural = "" if len(weeks) == 1 else "s"
        so_far = sum(1 for w in weeks if not w.complete)
        marked = f", {so_far} of them marked “so far”" if so_far else ""
        self.period_label.setText(f"{data.title or self.period().title} · "
                                  f"{len(weeks)} week{plural}{marked}, then a row of totals")
        if data.display_name:
            self.attribution_label.setText(f"{data.display_name} (the display name you "
                                           "chose to show)")
        else:
            self.attribution_label.setText(
                f"anonymous contributor {data.contributor} (a random id made once for this "
                "database; to be named instead, set a display name in Settings)")
        contract = data.contract
        self.contract_label.setText(
            f"{contract.describe()} (full time {contract.full_time_h:g} h)" if contract
            else "No schedule is set for this period, so no target can be computed.")
        done = sum(1 for w in weeks if w.complete)
        record = [data.timeliness, data.amendments or "",
                  f"Saving seals the {done} week{'' if done == 1 else 's'} that "
                  f"{'is' if done == 1 else 'are'} over: a digest of each week's entries that "
                  "shows whether they change later."]
        self.record_label.setText(" ".join(t for t in record if t))
        self.save_button.setEnabled(not self.busy)
        self.workload_button.setEnabled(not self.busy)

    def _committee_data(self, store: Store, period: Period) -> tuple[CommitteeReport, Ledger]:
        return committee_data(store, period, include_current=self.include_current(),
                              now=self.state.now_minute())

    def _fit_table_height(self, t: QTableView) -> None:
        model = t.model()
        rows = t.verticalHeader().defaultSectionSize() * model.rowCount()
        t.setMaximumHeight(t.horizontalHeader().sizeHint().height() + rows + 2 * t.frameWidth()
                           + t.horizontalScrollBar().sizeHint().height() + 2)

    def _show_message(self, text: str, error: bool = False, period_error: bool = False) -> None:
        show_message(self.message_label, text, error)
        self._period_error = period_error

    # ------------------------------------------------------------------ saving

    def _save_job(self, out: Path, fmt: str, workload: bool = False) -> SaveJob | None:
        """What to write: the export (or the workload report) of the period, computed now.

        When the log changed since the preview, nothing is written: the preview is redrawn and
        the person asked to check it again.
        """
        data, _ledger = self._committee_data(self.state.store, self.period())
        if self.data is None or not data.same_as(self.data):
            self._show_data(data)
            self._show_message(CHANGED_TEXT, error=True)
            return None
        weeks = len(data.weeks)
        path, period = self.state.store.path, self.period()
        include_current, now = self.include_current(), self.state.now_minute()

        def write() -> Path:
            # Writing seals the weeks in the log, so the worker opens a connection of its own.
            with Store.open_for_worker(path) as worker:
                fresh, ledger = committee_data(worker, period, include_current=include_current,
                                               now=now)
                if not fresh.same_as(data):
                    raise BadInput(CHANGED_TEXT)
                if workload:
                    report, ledger = workload_data(worker, period)
                    return write_workload(worker, report, ledger, out)
                return write_export(worker, fresh, ledger, cast("Format", fmt), out,
                                    period.title)

        what = "workload report" if workload else fmt.upper()
        return SaveJob(
            write=write,
            writing=f"Writing the {what} to {out}…",
            saved=lambda written: (f"Saved {written} ({what}, {weeks} "
                                   f"week{'' if weeks == 1 else 's'})."),
            changes_log=True)

    # ------------------------------------------------------------------ slots

    def _on_data_changed(self) -> None:
        self.refresh_when_shown()

    def _on_period_combo_current_index_changed(self, index: int) -> None:
        self._show_period_controls()
        self.refresh()

    def _on_choice_changed(self, *args: object) -> None:
        # The month, the dates of a period or "so far": each changes what the preview shows.
        self.refresh()

    def _on_format_combo_current_index_changed(self, index: int) -> None:
        self._show_format_note()

    def _on_columns_button_toggled(self, checked: bool) -> None:
        # Only the table shown takes room, so a short export's preview stays short.
        self.preview_table.setVisible(checked)
        self.report_table.setVisible(not checked)
        self.columns_button.setText(SHOW_REPORT if checked else SHOW_CSV)

    def _save(self, fmt: str, workload: bool = False) -> None:
        if self.data is None or self.busy:
            return
        what = "Workload report" if workload else "Protected time"
        try:
            name = titled_name(what, self.period(), fmt)
        except CarelogError:
            return
        op = self.saver.save(fmt, name, self.choose_path,
                             lambda out: self._save_job(out, fmt, workload))
        if op is None:
            return
        self.operation = op
        self.save_button.setEnabled(False)
        self.workload_button.setEnabled(False)
        self.progress.show()
        op.finished.connect(self._on_save_finished)

    def _on_save_button_clicked(self) -> None:
        self._save(self.fmt())

    def _on_workload_button_clicked(self) -> None:
        self._save("pdf", workload=True)

    def _on_save_finished(self) -> None:
        self.progress.hide()
        self.save_button.setEnabled(self.data is not None)
        self.workload_button.setEnabled(self.data is not None)
