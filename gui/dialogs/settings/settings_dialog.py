"""The Settings dialog: schedule, target rule, leave, categories, reminders and backups.

Every change is written through core with the validation the command line uses: the schedule
is built in the shape of the TOML file and given to `parse_schedule`, so a bad value is named
by its key (hours.mon, protected[2].time, target.rate) and shown beside the field it belongs
to, and nothing is saved. Restoring a backup replaces the open database, so the dialog only
asks for it (`restore_requested`) and the main window reopens the store.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.models import Leave, LeaveType, plain_error
from carelog.core.domain.schedule import (
    EXAMPLE_NOTE,
    PRESETS,
    ScheduleVersion,
    TargetRule,
    TimeRange,
    parse_schedule,
    parse_target,
    standard_week,
)
from carelog.core.domain.timeutil import WEEKDAYS, fmt_minutes, week_monday
from carelog.core.store.backup import backup_file, list_backups
from carelog.core.store.preferences import load_preferences, save_preferences
from carelog.gui.formatting import CLASS_TIPS, CLASS_WORDS
from carelog.gui.models.backup_table_model import BackupTableModel
from carelog.gui.models.category_table_model import CategoryTableModel
from carelog.gui.models.leave_table_model import LEAVE_WORDS, LeaveTableModel
from carelog.gui.models.protected_block_model import (
    COL_DAY,
    WEEKDAY_NAMES,
    BlockRow,
    ProtectedBlockModel,
)
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, error_colour, muted_colour, status_colour, warning_colour
from carelog.gui.widgets.tables import read_only_table
from carelog.gui.workers.background import Operation, run_in_background
from pydantic import ValidationError
from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

TAB_SCHEDULE, TAB_TARGET, TAB_LEAVE, TAB_CATEGORIES, TAB_REMINDERS, TAB_DATA = range(6)
CUSTOM = "Custom"
HOURS_PLACEHOLDER = "e.g. 08:30-12:30, 13:00-17:00 (empty: not a working day)"

TARGET_FIELDS = ("target.rule", "target.rate", "target.hours", "target.protected_hours",
                 "target.minutes_per_appointment", "target.meeting_allowance_h",
                 "target.full_time_h", "target.partly_met_at")
# The Target tab's fields each rule shape uses (the others are hidden).
SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    "percent": ("target.rate", "target.meeting_allowance_h"),
    "hours": ("target.hours",),
    "floor": ("target.hours", "target.protected_hours"),
    "per_appointment": ("target.minutes_per_appointment",),
}
HOURS_LABELS = {"hours": "Protected &hours", "floor": "&Hours in all"}
TIPS: dict[str, str] = {
    "effective_from": "The first date this schedule applies to. Weeks before it keep the "
                      "schedule that was in force then; saving on the date of an existing "
                      "version replaces that version.",
    "timezone": "The IANA time zone that decides your days and weeks, such as "
                "America/Los_Angeles.",
    "hours": "Working hours of the day as ranges HH:MM-HH:MM separated by commas. Leave it "
             "empty for a day you do not work.",
    "protected": "Weekly protected blocks: time that should not be booked with appointments. "
                 "Each must lie inside that day's working hours.",
    "target.rule": "Percent: a share of the week's expected hours after a meeting allowance. "
                   "Hours: a number of hours per full-time week, scaled to the hours expected. "
                   "Hours, some protected: the status is judged on the protected part; the "
                   "rest is flexible and shown with what displaced it. Per appointment: "
                   "minutes for every direct-care appointment held.",
    "target.protected_hours": "Of the hours, how many are protected (management may not use "
                              "them); the week's status is judged on these alone.",
    "target.minutes_per_appointment": "Protected minutes for every direct-care appointment "
                                      "held: each session, intake, group or urgent visit that "
                                      "has started, counted on the day it starts.",
    "target.rate": "The share of expected hours protected for indirect patient care, after "
                   "the meeting allowance.",
    "target.hours": "Protected hours per full-time week; a week with fewer expected hours "
                    "gets a proportionally smaller target.",
    "target.meeting_allowance_h": "Hours per full-time week set aside for meetings before the "
                                  "percentage is applied.",
    "target.full_time_h": "The hours of a full-time week in your contract.",
    "target.partly_met_at": "From this share of the target on, a week counts as partly met "
                            "rather than not met.",
}


def split_ranges(text: str) -> list[str]:
    """'08:30 - 12:30, 13:00–17:00' as ['08:30-12:30', '13:00-17:00'] (spaces and dashes tidied)."""
    parts = (p.strip() for p in re.split(r"[,;]", text))
    return [re.sub(r"\s+", "", p).replace("–", "-").replace("—", "-") for p in parts if p]


def day_ranges(day: str, ranges: list[str]) -> tuple[TimeRange, ...]:
    """One weekday's ranges validated by the schedule parser (BadInput names hours.<day>)."""
    probe = {"effective_from": "2000-01-03", "timezone": "UTC", "hours": {day: ranges},
             "target": {"rule": "hours", "hours": 0}}
    return parse_schedule(probe).hours.get(day, ())


def _py_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setAccessibleName(f"Problem with {name}")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _spin(name: str, tip: str, maximum: float, suffix: str, decimals: int = 2,
          step: float = 0.5) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setAccessibleName(name)
    spin.setToolTip(tip)
    spin.setRange(0.0, maximum)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(True)
    return spin


class WeekdayDelegate(QStyledItemDelegate):
    """Edits the weekday column of the protected blocks with a list of weekdays."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Weekday of the block")
        for code in WEEKDAYS:
            combo.addItem(WEEKDAY_NAMES[code], code)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SettingsDialog(QDialog):
    """Schedule and target, leave, categories, reminders and privacy, data and backups."""

    restore_requested = Signal(Path)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.backup_operation: Operation | None = None
        self.field_errors: dict[str, QLabel] = {}
        self._filling = False
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(860, 680)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.addTab(self._build_schedule_tab(), "Schedule")
        self.tabs.addTab(self._build_target_tab(), "Target")
        self.tabs.addTab(self._build_leave_tab(), "Leave")
        self.tabs.addTab(self._build_categories_tab(), "Categories")
        self.tabs.addTab(self._build_reminders_tab(), "Reminders && privacy")
        self.tabs.addTab(self._build_data_tab(), "Data && backups")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.buttons)

        state.data_changed.connect(self._on_data_changed)
        self.refresh()

    # ================================================================== building: schedule

    def _build_schedule_tab(self) -> QWidget:
        intro = QLabel("Your working hours and protected blocks from a date on. Weeks before "
                       "that date keep the schedule that was in force then.")
        intro.setWordWrap(True)
        self.versions_label = QLabel()
        self.versions_label.setAccessibleName("Saved schedule versions")
        self.versions_label.setWordWrap(True)

        self.effective_edit = QDateEdit()
        self.effective_edit.setAccessibleName("Applies from")
        self.effective_edit.setToolTip(TIPS["effective_from"])
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat("ddd d MMM yyyy")
        self.effective_edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.effective_note = QLabel()
        self.effective_note.setAccessibleName("What saving on this date does")
        self.effective_note.setWordWrap(True)
        self.tz_combo = QComboBox()
        self.tz_combo.setAccessibleName("Time zone")
        self.tz_combo.setToolTip(TIPS["timezone"])
        self.tz_combo.setEditable(True)
        self.tz_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tz_combo.addItems(sorted(zoneinfo.available_timezones()))
        completer = self.tz_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

        self.tz_combo.setMinimumContentsLength(28)
        self.tz_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        when = QFormLayout()
        when.addRow(self._buddy("Applies &from", self.effective_edit),
                    self._field(self.effective_edit, "effective_from", "the date",
                                self.effective_note))
        when.addRow(self._buddy("Time &zone", self.tz_combo),
                    self._field(self.tz_combo, "timezone", "the time zone"))

        hours_box = QGroupBox("Working hours")
        grid = QGridLayout(hours_box)
        grid.setColumnStretch(1, 1)
        self.hour_edits: dict[str, QLineEdit] = {}
        self.day_totals: dict[str, QLabel] = {}
        for i, day in enumerate(WEEKDAYS):
            edit = QLineEdit()
            edit.setAccessibleName(f"{WEEKDAY_NAMES[day]} working hours")
            edit.setPlaceholderText(HOURS_PLACEHOLDER)
            edit.setToolTip(TIPS["hours"])
            total = QLabel()
            total.setAccessibleName(f"{WEEKDAY_NAMES[day]} hours in total")
            total.setToolTip("Working minutes of the day.")
            total.setMinimumWidth(total.fontMetrics().horizontalAdvance("10 h 30 m") + 8)
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            total.setMinimumHeight(edit.sizeHint().height())
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(self._buddy(f"&{WEEKDAY_NAMES[day]}" if day != "sat"
                                       else "S&aturday", edit, top), i, 0, top)
            grid.addWidget(self._field(edit, f"hours.{day}", f"{WEEKDAY_NAMES[day]} hours",
                                       stretch=False), i, 1)
            grid.addWidget(total, i, 2, top)
            self.hour_edits[day] = edit
            self.day_totals[day] = total
            edit.textChanged.connect(self._on_hours_text_changed)
            edit.editingFinished.connect(self._on_hours_editing_finished)
        self.week_total_label = QLabel()
        self.week_total_label.setAccessibleName("Working hours a week")
        self.week_total_label.setToolTip("The working hours of an ordinary week of this "
                                         "schedule; the target preview uses them.")
        grid.addWidget(self.week_total_label, len(WEEKDAYS), 1, 1, 2,
                       Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self._register("hours", "the working hours"), len(WEEKDAYS) + 1, 1, 1, 2)
        grid.setRowStretch(len(WEEKDAYS) + 2, 1)

        blocks_box = QGroupBox("Protected blocks")
        self.block_model = ProtectedBlockModel(self)
        self.block_table = read_only_table("Protected blocks")
        self.block_table.setToolTip(TIPS["protected"])
        self.block_table.setModel(self.block_model)
        self.block_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.block_table.setItemDelegateForColumn(COL_DAY, WeekdayDelegate(self.block_table))
        self.block_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.block_table.setMinimumHeight(130)
        self.add_block_button = QPushButton("Add block")
        self.add_block_button.setAccessibleName("Add a protected block")
        self.remove_block_button = QPushButton("Remove block")
        self.remove_block_button.setAccessibleName("Remove the selected protected block")
        block_buttons = QHBoxLayout()
        block_buttons.addWidget(self.add_block_button)
        block_buttons.addWidget(self.remove_block_button)
        block_buttons.addStretch(1)
        blocks_layout = QVBoxLayout(blocks_box)
        blocks_layout.addWidget(self.block_table, 1)
        blocks_layout.addLayout(block_buttons)
        blocks_layout.addWidget(self._register("protected", "the protected blocks"))

        columns = QHBoxLayout()
        columns.addWidget(hours_box, 3)
        columns.addWidget(blocks_box, 2)

        content = QWidget()
        box = QVBoxLayout(content)
        box.addWidget(intro)
        box.addWidget(self.versions_label)
        box.addLayout(when)
        box.addLayout(columns, 1)
        self.schedule_status = QLabel()
        self.schedule_status.setAccessibleName("Schedule save status")
        self.schedule_status.setWordWrap(True)
        self.save_button = QPushButton("Save schedule and target")
        self.save_button.setAccessibleName("Save schedule and target")
        self.save_button.setToolTip("Check the schedule and the target rule and save them as "
                                    "one version, in force from the date above.")
        self.save_button.setDefault(True)

        self.block_model.dataChanged.connect(self._on_blocks_changed)
        self.block_model.rowsInserted.connect(self._on_blocks_changed)
        self.block_model.rowsRemoved.connect(self._on_blocks_changed)
        self.add_block_button.clicked.connect(self._on_add_block_button_clicked)
        self.remove_block_button.clicked.connect(self._on_remove_block_button_clicked)
        self.effective_edit.dateChanged.connect(self._on_effective_edit_date_changed)
        self.tz_combo.currentTextChanged.connect(self._on_tz_combo_current_text_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        return self._page(content, self._save_row(self.schedule_status, self.save_button,
                                                  self._register("schedule", "the schedule")))

    # ================================================================== building: target

    def _build_target_tab(self) -> QWidget:
        intro = QLabel("How each week's protected-time target is worked out from its expected "
                       f"hours. Every preset is an {EXAMPLE_NOTE}.")
        intro.setWordWrap(True)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Target preset")
        self.preset_combo.setToolTip("Fill in the rule from an example. Every preset is an "
                                     f"{EXAMPLE_NOTE}.")
        self.preset_combo.addItem(CUSTOM, "")
        for p in PRESETS:
            self.preset_combo.addItem(p.label, p.key)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, p.tooltip,
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_source = QLabel()
        self.preset_source.setAccessibleName("Where the preset comes from")
        self.preset_source.setWordWrap(True)

        self.rule_combo = QComboBox()
        self.rule_combo.setAccessibleName("Target rule")
        self.rule_combo.setToolTip(TIPS["target.rule"])
        self.rule_combo.addItem("Percent of expected hours", "percent")
        self.rule_combo.addItem("Hours per full-time week", "hours")
        self.rule_combo.addItem("Hours, some of them protected", "floor")
        self.rule_combo.addItem("Minutes per appointment held", "per_appointment")
        self.rate_spin = _spin("Rate", TIPS["target.rate"], 100.0, " %")
        self.target_hours_spin = _spin("Protected hours", TIPS["target.hours"], 80.0, " h")
        self.protected_hours_spin = _spin("Of which protected", TIPS["target.protected_hours"],
                                          80.0, " h")
        self.per_appointment_spin = _spin("Minutes per appointment",
                                          TIPS["target.minutes_per_appointment"], 120.0,
                                          " min", decimals=1, step=1)
        self.allowance_spin = _spin("Meeting allowance", TIPS["target.meeting_allowance_h"],
                                    80.0, " h")
        self.full_time_spin = _spin("Full-time hours", TIPS["target.full_time_h"], 80.0, " h")
        self.partly_spin = _spin("Partly met from", TIPS["target.partly_met_at"], 100.0, " %",
                                 decimals=0, step=5)

        form = QFormLayout()
        form.addRow(self._buddy("&Preset", self.preset_combo),
                    self._field(self.preset_combo, "target", "the target rule",
                                self.preset_source))
        rows: tuple[tuple[str, str, QWidget], ...] = (
            ("target.rule", "&Rule", self.rule_combo),
            ("target.rate", "R&ate", self.rate_spin),
            ("target.hours", "Protected &hours", self.target_hours_spin),
            ("target.protected_hours", "Of which pro&tected", self.protected_hours_spin),
            ("target.minutes_per_appointment", "Minutes per a&ppointment",
             self.per_appointment_spin),
            ("target.meeting_allowance_h", "&Meeting allowance", self.allowance_spin),
            ("target.full_time_h", "&Full-time week", self.full_time_spin),
            ("target.partly_met_at", "Partly met f&rom", self.partly_spin),
        )
        self._target_rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._target_widgets: dict[str, QWidget] = {}
        for key, text, widget in rows:
            label = self._buddy(text, widget)
            label.setToolTip(TIPS[key])
            field = self._field(widget, key, text.replace("&", "").lower())
            form.addRow(label, field)
            self._target_rows[key] = (label, field)
            self._target_widgets[key] = widget
        for spin in self._target_spins():
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("000.00 min") + 48)
        self.target_form = form

        self.describe_label = QLabel()
        self.describe_label.setAccessibleName("The rule in words")
        self.describe_label.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview_label.setAccessibleName("Target preview")
        self.preview_label.setToolTip("The target of an ordinary week of the working hours on "
                                      "the Schedule tab, without leave.")
        self.preview_label.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.2)
        big.setBold(True)
        self.preview_label.setFont(big)

        content = QWidget()
        box = QVBoxLayout(content)
        box.addWidget(intro)
        box.addLayout(form)
        box.addSpacing(8)
        box.addWidget(self.describe_label)
        box.addWidget(self.preview_label)
        box.addStretch(1)
        self.target_status = QLabel()
        self.target_status.setAccessibleName("Target save status")
        self.target_status.setWordWrap(True)
        self.save_target_button = QPushButton("Save schedule and target")
        self.save_target_button.setAccessibleName("Save schedule and target")
        self.save_target_button.setToolTip("The target is part of the schedule version: both "
                                           "are saved together, from the date on the Schedule "
                                           "tab.")

        self.preset_combo.currentIndexChanged.connect(self._on_preset_combo_current_index_changed)
        self.rule_combo.currentIndexChanged.connect(self._on_target_edited)
        for spin in self._target_spins():
            spin.valueChanged.connect(self._on_target_edited)
        self.save_target_button.clicked.connect(self._on_save_button_clicked)
        return self._page(content, self._save_row(self.target_status, self.save_target_button))

    def _target_spins(self) -> tuple[QDoubleSpinBox, ...]:
        return (self.rate_spin, self.target_hours_spin, self.protected_hours_spin,
                self.per_appointment_spin, self.allowance_spin, self.full_time_spin,
                self.partly_spin)

    # ================================================================== building: leave

    def _build_leave_tab(self) -> QWidget:
        intro = QLabel("Leave lowers a week's expected hours, and with them its target. Pick a "
                       "date on the calendar; days on leave are highlighted.")
        intro.setWordWrap(True)
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Leave calendar")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
        self.calendar.setMinimumSize(380, 260)

        self.leave_model = LeaveTableModel(self)
        self.leave_table = read_only_table("Leave in the month shown")
        self.leave_table.setModel(self.leave_model)
        self.leave_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.leave_caption = QLabel()
        self.leave_caption.setAccessibleName("Month of the leave list")

        self.leave_date_label = QLabel()
        self.leave_date_label.setAccessibleName("Date of the new leave")
        self.whole_day_check = QCheckBox("Whole day")
        self.whole_day_check.setAccessibleName("Whole day of leave")
        self.whole_day_check.setToolTip("A whole-day leave takes all of the day's scheduled "
                                        "minutes; work logged that day counts as after hours.")
        self.whole_day_check.setChecked(True)
        self.leave_hours_spin = _spin("Hours of leave", "Hours of leave taken that day; they "
                                      "lower the day's expected minutes.", 24.0, " h", step=0.5)
        self.leave_hours_spin.setMinimum(0.25)
        self.leave_hours_spin.setValue(4.0)
        self.leave_type_combo = QComboBox()
        self.leave_type_combo.setAccessibleName("Type of leave")
        self.leave_type_combo.setToolTip("Every kind of leave lowers the expected hours the "
                                         "same way.")
        for kind in LeaveType:
            self.leave_type_combo.addItem(LEAVE_WORDS[kind], kind.value)
        self.add_leave_button = QPushButton("Add leave")
        self.add_leave_button.setAccessibleName("Add leave on the selected date")
        self.remove_leave_button = QPushButton("Remove leave")
        self.remove_leave_button.setAccessibleName("Remove the selected leave")
        self.leave_error = _error_label("the leave")
        self.leave_status = QLabel()
        self.leave_status.setAccessibleName("Leave status")
        self.leave_status.setWordWrap(True)

        add_form = QFormLayout()
        add_form.addRow("Date", self.leave_date_label)
        amount = QHBoxLayout()
        amount.addWidget(self.whole_day_check)
        amount.addWidget(self.leave_hours_spin)
        amount.addStretch(1)
        add_form.addRow("Amount", amount)
        add_form.addRow(self._buddy("&Type", self.leave_type_combo),
                        self._field(self.leave_type_combo))
        add_buttons = QHBoxLayout()
        add_buttons.addWidget(self.add_leave_button)
        add_buttons.addWidget(self.remove_leave_button)
        add_buttons.addStretch(1)
        add_box = QGroupBox("Add or remove leave")
        add_layout = QVBoxLayout(add_box)
        add_layout.addLayout(add_form)
        add_layout.addLayout(add_buttons)
        add_layout.addWidget(self.leave_error)
        add_layout.addWidget(self.leave_status)

        left = QVBoxLayout()
        left.addWidget(self.calendar, 1)
        left.addWidget(add_box)
        right = QVBoxLayout()
        right.addWidget(self.leave_caption)
        right.addWidget(self.leave_table, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(intro)
        box.addLayout(columns, 1)

        self.calendar.currentPageChanged.connect(self._on_calendar_current_page_changed)
        self.calendar.selectionChanged.connect(self._on_calendar_selection_changed)
        self.whole_day_check.toggled.connect(self._on_whole_day_check_toggled)
        self.add_leave_button.clicked.connect(self._on_add_leave_button_clicked)
        self.remove_leave_button.clicked.connect(self._on_remove_leave_button_clicked)
        self.leave_table.selectionModel().selectionChanged.connect(
            self._on_leave_selection_changed)
        self._on_whole_day_check_toggled(True)
        return page

    # ================================================================== building: categories

    def _build_categories_tab(self) -> QWidget:
        intro = QLabel("Categories sort what you log. Add your own, each counted as IPC, direct "
                       "care or other work; a category of yours can be removed while no entry "
                       "uses it.")
        intro.setWordWrap(True)
        self.category_model = CategoryTableModel(self)
        self.category_table = read_only_table("Categories")
        self.category_table.setModel(self.category_model)
        header = self.category_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("New category code")
        self.code_edit.setPlaceholderText("e.g. peer_consult")
        self.code_edit.setToolTip("Letters, digits and underscores, starting with a letter; "
                                  "used on the command line and in imports.")
        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("New category label")
        self.label_edit.setPlaceholderText("e.g. Peer consultation")
        self.class_combo = QComboBox()
        self.class_combo.setAccessibleName("What the new category counts as")
        for cls in (CategoryClass.IPC, CategoryClass.DIRECT, CategoryClass.OTHER):
            self.class_combo.addItem(CLASS_WORDS[cls], cls.value)
            self.class_combo.setItemData(self.class_combo.count() - 1, CLASS_TIPS[cls],
                                         Qt.ItemDataRole.ToolTipRole)
        self.class_combo.setToolTip(CLASS_TIPS[CategoryClass.IPC])
        self.add_category_button = QPushButton("Add category")
        self.add_category_button.setAccessibleName("Add the category")
        self.remove_category_button = QPushButton("Remove category")
        self.remove_category_button.setAccessibleName("Remove the selected category")
        self.remove_category_button.setEnabled(False)
        self.category_error = _error_label("the category")
        self.category_status = QLabel()
        self.category_status.setAccessibleName("Category status")
        self.category_status.setWordWrap(True)

        form = QGridLayout()
        form.addWidget(self._buddy("C&ode", self.code_edit), 0, 0)
        form.addWidget(self.code_edit, 0, 1)
        form.addWidget(self._buddy("&Label", self.label_edit), 0, 2)
        form.addWidget(self.label_edit, 0, 3)
        form.addWidget(self._buddy("Counts &as", self.class_combo), 0, 4)
        form.addWidget(self.class_combo, 0, 5)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_category_button)
        buttons.addWidget(self.remove_category_button)
        buttons.addStretch(1)

        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(intro)
        box.addWidget(self.category_table, 1)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.category_error)
        box.addWidget(self.category_status)

        self.class_combo.currentIndexChanged.connect(self._on_class_combo_current_index_changed)
        self.add_category_button.clicked.connect(self._on_add_category_button_clicked)
        self.remove_category_button.clicked.connect(self._on_remove_category_button_clicked)
        self.code_edit.returnPressed.connect(self._on_add_category_button_clicked)
        self.category_table.selectionModel().selectionChanged.connect(
            self._on_category_selection_changed)
        return page

    # ================================================================== building: reminders

    def _build_reminders_tab(self) -> QWidget:
        self.reminder_check = QCheckBox("Remind me at the end of each working day")
        self.reminder_check.setAccessibleName("End-of-day reminder")
        self.reminder_check.setToolTip("A gentle reminder when nothing is logged for the day, "
                                       "or a protected block has unlogged minutes.")
        self.reminder_time = QTimeEdit()
        self.reminder_time.setAccessibleName("Reminder time")
        self.reminder_time.setToolTip("The local time of the reminder.")
        self.reminder_time.setDisplayFormat("HH:mm")
        self.meal_break_spin = QSpinBox()
        self.meal_break_spin.setAccessibleName("Meal break length")
        self.meal_break_spin.setRange(10, 120)
        self.meal_break_spin.setSuffix(" min")
        self.meal_break_spin.setToolTip("A working day without a break at least this long "
                                        "counts as a day without a meal break (30 minutes "
                                        "unless you change it).")
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setAccessibleName("Name in committee exports")
        self.display_name_edit.setPlaceholderText("Empty: your exports stay anonymous")
        self.display_name_edit.setMaxLength(80)
        self.display_name_edit.setToolTip(
            "Shown in committee exports only when you fill it in. Empty, an export carries "
            "only an anonymous random id made once for this database.")
        privacy = QLabel(
            "Committee exports hold weekly totals only: no notes and no times of single "
            "entries. Leave the name empty to stay anonymous when the committee merges "
            "several clinicians' summaries.")
        privacy.setWordWrap(True)
        self.preferences_error = _error_label("the preferences")
        self.preferences_status = QLabel()
        self.preferences_status.setAccessibleName("Preferences status")
        self.save_preferences_button = QPushButton("Save reminders and privacy")
        self.save_preferences_button.setAccessibleName("Save reminders and privacy")

        reminder_box = QGroupBox("Reminder")
        reminder_form = QFormLayout(reminder_box)
        reminder_form.addRow(self.reminder_check)
        reminder_form.addRow(self._buddy("Remind &at", self.reminder_time),
                             self._field(self.reminder_time))
        reminder_form.addRow(self._buddy("A &meal break is at least", self.meal_break_spin),
                             self.meal_break_spin)
        privacy_box = QGroupBox("Privacy")
        privacy_form = QFormLayout(privacy_box)
        privacy_form.addRow(privacy)
        privacy_form.addRow(self._buddy("&Name in exports", self.display_name_edit),
                            self.display_name_edit)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(reminder_box)
        box.addWidget(privacy_box)
        box.addStretch(1)
        box.addLayout(self._save_row(self.preferences_status, self.save_preferences_button,
                                     self.preferences_error))
        self.reminder_check.toggled.connect(self._on_reminder_check_toggled)
        self.save_preferences_button.clicked.connect(self._on_save_preferences_button_clicked)
        return page

    # ================================================================== building: data

    def _build_data_tab(self) -> QWidget:
        self.db_path_label = QLabel()
        self.db_path_label.setAccessibleName("Database file")
        self.db_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_path_label.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setAccessibleName("Data folder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setAccessibleName("Open the data folder")
        self.open_folder_button.setToolTip("Show the folder holding the database and its "
                                           "backups in your file manager.")
        files = QGroupBox("Where your data lives")
        files_form = QFormLayout(files)
        files_form.addRow("Database", self.db_path_label)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        files_form.addRow("Folder", folder_row)

        self.backup_model = BackupTableModel(self)
        self.backup_table = read_only_table("Backups")
        self.backup_table.setModel(self.backup_model)
        header = self.backup_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.no_backups_label = QLabel("No backups yet. Carelog makes one each day it is "
                                       "opened, and you can make one now.")
        self.no_backups_label.setAccessibleName("No backups")
        self.no_backups_label.setWordWrap(True)
        self.backup_button = QPushButton("Back up now")
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.setToolTip("Write a verified copy of the database into the backups "
                                      "folder beside it.")
        self.restore_button = QPushButton("Restore selected…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.setToolTip("Replace the database with the selected backup; the "
                                       "current file is kept beside it.")
        self.restore_button.setEnabled(False)
        self.backup_error = _error_label("the backup")
        self.backup_status = QLabel()
        self.backup_status.setAccessibleName("Backup status")
        self.backup_status.setWordWrap(True)
        backups = QGroupBox("Backups")
        backups_layout = QVBoxLayout(backups)
        note = QLabel("Daily backups are kept for 14 days, and one a week for 8 weeks; those "
                      "made by hand or before an update are kept until you delete them.")
        note.setWordWrap(True)
        backups_layout.addWidget(note)
        backups_layout.addWidget(self.backup_table, 1)
        backups_layout.addWidget(self.no_backups_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backups_layout.addLayout(buttons)
        backups_layout.addWidget(self.backup_error)
        backups_layout.addWidget(self.backup_status)

        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(files)
        box.addWidget(backups, 1)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.backup_table.selectionModel().selectionChanged.connect(
            self._on_backup_selection_changed)
        return page

    # ================================================================== building helpers

    def _buddy(self, text: str, widget: QWidget,
               align: Qt.AlignmentFlag | None = None) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        if align is not None:
            # Line up with the field's first line when a message opens up beneath it.
            label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
            label.setMinimumHeight(widget.sizeHint().height())
        return label

    def _field(self, widget: QWidget, key: str | None = None, name: str = "",
               note: QLabel | None = None, stretch: bool = True) -> QWidget:
        """The widget at its natural width, with its note and error message beneath it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        if stretch:
            row = QHBoxLayout()
            row.addWidget(widget)
            row.addStretch(1)
            column.addLayout(row)
        else:
            column.addWidget(widget)
        if note is not None:
            column.addWidget(note)
        if key is not None:
            column.addWidget(self._register(key, name))
        return box

    def _register(self, key: str, name: str) -> QLabel:
        label = _error_label(name)
        self.field_errors[key] = label
        return label

    def _save_row(self, status: QLabel, button: QPushButton,
                  error: QLabel | None = None) -> QVBoxLayout:
        box = QVBoxLayout()
        if error is not None:
            box.addWidget(error)
        row = QHBoxLayout()
        row.addWidget(status, 1)
        row.addWidget(button)
        box.addLayout(row)
        return box

    def _page(self, content: QWidget, footer: QVBoxLayout) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # Let the tab page's own background show through, as on the tabs without scrolling.
        scroll.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll, 1)
        inner = QWidget()
        inner_box = QVBoxLayout(inner)
        inner_box.addLayout(footer)
        box.addWidget(inner)
        return page

    # ================================================================== public

    def refresh(self) -> None:
        """Read everything again: the schedule form (unsaved edits are dropped) and the lists."""
        d = self.state.day
        self.calendar.setSelectedDate(QDate(d.year, d.month, d.day))
        self._fill_schedule()
        self._fill_preferences()
        self._refresh_lists()
        self.db_path_label.setText(str(self.state.store.path))
        self.folder_label.setText(str(self.state.store.path.parent))

    def show_tab(self, index: int) -> None:
        """Bring a section to the front (TAB_SCHEDULE … TAB_DATA)."""
        self.tabs.setCurrentIndex(index)

    def error_text(self, field: str) -> str:
        """The message shown beside a field ('' when there is none)."""
        label = self.field_errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def schedule_data(self) -> dict[str, Any]:
        """The schedule as typed, in the shape of the TOML file (DESIGN §4.1)."""
        hours = {day: split_ranges(edit.text()) for day, edit in self.hour_edits.items()
                 if edit.text().strip()}
        return {
            "effective_from": self.effective_date().isoformat(),
            "timezone": self.tz_combo.currentText().strip(),
            "hours": hours,
            "protected": self.block_model.as_dicts(),
            "target": self.target_data(),
        }

    def target_data(self) -> dict[str, Any]:
        """The [target] table as typed."""
        rule = self.rule_combo.currentData()
        data: dict[str, Any] = {"rule": rule}
        if rule == "percent":
            data["rate"] = round(self.rate_spin.value() / 100, 6)
        if rule in ("hours", "floor"):
            data["hours"] = self.target_hours_spin.value()
        if rule == "floor":
            data["protected_hours"] = self.protected_hours_spin.value()
        if rule == "per_appointment":
            data["minutes_per_appointment"] = self.per_appointment_spin.value()
        data["meeting_allowance_h"] = self.allowance_spin.value()
        data["full_time_h"] = self.full_time_spin.value()
        data["partly_met_at"] = round(self.partly_spin.value() / 100, 6)
        return data

    def effective_date(self) -> date:
        """The date the edited schedule applies from."""
        return _py_date(self.effective_edit.date())

    def weekly_minutes(self) -> int:
        """Working minutes of an ordinary week of the hours typed (days with bad text: 0)."""
        total = 0
        for day, edit in self.hour_edits.items():
            try:
                total += sum(r.minutes for r in day_ranges(day, split_ranges(edit.text())))
            except BadInput:
                continue
        return total

    def preview_text(self) -> str:
        """The target preview shown on the Target tab."""
        return self.preview_label.text()

    # ================================================================== filling

    def _fill_schedule(self) -> None:
        store = self.state.store
        schedules = store.schedules()
        latest = schedules.latest
        start = week_monday(self.state.today())
        if latest is not None and latest.effective_from > start:
            start = latest.effective_from
        version = latest or standard_week(start, store.timezone_name, PRESETS[0].rule)
        self._filling = True
        try:
            self.effective_edit.setDate(QDate(start.year, start.month, start.day))
            self._set_timezone(version.timezone)
            for day, edit in self.hour_edits.items():
                edit.setText(", ".join(r.text() for r in version.hours.get(day, ())))
            self.block_model.set_blocks(version.protected)
            self._fill_target(version.target)
        finally:
            self._filling = False
        self._clear_errors()
        self._update_hours()
        self._update_target()
        self._update_versions(latest is None)
        self._set_status(self.schedule_status, "" if latest else
                         "No schedule saved yet: this is a standard 40-hour week to start "
                         "from; change it to match your contract, then save.", "muted")
        self._set_status(self.target_status, "", "muted")

    def _set_timezone(self, name: str) -> None:
        i = self.tz_combo.findText(name)
        if i >= 0:
            self.tz_combo.setCurrentIndex(i)
        else:
            self.tz_combo.setEditText(name)

    def _fill_target(self, rule: TargetRule) -> None:
        was = self._filling
        self._filling = True
        try:
            self.rule_combo.setCurrentIndex(self.rule_combo.findData(rule.rule))
            self.rate_spin.setValue((rule.rate or 0.0) * 100)
            self.target_hours_spin.setValue(rule.hours or 0.0)
            self.protected_hours_spin.setValue(rule.protected_hours or 0.0)
            self.per_appointment_spin.setValue(rule.minutes_per_appointment or 0.0)
            self.allowance_spin.setValue(rule.meeting_allowance_h)
            self.full_time_spin.setValue(rule.full_time_h)
            self.partly_spin.setValue(rule.partly_met_at * 100)
            key = next((p.key for p in PRESETS if p.rule == rule), "")
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(key))
        finally:
            self._filling = was
        self._show_rule_fields()

    def _fill_preferences(self) -> None:
        prefs = load_preferences(self.state.store)
        self.reminder_check.setChecked(prefs.reminder_enabled)
        hh, mm = (int(x) for x in prefs.reminder_time.split(":"))
        self.reminder_time.setTime(QTime(hh, mm))
        self.reminder_time.setEnabled(prefs.reminder_enabled)
        self.display_name_edit.setText(prefs.display_name)
        self.meal_break_spin.setValue(prefs.meal_break_min)
        self.preferences_error.hide()
        self._set_status(self.preferences_status, "", "muted")

    def _refresh_lists(self) -> None:
        self._refresh_leave()
        self._refresh_categories()
        self._refresh_backups()
        self._update_versions(not self.state.store.schedules())

    def _refresh_leave(self) -> None:
        first, last = self._visible_month()
        store = self.state.store
        leave = store.leave_between(first, last)
        self.leave_model.set_rows(leave)
        self.leave_caption.setText(f"Leave in {first:%B %Y}" if leave
                                   else f"No leave in {first:%B %Y}.")
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        marked = QTextCharFormat()
        tint = warning_colour(self.palette())
        tint.setAlpha(90)
        marked.setBackground(QBrush(tint))
        marked.setFontWeight(QFont.Weight.Bold)
        for item in store.leave_between(first - timedelta(days=7), last + timedelta(days=14)):
            marked.setToolTip(f"On leave: {LEAVE_WORDS[item.type]}")
            self.calendar.setDateTextFormat(QDate(item.day.year, item.day.month, item.day.day),
                                            marked)
        self._on_calendar_selection_changed()

    def _refresh_categories(self) -> None:
        self.category_model.set_rows(self.state.store.categories.all())
        self._on_category_selection_changed()

    def _refresh_backups(self) -> None:
        found = list_backups(self.state.store.path)
        self.backup_model.set_rows(found)
        self.no_backups_label.setVisible(not found)
        self._on_backup_selection_changed()

    def _visible_month(self) -> tuple[date, date]:
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1)

    # ================================================================== live updates

    def _update_hours(self) -> None:
        total = 0
        muted = css_colour(muted_colour(self.palette()))
        for day, edit in self.hour_edits.items():
            label = self.day_totals[day]
            try:
                minutes = sum(r.minutes for r in day_ranges(day, split_ranges(edit.text())))
            except BadInput:
                label.setText("?")
                label.setToolTip("These hours cannot be read yet; see the message below.")
                continue
            total += minutes
            label.setText(fmt_minutes(minutes) if minutes else "—")
            label.setToolTip("Working time of the day." if minutes else "Not a working day.")
            label.setStyleSheet(f"color: {muted};")
        self.week_total_label.setText(f"{fmt_minutes(total)} a week")

    def _update_target(self) -> None:
        self._show_rule_fields()
        for key in (*TARGET_FIELDS, "target"):
            self._show_error(key, "")
        try:
            rule = parse_target(self.target_data())
        except BadInput as exc:
            self._show_error(self._error_key(exc.field), exc.message)
            self.describe_label.setText("")
            self.preview_label.setText("No preview until the rule is complete.")
            return
        minutes = self.weekly_minutes()
        self.describe_label.setText(f"Rule: {rule.describe()}.")
        self.preview_label.setText(rule.preview(minutes / 60 if minutes else None))

    def _show_rule_fields(self) -> None:
        shape = str(self.rule_combo.currentData())
        shown = SHAPE_FIELDS.get(shape, ())
        for key in ("target.rate", "target.hours", "target.protected_hours",
                    "target.minutes_per_appointment", "target.meeting_allowance_h"):
            label, widget = self._target_rows[key]
            label.setVisible(key in shown)
            widget.setVisible(key in shown)
        hours_label, _ = self._target_rows["target.hours"]
        hours_label.setText(HOURS_LABELS.get(shape, HOURS_LABELS["hours"]))
        key = self.preset_combo.currentData()
        preset = next((p for p in PRESETS if p.key == key), None)
        muted = css_colour(muted_colour(self.palette()))
        self.preset_source.setStyleSheet(f"color: {muted};")
        self.preset_source.setText(f"{preset.source} This is an {EXAMPLE_NOTE}." if preset
                                   else "Your own rule: set the numbers from your contract.")
        self.preset_source.setToolTip(preset.tooltip if preset else "")
        self.preset_combo.setToolTip(preset.tooltip if preset else
                                     "Fill in the rule from an example. Every preset is an "
                                     f"{EXAMPLE_NOTE}.")

    def _update_versions(self, none_saved: bool) -> None:
        schedules = self.state.store.schedules()
        today = self.state.today()
        if none_saved or not schedules:
            self.versions_label.setText("No schedule is saved yet.")
        else:
            in_force = schedules.on(today)
            parts = []
            for v in schedules.versions:
                text = f"from {v.effective_from:%a %d %b %Y}"
                if v is in_force:
                    text += " (in force today)"
                parts.append(text)
            self.versions_label.setText("Saved versions: " + "; ".join(parts) + ".")
        self._update_effective_note()

    def _update_effective_note(self) -> None:
        eff = self.effective_date()
        existing = {v.effective_from for v in self.state.store.schedules().versions}
        muted = css_colour(muted_colour(self.palette()))
        if eff in existing:
            text = (f"A version already starts on {eff:%a %d %b %Y}; saving replaces it, and "
                    "the weeks it covers are worked out again.")
            colour = css_colour(warning_colour(self.palette()))
        else:
            text = (f"Saving adds a version from {eff:%a %d %b %Y}; earlier weeks keep their "
                    "schedule.")
            colour = muted
        if eff.weekday() != 0:
            text += " It does not start on a Monday, so that week mixes two schedules."
        self.effective_note.setText(text)
        self.effective_note.setStyleSheet(f"color: {colour};")

    # ================================================================== errors and status

    def _error_key(self, field: str | None) -> str:
        if field is None:
            return "schedule"
        if field in self.field_errors:
            return field
        if field.startswith("protected"):
            return "protected"
        if field.startswith("hours"):
            return "hours"
        if field.startswith("target") or field == "preset":
            return "target"
        return "schedule"

    def _show_error(self, key: str, text: str) -> None:
        label = self.field_errors[key]
        label.setText(text)
        label.setStyleSheet(f"color: {css_colour(error_colour(self.palette()))};")
        label.setVisible(bool(text))

    def _clear_errors(self) -> None:
        for key in self.field_errors:
            self._show_error(key, "")

    def _set_status(self, label: QLabel, text: str, kind: str) -> None:
        colours = {"muted": muted_colour(self.palette()), "ok": status_colour("met",
                                                                              self.palette()),
                   "error": error_colour(self.palette())}
        label.setText(text)
        label.setStyleSheet(f"color: {css_colour(colours[kind])};")

    def _refuse_schedule(self, exc: BadInput) -> None:
        key = self._error_key(exc.field)
        self._show_error(key, exc.message)
        on_target = key.startswith("target")
        self.tabs.setCurrentIndex(TAB_TARGET if on_target else TAB_SCHEDULE)
        status = self.target_status if on_target else self.schedule_status
        self._set_status(status, "Nothing was saved: fix the field marked in red.", "error")
        m = re.match(r"protected\[(\d+)\]", exc.field or "")
        if m:
            self.block_table.selectRow(int(m[1]) - 1)
            self.block_table.setFocus()
        elif key.startswith("hours."):
            self.hour_edits[key.split(".")[1]].setFocus()
        elif key in self._target_widgets:
            self._target_widgets[key].setFocus()
        elif key == "effective_from":
            self.effective_edit.setFocus()
        elif key == "timezone":
            self.tz_combo.setFocus()

    def _schedule_edited(self) -> None:
        if self._filling:
            return
        for status in (self.schedule_status, self.target_status):
            self._set_status(status, "Changes not saved yet.", "muted")

    # ================================================================== slots: schedule

    def _on_hours_text_changed(self, text: str) -> None:
        self._update_hours()
        self._update_target()
        self._schedule_edited()

    def _on_hours_editing_finished(self) -> None:
        for day, edit in self.hour_edits.items():
            try:
                day_ranges(day, split_ranges(edit.text()))
            except BadInput as exc:
                self._show_error(f"hours.{day}", exc.message)
            else:
                self._show_error(f"hours.{day}", "")

    def _on_blocks_changed(self, *args: object) -> None:
        self._show_error("protected", "")
        self._schedule_edited()

    def _on_add_block_button_clicked(self) -> None:
        day = next((d for d, e in self.hour_edits.items() if e.text().strip()), "mon")
        row = self.block_model.add_row(BlockRow(day, "16:00-17:00", "IPC"))
        self.block_table.selectRow(row)
        self.block_table.setFocus()

    def _on_remove_block_button_clicked(self) -> None:
        rows = self.block_table.selectionModel().selectedRows()
        if rows:
            self.block_model.remove_row(rows[0].row())

    def _on_effective_edit_date_changed(self, d: QDate) -> None:
        self._show_error("effective_from", "")
        self._update_effective_note()
        self._schedule_edited()

    def _on_tz_combo_current_text_changed(self, *args: object) -> None:
        self._show_error("timezone", "")
        self._schedule_edited()

    def _on_save_button_clicked(self) -> None:
        self._clear_errors()
        try:
            version = parse_schedule(self.schedule_data())
        except BadInput as exc:
            self._refuse_schedule(exc)
            return
        self._save_version(version)

    def _save_version(self, version: ScheduleVersion) -> None:
        try:
            self.state.store.save_schedule(version)
        except CarelogError as exc:
            self._show_error("schedule", exc.message)
            self._set_status(self.schedule_status, "Nothing was saved.", "error")
            return
        text = (f"Saved: this schedule is in force from {version.effective_from:%a %d %b %Y}; "
                "earlier weeks keep theirs.")
        for status in (self.schedule_status, self.target_status):
            self._set_status(status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)

    # ================================================================== slots: target

    def _on_preset_combo_current_index_changed(self, index: int) -> None:
        key = self.preset_combo.itemData(index)
        preset = next((p for p in PRESETS if p.key == key), None)
        if preset is not None and not self._filling:
            self._fill_target(preset.rule)
            self._schedule_edited()
        self._update_target()

    def _on_target_edited(self, *args: object) -> None:
        if self._filling:
            return
        try:
            rule = parse_target(self.target_data())
        except BadInput:
            rule = None
        key = next((p.key for p in PRESETS if rule is not None and p.rule == rule), "")
        self._filling = True
        try:
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(key))
        finally:
            self._filling = False
        self._update_target()
        self._schedule_edited()

    # ================================================================== slots: leave

    def _on_calendar_current_page_changed(self, year: int, month: int) -> None:
        self._refresh_leave()

    def _on_calendar_selection_changed(self) -> None:
        d = _py_date(self.calendar.selectedDate())
        self.leave_date_label.setText(f"{d:%A} {d.day} {d:%B %Y}")
        self.add_leave_button.setText(f"Add leave on {d:%a} {d.day} {d:%b}")
        row = self.leave_model.row_of(d)
        if row is not None:
            self.leave_table.selectRow(row)
        self._on_leave_selection_changed()

    def _on_leave_selection_changed(self, *args: object) -> None:
        self.remove_leave_button.setEnabled(self._leave_to_remove() is not None)

    def _leave_to_remove(self) -> date | None:
        rows = self.leave_table.selectionModel().selectedRows()
        if rows:
            return self.leave_model.leave_at(rows[0].row()).day
        d = _py_date(self.calendar.selectedDate())
        return d if self.leave_model.row_of(d) is not None else None

    def _on_whole_day_check_toggled(self, checked: bool) -> None:
        self.leave_hours_spin.setEnabled(not checked)

    def _on_add_leave_button_clicked(self) -> None:
        self.leave_error.hide()
        d = _py_date(self.calendar.selectedDate())
        minutes = None if self.whole_day_check.isChecked() \
            else round(self.leave_hours_spin.value() * 60)
        try:
            try:
                leave = Leave(day=d, minutes=minutes,
                              type=LeaveType(self.leave_type_combo.currentData()))
            except ValidationError as exc:
                raise plain_error(exc) from None
            self.state.store.add_leave(leave)
        except CarelogError as exc:
            self._fail(self.leave_error, self.leave_status, exc.message)
            return
        text = f"Leave added on {d:%a %d %b %Y}."
        self._set_status(self.leave_status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)

    def _on_remove_leave_button_clicked(self) -> None:
        self.leave_error.hide()
        d = self._leave_to_remove()
        if d is None:
            return
        try:
            self.state.store.remove_leave(d)
        except CarelogError as exc:
            self._fail(self.leave_error, self.leave_status, exc.message)
            return
        text = f"Leave removed from {d:%a %d %b %Y}."
        self._set_status(self.leave_status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)

    # ================================================================== slots: categories

    def _on_class_combo_current_index_changed(self, index: int) -> None:
        self.class_combo.setToolTip(str(self.class_combo.itemData(
            index, Qt.ItemDataRole.ToolTipRole) or ""))

    def _selected_category(self) -> str | None:
        rows = self.category_table.selectionModel().selectedRows()
        return self.category_model.category_at(rows[0].row()).code if rows else None

    def _on_category_selection_changed(self, *args: object) -> None:
        code = self._selected_category()
        info = self.state.store.categories.get(code) if code else None
        self.remove_category_button.setEnabled(info is not None and not info.builtin)
        self.remove_category_button.setToolTip(
            "Built-in categories cannot be removed." if info is not None and info.builtin
            else "Remove the selected category of yours; refused while entries use it.")

    def _on_add_category_button_clicked(self) -> None:
        self.category_error.hide()
        try:
            info = self.state.store.add_category(self.code_edit.text(), self.label_edit.text(),
                                                 str(self.class_combo.currentData()))
        except CarelogError as exc:
            self._fail(self.category_error, self.category_status, exc.message)
            self.code_edit.setFocus()
            return
        self.code_edit.clear()
        self.label_edit.clear()
        text = f"Category '{info.label}' added; it counts as {CLASS_WORDS[info.cls]}."
        self._set_status(self.category_status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)
        row = self.category_model.row_of(info.code)
        if row is not None:
            self.category_table.selectRow(row)
            self.category_table.scrollTo(self.category_model.index(row, 0))

    def _on_remove_category_button_clicked(self) -> None:
        self.category_error.hide()
        code = self._selected_category()
        if code is None:
            return
        try:
            self.state.store.remove_category(code)
        except CarelogError as exc:
            self._fail(self.category_error, self.category_status, exc.message)
            return
        text = f"Category '{code}' removed."
        self._set_status(self.category_status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)

    # ================================================================== slots: reminders

    def _on_reminder_check_toggled(self, checked: bool) -> None:
        self.reminder_time.setEnabled(checked)

    def _on_save_preferences_button_clicked(self) -> None:
        self.preferences_error.hide()
        store = self.state.store
        prefs = load_preferences(store).model_copy(update={
            "reminder_enabled": self.reminder_check.isChecked(),
            "reminder_time": self.reminder_time.time().toString("HH:mm"),
            "display_name": self.display_name_edit.text(),
            "meal_break_min": self.meal_break_spin.value(),
        })
        try:
            save_preferences(store, prefs)
        except CarelogError as exc:
            self._fail(self.preferences_error, self.preferences_status, exc.message)
            return
        saved = load_preferences(store)
        who = f"exports name you as {saved.display_name}" if saved.display_name \
            else "exports stay anonymous"
        when = f"reminder at {saved.reminder_time}" if saved.reminder_enabled \
            else "no reminder"
        text = f"Saved: {when}; {who}."
        self._set_status(self.preferences_status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)

    # ================================================================== slots: data

    def _on_open_folder_button_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.state.store.path.parent)))

    def _on_backup_selection_changed(self, *args: object) -> None:
        running = self.backup_operation is not None and self.backup_operation.running
        self.restore_button.setEnabled(self._selected_backup() is not None and not running)

    def _selected_backup(self) -> Path | None:
        rows = self.backup_table.selectionModel().selectedRows()
        return self.backup_model.backup_at(rows[0].row()).path if rows else None

    def _on_backup_button_clicked(self) -> None:
        path = self.state.store.path
        self.backup_error.hide()
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self._set_status(self.backup_status, "Backing up…", "muted")
        self.backup_operation = run_in_background(
            self, lambda: backup_file(path), self._on_backup_done, self._on_backup_failed)

    def _on_backup_done(self, result: object) -> None:
        self.backup_button.setEnabled(True)
        self._refresh_backups()
        if isinstance(result, Path):
            row = self.backup_model.row_of(result)
            if row is not None:
                self.backup_table.selectRow(row)
            text = f"Backup written: {result.name}."
        else:
            text = "Backup written."
        self._set_status(self.backup_status, text, "ok")
        self.state.say(text)

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        message = exc.message if isinstance(exc, CarelogError) else \
            f"The backup could not be written: {exc}."
        self._fail(self.backup_error, self.backup_status, message)
        self._on_backup_selection_changed()

    def _on_restore_button_clicked(self) -> None:
        path = self._selected_backup()
        if path is None:
            return
        rows = self.backup_table.selectionModel().selectedRows()
        made = self.backup_model.data(self.backup_model.index(rows[0].row(), 0))
        answer = QMessageBox.question(
            self, "Restore a backup",
            f"Replace the database with the backup made {made}?\n\nEverything logged since "
            "then is replaced. The current file is kept beside it (named …replaced-DATE), "
            "and Carelog reopens the restored database.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_requested.emit(path)
        self.accept()

    # ================================================================== shared

    def _fail(self, error: QLabel, status: QLabel, message: str) -> None:
        error.setText(message)
        error.setStyleSheet(f"color: {css_colour(error_colour(self.palette()))};")
        error.show()
        status.setText("")

    def _on_data_changed(self) -> None:
        self._refresh_lists()
