"""The Calendar tab: a week to draw on, with its legend, the week's name and how to use it."""

from __future__ import annotations

from datetime import date

from carelog.gui.state import AppState
from carelog.gui.views.calendar.week_calendar import WeekCalendar, shown_week
from carelog.gui.widgets.class_legend import ClassLegend
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from carelog.gui.widgets.steps import follow_steps, step_buttons, step_row
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

HOW_TO = ("Drag on empty time to log it; drag an entry to move it, or its top or bottom edge "
          "to change its times; click a gap to fill it. Keys: arrows, Shift+Up/Down, Enter; "
          "Tab picks an entry, Alt+arrows move it.")


class CalendarView(RefreshWhenShown):
    """The week of the selected day, seven columns of working hours, blocks and entries."""

    schedule_requested = Signal()
    entry_opened = Signal(int)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setAccessibleName("Calendar view")
        self.calendar = WeekCalendar(state)
        self.prev_button, self.this_week_button, self.next_button = step_buttons(
            "week", "This week", "This week")
        self.week_label = named(QLabel(), "Week shown")
        font = self.week_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.week_label.setFont(font)
        self.legend = ClassLegend()
        self.how_label = named(QLabel(HOW_TO), "How to use the calendar")
        self.how_label.setWordWrap(True)
        self.no_schedule_label = named(QLabel(
            "No working hours yet: set up your schedule to see your hours and protected "
            "blocks behind the entries."), "No schedule")
        self.no_schedule_label.setWordWrap(True)
        self.schedule_button = named(QPushButton("Set up my schedule…"), "Set up my schedule")

        nav = step_row((self.prev_button, self.this_week_button, self.next_button),
                       self.week_label)
        nav.addWidget(self.legend)
        empty = QHBoxLayout()
        empty.addWidget(self.no_schedule_label, 1)
        empty.addWidget(self.schedule_button)
        self.no_schedule_row = QWidget()
        self.no_schedule_row.setLayout(empty)
        box = QVBoxLayout(self)
        box.addLayout(nav)
        box.addWidget(self.no_schedule_row)
        box.addWidget(self.calendar, 1)
        box.addWidget(self.how_label)

        follow_steps(state, (self.prev_button, self.this_week_button, self.next_button), 7)
        self.schedule_button.clicked.connect(self.schedule_requested)
        self.calendar.entry_activated.connect(self.entry_opened)
        state.data_changed.connect(self.refresh_when_shown)
        state.timer_changed.connect(self.refresh_when_shown)
        state.day_changed.connect(self._on_state_day_changed)
        state.store_replaced.connect(self._on_state_store_replaced)

    def refresh(self) -> None:
        """Read the week again."""
        self.stale = False
        self.calendar.refresh()
        self.week_label.setText(shown_week(self.calendar.days))
        self.this_week_button.setEnabled(self.state.today() not in self.calendar.days)
        self.no_schedule_row.setVisible(not self.state.store.schedules())

    def _on_state_day_changed(self, d: date) -> None:
        if d not in self.calendar.days:
            self.refresh_when_shown()

    def _on_state_store_replaced(self) -> None:
        self.calendar.categories_changed()
        self.refresh_when_shown()
