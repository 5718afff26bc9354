"""How the import dialog looks; layout only.

The file, the options for a calendar or a spreadsheet, the preview, the overlap choice and the
Import button.

`ImportDialog` (import_dialog.py, beside this file) drives these widgets: it reads the file,
plans and imports on workers and fills the widgets in. Nothing here reads a file or the
database.
"""

from __future__ import annotations

from pathlib import Path

from carelog.core.importing.csv_table import ColumnMapping, CsvTable
from carelog.core.importing.plan import ImportPlan
from carelog.gui.models import import_preview_model as preview_m
from carelog.gui.models.import_preview_model import ImportPreviewModel
from carelog.gui.models.import_rules_model import COL_CATEGORY, COL_PATTERN, ImportRulesModel
from carelog.gui.theme import error_colour, muted_colour, tint, warning_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.gui.widgets.sizing import fit_to_screen
from carelog.gui.widgets.tables import sorting_proxy
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
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

MAPPED_FIELDS: tuple[tuple[str, str], ...] = (
    ("date", "Date"), ("start", "Start"), ("end", "End"), ("minutes", "Minutes"),
    ("category", "Category"))
EMPTY_TEXT = (
    "Choose an appointment calendar (an .ics file exported from Outlook, Google Calendar, "
    "Apple Calendar or a scheduling system) or a spreadsheet (.csv) of time you logged "
    "elsewhere.\n\nYou will see what would be added, updated and skipped, and why, before "
    "anything is imported; the whole import is then one step that Edit ▸ Undo reverses.")
TITLES_NOTE = "Event titles are shown here only, to tell the rows apart; Carelog never stores them."
CSV_NOTE = "Only the mapped columns are read; any other column is left out and never stored."
NOT_IN_FILE = "(not in the file)"
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16 (little-endian, no BOM)",
                  "utf-16-be": "UTF-16 (big-endian, no BOM)", "cp1252": "Windows-1252"}
FILE_FILTER = ("Calendars and spreadsheets (*.ics *.csv);;Calendars (*.ics);;"
               "Spreadsheets (*.csv);;All files (*)")
DATE_ORDER_HINT = ("Asked only when no row of the file shows whether dates such as 03/04/2026 "
                   "are day first or month first; Carelog never guesses.")


class CategoryComboDelegate(QStyledItemDelegate):
    """A category combo for the rules' category column; a choice is saved at once."""

    def __init__(self, rules: ImportRulesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = rules

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        """A list of every category a rule may name; a choice is kept at once."""
        combo = named(QComboBox(parent), "Rule category")
        for code, label in self.rules.choices():
            combo.addItem(label, code)
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        """Show the rule's category in the list."""
        assert isinstance(editor, QComboBox)
        code = index.data(Qt.ItemDataRole.EditRole)
        i = editor.findData(code)
        if i >= 0 and i != editor.currentIndex():
            editor.blockSignals(True)
            editor.setCurrentIndex(i)
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        """Give the category chosen to the rules model."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _group(title: str, name: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setAccessibleName(name)
    return box


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    tint(label, muted_colour)
    return label


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


class ImportDialogUi(QDialog):
    """The import dialog's widgets and their layout; the models they show start empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a calendar or spreadsheet")
        self.setAccessibleName("Import")
        self.setSizeGripEnabled(True)
        fit_to_screen(self, 1100, 700, share=(0.9, 0.85))
        self.preview_model = ImportPreviewModel(self)
        self.rules_model = ImportRulesModel(self)
        self._build()

    def _build(self) -> None:
        self.file_label = named(QLabel("No file chosen"), "File to import")
        emphasise(self.file_label, 1.2)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_info_label = named(QLabel(), "What the file is")
        tint(self.file_info_label, muted_colour)
        self.choose_button = named(QPushButton("Choose another file…"),
                                   "Choose another file to import")
        self.choose_button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.file_label)
        top.addSpacing(12)
        top.addWidget(self.file_info_label, 1)
        top.addWidget(self.choose_button)

        self.error_label = wrapped_label("Problem")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tint(self.error_label, error_colour, "font-weight: bold;")
        self.notes_label = wrapped_label("Notes about the file")
        tint(self.notes_label, warning_colour)

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
        # One file chooser at a time: the big one while nothing is chosen, then the small one.
        self.body.currentChanged.connect(self._on_body_current_changed)
        self._on_body_current_changed(self.body.currentIndex())

        self.conflict_group = _group("When an imported row overlaps an entry already in the log",
                                     "Overlaps")
        self.skip_radio = QRadioButton("Skip the imported one")
        self.skip_radio.setToolTip("The entry in the log stays as it is; the overlapping row "
                                   "is not imported.")
        self.trim_radio = QRadioButton("Trim it to fit")
        self.trim_radio.setToolTip("The row is cut to the free time around the entries already "
                                   "there.")
        self.skip_radio.setChecked(True)
        self.conflict_buttons = QButtonGroup(self)
        self.conflict_buttons.addButton(self.skip_radio)
        self.conflict_buttons.addButton(self.trim_radio)
        self.conflict_count_label = named(QLabel(), "Overlapping rows")
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
        self.progress_label = named(QLabel(), "What is happening")
        self.result_label = wrapped_label("Import result")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        emphasise(self.result_label)

        self.import_button = named(QPushButton("Import"), "Import the rows ticked in the preview")
        self.import_button.setMinimumWidth(
            self.import_button.fontMetrics().horizontalAdvance("Import 00000 rows") + 32)
        self.close_button = named(QPushButton("Cancel"), "Close the import")
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
        text = wrapped_label("How importing works", EMPTY_TEXT)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(min(620, text.fontMetrics().averageCharWidth() * 90))
        self.empty_choose_button = named(
            QPushButton("Choose a calendar or spreadsheet…"), "Choose a file to import")
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
        self.new_category_combo = named(QComboBox(), "New rule category")
        self.add_rule_button = named(QPushButton("Add rule"), "Add the rule at the top",
                                     "New rules go first, so they win over the rules below.")
        self.remove_rule_button = named(QPushButton("Remove rule"), "Remove the selected rule")
        self.reset_rules_button = named(
            QPushButton("Reset to defaults"), "Reset the rules to Carelog's defaults")
        self.fallback_combo = named(QComboBox(), "Category of any other event in working hours",
                                    "A timed event no rule matches gets this category when it "
                                    "overlaps your working hours, and is skipped otherwise.")
        for button in (self.add_rule_button, self.remove_rule_button, self.reset_rules_button):
            button.setAutoDefault(False)

        add_row = QHBoxLayout()
        add_row.addWidget(self.pattern_edit, 1)
        add_row.addWidget(self.new_category_combo, 1)
        self.new_category_combo.setMinimumContentsLength(8)
        self.new_category_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pattern_edit.setMinimumWidth(80)
        edit_row = button_row(self.add_rule_button, self.remove_rule_button,
                              right=(self.reset_rules_button,))
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
        return page

    def _build_csv_page(self) -> QWidget:
        about = _group("The file", "About the file")
        self.encoding_label = named(QLabel(), "Encoding")
        self.delimiter_label = named(QLabel(), "Delimiter")
        self.rows_label = named(QLabel(), "Rows in the file")
        about_form = QFormLayout(about)
        about_form.addRow("Encoding:", self.encoding_label)
        about_form.addRow("Delimiter:", self.delimiter_label)
        about_form.addRow("Rows:", self.rows_label)

        columns = _group("Columns", "Columns")
        self.column_combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for fld, text in MAPPED_FIELDS:
            combo = named(QComboBox(), f"Column for the {fld}")
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
        self.dmy_radio = named(QRadioButton("Day first (31/12/2026)"), "Dates are day first")
        self.mdy_radio = named(QRadioButton("Month first (12/31/2026)"), "Dates are month first")
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
        self.summary_label = emphasise(wrapped_label("What the import would do"), 1.15)
        self.titles_label = _hint(TITLES_NOTE)
        self.titles_label.setAccessibleName("About event titles")

        self.proxy = sorting_proxy(self.preview_model, self)
        self.preview_view = QTableView()
        self.preview_view.setAccessibleName("Preview of the import")
        self.preview_view.setModel(self.proxy)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setAlternatingRowColors(True)
        # The reason may be long: two lines of it show, the rest is in its tooltip.
        self.preview_view.setWordWrap(True)
        self.preview_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.preview_view.verticalHeader().hide()
        self.preview_view.verticalHeader().setDefaultSectionSize(
            2 * self.preview_view.fontMetrics().lineSpacing() + 10)
        header = self.preview_view.horizontalHeader()
        header.setSortIndicator(preview_m.COL_WHERE, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(200)
        self.preview_view.setSortingEnabled(True)

        self.detail_label = wrapped_label("The selected row")
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setMinimumHeight(2 * self.detail_label.fontMetrics().lineSpacing())
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        table_page = QWidget()
        table_box = QVBoxLayout(table_page)
        table_box.setContentsMargins(0, 0, 0, 0)
        table_box.addWidget(self.preview_view, 1)
        table_box.addWidget(self.detail_label)
        self.preview_message = wrapped_label("Why there is no preview")
        self.preview_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tint(self.preview_message, muted_colour, "padding: 24px;")
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

    def _on_body_current_changed(self, index: int) -> None:
        self.choose_button.setVisible(index != 0)

    def _fit_columns(self) -> None:
        """Keep the short columns tight and give the reason the rest of the width."""
        header = self.preview_view.horizontalHeader()
        for col, most in ((preview_m.COL_TITLE, 150), (preview_m.COL_CATEGORY, 140),
                          (preview_m.COL_WHEN, 180), (preview_m.COL_WHERE, 70)):
            if header.sectionSize(col) > most:
                header.resizeSection(col, most)

    # ------------------------------------------------------------------ showing

    def _show_spreadsheet(self, table: CsvTable, detected: ColumnMapping) -> None:
        """What the spreadsheet is, and its columns to choose from (the detected ones chosen)."""
        self.file_info_label.setText(
            f"Spreadsheet · columns {', '.join(h or '(unnamed)' for h in table.header)}")
        self.encoding_label.setText(ENCODING_NAMES.get(table.encoding, table.encoding))
        self.delimiter_label.setText(table.delimiter_name)
        rows = table.row_count
        self.rows_label.setText(f"{rows} (after the header)")
        for fld, combo in self.column_combos.items():
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for n, name in enumerate(table.header, start=1):
                combo.addItem(name or f"(column {n}, unnamed)", name)
            chosen = getattr(detected, fld)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)

    def _show_summary(self, plan: ImportPlan | None, planning: bool) -> None:
        """What the plan would do (with the rows left out), and how many rows overlap."""
        self.conflict_group.setVisible(plan is not None or planning)
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

    def _fill_rule_choices(self) -> None:
        """Offer every category a rule may name (skip first) in the two category lists."""
        for combo in (self.new_category_combo, self.fallback_combo):
            for code, label in self.rules_model.choices():
                combo.addItem(label, code)
        self.new_category_combo.setCurrentIndex(
            max(0, self.new_category_combo.findData("individual")))

    def _open_rule_editors(self) -> None:
        for row in range(self.rules_model.rowCount()):
            self.rules_view.openPersistentEditor(self.rules_model.index(row, COL_CATEGORY))

    def _show_fallback(self) -> None:
        self.fallback_combo.blockSignals(True)
        self.fallback_combo.setCurrentIndex(
            max(0, self.fallback_combo.findData(self.rules_model.fallback)))
        self.fallback_combo.blockSignals(False)

    def _show_preview_message(self, text: str) -> None:
        self.preview_message.setText(text)
        self.preview_stack.setCurrentIndex(1)

    def _reset_date_order(self) -> None:
        self.date_order_buttons.setExclusive(False)
        for radio in (self.dmy_radio, self.mdy_radio):
            radio.blockSignals(True)
            radio.setChecked(False)
            radio.blockSignals(False)
        self.date_order_buttons.setExclusive(True)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _show_notes(self, notes: list[str]) -> None:
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))

