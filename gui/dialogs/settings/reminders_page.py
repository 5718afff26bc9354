"""The Reminders and privacy page: the end-of-day reminder, and the name shown in exports."""

from __future__ import annotations

from carelog.core.domain.errors import CarelogError
from carelog.core.store.preferences import load_preferences, save_preferences
from carelog.gui.dialogs.settings.fields import (
    buddy,
    error_label,
    fail,
    field,
    save_row,
    set_status,
    written,
)
from carelog.gui.state import AppState
from carelog.gui.widgets.controls import named
from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)


class RemindersPage(QWidget):
    """The reminder's time and the display name, saved together as preferences."""

    edited = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._filling = False
        self.reminder_check = named(
            QCheckBox("Remind me at the end of each working day"), "End-of-day reminder",
            "A gentle reminder when nothing is logged for the day, "
            "or a protected block has unlogged minutes.")
        self.reminder_time = named(QTimeEdit(), "Reminder time",
                                   "The local time of the reminder.")
        self.reminder_time.setDisplayFormat("HH:mm")
        self.meal_break_spin = named(QSpinBox(), "Meal break length",
                                     "A working day without a break at least this long "
                                     "counts as a day without a meal break (30 minutes "
                                     "unless you change it).")
        self.meal_break_spin.setRange(10, 120)
        self.meal_break_spin.setSuffix(" min")
        self.timer_limit_spin = named(QSpinBox(), "Ask about a timer after",
                                      "A timer running this long (or past the end of the "
                                      "working day) asks whether you are still at it.")
        self.timer_limit_spin.setRange(15, 24 * 60)
        self.timer_limit_spin.setSingleStep(15)
        self.timer_limit_spin.setSuffix(" min")
        self.display_name_edit = named(QLineEdit(), "Name in committee exports")
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
        self.preferences_error = error_label("the preferences")
        self.preferences_status = named(QLabel(), "Preferences status")
        self.save_preferences_button = named(
            QPushButton("Save reminders and privacy"), "Save reminders and privacy")

        reminder_box = QGroupBox("Reminder")
        reminder_form = QFormLayout(reminder_box)
        reminder_form.addRow(self.reminder_check)
        reminder_form.addRow(buddy("Remind &at", self.reminder_time), field(self.reminder_time))
        reminder_form.addRow(buddy("A &meal break is at least", self.meal_break_spin),
                             self.meal_break_spin)
        reminder_form.addRow(buddy("Ask about a &timer after", self.timer_limit_spin),
                             self.timer_limit_spin)
        privacy_box = QGroupBox("Privacy")
        privacy_form = QFormLayout(privacy_box)
        privacy_form.addRow(privacy)
        privacy_form.addRow(buddy("&Name in exports", self.display_name_edit),
                            self.display_name_edit)
        box = QVBoxLayout(self)
        box.addWidget(reminder_box)
        box.addWidget(privacy_box)
        box.addStretch(1)
        box.addLayout(save_row(self.preferences_status, self.save_preferences_button,
                               self.preferences_error))
        self.reminder_check.toggled.connect(self._on_reminder_check_toggled)
        self.save_preferences_button.clicked.connect(self._on_save_preferences_button_clicked)
        self.reminder_time.timeChanged.connect(self._on_field_edited)
        self.meal_break_spin.valueChanged.connect(self._on_field_edited)
        self.timer_limit_spin.valueChanged.connect(self._on_field_edited)
        self.display_name_edit.textEdited.connect(self._on_field_edited)

    def fill(self) -> None:
        """Show the saved preferences (unsaved edits are dropped)."""
        prefs = load_preferences(self.state.store)
        self._filling = True
        self.reminder_check.setChecked(prefs.reminder_enabled)
        hh, mm = (int(x) for x in prefs.reminder_time.split(":"))
        self.reminder_time.setTime(QTime(hh, mm))
        self.reminder_time.setEnabled(prefs.reminder_enabled)
        self.display_name_edit.setText(prefs.display_name)
        self.meal_break_spin.setValue(prefs.meal_break_min)
        self.timer_limit_spin.setValue(prefs.timer_limit_min)
        self._filling = False
        self.preferences_error.hide()
        set_status(self.preferences_status, "", "muted")

    def _on_reminder_check_toggled(self, checked: bool) -> None:
        self.reminder_time.setEnabled(checked)
        self._on_field_edited()

    def _on_field_edited(self, *args: object) -> None:
        if not self._filling:
            self.edited.emit()

    def _on_save_preferences_button_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Save the preferences as typed; False (with the reason shown) when refused."""
        self.preferences_error.hide()
        store = self.state.store
        prefs = load_preferences(store).model_copy(update={
            "reminder_enabled": self.reminder_check.isChecked(),
            "reminder_time": self.reminder_time.time().toString("HH:mm"),
            "display_name": self.display_name_edit.text(),
            "meal_break_min": self.meal_break_spin.value(),
            "timer_limit_min": self.timer_limit_spin.value(),
        })
        try:
            save_preferences(store, prefs)
        except CarelogError as exc:
            fail(self.preferences_error, self.preferences_status, exc.message)
            return False
        saved = load_preferences(store)
        who = f"exports name you as {saved.display_name}" if saved.display_name \
            else "exports stay anonymous"
        when = f"reminder at {saved.reminder_time}" if saved.reminder_enabled \
            else "no reminder"
        written(self.state, self.preferences_status, f"Saved: {when}; {who}.")
        return True
