"""The first-run welcome: build a schedule in a grid, pick a target, explore a demo, or later.

Shown when the database has no schedule and the welcome was never completed. Every preset is
shown with its caution ("example — check your own contract") and what it means for the hours
chosen. The weekly hours fill a grid from core's standard week (whole quarter hours for part
time); the therapist edits any day, its lunch and its protected block, and sees the protected
time beside the target with the difference explained. Core validates and saves the schedule.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.formatting import fmt_minutes
from carelog.core.domain.schedule import (
    ScheduleVersion,
    TargetRule,
    parse_schedule,
    protected_sentence,
    standard_week,
)
from carelog.core.domain.target_rules import PRESETS
from carelog.core.domain.timeutil import system_zone_name, week_monday, zone
from carelog.core.store.preferences import load_preferences, save_preferences
from carelog.gui.dialogs.schedule_grid import ScheduleGrid
from carelog.gui.formatting import long_day, zone_key, zone_words
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour, muted_colour, tint
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import emphasise, wrapped_label
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

CUSTOM = "custom"
HOURS_CHOICES = (40.0, 32.0)
DEMO_RESULT = 2
INTRO = ("Carelog keeps a private log of your sessions and your indirect patient care (IPC) — "
         "calls, messages, charting, treatment planning, coordination — and shows week by week "
         "whether the protected time in your contract is really given. Everything stays on "
         "this computer. Start with a schedule; every number can be changed later.")


def _zone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


class WelcomeDialog(QDialog):
    """Pick a target preset, weekly hours and time zone → a schedule; or a demo; or later."""

    schedule_created = Signal(object)
    demo_requested = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Welcome to Carelog")
        self.setAccessibleName("Welcome")
        self.setMinimumWidth(720)

        title = QLabel("Welcome to Carelog")
        emphasise(title, 1.5)
        title.setAccessibleName("Welcome to Carelog")
        intro = wrapped_label("What Carelog does", INTRO)

        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[str, QRadioButton] = {}
        self.preview_labels: dict[str, QLabel] = {}
        target_box = QGroupBox("Your protected-time target")
        target_grid = QVBoxLayout(target_box)
        target_grid.setSpacing(2)
        for p in PRESETS:
            self._add_preset(target_grid, p.key, p.label, f"{p.rule.describe()}. {p.source}")
        self.custom_hours = QDoubleSpinBox()
        self.custom_hours.setRange(0.5, 40.0)
        self.custom_hours.setSingleStep(0.5)
        self.custom_hours.setDecimals(1)
        self.custom_hours.setValue(7.0)
        self.custom_hours.setSuffix(" h per 40-hour week")
        self.custom_hours.setAccessibleName("Custom protected hours per 40-hour week")
        self.custom_hours.setToolTip("The protected hours your own contract gives a full-time "
                                     "40-hour week; part-time weeks get their share.")
        self._add_preset(target_grid, CUSTOM, "Custom: my contract says", "",
                         extra=self.custom_hours)
        self.preset_buttons[PRESETS[0].key].setChecked(True)

        hours_box = QGroupBox("Your weekly hours")
        hours_row = QHBoxLayout(hours_box)
        self.hours_group = QButtonGroup(self)
        self.hours_buttons: dict[float, QRadioButton] = {}
        for h in HOURS_CHOICES:
            b = named(QRadioButton(f"{h:g} hours"), f"{h:g} hours a week")
            self.hours_group.addButton(b)
            self.hours_buttons[h] = b
            hours_row.addWidget(b)
        self.other_hours_button = named(QRadioButton("Other:"), "Other weekly hours")
        self.hours_group.addButton(self.other_hours_button)
        self.other_hours = QDoubleSpinBox()
        self.other_hours.setRange(1.0, 60.0)
        self.other_hours.setDecimals(1)
        self.other_hours.setValue(24.0)
        self.other_hours.setSuffix(" hours")
        self.other_hours.setAccessibleName("Weekly hours")
        hours_row.addWidget(self.other_hours_button)
        hours_row.addWidget(self.other_hours)
        hours_row.addStretch(1)
        self.hours_buttons[40.0].setChecked(True)

        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.setAccessibleName("Time zone")
        self.zone_combo.setToolTip("Your time zone decides where your days and weeks begin.")
        self.zone_combo.addItems([zone_words(z) for z in _zone_names()])
        self.zone_combo.setCurrentText(zone_words(system_zone_name()))
        zone_row = QHBoxLayout()
        zone_label = QLabel("Time &zone")
        zone_label.setBuddy(self.zone_combo)
        zone_row.addWidget(zone_label)
        zone_row.addWidget(self.zone_combo, 1)

        self.grid = ScheduleGrid()
        week_box = QGroupBox("Your week (change any day, its lunch and its protected time)")
        week_layout = QVBoxLayout(week_box)
        week_layout.addWidget(self.grid)
        self.protected_label = wrapped_label("Protected time beside the target")
        week_layout.addWidget(self.protected_label)
        self.schedule_label = wrapped_label("The schedule that will be created")
        self.error_label = wrapped_label("Welcome error")
        tint(self.error_label, error_colour)
        self.error_label.hide()

        self.create_button = named(QPushButton("Create my schedule"), "Create my schedule")
        self.create_button.setDefault(True)
        self.demo_button = named(
            QPushButton("Explore a demo database first"), "Explore a demo database first",
            "Opens a separate database filled with half a year of "
            "sample weeks; your own log is not touched.")
        self.later_button = named(QPushButton("Later"), "Later",
                                  "Close this; Help ▸ Set up my schedule… brings it back.")
        buttons = button_row(self.demo_button, right=(self.later_button, self.create_button))

        # Everything but the buttons scrolls, so a small screen squeezes nothing.
        content = QWidget()
        box = QVBoxLayout(content)
        box.addWidget(title)
        box.addWidget(intro)
        box.addWidget(target_box)
        box.addWidget(hours_box)
        box.addWidget(week_box)
        box.addLayout(zone_row)
        box.addWidget(self.schedule_label)
        box.addWidget(self.error_label)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self._fit_to_screen(content)

        self.preset_group.buttonToggled.connect(self._on_choice_changed)
        self.hours_group.buttonToggled.connect(self._on_choice_changed)
        self.other_hours.valueChanged.connect(self._on_other_hours_value_changed)
        self.custom_hours.valueChanged.connect(self._on_custom_hours_value_changed)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        self.later_button.clicked.connect(self.reject)
        self.grid.edited.connect(self._on_grid_edited)
        self._fill_grid()
        self._update_previews()

    def _fit_to_screen(self, content: QWidget) -> None:
        """As tall as the content, but never taller than the screen it opens on."""
        height = content.sizeHint().height() + 60
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            height = min(height, int(screen.availableGeometry().height() * 0.9))
        self._fitted = QSize(max(760, content.sizeHint().width() + 30), height)
        self.resize(self._fitted)

    def sizeHint(self) -> QSize:
        """The size it opens at: the content's, within the screen."""
        return self._fitted

    def _add_preset(self, box: QVBoxLayout, key: str, text: str, detail: str,
                    extra: QWidget | None = None) -> None:
        button = QRadioButton(text)
        button.setAccessibleName(text)
        self.preset_group.addButton(button)
        self.preset_buttons[key] = button
        row = QGridLayout()
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(button, 0, 0)
        if extra is not None:
            row.addWidget(extra, 0, 1)
            row.setColumnStretch(2, 1)
        else:
            row.setColumnStretch(1, 1)
        preview = wrapped_label(f"{text}: what it means")
        preview.setProperty("detail", detail)
        preview.setIndent(24)
        tint(preview, muted_colour)
        self.preview_labels[key] = preview
        box.addLayout(row)
        box.addWidget(preview)

    # ------------------------------------------------------------------ reading the choices

    def weekly_hours(self) -> float:
        """The weekly hours chosen."""
        for hours, button in self.hours_buttons.items():
            if button.isChecked():
                return hours
        return float(self.other_hours.value())

    def preset_key(self) -> str:
        """The key of the chosen preset ('custom' for the custom rule)."""
        for key, button in self.preset_buttons.items():
            if button.isChecked():
                return key
        return PRESETS[0].key

    def choose(self, key: str, hours: float | None = None) -> None:
        """Pick a preset (and weekly hours), as clicking would."""
        self.preset_buttons[key].setChecked(True)
        if hours is not None:
            button = self.hours_buttons.get(hours)
            if button is not None:
                button.setChecked(True)
            else:
                self.other_hours_button.setChecked(True)
                self.other_hours.setValue(hours)

    def rule(self) -> TargetRule:
        """The target rule chosen."""
        key = self.preset_key()
        if key == CUSTOM:
            return TargetRule(rule="hours", hours=float(self.custom_hours.value()),
                              full_time_h=40.0)
        return next(p.rule for p in PRESETS if p.key == key)

    def effective_from(self) -> date:
        """The Monday the schedule starts: this week's, or an earlier one holding logged time."""
        monday = week_monday(self.state.today())
        span = self.state.store.first_last_day()
        return min(monday, week_monday(span[0])) if span else monday

    def schedule(self) -> ScheduleVersion:
        """The schedule version the grid and the target make, as core validates it."""
        problem = self.grid.problem()
        if problem is not None:
            raise BadInput(problem, field="hours")
        data = self.grid.schedule_data(self.effective_from(),
                                       zone_key(self.zone_combo.currentText()))
        week = parse_schedule({**data, "target": {"rule": "hours", "hours": 0}})
        return week.model_copy(update={"target": self.rule()})

    def _fill_grid(self) -> None:
        self.grid.fill(standard_week(self.effective_from(), "UTC", self.rule(),
                                     self.weekly_hours()))

    # ------------------------------------------------------------------ showing

    def _update_previews(self) -> None:
        hours = self.weekly_hours()
        for p in PRESETS:
            detail = f"{p.rule.describe()}. {p.rule.preview(hours)} {p.source}"
            self.preview_labels[p.key].setText(detail)
        custom = TargetRule(rule="hours", hours=float(self.custom_hours.value()),
                            full_time_h=40.0)
        self.preview_labels[CUSTOM].setText(f"{custom.preview(hours)} Type the protected "
                                            "hours your own contract names for a full week.")
        try:
            version = self.schedule()
        except CarelogError as exc:
            self.schedule_label.setText("")
            self.protected_label.setText(exc.message)
            return
        days = sum(1 for i in range(7) if version.ranges(i))
        self.schedule_label.setText(
            f"Your schedule starts on {long_day(version.effective_from)}: "
            f"{fmt_minutes(version.weekly_minutes)} a week over {days} "
            f"day{'s' if days != 1 else ''}. Everything can be changed later in Settings.")
        self.protected_label.setText(protected_sentence(version))

    # ------------------------------------------------------------------ slots

    def _on_choice_changed(self, *args: object) -> None:
        self.error_label.hide()
        if self.sender() is self.hours_group:
            self._fill_grid()
        self._update_previews()

    def _on_other_hours_value_changed(self, value: float) -> None:
        self.other_hours_button.setChecked(True)
        self._fill_grid()
        self._update_previews()

    def _on_grid_edited(self) -> None:
        self.error_label.hide()
        self._update_previews()

    def _on_custom_hours_value_changed(self, value: float) -> None:
        self.preset_buttons[CUSTOM].setChecked(True)
        self._update_previews()

    def _on_create_button_clicked(self) -> None:
        store = self.state.store
        try:
            zone(zone_key(self.zone_combo.currentText()))
            version = self.schedule()
            store.save_schedule(version)
            prefs = load_preferences(store)
            prefs.welcome_done = True
            save_preferences(store, prefs)
        except CarelogError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        self.state.notify_changed()
        self.state.say(f"Schedule saved from {long_day(version.effective_from)}: "
                       f"{version.target.describe()}.")
        self.schedule_created.emit(version)
        self.accept()

    def _on_demo_button_clicked(self) -> None:
        self.demo_requested.emit()
        self.done(DEMO_RESULT)

