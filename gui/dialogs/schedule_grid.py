"""A week's schedule as a grid a person edits: which days, their hours, lunch, protected time.

Used by the welcome at first run. The grid only holds what is typed; `schedule_data` gives it
in the shape of core's schedule mapping, which core validates (`parse_schedule`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carelog.core.domain.schedule import ScheduleVersion
from carelog.core.domain.timeutil import WEEKDAYS
from carelog.gui.formatting import hhmm
from carelog.gui.widgets.controls import named
from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox, QTimeEdit, QWidget

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HEADINGS = ("Day", "From", "To", "Lunch at", "Lunch", "Protected at", "Protected")


def _time(minute: int) -> QTime:
    return QTime(min(minute, 1439) // 60, min(minute, 1439) % 60)


def _minute(edit: QTimeEdit) -> int:
    t = edit.time()
    return t.hour() * 60 + t.minute()


def _time_edit(name: str) -> QTimeEdit:
    edit = named(QTimeEdit(), name)
    edit.setDisplayFormat("HH:mm")
    return edit


def _minutes_spin(name: str, tip: str) -> QSpinBox:
    spin = named(QSpinBox(), name, tip)
    spin.setRange(0, 480)
    spin.setSingleStep(15)
    spin.setSuffix(" min")
    spin.setSpecialValueText("none")
    return spin


class DayRow:
    """The controls of one day of the grid."""

    def __init__(self, name: str) -> None:
        self.works = named(QCheckBox(name), f"{name}: a working day")
        self.start = _time_edit(f"{name}: from")
        self.end = _time_edit(f"{name}: to")
        self.lunch_at = _time_edit(f"{name}: lunch at")
        self.lunch = _minutes_spin(f"{name}: lunch", "How long lunch is (not working time).")
        self.protected_at = _time_edit(f"{name}: protected from")
        self.protected = _minutes_spin(f"{name}: protected minutes",
                                       "A protected block for indirect patient care.")

    def widgets(self) -> tuple[QWidget, ...]:
        """The controls in grid order."""
        return (self.works, self.start, self.end, self.lunch_at, self.lunch,
                self.protected_at, self.protected)


class ScheduleGrid(QWidget):
    """Seven rows, one per day: works?, from, to, lunch, protected block."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Your week")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        for col, text in enumerate(HEADINGS):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.rows: dict[str, DayRow] = {}
        for r, (code, name) in enumerate(zip(WEEKDAYS, DAY_NAMES, strict=True), start=1):
            row = DayRow(name)
            self.rows[code] = row
            for col, w in enumerate(row.widgets()):
                grid.addWidget(w, r, col)
            row.works.toggled.connect(self._on_works_toggled)
            for edit in (row.start, row.end, row.lunch_at, row.protected_at):
                edit.timeChanged.connect(self._on_edited)
            for spin in (row.lunch, row.protected):
                spin.valueChanged.connect(self._on_edited)
        self._filling = False

    def fill(self, version: ScheduleVersion) -> None:
        """Show a schedule version's week."""
        self._filling = True
        try:
            for i, code in enumerate(WEEKDAYS):
                row = self.rows[code]
                ranges = version.ranges(i)
                row.works.setChecked(bool(ranges))
                if ranges:
                    row.start.setTime(_time(ranges[0].start))
                    row.end.setTime(_time(ranges[-1].end))
                    gap = ranges[1].start - ranges[0].end if len(ranges) > 1 else 0
                    row.lunch_at.setTime(_time(ranges[0].end if gap else 12 * 60 + 30))
                    row.lunch.setValue(gap)
                blocks = version.blocks(i)
                row.protected.setValue(blocks[0].span.minutes if blocks else 0)
                row.protected_at.setTime(_time(blocks[0].span.start if blocks else 16 * 60))
                self._enable(row)
        finally:
            self._filling = False

    @staticmethod
    def _ranges(row: DayRow) -> list[tuple[int, int]]:
        """A working day's ranges in minutes, split by lunch when lunch falls inside."""
        a, b = _minute(row.start), _minute(row.end)
        b = 1440 if b == 0 and a > 0 else b
        lunch, at = row.lunch.value(), _minute(row.lunch_at)
        split = bool(lunch) and a < at < b
        ranges = [(a, at), (min(at + lunch, b), b)] if split else [(a, b)]
        return [(x, y) for x, y in ranges if y > x]

    @staticmethod
    def _block(row: DayRow) -> tuple[int, int] | None:
        minutes = row.protected.value()
        start = _minute(row.protected_at)
        return (start, start + minutes) if minutes else None

    def schedule_data(self, effective_from: date, timezone: str) -> dict[str, Any]:
        """The week as typed, in the shape of core's schedule mapping (without the target)."""
        hours: dict[str, list[str]] = {}
        protected: list[dict[str, str]] = []
        for code, row in self.rows.items():
            if not row.works.isChecked():
                continue
            hours[code] = [f"{hhmm(x)}-{hhmm(y)}" for x, y in self._ranges(row)]
            block = self._block(row)
            if block is not None:
                protected.append({"day": code, "time": f"{hhmm(block[0])}-{hhmm(block[1])}"})
        return {"effective_from": effective_from, "timezone": timezone, "hours": hours,
                "protected": protected}

    def problem(self) -> str | None:
        """What in the grid cannot be a schedule, in a sentence naming the day; None if fine."""
        for row, name in zip(self.rows.values(), DAY_NAMES, strict=True):
            if not row.works.isChecked():
                continue
            ranges = self._ranges(row)
            if not ranges:
                return f"{name} has no working time: its end must come after its start."
            block = self._block(row)
            if block is not None and not any(a <= block[0] and block[1] <= b
                                             for a, b in ranges):
                return (f"{name}'s protected time {hhmm(block[0])}–{hhmm(block[1])} is not "
                        "inside its working hours (lunch aside).")
        return None

    def _enable(self, row: DayRow) -> None:
        on = row.works.isChecked()
        for w in row.widgets()[1:]:
            w.setEnabled(on)

    def _on_works_toggled(self, checked: bool) -> None:
        for row in self.rows.values():
            self._enable(row)
        self._on_edited()

    def _on_edited(self, *args: object) -> None:
        if not self._filling:
            self.edited.emit()
