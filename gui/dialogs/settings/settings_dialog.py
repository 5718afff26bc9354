"""The Settings dialog: schedule, target rule, leave, categories, reminders and backups.

Each tab is a page of its own (`*_page.py` beside this file). Every change is written through
core with the validation the command line uses: the Schedule and Target pages together are one
schedule version, built in the shape of the TOML file and given to `parse_schedule`, so a bad
value is named by its key (hours.mon, protected[2].time, target.rate) and shown beside the
field it belongs to, and nothing is saved. Restoring a backup replaces the open database, so
the dialog only asks for it (`restore_requested`) and the main window reopens the store.

Leave, categories and backups are written as soon as they are added or removed. The forms
(schedule, target, reminders and privacy) keep what was typed until the one Save at the foot
of the dialog writes them; a tab with unsaved changes is marked, and closing with unsaved
changes asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.schedule import ScheduleVersion, parse_schedule, standard_week
from carelog.core.domain.target_rules import PRESETS
from carelog.core.domain.timeutil import week_monday
from carelog.gui.dialogs.settings.categories_page import CategoriesPage
from carelog.gui.dialogs.settings.data_page import DataPage
from carelog.gui.dialogs.settings.fields import FieldErrors, set_status
from carelog.gui.dialogs.settings.leave_page import LeavePage
from carelog.gui.dialogs.settings.reminders_page import RemindersPage
from carelog.gui.dialogs.settings.schedule_page import SchedulePage
from carelog.gui.dialogs.settings.target_page import TargetPage
from carelog.gui.state import AppState
from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

TAB_SCHEDULE, TAB_TARGET, TAB_LEAVE, TAB_CATEGORIES, TAB_REMINDERS, TAB_DATA = range(6)


def ask_unsaved(parent: QWidget) -> str:
    """Ask what to do with unsaved settings: 'save', 'discard' or 'cancel'."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      "Some settings were changed but not saved. Save them before closing?",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    box.deleteLater()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"


class SettingsDialog(QDialog):
    """Schedule and target, leave, categories, reminders and privacy, data and backups."""

    restore_requested = Signal(Path)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.field_errors = FieldErrors()
        self._filling = False
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(860, 680)

        self.schedule_page = SchedulePage(state, self.field_errors)
        self.target_page = TargetPage(self.field_errors, self.schedule_page.weekly_minutes)
        self.leave_page = LeavePage(state)
        self.categories_page = CategoriesPage(state)
        self.reminders_page = RemindersPage(state)
        self.data_page = DataPage(state)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.addTab(self.schedule_page, "Schedule")
        self.tabs.addTab(self.target_page, "Target")
        self.tabs.addTab(self.leave_page, "Leave")
        self.tabs.addTab(self.categories_page, "Categories")
        self.tabs.addTab(self.reminders_page, "Reminders && privacy")
        self.tabs.addTab(self.data_page, "Data && backups")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.dialog_save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.dialog_save_button.setAccessibleName("Save")
        self.dialog_save_button.setToolTip("Save the schedule, the target, the reminders and "
                                           "the name in exports as typed.")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.buttons.rejected.connect(self.reject)
        self.dirty: set[str] = set()
        self._quiet = False
        self.ask_unsaved: Callable[[QWidget], str] = ask_unsaved
        self._tab_titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.buttons)
        self._name_controls()

        self.schedule_page.hours_edited.connect(self._on_schedule_page_hours_edited)
        self.schedule_page.edited.connect(self._on_schedule_edited)
        self.target_page.edited.connect(self._on_schedule_edited)
        self.schedule_page.save_button.hide()
        self.target_page.save_target_button.hide()
        self.reminders_page.save_preferences_button.hide()
        self.dialog_save_button.clicked.connect(self._on_dialog_save_button_clicked)
        self.reminders_page.edited.connect(self._on_reminders_page_edited)
        self.data_page.restore_requested.connect(self._on_data_page_restore_requested)
        state.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _name_controls(self) -> None:
        """Name every control on the dialog too, as a person finds it: by what it is for.

        A caller or a test reaches a field (dialog.hour_edits["mon"], dialog.backup_button)
        without knowing which page holds it.
        """
        s, t, lv = self.schedule_page, self.target_page, self.leave_page
        c, r, d = self.categories_page, self.reminders_page, self.data_page
        self.versions_label, self.effective_edit, self.effective_note = \
            s.versions_label, s.effective_edit, s.effective_note
        self.tz_combo, self.hour_edits, self.day_totals, self.week_total_label = \
            s.tz_combo, s.hour_edits, s.day_totals, s.week_total_label
        self.block_model, self.block_table = s.block_model, s.block_table
        self.add_block_button, self.remove_block_button = \
            s.add_block_button, s.remove_block_button
        # One Save at the foot of the dialog saves every form; the old names lead to it.
        self.schedule_status = s.schedule_status
        self.save_button = self.save_target_button = self.dialog_save_button
        self.preset_combo, self.preset_source, self.rule_combo = \
            t.preset_combo, t.preset_source, t.rule_combo
        self.rate_spin, self.target_hours_spin, self.allowance_spin = \
            t.rate_spin, t.target_hours_spin, t.allowance_spin
        self.full_time_spin, self.partly_spin = t.full_time_spin, t.partly_spin
        self.protected_hours_spin, self.per_appointment_spin = \
            t.protected_hours_spin, t.per_appointment_spin
        self.describe_label, self.preview_label = t.describe_label, t.preview_label
        self.target_status = t.target_status
        self.calendar, self.leave_model, self.leave_table = \
            lv.calendar, lv.leave_model, lv.leave_table
        self.leave_caption, self.leave_date_label = lv.leave_caption, lv.leave_date_label
        self.whole_day_check, self.leave_hours_spin, self.leave_type_combo = \
            lv.whole_day_check, lv.leave_hours_spin, lv.leave_type_combo
        self.add_leave_button, self.remove_leave_button = \
            lv.add_leave_button, lv.remove_leave_button
        self.leave_error, self.leave_status = lv.leave_error, lv.leave_status
        self.category_model, self.category_table = c.category_model, c.category_table
        self.code_edit, self.label_edit, self.class_combo = \
            c.code_edit, c.label_edit, c.class_combo
        self.add_category_button, self.remove_category_button = \
            c.add_category_button, c.remove_category_button
        self.category_error, self.category_status = c.category_error, c.category_status
        self.reminder_check, self.reminder_time, self.display_name_edit = \
            r.reminder_check, r.reminder_time, r.display_name_edit
        self.preferences_error, self.preferences_status = \
            r.preferences_error, r.preferences_status
        self.save_preferences_button = self.dialog_save_button
        self.meal_break_spin, self.timer_limit_spin = r.meal_break_spin, r.timer_limit_spin
        self.db_path_label, self.folder_label, self.open_folder_button = \
            d.db_path_label, d.folder_label, d.open_folder_button
        self.backup_model, self.backup_table, self.no_backups_label = \
            d.backup_model, d.backup_table, d.no_backups_label
        self.backup_button, self.restore_button = d.backup_button, d.restore_button
        self.backup_error, self.backup_status = d.backup_error, d.backup_status

    # ------------------------------------------------------------------ public

    def refresh(self) -> None:
        """Read everything again: the schedule form (unsaved edits are dropped) and the lists."""
        self.leave_page.select_day(self.state.day)
        self._fill_schedule()
        self.reminders_page.fill()
        self._mark(set())
        self._refresh_lists()
        self.data_page.show_paths()

    def show_tab(self, index: int) -> None:
        """Bring a section to the front (TAB_SCHEDULE … TAB_DATA)."""
        self.tabs.setCurrentIndex(index)

    def error_text(self, field: str) -> str:
        """The message shown beside a field ('' when there is none)."""
        return self.field_errors.text(field)

    def schedule_data(self) -> dict[str, Any]:
        """The schedule as typed, in the shape of the TOML file (DESIGN §4.1)."""
        return {**self.schedule_page.schedule_data(), "target": self.target_page.target_data()}

    def target_data(self) -> dict[str, Any]:
        """The [target] table as typed."""
        return self.target_page.target_data()

    def effective_date(self) -> date:
        """The date the edited schedule applies from."""
        return self.schedule_page.effective_date()

    def weekly_minutes(self) -> int:
        """Working minutes of an ordinary week of the hours typed (days with bad text: 0)."""
        return self.schedule_page.weekly_minutes()

    def preview_text(self) -> str:
        """The target preview shown on the Target tab."""
        return self.target_page.preview_text()

    # ------------------------------------------------------------------ filling

    def _fill_schedule(self) -> None:
        store = self.state.store
        latest = store.schedules().latest
        start = week_monday(self.state.today())
        if latest is not None and latest.effective_from > start:
            start = latest.effective_from
        version = latest or standard_week(start, store.timezone_name, PRESETS[0].rule)
        self._filling = True
        try:
            self.schedule_page.fill(start, version)
            self.target_page.fill(version.target)
        finally:
            self._filling = False
        self.field_errors.hide_all()
        self.schedule_page.update_hours()
        self.target_page.check_rule()
        self.schedule_page.update_versions(latest is None)
        set_status(self.schedule_status, "" if latest else
                   "No schedule saved yet: this is a standard 40-hour week to start from; "
                   "change it to match your contract, then save.", "muted")
        set_status(self.target_status, "", "muted")

    def _refresh_lists(self) -> None:
        self.leave_page.refresh()
        self.categories_page.refresh()
        self.data_page.refresh()
        self.schedule_page.update_versions(not self.state.store.schedules())

    # ------------------------------------------------------------------ saving the schedule

    def _refuse_schedule(self, exc: BadInput) -> None:
        key = self.field_errors.key_for(exc.field)
        self.field_errors.show(key, exc.message)
        on_target = key.startswith("target")
        self.tabs.setCurrentIndex(TAB_TARGET if on_target else TAB_SCHEDULE)
        status = self.target_status if on_target else self.schedule_status
        set_status(status, "Nothing was saved: fix the field marked in red.", "error")
        if not self.schedule_page.focus_field(key, exc.field):
            self.target_page.focus_field(key)

    def _save_version(self, version: ScheduleVersion) -> bool:
        try:
            self.state.store.save_schedule(version)
        except CarelogError as exc:
            self.field_errors.show("schedule", exc.message)
            set_status(self.schedule_status, "Nothing was saved.", "error")
            return False
        text = (f"Saved: this schedule is in force from {version.effective_from:%a %d %b %Y}; "
                "earlier weeks keep theirs.")
        for status in (self.schedule_status, self.target_status):
            set_status(status, text, "ok")
        self.state.notify_changed()
        self.state.say(text)
        return True

    # ------------------------------------------------------------------ slots

    def _on_schedule_page_hours_edited(self) -> None:
        self.target_page.check_rule()
        self._on_schedule_edited()

    def _on_schedule_edited(self) -> None:
        if self._filling:
            return
        for status in (self.schedule_status, self.target_status):
            set_status(status, "Changes not saved yet.", "muted")
        self._mark(self.dirty | {"schedule"})

    def _on_reminders_page_edited(self) -> None:
        set_status(self.preferences_status, "Changes not saved yet.", "muted")
        self._mark(self.dirty | {"preferences"})

    def _mark(self, dirty: set[str]) -> None:
        """Remember what is unsaved and mark its tabs and the title."""
        self.dirty = dirty
        pages = {TAB_SCHEDULE: "schedule", TAB_TARGET: "schedule",
                 TAB_REMINDERS: "preferences"}
        for index, title in enumerate(self._tab_titles):
            unsaved = pages.get(index) in dirty
            self.tabs.setTabText(index, f"{title} •" if unsaved else title)
            self.tabs.setTabToolTip(index, "Changes not saved yet." if unsaved else "")
        self.setWindowTitle("Settings — changes not saved yet" if dirty else "Settings")

    def save(self) -> bool:
        """Save every form as typed; False (with the field marked) when something is refused."""
        self.field_errors.hide_all()
        try:
            version = parse_schedule(self.schedule_data())
        except BadInput as exc:
            self._refuse_schedule(exc)
            return False
        if not self._save_version(version):
            return False
        if "preferences" in self.dirty and not self.reminders_page.save():
            self.tabs.setCurrentIndex(TAB_REMINDERS)
            self._mark({"preferences"})
            return False
        self._mark(set())
        return True

    def _on_dialog_save_button_clicked(self) -> None:
        self.save()

    def reject(self) -> None:
        """Cancel, Escape or the window's close: with unsaved changes, ask first."""
        if self.dirty and not self._quiet:
            answer = self.ask_unsaved(self)
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button asks like Cancel; a close by the program does not."""
        self._quiet = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._quiet = False

    def _on_data_page_restore_requested(self, backup: Path) -> None:
        self.restore_requested.emit(backup)
        self.accept()

    def _on_data_changed(self) -> None:
        self._refresh_lists()
