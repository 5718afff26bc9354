"""The Today view: quick log, one day's timeline and entries, its totals, the week, the form.

The day is a local day in the store's zone; the week so far is its ISO week.
"""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.timeutil import day_start_utc, fmt_minutes, week_label
from carelog.core.ledger.compute import WeekRecord
from carelog.core.ledger.day import day_total_sentence, minutes_by_class
from carelog.core.ledger.load import record_marks
from carelog.gui.formatting import hhmm, long_day
from carelog.gui.models.entry_table_model import (
    COL_CATEGORY,
    COL_CLASS,
    COL_END,
    COL_MINUTES,
    COL_NOTE,
    COL_RECORD,
    COL_START,
    EntryTableModel,
)
from carelog.gui.quick_commands import DEFAULT_PRESETS, QuickCommands
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, muted_colour, status_colour
from carelog.gui.views.today.entry_form import EntryForm
from carelog.gui.views.today.quick_log import QuickLogBar
from carelog.gui.views.today.timeline import DayTimeline
from carelog.gui.widgets.class_legend import ClassLegend
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from carelog.gui.widgets.steps import follow_steps, step_buttons, step_row
from carelog.gui.widgets.tables import fit_columns, size_columns, sorted_table, sorting_proxy
from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

FIT_COLUMNS = (COL_START, COL_END, COL_MINUTES, COL_CATEGORY, COL_CLASS, COL_RECORD)
NO_SCHEDULE_LINE = ("No schedule yet, so there is no weekly target: set up your working hours "
                    "and protected time to see it.")
EMPTY_TEXT = ("Nothing logged on this day yet. To log the last few minutes, choose a category "
              "in the bar above and then how long (Alt+M then 1 logs 5 minutes of messages); "
              "type a line such as “msg 10” after Ctrl+L; or fill in the form on the right.")


class DayView(RefreshWhenShown):
    """A day's entries in a table beside the entry form, with day navigation.

    It reads the day again when the data or the day changes: at once when it can be seen,
    else the next time it is shown (another tab in front).
    """

    def __init__(self, state: AppState, commands: QuickCommands | None = None,
                 presets: tuple[int, ...] = DEFAULT_PRESETS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setAccessibleName("Day view")
        self.commands = commands if commands is not None else QuickCommands(state, self)
        self.quick_bar = QuickLogBar(self.commands, presets)
        self.timeline = DayTimeline(state)
        self.schedule_button = named(QPushButton("Set up my schedule…"), "Set up my schedule",
                                     "Your working hours, protected blocks and the target "
                                     "of your contract.")
        self.legend = ClassLegend()

        self.prev_button, self.today_button, self.next_button = step_buttons(
            "day", "Today", "Go to today")
        self.date_label = named(QLabel(), "Day shown")
        emphasise(self.date_label, 1.4)
        self.date_label.setWordWrap(True)
        self.hours_label = wrapped_label("Working hours of the day")

        self.model = EntryTableModel(self)
        self.proxy = sorting_proxy(self.model, self)
        self.table = sorted_table("Entries of the day", self.proxy, COL_START)
        size_columns(self.table, stretch=(COL_NOTE,))
        self.empty_label = wrapped_label("No entries", EMPTY_TEXT)
        self.empty_label.setMargin(6)

        self.totals_label = wrapped_label("Day totals")
        self.totals_label.setToolTip("Minutes logged inside this local day, by what each "
                                     "category counts as; entries crossing midnight count "
                                     "only their part on this day.")
        self.week_label = wrapped_label("Week status")

        self.form = EntryForm(state)

        self._lay_out()
        follow_steps(self.state, (self.prev_button, self.today_button, self.next_button), 1)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.form.cleared.connect(self._on_form_cleared)
        self.timeline.entry_clicked.connect(self._on_timeline_entry_clicked)
        state.day_changed.connect(self._on_day_changed)
        state.data_changed.connect(self._on_state_data_changed)
        self.refresh()

    def _lay_out(self) -> None:
        nav = step_row((self.prev_button, self.today_button, self.next_button), self.date_label,
                       gap=16)

        left = QVBoxLayout()
        left.addLayout(nav)
        week_row = QHBoxLayout()
        week_row.addWidget(self.week_label, 1)
        week_row.addWidget(self.schedule_button)
        left.addLayout(week_row)
        left.addWidget(self.hours_label)
        left.addWidget(self.timeline)
        left.addWidget(self.legend)
        left.addWidget(self.empty_label)
        left.addWidget(self.table, 1)
        left.addWidget(self.totals_label)

        # The form keeps a fixed column, so the table and the timeline get the width.
        self.form.setMaximumWidth(max(self.form.minimumSizeHint().width(), 380))
        lower = QHBoxLayout()
        lower.addLayout(left, 3)
        lower.addWidget(self.form, 0)

        outer = QVBoxLayout(self)
        outer.addWidget(self.quick_bar)
        outer.addLayout(lower, 1)

    # ------------------------------------------------------------------ public

    def refresh(self) -> None:
        """Read the day's entries again and redraw everything."""
        self.stale = False
        store, d = self.state.store, self.state.day
        tz = store.tz
        start, end = day_start_utc(d, tz), day_start_utc(d + timedelta(days=1), tz)
        entries = store.entries_between(start, end)
        self.model.set_rows(entries, store.categories, tz, d, record_marks(store, entries),
                            now=self.state.now())
        fit_columns(self.table, FIT_COLUMNS)
        self.empty_label.setVisible(not entries)
        self.totals_label.setVisible(bool(entries))  # the empty line says it already

        today = self.state.today()
        suffix = " (today)" if d == today else ""
        self.date_label.setText(long_day(d) + suffix)
        self.today_button.setEnabled(d != today)
        muted = css_colour(muted_colour(self.palette()))
        self.hours_label.setStyleSheet(f"color: {muted};")

        week = self.state.week(d) if store.schedules() else None
        self.hours_label.setText(self._hours_text(d, week))
        self.hours_label.setVisible(week is not None)  # without a schedule the line above says so
        self.totals_label.setText(
            day_total_sentence(minutes_by_class(entries, store.categories, start, end)))
        self._show_week(d, week)
        self._reselect()

    def selected_entry_id(self) -> int | None:
        """The id of the entry selected in the table (and loaded in the form)."""
        return self.form.editing_id

    def select_entry(self, entry_id: int) -> bool:
        """Select the row of an entry; False when it is not on this day."""
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_START))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    # ------------------------------------------------------------------ drawing

    def _hours_text(self, d: date, week: WeekRecord | None) -> str:
        version = self.state.store.schedules().on(d)
        if version is None:
            return "No schedule is in force on this day."
        ranges = version.ranges(d.weekday())
        text = ("Scheduled " + ", ".join(r.text().replace("-", "–") for r in ranges)
                if ranges else "Not a scheduled working day")
        blocks = version.blocks(d.weekday())
        if blocks:
            text += "; protected " + ", ".join(
                f"{hhmm(b.span.start)}–{hhmm(b.span.end)} ({b.label})" for b in blocks)
        for leave in week.leave_days if week else []:
            if leave.day == d:
                amount = "whole day" if leave.whole_day else fmt_minutes(leave.minutes or 0)
                text += f". On leave ({leave.type.value}), {amount}"
        return text + "."

    def _show_week(self, d: date, week: WeekRecord | None) -> None:
        self.schedule_button.setVisible(week is None and not self.state.store.schedules())
        if week is None:
            self.week_label.setText(NO_SCHEDULE_LINE)
            colour = muted_colour(self.palette())
            self.week_label.setToolTip("")
        else:
            self.week_label.setText(f"Week {week_label(d)}: {week.status_sentence()}")
            colour = status_colour(week.status, self.palette())
            self.week_label.setToolTip(
                "Indirect patient care inside scheduled hours this week, against the target "
                "your schedule's rule gives for the week's expected hours. The Week tab has "
                "the details.")
        self.week_label.setStyleSheet(f"color: {css_colour(colour)}; font-weight: bold;")

    def _reselect(self) -> None:
        entry_id = self.form.editing_id
        if entry_id is None:
            return
        if not self.select_entry(entry_id):
            self.form.clear()

    # ------------------------------------------------------------------ slots

    def _on_day_changed(self, d: date) -> None:
        self.form.follow_day(d)
        self.refresh_when_shown()

    def _on_state_data_changed(self) -> None:
        self.refresh_when_shown()

    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry = self.model.entry_at(self.proxy.mapToSource(rows[0]).row())
        self.timeline.select_entry(entry.id)
        if entry != self.form.editing:
            self.form.load(entry)

    def _on_form_cleared(self) -> None:
        self.table.clearSelection()
        self.timeline.select_entry(None)

    def _on_timeline_entry_clicked(self, entry_id: int) -> None:
        self.select_entry(entry_id)
