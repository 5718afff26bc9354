"""The Trends view: protected time over the last 12, 26 or 52 weeks, as the committee PDF draws it.

The charts draw the points and colours of `carelog.core.exporting.charts` with Qt's own
painter (week_charts.py): the PDF keeps matplotlib for print, the window never loads it, so the
view opens and steps a week in milliseconds.
"""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.timeutil import Period, fmt_minutes, week_label, week_monday
from carelog.core.exporting.charts import WeekPoint, points_from_weeks
from carelog.core.exporting.text import what_if_sentence
from carelog.core.ledger.compute import Ledger
from carelog.core.ledger.load import load_ledger
from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, muted_colour
from carelog.gui.views.trends.week_charts import AttainmentChart, ProtectedTimeChart
from carelog.gui.widgets.contracts import chosen_preset, compare_row
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import emphasise, wrapped_label
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

SPANS = (12, 26, 52)
DEFAULT_SPAN = 12
DEFAULT_PARTLY_MET_AT = 0.75

EXPLANATION = (
    "Grey bars: the week's target. Blue: IPC received inside paid hours, the protected time "
    "actually given. Orange: IPC done after hours, on your own time. The line below is "
    "received ÷ target; its dots are green when met, amber when partly met, red when not met."
)
HEADLINE_TIP = (
    "A week meets its target when the indirect patient care logged inside scheduled hours "
    "reaches the target of that week's schedule. Weeks without a target (no schedule in "
    "force, or every day on leave) are not counted. IPC after hours is indirect patient care "
    "logged outside scheduled hours or on leave days: it does not count toward the target."
)
NO_SCHEDULE_TEXT = (
    "There is no schedule yet, so there is nothing to chart: Carelog needs your working hours, "
    "protected blocks and target rule to work out each week's target. Set them in Settings, "
    "on the Schedule tab."
)


def date_span(first: date, last: date) -> str:
    """'31 Aug – 22 Nov 2026', or '24 Nov 2025 – 22 Nov 2026' across years."""
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def _no_target_note(ledger: Ledger) -> str:
    missing = ledger.totals.weeks - ledger.totals.weeks_with_target
    if not missing:
        return ""
    return (f" {missing} of the {ledger.totals.weeks} weeks have no target (before the first "
            "schedule, or all on leave) and are left out of the counts.")


def _in_progress_note(ledger: Ledger) -> str:
    if not ledger.totals.weeks_left_out:
        return ""
    return (" The week under way is drawn hatched, against what is due by now, and is not "
            "counted until it is over.")


class TrendsView(RefreshWhenShown):
    """Weekly target, received and after-hours IPC, and attainment, with a headline."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ledger: Ledger | None = None
        self.points: list[WeekPoint] = []
        self._span = DEFAULT_SPAN
        self.setAccessibleName("Trends view")

        self.title_label = QLabel("Trends")
        emphasise(self.title_label, 1.4)
        self.span_group = QButtonGroup(self)
        self.span_group.setExclusive(True)
        self.span_buttons: dict[int, QPushButton] = {}
        spans = QHBoxLayout()
        spans.setSpacing(0)
        for n in SPANS:
            button = QPushButton(f"{n} weeks")
            button.setCheckable(True)
            button.setChecked(n == DEFAULT_SPAN)
            button.setAccessibleName(f"Show the last {n} weeks")
            button.setToolTip(f"Chart the {n} weeks ending with the week of the selected day.")
            button.toggled.connect(self._on_span_button_toggled)
            self.span_group.addButton(button, n)
            self.span_buttons[n] = button
            spans.addWidget(button)
        self._on_span_button_toggled(True)
        self.period_label = wrapped_label("Weeks shown")

        self.headline_label = named(QLabel(), "Trend headline")
        self.headline_label.setToolTip(HEADLINE_TIP)
        self.headline_label.setWordWrap(True)
        emphasise(self.headline_label, 1.2)
        self.detail_label = wrapped_label("Totals over the weeks shown")
        self.detail_label.setToolTip("Sums over the weeks shown; the share is received ÷ target "
                                     "over all of them together.")

        compare = compare_row("The same weeks")
        self.what_if_combo, self.what_if_label = compare.combo, compare.label

        self.stack = QStackedWidget()
        self.charts_page = self._build_charts_page()
        self.message_page = QWidget()
        self.message_label = wrapped_label("Why there are no charts")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        emphasise(self.message_label, 1.15, bold=False)
        self.setup_button = named(QPushButton("Set up my schedule…"), "Set up my schedule")
        self.setup_button.setToolTip("Opens the first-run guide: working hours, protected "
                                     "blocks and the target rule of your contract.")
        self.setup_button.clicked.connect(self._on_setup_button_clicked)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_button)
        setup_row.addStretch(1)
        message_box = QVBoxLayout(self.message_page)
        message_box.addWidget(self.message_label)
        message_box.addLayout(setup_row)
        message_box.addStretch(1)
        self.stack.addWidget(self.charts_page)
        self.stack.addWidget(self.message_page)

        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(16)
        top.addLayout(spans)
        top.addSpacing(16)
        top.addWidget(self.period_label, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.headline_label)
        outer.addWidget(self.detail_label)
        outer.addLayout(compare.layout)
        outer.addWidget(self.stack, 1)

        self.span_group.idClicked.connect(self._on_span_group_id_clicked)
        self.what_if_combo.currentIndexChanged.connect(self._on_what_if_combo_changed)
        state.data_changed.connect(self._on_data_changed)
        state.day_changed.connect(self._on_day_changed)

    def _build_charts_page(self) -> QWidget:
        content = QWidget()
        self.charts_box = QVBoxLayout(content)
        self.charts_box.setContentsMargins(0, 0, 0, 0)
        self.protected_chart = ProtectedTimeChart("Protected time by week chart")
        self.attainment_chart = AttainmentChart("Attainment by week chart")
        for chart, height in ((self.protected_chart, 230), (self.attainment_chart, 190)):
            chart.setMinimumSize(420, height)
        self.charts_box.addWidget(self.protected_chart, 5)
        self.charts_box.addWidget(self.attainment_chart, 4)
        self.explanation_label = wrapped_label("What the charts show", EXPLANATION)
        self.charts_box.addWidget(self.explanation_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    # ------------------------------------------------------------------ public

    @property
    def span(self) -> int:
        """How many weeks the view covers (12, 26 or 52)."""
        return self._span

    @property
    def weeks_shown(self) -> int:
        """How many weeks the charts hold."""
        return len(self.points)

    def set_span(self, weeks: int) -> None:
        """Show the last `weeks` weeks (one of 12, 26, 52)."""
        if weeks not in SPANS:
            raise ValueError(f"span must be one of {SPANS}")
        self.span_buttons[weeks].setChecked(True)
        if weeks != self._span:
            self._span = weeks
            self.refresh()

    def period(self) -> Period:
        """The weeks shown: `span` weeks ending with the week of the selected day."""
        last_monday = week_monday(self.state.day)
        first = last_monday - timedelta(weeks=self._span - 1)
        return Period.covering(first, last_monday + timedelta(days=6))

    def headline_text(self) -> str:
        """The headline sentence shown above the charts."""
        return self.headline_label.text()

    def showing_charts(self) -> bool:
        """True when the charts (not an explanation of their absence) are shown."""
        return self.stack.currentWidget() is self.charts_page

    def refresh(self) -> None:
        """Compute the weeks again and redraw the headline and the charts."""
        self.stale = False
        store = self.state.store
        period = self.period()
        ledger = load_ledger(store, period, self.state.now_minute())
        self.ledger = ledger
        self.points = points_from_weeks(ledger.weeks)
        self.period_label.setText(f"{week_label(period.first)} to {week_label(period.last)} · "
                                  f"{date_span(period.first, period.last)}")
        muted = css_colour(muted_colour(self.palette()))
        self.period_label.setStyleSheet(f"color: {muted};")
        self.explanation_label.setStyleSheet(f"color: {muted};")
        totals = ledger.totals
        schedules = store.schedules()
        if not schedules:
            self.headline_label.setText("No schedule yet.")
            self.detail_label.setText("")
            self._show_message(NO_SCHEDULE_TEXT)
            return
        if totals.weeks == 0 and totals.weeks_left_out:
            self.headline_label.setText("No week in this span is over yet.")
            self.detail_label.setText("")
            self._show_message(
                "The charts show weeks that are over. The week under way is measured in the "
                "Week view against what is due by now; choose a longer span to see earlier "
                "weeks.")
            return
        if totals.weeks_with_target == 0:
            self.headline_label.setText("No week in this span has a protected-time target.")
            self.detail_label.setText("")
            self._show_message(
                f"None of the {len(ledger.weeks)} weeks from {week_label(period.first)} to "
                f"{week_label(period.last)} has a target: the schedule starts later, or every "
                "working day was on leave. Choose a longer span, or go to a later week.")
            return
        self.headline_label.setText(
            f"Protected time met in {totals.weeks_met} of {totals.weeks_with_target} weeks "
            f"with a target; {fmt_minutes(totals.ipc_after_hours_min)} of IPC done after hours.")
        share = f" ({round(totals.attainment * 100)} %)" if totals.attainment is not None else ""
        self.detail_label.setText(
            f"Received {fmt_minutes(totals.ipc_in_hours_min)} of "
            f"{fmt_minutes(totals.target_min)} of target{share}; shortfall "
            f"{fmt_minutes(totals.shortfall_min)}; all work after hours "
            f"{fmt_minutes(totals.after_hours_min)}." + _no_target_note(ledger)
            + _in_progress_note(ledger))
        version = schedules.on(period.last) or schedules.latest
        partly = version.target.partly_met_at if version else DEFAULT_PARTLY_MET_AT
        self._show_what_if()
        self._draw(partly)

    def what_if_text(self) -> str:
        """The line that shows the weeks under another contract ('' when none is chosen)."""
        return self.what_if_label.text()

    # ------------------------------------------------------------------ drawing

    def _show_what_if(self) -> None:
        preset = chosen_preset(self.what_if_combo)
        if preset is None or self.ledger is None:
            self.what_if_label.setText("")
            return
        other = load_ledger(self.state.store, self.period(), self.state.now_minute(),
                            rule=preset.rule)
        mine = self.ledger.totals
        self.what_if_label.setText(
            f"{what_if_sentence(preset.name, other.totals)}; under your own "
            f"rule: met in {mine.weeks_met} of {mine.weeks_with_target}.")
        self.what_if_label.setToolTip(preset.tooltip)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.setup_button.setVisible(not self.state.store.schedules())
        self.stack.setCurrentWidget(self.message_page)

    def _draw(self, partly_met_at: float) -> None:
        self.protected_chart.set_points(self.points)
        self.attainment_chart.set_points(self.points, partly_met_at)
        self.stack.setCurrentWidget(self.charts_page)

    # ------------------------------------------------------------------ events and slots

    def changeEvent(self, event: QEvent) -> None:
        """Colour the labels again in the new palette (light or dark); the charts follow it."""
        if event.type() == QEvent.Type.PaletteChange and not self.stale:
            self._on_data_changed()
        super().changeEvent(event)

    def _on_data_changed(self) -> None:
        self.refresh_when_shown()

    def _on_day_changed(self, d: date) -> None:
        self._on_data_changed()

    def _on_span_button_toggled(self, checked: bool) -> None:
        for button in self.span_buttons.values():
            font = button.font()
            font.setBold(button.isChecked())
            button.setFont(font)

    def _on_what_if_combo_changed(self, index: int) -> None:
        self._show_what_if()

    def _on_setup_button_clicked(self) -> None:
        self.state.schedule_wanted.emit()

    def _on_span_group_id_clicked(self, weeks: int) -> None:
        self.set_span(weeks)
