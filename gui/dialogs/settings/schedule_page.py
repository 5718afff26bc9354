"""The Schedule page: from which date, in which time zone, the working hours and protected blocks.

The page only holds what was typed; the dialog gives it, with the Target page's rule, to core's
schedule parser when it is saved. `hours_edited` tells the Target page that the week's hours
(and so its preview) changed; `edited` that something was changed and not saved yet.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from typing import Any

from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import ScheduleVersion
from carelog.core.domain.timeutil import WEEKDAYS, fmt_minutes
from carelog.gui.dialogs.settings.fields import (
    FieldErrors,
    buddy,
    field,
    lay_out_scrolling,
    py_date,
    save_row,
)
from carelog.gui.dialogs.settings.hours_text import day_minutes, split_ranges
from carelog.gui.formatting import zone_key, zone_words
from carelog.gui.models.protected_block_model import (
    COL_DAY,
    WEEKDAY_NAMES,
    BlockRow,
    ProtectedBlockModel,
)
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, muted_colour, warning_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import wrapped_label
from carelog.gui.widgets.tables import read_only_table
from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

HOURS_PLACEHOLDER = "e.g. 08:30-12:30, 13:00-17:00 (empty: not a working day)"
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
}


class WeekdayDelegate(QStyledItemDelegate):
    """Edits the weekday column of the protected blocks with a list of weekdays."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        """A list of the weekdays."""
        combo = named(QComboBox(parent), "Weekday of the block")
        for code in WEEKDAYS:
            combo.addItem(WEEKDAY_NAMES[code], code)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        """Show the block's weekday in the list."""
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        """Give the weekday chosen to the blocks model."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SchedulePage(QWidget):
    """Working hours and protected blocks from a date on, as typed until they are saved."""

    hours_edited = Signal()
    edited = Signal()

    def __init__(self, state: AppState, errors: FieldErrors,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.errors = errors
        intro = QLabel("Your working hours and protected blocks from a date on. Weeks before "
                       "that date keep the schedule that was in force then.")
        intro.setWordWrap(True)
        self.versions_label = wrapped_label("Saved schedule versions")

        self.effective_edit = named(QDateEdit(), "Applies from")
        self.effective_edit.setToolTip(TIPS["effective_from"])
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat("ddd d MMM yyyy")
        self.effective_edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.effective_note = wrapped_label("What saving on this date does")
        self.tz_combo = named(QComboBox(), "Time zone")
        self.tz_combo.setToolTip(TIPS["timezone"])
        self.tz_combo.setEditable(True)
        self.tz_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tz_combo.addItems([zone_words(z) for z in sorted(zoneinfo.available_timezones())])
        completer = self.tz_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

        self.tz_combo.setMinimumContentsLength(28)
        self.tz_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        when = QFormLayout()
        when.addRow(buddy("Applies &from", self.effective_edit),
                    field(self.effective_edit, errors.register("effective_from", "the date"),
                          self.effective_note))
        when.addRow(buddy("Time &zone", self.tz_combo),
                    field(self.tz_combo, errors.register("timezone", "the time zone")))

        columns = QHBoxLayout()
        columns.addWidget(self._build_hours(), 3)
        columns.addWidget(self._build_blocks(), 2)

        content = QWidget()
        box = QVBoxLayout(content)
        box.addWidget(intro)
        box.addWidget(self.versions_label)
        box.addLayout(when)
        box.addLayout(columns, 1)
        self.schedule_status = wrapped_label("Schedule save status")
        self.save_button = named(
            QPushButton("Save schedule and target"), "Save schedule and target",
            "Check the schedule and the target rule and save them as "
            "one version, in force from the date above.")
        self.save_button.setDefault(True)

        self.block_model.dataChanged.connect(self._on_blocks_changed)
        self.block_model.rowsInserted.connect(self._on_blocks_changed)
        self.block_model.rowsRemoved.connect(self._on_blocks_changed)
        self.add_block_button.clicked.connect(self._on_add_block_button_clicked)
        self.remove_block_button.clicked.connect(self._on_remove_block_button_clicked)
        self.effective_edit.dateChanged.connect(self._on_effective_edit_date_changed)
        self.tz_combo.currentTextChanged.connect(self._on_tz_combo_current_text_changed)
        lay_out_scrolling(self, content, save_row(self.schedule_status, self.save_button,
                                                  errors.register("schedule", "the schedule")))

    def _build_hours(self) -> QGroupBox:
        hours_box = QGroupBox("Working hours")
        grid = QGridLayout(hours_box)
        grid.setColumnStretch(1, 1)
        self.hour_edits: dict[str, QLineEdit] = {}
        self.day_totals: dict[str, QLabel] = {}
        for i, day in enumerate(WEEKDAYS):
            edit = named(QLineEdit(), f"{WEEKDAY_NAMES[day]} working hours")
            edit.setPlaceholderText(HOURS_PLACEHOLDER)
            edit.setToolTip(TIPS["hours"])
            total = named(QLabel(), f"{WEEKDAY_NAMES[day]} hours in total",
                          "Working minutes of the day.")
            total.setMinimumWidth(total.fontMetrics().horizontalAdvance("10 h 30 m") + 8)
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            total.setMinimumHeight(edit.sizeHint().height())
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(buddy(f"&{WEEKDAY_NAMES[day]}" if day != "sat" else "S&aturday",
                                 edit, top), i, 0, top)
            error = self.errors.register(f"hours.{day}", f"{WEEKDAY_NAMES[day]} hours")
            grid.addWidget(field(edit, error, stretch=False), i, 1)
            grid.addWidget(total, i, 2, top)
            self.hour_edits[day] = edit
            self.day_totals[day] = total
            edit.textChanged.connect(self._on_hours_text_changed)
            edit.editingFinished.connect(self._on_hours_editing_finished)
        self.week_total_label = named(QLabel(), "Working hours a week",
                                      "The working hours of an ordinary week of this "
                                      "schedule; the target preview uses them.")
        grid.addWidget(self.week_total_label, len(WEEKDAYS), 1, 1, 2,
                       Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.errors.register("hours", "the working hours"),
                       len(WEEKDAYS) + 1, 1, 1, 2)
        grid.setRowStretch(len(WEEKDAYS) + 2, 1)
        return hours_box

    def _build_blocks(self) -> QGroupBox:
        blocks_box = QGroupBox("Protected blocks")
        self.block_model = ProtectedBlockModel(self)
        self.block_table = read_only_table("Protected blocks", self.block_model)
        self.block_table.setToolTip(TIPS["protected"])
        self.block_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.block_table.setItemDelegateForColumn(COL_DAY, WeekdayDelegate(self.block_table))
        self.block_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.block_table.setMinimumHeight(130)
        self.add_block_button = named(QPushButton("Add block"), "Add a protected block")
        self.remove_block_button = named(
            QPushButton("Remove block"), "Remove the selected protected block")
        block_buttons = button_row(self.add_block_button, self.remove_block_button)
        blocks_layout = QVBoxLayout(blocks_box)
        blocks_layout.addWidget(self.block_table, 1)
        blocks_layout.addLayout(block_buttons)
        blocks_layout.addWidget(self.errors.register("protected", "the protected blocks"))
        return blocks_box

    # ------------------------------------------------------------------ reading and filling

    def schedule_data(self) -> dict[str, Any]:
        """The schedule as typed, in the shape of the TOML file, without its [target] table."""
        hours = {day: split_ranges(edit.text()) for day, edit in self.hour_edits.items()
                 if edit.text().strip()}
        return {
            "effective_from": self.effective_date().isoformat(),
            "timezone": zone_key(self.tz_combo.currentText()),
            "hours": hours,
            "protected": self.block_model.as_dicts(),
        }

    def effective_date(self) -> date:
        """The date the edited schedule applies from."""
        return py_date(self.effective_edit.date())

    def weekly_minutes(self) -> int:
        """Working minutes of an ordinary week of the hours typed (days with bad text: 0)."""
        total = 0
        for day, edit in self.hour_edits.items():
            try:
                total += day_minutes(day, edit.text())
            except BadInput:
                continue
        return total

    def fill(self, start: date, version: ScheduleVersion) -> None:
        """Show a schedule version, to apply from `start` when saved."""
        self.effective_edit.setDate(QDate(start.year, start.month, start.day))
        i = self.tz_combo.findText(zone_words(version.timezone))
        if i >= 0:
            self.tz_combo.setCurrentIndex(i)
        else:
            self.tz_combo.setEditText(zone_words(version.timezone))
        for day, edit in self.hour_edits.items():
            edit.setText(", ".join(r.text() for r in version.hours.get(day, ())))
        self.block_model.set_blocks(version.protected)

    def focus_field(self, key: str, field_name: str | None) -> bool:
        """Put the cursor on the field a refusal names; False when it is not on this page."""
        m = re.match(r"protected\[(\d+)\]", field_name or "")
        if m:
            self.block_table.selectRow(int(m[1]) - 1)
            self.block_table.setFocus()
        elif key.startswith("hours."):
            self.hour_edits[key.split(".")[1]].setFocus()
        elif key == "effective_from":
            self.effective_edit.setFocus()
        elif key == "timezone":
            self.tz_combo.setFocus()
        else:
            return False
        return True

    # ------------------------------------------------------------------ live updates

    def update_hours(self) -> None:
        """Each day's total and the week's, as the hours are typed ('?' while unreadable)."""
        total = 0
        muted = css_colour(muted_colour(self.palette()))
        for day, edit in self.hour_edits.items():
            label = self.day_totals[day]
            try:
                minutes = day_minutes(day, edit.text())
            except BadInput:
                label.setText("?")
                label.setToolTip("These hours cannot be read yet; see the message below.")
                continue
            total += minutes
            label.setText(fmt_minutes(minutes) if minutes else "—")
            label.setToolTip("Working time of the day." if minutes else "Not a working day.")
            label.setStyleSheet(f"color: {muted};")
        self.week_total_label.setText(f"{fmt_minutes(total)} a week")

    def update_versions(self, none_saved: bool) -> None:
        """Say which versions are saved, and what saving on the date shown would do."""
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

    # ------------------------------------------------------------------ slots

    def _on_hours_text_changed(self, text: str) -> None:
        self.update_hours()
        self.hours_edited.emit()

    def _on_hours_editing_finished(self) -> None:
        for day, edit in self.hour_edits.items():
            try:
                day_minutes(day, edit.text())
            except BadInput as exc:
                self.errors.show(f"hours.{day}", exc.message)
            else:
                self.errors.show(f"hours.{day}", "")

    def _on_blocks_changed(self, *args: object) -> None:
        self.errors.show("protected", "")
        self.edited.emit()

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
        self.errors.show("effective_from", "")
        self._update_effective_note()
        self.edited.emit()

    def _on_tz_combo_current_text_changed(self, *args: object) -> None:
        self.errors.show("timezone", "")
        self.edited.emit()
