"""The Target page: how each week's protected-time target is worked out, from a preset or typed.

The rule is checked by core (`parse_target`) as it is edited, so a bad number is named beside
its field at once, and the preview shows what the rule means for the week typed on the Schedule
page (`weekly_minutes`). The rule is saved with the schedule, as one version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import TargetRule, parse_target
from carelog.core.domain.target_rules import EXAMPLE_NOTE, PRESETS
from carelog.gui.dialogs.settings.fields import (
    FieldErrors,
    buddy,
    field,
    lay_out_scrolling,
    save_row,
    spin,
)
from carelog.gui.theme import css_colour, muted_colour
from carelog.gui.widgets.contracts import add_presets, chosen_preset
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import emphasise, wrapped_label
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

CUSTOM = "Custom"
TARGET_FIELDS = ("target.rule", "target.rate", "target.hours", "target.protected_hours",
                 "target.minutes_per_appointment", "target.meeting_allowance_h",
                 "target.full_time_h", "target.partly_met_at")
# The page's fields each rule shape uses (the others are hidden).
SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    "percent": ("target.rate", "target.meeting_allowance_h"),
    "hours": ("target.hours",),
    "floor": ("target.hours", "target.protected_hours"),
    "per_appointment": ("target.minutes_per_appointment",),
}
HOURS_LABELS = {"hours": "Protected &hours", "floor": "&Hours in all"}
TIPS: dict[str, str] = {
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


class TargetPage(QWidget):
    """The target rule as typed, checked as it changes; `edited` when the person changed it."""

    edited = Signal()

    def __init__(self, errors: FieldErrors, weekly_minutes: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.weekly_minutes = weekly_minutes
        self.filling = False
        intro = QLabel("How each week's protected-time target is worked out from its expected "
                       f"hours. Every preset is an {EXAMPLE_NOTE}.")
        intro.setWordWrap(True)
        self.preset_combo = named(QComboBox(), "Target preset",
                                  "Fill in the rule from an example. Every preset is an "
                                  f"{EXAMPLE_NOTE}.")
        add_presets(self.preset_combo, CUSTOM, lambda p: p.label)
        self.preset_source = wrapped_label("Where the preset comes from")

        self.rule_combo = named(QComboBox(), "Target rule")
        self.rule_combo.setToolTip(TIPS["target.rule"])
        self.rule_combo.addItem("Percent of expected hours", "percent")
        self.rule_combo.addItem("Hours per full-time week", "hours")
        self.rule_combo.addItem("Hours, some of them protected", "floor")
        self.rule_combo.addItem("Minutes per appointment held", "per_appointment")
        self.rate_spin = spin("Rate", TIPS["target.rate"], 100.0, " %")
        self.target_hours_spin = spin("Protected hours", TIPS["target.hours"], 80.0, " h")
        self.protected_hours_spin = spin("Of which protected", TIPS["target.protected_hours"],
                                         80.0, " h")
        self.per_appointment_spin = spin("Minutes per appointment",
                                         TIPS["target.minutes_per_appointment"], 120.0,
                                         " min", decimals=1, step=1)
        self.allowance_spin = spin("Meeting allowance", TIPS["target.meeting_allowance_h"],
                                   80.0, " h")
        self.full_time_spin = spin("Full-time hours", TIPS["target.full_time_h"], 80.0, " h")
        self.partly_spin = spin("Partly met from", TIPS["target.partly_met_at"], 100.0, " %",
                                decimals=0, step=5)
        self.spins = (self.rate_spin, self.target_hours_spin, self.protected_hours_spin,
                      self.per_appointment_spin, self.allowance_spin, self.full_time_spin,
                      self.partly_spin)

        form = QFormLayout()
        form.addRow(buddy("&Preset", self.preset_combo),
                    field(self.preset_combo, errors.register("target", "the target rule"),
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
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        self.widgets: dict[str, QWidget] = {}
        for key, text, widget in rows:
            label = buddy(text, widget)
            label.setToolTip(TIPS[key])
            row = field(widget, errors.register(key, text.replace("&", "").lower()))
            form.addRow(label, row)
            self._rows[key] = (label, row)
            self.widgets[key] = widget
        for number in self.spins:
            number.setMinimumWidth(number.fontMetrics().horizontalAdvance("000.00 min") + 48)
        self.target_form = form

        self.describe_label = wrapped_label("The rule in words")
        self.preview_label = named(QLabel(), "Target preview",
                                   "The target of an ordinary week of the working hours on "
                                   "the Schedule tab, without leave.")
        self.preview_label.setWordWrap(True)
        emphasise(self.preview_label, 1.2)

        content = QWidget()
        box = QVBoxLayout(content)
        box.addWidget(intro)
        box.addLayout(form)
        box.addSpacing(8)
        box.addWidget(self.describe_label)
        box.addWidget(self.preview_label)
        box.addStretch(1)
        self.target_status = wrapped_label("Target save status")
        self.save_target_button = named(
            QPushButton("Save schedule and target"), "Save schedule and target",
            "The target is part of the schedule version: both "
            "are saved together, from the date on the Schedule "
            "tab.")

        self.preset_combo.currentIndexChanged.connect(self._on_preset_combo_current_index_changed)
        self.rule_combo.currentIndexChanged.connect(self._on_target_edited)
        for number in self.spins:
            number.valueChanged.connect(self._on_target_edited)
        lay_out_scrolling(self, content, save_row(self.target_status, self.save_target_button))

    # ------------------------------------------------------------------ reading and filling

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

    def fill(self, rule: TargetRule) -> None:
        """Show a rule, and the preset it is, if any."""
        was = self.filling
        self.filling = True
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
            self.filling = was
        self._show_rule_fields()

    def preview_text(self) -> str:
        """The target preview shown on the page."""
        return self.preview_label.text()

    def focus_field(self, key: str) -> bool:
        """Put the cursor on the field a refusal names; False when it is not on this page."""
        if key not in self.widgets:
            return False
        self.widgets[key].setFocus()
        return True

    # ------------------------------------------------------------------ live updates

    def check_rule(self) -> None:
        """Check the rule as typed: name a bad field, or describe the rule and preview it."""
        self._show_rule_fields()
        for key in (*TARGET_FIELDS, "target"):
            self.errors.show(key, "")
        try:
            rule = parse_target(self.target_data())
        except BadInput as exc:
            self.errors.show(self.errors.key_for(exc.field), exc.message)
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
            label, widget = self._rows[key]
            label.setVisible(key in shown)
            widget.setVisible(key in shown)
        hours_label, _ = self._rows["target.hours"]
        hours_label.setText(HOURS_LABELS.get(shape, HOURS_LABELS["hours"]))
        preset = chosen_preset(self.preset_combo)
        muted = css_colour(muted_colour(self.palette()))
        self.preset_source.setStyleSheet(f"color: {muted};")
        self.preset_source.setText(f"{preset.source} This is an {EXAMPLE_NOTE}." if preset
                                   else "Your own rule: set the numbers from your contract.")
        self.preset_source.setToolTip(preset.tooltip if preset else "")
        self.preset_combo.setToolTip(preset.tooltip if preset else
                                     "Fill in the rule from an example. Every preset is an "
                                     f"{EXAMPLE_NOTE}.")

    # ------------------------------------------------------------------ slots

    def _on_preset_combo_current_index_changed(self, index: int) -> None:
        key = self.preset_combo.itemData(index)
        preset = next((p for p in PRESETS if p.key == key), None)
        if preset is not None and not self.filling:
            self.fill(preset.rule)
            self.edited.emit()
        self.check_rule()

    def _on_target_edited(self, *args: object) -> None:
        if self.filling:
            return
        try:
            rule = parse_target(self.target_data())
        except BadInput:
            rule = None
        key = next((p.key for p in PRESETS if rule is not None and p.rule == rule), "")
        self.filling = True
        try:
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(key))
        finally:
            self.filling = False
        self.check_rule()
        self.edited.emit()
