"""The Leave page: a calendar with the days on leave marked, the month's leave, add and remove.

Leave is written through the store as soon as it is added or removed; the window is then told
the data changed, so the weeks' expected hours and targets follow.
"""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.models import Leave, LeaveType, plain_error
from carelog.gui.dialogs.settings.fields import (
    buddy,
    error_label,
    fail,
    field,
    py_date,
    spin,
    written,
)
from carelog.gui.models.leave_table_model import LEAVE_WORDS, LeaveTableModel
from carelog.gui.state import AppState
from carelog.gui.theme import warning_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import wrapped_label
from carelog.gui.widgets.tables import read_only_table
from pydantic import ValidationError
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LeavePage(QWidget):
    """Days and hours of leave, picked on a calendar and written through the store."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
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
        self.leave_table = read_only_table("Leave in the month shown", self.leave_model)
        self.leave_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.leave_caption = named(QLabel(), "Month of the leave list")

        self.leave_date_label = named(QLabel(), "Date of the new leave")
        self.whole_day_check = named(QCheckBox("Whole day"), "Whole day of leave",
                                     "A whole-day leave takes all of the day's scheduled "
                                     "minutes; work logged that day counts as after hours.")
        self.whole_day_check.setChecked(True)
        self.leave_hours_spin = spin("Hours of leave", "Hours of leave taken that day; they "
                                     "lower the day's expected minutes.", 24.0, " h", step=0.5)
        self.leave_hours_spin.setMinimum(0.25)
        self.leave_hours_spin.setValue(4.0)
        self.leave_type_combo = named(QComboBox(), "Type of leave",
                                      "Every kind of leave lowers the expected hours the "
                                      "same way.")
        for kind in LeaveType:
            self.leave_type_combo.addItem(LEAVE_WORDS[kind], kind.value)
        self.add_leave_button = named(QPushButton("Add leave"), "Add leave on the selected date")
        self.remove_leave_button = named(QPushButton("Remove leave"), "Remove the selected leave")
        self.leave_error = error_label("the leave")
        self.leave_status = wrapped_label("Leave status")

        add_form = QFormLayout()
        add_form.addRow("Date", self.leave_date_label)
        amount = button_row(self.whole_day_check, self.leave_hours_spin)
        add_form.addRow("Amount", amount)
        add_form.addRow(buddy("&Type", self.leave_type_combo), field(self.leave_type_combo))
        add_buttons = button_row(self.add_leave_button, self.remove_leave_button)
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
        box = QVBoxLayout(self)
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

    def select_day(self, d: date) -> None:
        """Show the month of a date and select it on the calendar."""
        self.calendar.setSelectedDate(QDate(d.year, d.month, d.day))

    def refresh(self) -> None:
        """Read the leave of the month shown again, and mark the days on leave."""
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

    def _visible_month(self) -> tuple[date, date]:
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1)

    def _leave_to_remove(self) -> date | None:
        rows = self.leave_table.selectionModel().selectedRows()
        if rows:
            return self.leave_model.row_at(rows[0].row()).day
        d = py_date(self.calendar.selectedDate())
        return d if self.leave_model.row_of(d) is not None else None

    # ------------------------------------------------------------------ slots

    def _on_calendar_current_page_changed(self, year: int, month: int) -> None:
        self.refresh()

    def _on_calendar_selection_changed(self) -> None:
        d = py_date(self.calendar.selectedDate())
        self.leave_date_label.setText(f"{d:%A} {d.day} {d:%B %Y}")
        self.add_leave_button.setText(f"Add leave on {d:%a} {d.day} {d:%b}")
        row = self.leave_model.row_of(d)
        if row is not None:
            self.leave_table.selectRow(row)
        self._on_leave_selection_changed()

    def _on_leave_selection_changed(self, *args: object) -> None:
        self.remove_leave_button.setEnabled(self._leave_to_remove() is not None)

    def _on_whole_day_check_toggled(self, checked: bool) -> None:
        self.leave_hours_spin.setEnabled(not checked)

    def _on_add_leave_button_clicked(self) -> None:
        self.leave_error.hide()
        d = py_date(self.calendar.selectedDate())
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
            fail(self.leave_error, self.leave_status, exc.message)
            return
        written(self.state, self.leave_status, f"Leave added on {d:%a %d %b %Y}.")

    def _on_remove_leave_button_clicked(self) -> None:
        self.leave_error.hide()
        d = self._leave_to_remove()
        if d is None:
            return
        try:
            self.state.store.remove_leave(d)
        except CarelogError as exc:
            fail(self.leave_error, self.leave_status, exc.message)
            return
        written(self.state, self.leave_status, f"Leave removed from {d:%a %d %b %Y}.")
