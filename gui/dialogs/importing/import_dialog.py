"""Import a calendar (.ics) or a spreadsheet (.csv): read, preview, adjust, then import at once.

The dialog drives the same core functions as `carelog import`:

1. The file is read on a worker thread (`read_calendar` / `read_table` need no database).
2. The plan is worked out on a worker thread too, over a connection of its own to the same
   database file (SQLite's write-ahead log lets it read while the window's connection stays on
   the GUI thread). It is worked out again whenever the period, a mapping rule, the column
   mapping or the date order changes.
3. **Import** applies the plan on a worker thread, again over its own connection, as one
   transaction and one undo step (`apply_plan`); the window is then told the data changed.

A file Carelog cannot read, and any other refusal from core, is shown as its one sentence in red
and nothing is imported. Event titles appear in the preview from memory only; they are never
written anywhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from carelog.core.domain.errors import BadInput, CarelogError, DateOrderNeeded
from carelog.core.domain.models import Entry
from carelog.core.importing.calendar import CalendarFile, default_period, plan_ics, read_calendar
from carelog.core.importing.csv_table import (
    ColumnMapping,
    CsvTable,
    DateOrder,
    plan_csv,
    read_table,
)
from carelog.core.importing.plan import ImportPlan, ImportResult, OnConflict, apply_plan
from carelog.core.importing.rules import RuleSet, load_rules, reset_rules, save_rules
from carelog.core.store.database import Store
from carelog.gui.models import import_preview_model as preview_m
from carelog.gui.models.import_preview_model import ImportPreviewModel
from carelog.gui.models.import_rules_model import COL_CATEGORY, COL_PATTERN, ImportRulesModel
from carelog.gui.models.row_table_model import SORT_ROLE
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, error_colour, muted_colour, warning_colour
from carelog.gui.workers.background import Operation, run_in_background
from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEventLoop,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

ImportKind = Literal["ics", "csv"]
Source = CalendarFile | CsvTable

FILE_FILTER = ("Calendars and spreadsheets (*.ics *.csv);;Calendars (*.ics);;"
               "Spreadsheets (*.csv);;All files (*)")
UNDO_HINT = "Edit ▸ Undo reverses the whole import"
MAPPED_FIELDS: tuple[tuple[str, str], ...] = (
    ("date", "Date"), ("start", "Start"), ("end", "End"), ("minutes", "Minutes"),
    ("category", "Category"))
NOT_IN_FILE = "(not in the file)"
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16 (little-endian, no BOM)",
                  "utf-16-be": "UTF-16 (big-endian, no BOM)", "cp1252": "Windows-1252"}
EMPTY_TEXT = (
    "Choose an appointment calendar (an .ics file exported from Outlook, Google Calendar, "
    "Apple Calendar or a scheduling system) or a spreadsheet (.csv) of time you logged "
    "elsewhere.\n\nYou will see what would be added, updated and skipped, and why, before "
    "anything is imported; the whole import is then one step that Edit ▸ Undo reverses.")
TITLES_NOTE = "Event titles are shown here only, to tell the rows apart; Carelog never stores them."
CSV_NOTE = "Only the mapped columns are read; any other column is left out and never stored."
DATE_ORDER_HINT = ("Asked only when no row of the file shows whether dates such as 03/04/2026 "
                   "are day first or month first; Carelog never guesses.")

# The command line's hints inside core's sentences, in the window's words.
_WINDOW_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"say which with --date-order dmy or --date-order mdy\."),
     "say which under Date order."),
    (re.compile(r"name it with --column \w+=HEADER\."), "choose it under Columns."),
    (re.compile(r"name one with --column \w+=HEADER or --column \w+=HEADER\."),
     "choose one under Columns."),
    (re.compile(r"choose a shorter one with --from and --to\."), "choose a shorter period."),
)


def window_sentence(message: str) -> str:
    """Core's sentence with the command line's hints put in the window's words."""
    for pattern, words in _WINDOW_HINTS:
        message = pattern.sub(words, message)
    return message


def asks_for_date_order(exc: BaseException) -> bool:
    """True when core stopped to ask whether the file's dates are day or month first."""
    return isinstance(exc, DateOrderNeeded)


def kind_of(path: Path) -> ImportKind | None:
    """'ics' for a calendar, 'csv' for a spreadsheet (told by the name), else None."""
    suffix = path.suffix.lower()
    if suffix in (".ics", ".ical", ".icalendar"):
        return "ics"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return None


def result_sentence(result: ImportResult) -> str:
    """'Added 7, updated 1, skipped 3 — Edit ▸ Undo reverses the whole import'."""
    if result.label is None:
        return (f"Nothing was imported: skipped {result.skipped}, nothing new or changed "
                "in the log.")
    added = f"Added {result.added}"
    if result.trimmed:
        added += f" ({result.trimmed} trimmed to fit)"
    return f"{added}, updated {result.updated}, skipped {result.skipped} — {UNDO_HINT}"


def leave_sentence(days: list[date]) -> str:
    """What the window says about all-day events (leave candidates)."""
    shown = [f"{d:%a} {d.day} {d:%b}" for d in days[:6]]
    more = f" and {len(days) - 6} more" if len(days) > 6 else ""
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return (f"All-day events on {listed}{more} are not imported: they may be leave, not work. "
            "Record leave for those days if you took it.")


def ask_import_path(parent: QWidget) -> Path | None:
    """Ask for a calendar or spreadsheet to import; None when the person cancels."""
    documents = Path.home() / "Documents"
    folder = documents if documents.is_dir() else Path.home()
    chosen, _ = QFileDialog.getOpenFileName(parent, "Import a calendar or spreadsheet",
                                            str(folder), FILE_FILTER)
    return Path(chosen) if chosen else None


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question; True for yes."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


# ----------------------------------------------------------------------------- worker side

@dataclass(frozen=True)
class Planned:
    """A plan worked out on a worker, with the log entries its rows overlap."""

    plan: ImportPlan
    clashing: dict[int, Entry]


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan needs besides the database, captured on the GUI thread."""

    kind: ImportKind
    source: Source
    first: date | None = None
    last: date | None = None
    rules: RuleSet | None = None
    mapping: ColumnMapping | None = None
    date_order: DateOrder | None = None


def read_source(path: Path, kind: ImportKind) -> Source:
    """Read and check the file (no database is needed)."""
    return read_calendar(path) if kind == "ics" else read_table(path)


def plan_on_own_connection(db_path: Path, request: PlanRequest) -> Planned:
    """Work out the plan over a connection opened (and closed) on this thread."""
    store = Store.open_for_worker(db_path)
    try:
        if request.kind == "ics":
            assert isinstance(request.source, CalendarFile)
            plan = plan_ics(store, request.source, request.first, request.last,
                            rules=request.rules)
        else:
            assert isinstance(request.source, CsvTable)
            plan = plan_csv(store, request.source, request.mapping, request.date_order)
        clashing: dict[int, Entry] = {}
        for entry_id in sorted({i for r in plan.rows for i in r.clashes}):
            try:
                clashing[entry_id] = store.get_entry(entry_id)
            except BadInput:
                continue
        return Planned(plan, clashing)
    finally:
        store.close()


def apply_on_own_connection(db_path: Path, plan: ImportPlan, on_conflict: OnConflict,
                            exclude: frozenset[int]) -> ImportResult:
    """Apply the plan (one transaction, one undo step) over a connection of this thread."""
    store = Store.open_for_worker(db_path)
    try:
        return apply_plan(store, plan, on_conflict=on_conflict, exclude=exclude)
    finally:
        store.close()


# ----------------------------------------------------------------------------- rule combos

class CategoryComboDelegate(QStyledItemDelegate):
    """A category combo for the rules' category column; a choice is saved at once."""

    def __init__(self, rules: ImportRulesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = rules

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Rule category")
        for code, label in self.rules.choices():
            combo.addItem(label, code)
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        code = index.data(Qt.ItemDataRole.EditRole)
        i = editor.findData(code)
        if i >= 0 and i != editor.currentIndex():
            editor.blockSignals(True)
            editor.setCurrentIndex(i)
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _group(title: str, name: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setAccessibleName(name)
    return box


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {css_colour(muted_colour(label.palette()))};")
    return label


# ----------------------------------------------------------------------------- the dialog

class ImportDialog(QDialog):
    """Choose a file, see what importing it would do, adjust, and import it as one change.

    `choose_file(parent) -> Path | None` and `confirm(parent, title, text) -> bool` are
    attributes so tests can answer for the person.
    """

    preview_ready = Signal()    # a read or plan finished (with a preview or with a sentence)
    import_finished = Signal()  # an import finished (done or refused)

    def __init__(self, state: AppState, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.choose_file: Callable[[QWidget], Path | None] = ask_import_path
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no
        self.path: Path | None = None
        self.kind: ImportKind | None = None
        self.source: Source | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.operation: Operation | None = None
        self.busy = ""  # "", "reading", "planning" or "importing"
        self._replan = False
        self._asked_date_order = False
        self._generation = 0  # a new file makes the results of work on the old one stale
        self._running: set[Operation] = set()
        self._detected = ColumnMapping()
        self._filling = False

        self.setWindowTitle("Import a calendar or spreadsheet")
        self.setAccessibleName("Import")
        self.setSizeGripEnabled(True)
        self.resize(1100, 700)

        self.preview_model = ImportPreviewModel(self)
        self.rules_model = ImportRulesModel(self)
        self.rules_model.set_categories(self._category_choices())
        self.rules_model.set_rules(load_rules(state.store))

        self._period_timer = QTimer(self)
        self._period_timer.setSingleShot(True)
        self._period_timer.setInterval(300)

        self._build()
        self._connect()
        self._show_idle()
        if path is not None:
            self.open_file(path)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.file_label = QLabel("No file chosen")
        self.file_label.setAccessibleName("File to import")
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.file_label.setFont(bold)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_info_label = QLabel()
        self.file_info_label.setAccessibleName("What the file is")
        self.file_info_label.setStyleSheet(
            f"color: {css_colour(muted_colour(self.palette()))};")
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.setAccessibleName("Choose a file to import")
        self.choose_button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.file_label)
        top.addSpacing(12)
        top.addWidget(self.file_info_label, 1)
        top.addWidget(self.choose_button)

        self.error_label = QLabel()
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            f"color: {css_colour(error_colour(self.palette()))}; font-weight: bold;")
        self.notes_label = QLabel()
        self.notes_label.setAccessibleName("Notes about the file")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(
            f"color: {css_colour(warning_colour(self.palette()))};")

        self.body = QStackedWidget()
        self.body.addWidget(self._build_empty_page())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.options = QStackedWidget()
        self.ics_page = self._build_ics_page()
        self.csv_page = self._build_csv_page()
        self.options.addWidget(self.ics_page)
        self.options.addWidget(self.csv_page)
        self.splitter.addWidget(self.options)
        self.splitter.addWidget(self._build_preview_panel())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 770])
        self.body.addWidget(self.splitter)

        self.conflict_group = _group("When an imported row overlaps an entry already in the log",
                                     "Overlaps")
        self.skip_radio = QRadioButton("Skip the imported one")
        self.skip_radio.setToolTip("The entry in the log stays as it is; the overlapping row "
                                   "is not imported.")
        self.trim_radio = QRadioButton("Trim it to fit")
        self.trim_radio.setToolTip("The row is cut to the free time around the entries already "
                                   "there (as carelog add --trim does).")
        self.skip_radio.setChecked(True)
        self.conflict_buttons = QButtonGroup(self)
        self.conflict_buttons.addButton(self.skip_radio)
        self.conflict_buttons.addButton(self.trim_radio)
        self.conflict_count_label = QLabel()
        self.conflict_count_label.setAccessibleName("Overlapping rows")
        conflicts = QHBoxLayout(self.conflict_group)
        conflicts.addWidget(self.skip_radio)
        conflicts.addWidget(self.trim_radio)
        conflicts.addSpacing(16)
        conflicts.addWidget(self.conflict_count_label, 1)

        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Working")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(220)
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("What is happening")
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Import result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        result_font = QFont(self.font())
        result_font.setBold(True)
        self.result_label.setFont(result_font)

        self.import_button = QPushButton("Import")
        self.import_button.setAccessibleName("Import the rows ticked in the preview")
        self.import_button.setMinimumWidth(
            self.import_button.fontMetrics().horizontalAdvance("Import 00000 rows") + 32)
        self.close_button = QPushButton("Cancel")
        self.close_button.setAccessibleName("Close the import")
        for button in (self.import_button, self.close_button):
            button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.progress_label)
        bottom.addWidget(self.result_label, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)

        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.error_label)
        outer.addWidget(self.notes_label)
        outer.addWidget(self.body, 1)
        outer.addWidget(self.conflict_group)
        outer.addLayout(bottom)

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        text = QLabel(EMPTY_TEXT)
        text.setAccessibleName("How importing works")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(min(620, text.fontMetrics().averageCharWidth() * 90))
        self.empty_choose_button = QPushButton("Choose a calendar or spreadsheet…")
        self.empty_choose_button.setAccessibleName("Choose a file to import")
        self.empty_choose_button.setAutoDefault(False)
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(text)
        text_row.addStretch(1)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.empty_choose_button)
        button_row.addStretch(1)
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addLayout(text_row)
        box.addSpacing(12)
        box.addLayout(button_row)
        box.addStretch(2)
        return page

    def _build_ics_page(self) -> QWidget:
        period = _group("Period", "Period")
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit, name in ((self.from_edit, "From date"), (self.to_edit, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd yyyy-MM-dd")
            edit.setAccessibleName(name)
        first, last = default_period(self.state.today())
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        self.to_edit.setDate(QDate(last.year, last.month, last.day))
        dates = QFormLayout()
        dates.addRow("From:", self.from_edit)
        dates.addRow("To:", self.to_edit)
        period_box = QVBoxLayout(period)
        period_box.addLayout(dates)
        period_box.addWidget(_hint("Events that start in this period are imported; repeating "
                                   "events are expanded only inside it."))

        rules = _group("Mapping rules: event title → category", "Mapping rules")
        self.rules_view = QTableView()
        self.rules_view.setAccessibleName("Mapping rules")
        self.rules_view.setModel(self.rules_model)
        self.rules_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rules_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                        | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.rules_view.verticalHeader().hide()
        self.rules_view.verticalHeader().setDefaultSectionSize(
            self.rules_view.fontMetrics().height() + 14)
        header = self.rules_view.horizontalHeader()
        header.setSectionResizeMode(COL_PATTERN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_CATEGORY, QHeaderView.ResizeMode.Stretch)
        self.category_delegate = CategoryComboDelegate(self.rules_model, self.rules_view)
        self.rules_view.setItemDelegateForColumn(COL_CATEGORY, self.category_delegate)

        self.pattern_edit = QLineEdit()
        self.pattern_edit.setPlaceholderText("Title contains…")
        self.pattern_edit.setAccessibleName("New rule text")
        self.new_category_combo = QComboBox()
        self.new_category_combo.setAccessibleName("New rule category")
        self.add_rule_button = QPushButton("Add rule")
        self.add_rule_button.setAccessibleName("Add the rule at the top")
        self.add_rule_button.setToolTip("New rules go first, so they win over the rules below.")
        self.remove_rule_button = QPushButton("Remove rule")
        self.remove_rule_button.setAccessibleName("Remove the selected rule")
        self.reset_rules_button = QPushButton("Reset to defaults")
        self.reset_rules_button.setAccessibleName("Reset the rules to Carelog's defaults")
        self.fallback_combo = QComboBox()
        self.fallback_combo.setAccessibleName("Category of any other event in working hours")
        self.fallback_combo.setToolTip("A timed event no rule matches gets this category when it "
                                       "overlaps your working hours, and is skipped otherwise.")
        for combo in (self.new_category_combo, self.fallback_combo):
            for code, label in self.rules_model.choices():
                combo.addItem(label, code)
        self.new_category_combo.setCurrentIndex(
            max(0, self.new_category_combo.findData("individual")))
        for button in (self.add_rule_button, self.remove_rule_button, self.reset_rules_button):
            button.setAutoDefault(False)

        add_row = QHBoxLayout()
        add_row.addWidget(self.pattern_edit, 1)
        add_row.addWidget(self.new_category_combo, 1)
        self.new_category_combo.setMinimumContentsLength(8)
        self.new_category_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pattern_edit.setMinimumWidth(80)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.add_rule_button)
        edit_row.addWidget(self.remove_rule_button)
        edit_row.addStretch(1)
        edit_row.addWidget(self.reset_rules_button)
        self.fallback_combo.setMinimumContentsLength(8)
        self.fallback_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        fallback_row = QFormLayout()
        fallback_row.addRow("Any other event in working hours:", self.fallback_combo)
        rules_box = QVBoxLayout(rules)
        rules_box.addWidget(_hint("The first rule whose text starts a word of the title wins. "
                                  "Changes are saved at once and used next time too."))
        rules_box.addWidget(self.rules_view, 1)
        rules_box.addLayout(add_row)
        rules_box.addLayout(edit_row)
        rules_box.addLayout(fallback_row)

        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(period)
        box.addWidget(rules, 1)
        self._show_fallback()
        self._open_rule_editors()
        return page

    def _build_csv_page(self) -> QWidget:
        about = _group("The file", "About the file")
        self.encoding_label = QLabel()
        self.encoding_label.setAccessibleName("Encoding")
        self.delimiter_label = QLabel()
        self.delimiter_label.setAccessibleName("Delimiter")
        self.rows_label = QLabel()
        self.rows_label.setAccessibleName("Rows in the file")
        about_form = QFormLayout(about)
        about_form.addRow("Encoding:", self.encoding_label)
        about_form.addRow("Delimiter:", self.delimiter_label)
        about_form.addRow("Rows:", self.rows_label)

        columns = _group("Columns", "Columns")
        self.column_combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for fld, text in MAPPED_FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for the {fld}")
            self.column_combos[fld] = combo
            form.addRow(f"{text}:", combo)
        columns_box = QVBoxLayout(columns)
        columns_box.addWidget(_hint("Detected from the header; change a column if it is wrong. "
                                    "Start and end may hold a time, or a date and time; give "
                                    "either an end or minutes."))
        columns_box.addLayout(form)
        self.left_out_label = _hint(CSV_NOTE)
        self.left_out_label.setAccessibleName("Columns left out")
        columns_box.addWidget(self.left_out_label)

        order = _group("Date order", "Date order")
        self.dmy_radio = QRadioButton("Day first (31/12/2026)")
        self.dmy_radio.setAccessibleName("Dates are day first")
        self.mdy_radio = QRadioButton("Month first (12/31/2026)")
        self.mdy_radio.setAccessibleName("Dates are month first")
        self.date_order_buttons = QButtonGroup(self)
        self.date_order_buttons.addButton(self.dmy_radio)
        self.date_order_buttons.addButton(self.mdy_radio)
        order_box = QVBoxLayout(order)
        order_box.addWidget(_hint(DATE_ORDER_HINT))
        order_box.addWidget(self.dmy_radio)
        order_box.addWidget(self.mdy_radio)
        self.date_order_group = order

        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(about)
        box.addWidget(columns)
        box.addWidget(order)
        box.addStretch(1)
        return page

    def _build_preview_panel(self) -> QWidget:
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("What the import would do")
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.15)
        self.summary_label.setFont(big)
        self.summary_label.setWordWrap(True)
        self.titles_label = _hint(TITLES_NOTE)
        self.titles_label.setAccessibleName("About event titles")

        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.preview_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.preview_view = QTableView()
        self.preview_view.setAccessibleName("Preview of the import")
        self.preview_view.setModel(self.proxy)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.setWordWrap(False)
        self.preview_view.verticalHeader().hide()
        self.preview_view.verticalHeader().setDefaultSectionSize(
            self.preview_view.fontMetrics().height() + 10)
        header = self.preview_view.horizontalHeader()
        header.setSortIndicator(preview_m.COL_WHERE, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(200)
        self.preview_view.setSortingEnabled(True)

        self.detail_label = QLabel()
        self.detail_label.setAccessibleName("The selected row")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setMinimumHeight(2 * self.detail_label.fontMetrics().lineSpacing())
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        table_page = QWidget()
        table_box = QVBoxLayout(table_page)
        table_box.setContentsMargins(0, 0, 0, 0)
        table_box.addWidget(self.preview_view, 1)
        table_box.addWidget(self.detail_label)
        self.preview_message = QLabel()
        self.preview_message.setAccessibleName("Why there is no preview")
        self.preview_message.setWordWrap(True)
        self.preview_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_message.setStyleSheet(
            f"color: {css_colour(muted_colour(self.palette()))}; padding: 24px;")
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(table_page)
        self.preview_stack.addWidget(self.preview_message)

        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.summary_label)
        box.addWidget(self.titles_label)
        box.addWidget(self.preview_stack, 1)
        return panel

    def _connect(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.empty_choose_button.clicked.connect(self._on_choose_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.from_edit.dateChanged.connect(self._on_period_date_changed)
        self.to_edit.dateChanged.connect(self._on_period_date_changed)
        self._period_timer.timeout.connect(self._on_period_timer_timeout)
        self.rules_model.edited.connect(self._on_rules_model_edited)
        self.rules_model.rowsInserted.connect(self._on_rules_model_rows_inserted)
        self.add_rule_button.clicked.connect(self._on_add_rule_button_clicked)
        self.pattern_edit.returnPressed.connect(self._on_add_rule_button_clicked)
        self.remove_rule_button.clicked.connect(self._on_remove_rule_button_clicked)
        self.reset_rules_button.clicked.connect(self._on_reset_rules_button_clicked)
        self.fallback_combo.currentIndexChanged.connect(
            self._on_fallback_combo_current_index_changed)
        for combo in self.column_combos.values():
            combo.currentIndexChanged.connect(self._on_column_combo_current_index_changed)
        self.dmy_radio.toggled.connect(self._on_date_order_toggled)
        self.mdy_radio.toggled.connect(self._on_date_order_toggled)
        self.preview_model.dataChanged.connect(self._on_preview_model_data_changed)
        self.preview_view.selectionModel().currentRowChanged.connect(
            self._on_preview_current_row_changed)

    # ------------------------------------------------------------------ what tests and callers use

    def open_file(self, path: Path) -> None:
        """Start reading a file (on a worker); the preview follows when it is read."""
        if self.busy == "importing":
            return
        self._generation += 1
        self.busy = ""
        self.path = path
        self.kind = kind_of(path)
        self.source = None
        self.plan = None
        self.import_result = None
        self._replan = False
        self._asked_date_order = False
        self.preview_model.set_plan(None, self.state.store.categories, self.state.store.tz)
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        self.file_info_label.setText("")
        self.result_label.setText("")
        self.close_button.setText("Cancel")
        self._show_notes([])
        self._show_error("")
        if self.kind is None:
            self.body.setCurrentIndex(0)
            self._show_error(f"Carelog imports calendars (.ics) and spreadsheets (.csv); "
                             f"{path.name} is neither.")
            self._show_idle()
            self.preview_ready.emit()
            return
        self.body.setCurrentIndex(1)
        self.options.setCurrentWidget(self.ics_page if self.kind == "ics" else self.csv_page)
        self.preview_view.setColumnHidden(preview_m.COL_TITLE, self.kind != "ics")
        self.titles_label.setVisible(self.kind == "ics")
        self.preview_model.set_show_titles(self.kind == "ics")
        self._reset_date_order()
        what = "calendar" if self.kind == "ics" else "spreadsheet"
        kind = self.kind
        self._run("reading", f"Reading the {what}…", lambda: read_source(path, kind),
                  self._on_read_succeeded, self._on_read_failed)

    def on_conflict(self) -> OnConflict:
        """The overlap choice: 'skip' or 'trim'."""
        return "trim" if self.trim_radio.isChecked() else "skip"

    def period(self) -> tuple[date, date]:
        """The calendar period chosen."""
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return first, last

    def mapping(self) -> ColumnMapping:
        """The spreadsheet column mapping chosen (the note column stays as detected)."""
        changes = {fld: combo.currentData() for fld, combo in self.column_combos.items()}
        return self._detected.model_copy(update=changes)

    def date_order(self) -> DateOrder | None:
        """'dmy' or 'mdy' when chosen, else None (core then asks when it must know)."""
        if self.dmy_radio.isChecked():
            return "dmy"
        if self.mdy_radio.isChecked():
            return "mdy"
        return None

    # ------------------------------------------------------------------ reading and planning

    def _on_read_succeeded(self, source: object) -> None:
        self.busy = ""
        assert isinstance(source, CalendarFile | CsvTable)
        self.source = source
        if isinstance(source, CsvTable):
            self._show_table(source)
        else:
            events = len(source.event_lines)
            self.file_info_label.setText(
                f"Calendar · {events} event{'s' if events != 1 else ''} in the file "
                "(repeats not counted)")
            from carelog.core.store.imports import uid_key

            uid_key(self.state.store)  # made once here, so plans on workers only read
        self._request_plan()

    def _on_read_failed(self, exc: BaseException) -> None:
        self.busy = ""
        self.source = None
        self.body.setCurrentIndex(0)
        self.file_info_label.setText("")
        self._show_failure(exc)
        self._show_idle()
        self.preview_ready.emit()

    def _show_table(self, table: CsvTable) -> None:
        self._detected = table.detected_mapping()
        self.file_info_label.setText(
            f"Spreadsheet · columns {', '.join(h or '(unnamed)' for h in table.header)}")
        self.encoding_label.setText(ENCODING_NAMES.get(table.encoding, table.encoding))
        self.delimiter_label.setText(table.delimiter_name)
        rows = len(table.rows)
        self.rows_label.setText(f"{rows} (after the header)")
        self._filling = True
        try:
            for fld, combo in self.column_combos.items():
                combo.clear()
                combo.addItem(NOT_IN_FILE, None)
                for n, name in enumerate(table.header, start=1):
                    combo.addItem(name or f"(column {n}, unnamed)", name)
                chosen = getattr(self._detected, fld)
                combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        finally:
            self._filling = False
        self._show_left_out_columns()

    def _show_left_out_columns(self) -> None:
        if not isinstance(self.source, CsvTable):
            return
        used = {v for v in self.mapping().model_dump().values() if v is not None}
        unused = [h or "(unnamed)" for h in self.source.header if h not in used]
        self.left_out_label.setText(
            CSV_NOTE if not unused else
            f"Left out and never stored: {', '.join(unused)}. Only the mapped columns are read.")

    def _plan_request(self) -> PlanRequest | None:
        if self.source is None or self.kind is None:
            return None
        if self.kind == "ics":
            first, last = self.period()
            return PlanRequest("ics", self.source, first=first, last=last,
                               rules=self.rules_model.rules())
        return PlanRequest("csv", self.source, mapping=self.mapping(),
                           date_order=self.date_order())

    def _request_plan(self) -> None:
        """Work the plan out again (after the current one, when one is being worked out)."""
        if self.busy in ("reading", "importing") or self.import_result is not None:
            return
        if self.busy == "planning":
            self._replan = True
            return
        request = self._plan_request()
        if request is None:
            return
        self._replan = False
        db_path = self.state.store.path
        self._run("planning", "Working out what would change…",
                  lambda: plan_on_own_connection(db_path, request),
                  self._on_plan_succeeded, self._on_plan_failed)

    def _on_plan_succeeded(self, planned: object) -> None:
        self.busy = ""
        if self._replan:
            self._request_plan()
            return
        assert isinstance(planned, Planned)
        self.plan = planned.plan
        self._show_error("")
        self.preview_model.set_plan(planned.plan, self.state.store.categories,
                                    self.state.store.tz, planned.clashing)
        self.preview_view.resizeColumnsToContents()
        self._fit_columns()
        if planned.plan.rows:
            self.preview_stack.setCurrentIndex(0)
            self.preview_view.setCurrentIndex(self.proxy.index(0, preview_m.COL_ACTION))
        else:
            first, last = self.period()
            self._show_preview_message(
                f"The calendar has no events from {first:%a %d %b %Y} to {last:%a %d %b %Y}. "
                "Change the period to look at other dates.")
        notes = list(planned.plan.warnings)
        if planned.plan.leave_days:
            notes.append(leave_sentence(planned.plan.leave_days))
        self._show_notes(notes)
        self._show_idle()
        self.preview_ready.emit()

    def _on_plan_failed(self, exc: BaseException) -> None:
        self.busy = ""
        if self._replan:
            self._request_plan()
            return
        self.plan = None
        self.preview_model.set_plan(None, self.state.store.categories, self.state.store.tz)
        self._show_notes([])
        self._show_failure(exc)
        if asks_for_date_order(exc):
            self._asked_date_order = True
            self._show_preview_message("Say whether the dates are day first or month first "
                                       "(under Date order) to see the preview.")
        else:
            self._show_preview_message("Nothing to preview until the problem above is put "
                                       "right: change the choices on the left, or fix the "
                                       "file and choose it again.")
        self._show_idle()
        self.preview_ready.emit()

    def _fit_columns(self) -> None:
        """Keep the short columns tight and give the reason the rest of the width."""
        header = self.preview_view.horizontalHeader()
        for col, most in ((preview_m.COL_TITLE, 150), (preview_m.COL_CATEGORY, 140),
                          (preview_m.COL_WHEN, 180), (preview_m.COL_WHERE, 70)):
            if header.sectionSize(col) > most:
                header.resizeSection(col, most)

    # ------------------------------------------------------------------ importing

    def _on_import_button_clicked(self) -> None:
        if self.plan is None or self.busy or self.import_result is not None:
            return
        plan, exclude, choice = self.plan, self.preview_model.left_out(), self.on_conflict()
        db_path = self.state.store.path
        self._run("importing", f"Importing {self.preview_model.included_count()} rows…",
                  lambda: apply_on_own_connection(db_path, plan, choice, exclude),
                  self._on_import_succeeded, self._on_import_failed)

    def _on_import_succeeded(self, result: object) -> None:
        self.busy = ""
        assert isinstance(result, ImportResult)
        self.import_result = result
        sentence = result_sentence(result)
        self.result_label.setText(sentence)
        self.close_button.setText("Close")
        self.state.notify_changed()
        self.state.say(sentence)
        self._show_idle()
        self.import_finished.emit()

    def _on_import_failed(self, exc: BaseException) -> None:
        self.busy = ""
        self._show_failure(exc)
        if "nothing was imported" not in self.error_label.text().lower():
            self._show_error(f"{self.error_label.text()} Nothing was imported.")
        self._show_idle()
        self.import_finished.emit()

    # ------------------------------------------------------------------ rules

    def _category_choices(self) -> list[tuple[str, str]]:
        return [(c.code, c.label) for c in self.state.store.categories.all()]

    def _open_rule_editors(self) -> None:
        for row in range(self.rules_model.rowCount()):
            self.rules_view.openPersistentEditor(self.rules_model.index(row, COL_CATEGORY))

    def _show_fallback(self) -> None:
        self.fallback_combo.blockSignals(True)
        self.fallback_combo.setCurrentIndex(
            max(0, self.fallback_combo.findData(self.rules_model.fallback)))
        self.fallback_combo.blockSignals(False)

    def _on_rules_model_edited(self) -> None:
        try:
            save_rules(self.state.store, self.rules_model.rules())
        except CarelogError as exc:
            self._show_error(window_sentence(exc.message))
            return
        self._request_plan()

    def _on_rules_model_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.rules_view.openPersistentEditor(self.rules_model.index(row, COL_CATEGORY))

    def _on_add_rule_button_clicked(self) -> None:
        pattern = self.pattern_edit.text()
        code = self.new_category_combo.currentData()
        if not self.rules_model.insert_rule(0, pattern, str(code)):
            self._show_error("A rule needs some text to look for in the event's title.")
            return
        self.pattern_edit.clear()
        self.rules_view.selectRow(0)
        self.rules_view.scrollToTop()

    def _on_remove_rule_button_clicked(self) -> None:
        index = self.rules_view.currentIndex()
        if index.isValid():
            self.rules_model.remove_rule(index.row())

    def _on_reset_rules_button_clicked(self) -> None:
        if not self.confirm(self, "Reset the rules",
                            "Put Carelog's default rules back? Your own rules are removed."):
            return
        try:
            rules = reset_rules(self.state.store)
        except CarelogError as exc:
            self._show_error(window_sentence(exc.message))
            return
        self.rules_model.set_rules(rules)
        self._open_rule_editors()
        self._show_fallback()
        self._request_plan()

    def _on_fallback_combo_current_index_changed(self, index: int) -> None:
        code = self.fallback_combo.itemData(index)
        if code is not None:
            self.rules_model.set_fallback(str(code))

    # ------------------------------------------------------------------ other slots

    def _on_choose_button_clicked(self) -> None:
        path = self.choose_file(self)
        if path is not None:
            self.open_file(path)

    def _on_period_date_changed(self, d: QDate) -> None:
        self._period_timer.start()

    def _on_period_timer_timeout(self) -> None:
        self._request_plan()

    def _on_column_combo_current_index_changed(self, index: int) -> None:
        if not self._filling:
            self._show_left_out_columns()
            self._request_plan()

    def _on_date_order_toggled(self, checked: bool) -> None:
        if checked:
            self._request_plan()

    def _on_preview_model_data_changed(self, *args: Any) -> None:
        self._show_summary()
        self._update_import_button()
        self._show_details()

    def _on_preview_current_row_changed(self, current: QModelIndex,
                                        previous: QModelIndex) -> None:
        self._show_details()

    def reject(self) -> None:
        if self.busy == "importing":
            return  # the import is one transaction: it finishes (or fails) as a whole
        self._period_timer.stop()
        self._wait_for_work()
        super().reject()

    # ------------------------------------------------------------------ showing

    def _run(self, what: str, text: str, work: Callable[[], object],
             on_success: Callable[[Any], None],
             on_failure: Callable[[BaseException], None]) -> None:
        """Run work on a worker; its result is dropped if another file was opened meanwhile."""
        generation = self._generation

        def ok(value: object) -> None:
            if generation == self._generation:
                on_success(value)

        def bad(exc: BaseException) -> None:
            if generation == self._generation:
                on_failure(exc)

        self._show_busy(what, text)
        op = run_in_background(self, work, ok, bad)
        self._running.add(op)
        op.finished.connect(lambda: self._running.discard(op))
        self.operation = op

    def _wait_for_work(self) -> None:
        """Let reads and plans still running finish, dropping their results."""
        self._generation += 1
        for op in list(self._running):
            if op.running:
                loop = QEventLoop()
                op.finished.connect(loop.quit)
                if op.running:
                    loop.exec()
        self._running.clear()

    def _show_busy(self, what: str, text: str) -> None:
        self.busy = what
        self.progress_label.setText(text)
        self.progress_bar.show()
        self.progress_label.show()
        self.import_button.setEnabled(False)
        locked = what in ("reading", "importing")
        self.options.setEnabled(not locked)
        self.conflict_group.setEnabled(not locked)
        self.preview_view.setEnabled(what != "reading")
        self.preview_model.set_locked(what == "importing")
        self.choose_button.setEnabled(what != "importing")
        self.close_button.setEnabled(what != "importing")

    def _show_idle(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        done = self.import_result is not None
        self.options.setEnabled(self.source is not None and not done)
        self.conflict_group.setEnabled(self.plan is not None and not done)
        self.preview_view.setEnabled(True)
        self.preview_model.set_locked(done)
        self.choose_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.date_order_group.setEnabled(self._asked_date_order)
        self._show_summary()
        self._update_import_button()

    def _show_details(self) -> None:
        index = self.proxy.mapToSource(self.preview_view.currentIndex())
        self.detail_label.setText(self.preview_model.details(index.row())
                                  if index.isValid() else "")

    def _show_preview_message(self, text: str) -> None:
        self.preview_message.setText(text)
        self.preview_stack.setCurrentIndex(1)

    def _show_summary(self) -> None:
        plan = self.plan
        self.conflict_group.setVisible(plan is not None or self.busy == "planning")
        if plan is None:
            self.summary_label.setText("")
            self.conflict_count_label.setText("")
            return
        text = plan.summary()
        left_out = len(self.preview_model.left_out())
        if left_out:
            text += f"; {left_out} left out by you"
        self.summary_label.setText(text)
        n = len(plan.conflicts)
        self.conflict_count_label.setText(
            "No row overlaps an entry in the log." if n == 0 else
            f"{n} row{'s' if n != 1 else ''} overlap{'' if n != 1 else 's'} an entry in the "
            "log or an earlier row (shown in the Why column).")

    def _update_import_button(self) -> None:
        ready = (self.plan is not None and not self.busy and self.import_result is None
                 and self.preview_model.included_count() > 0)
        self.import_button.setEnabled(ready)
        if self.plan is not None and self.import_result is None:
            n = self.preview_model.included_count()
            self.import_button.setText(f"Import {n} row{'s' if n != 1 else ''}" if n else
                                       "Import")
        else:
            self.import_button.setText("Import")

    def _reset_date_order(self) -> None:
        self.date_order_buttons.setExclusive(False)
        for radio in (self.dmy_radio, self.mdy_radio):
            radio.blockSignals(True)
            radio.setChecked(False)
            radio.blockSignals(False)
        self.date_order_buttons.setExclusive(True)

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, CarelogError):
            self._show_error(window_sentence(exc.message))
        else:
            log.error("import failed", exc_info=exc)
            self._show_error(f"The import failed because of a problem in Carelog "
                             f"({type(exc).__name__}); nothing was imported.")

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _show_notes(self, notes: list[str]) -> None:
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))

