"""The Settings dialog: every write goes through core, and a bad value is named beside its field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.models import Leave, LeaveType
from carelog.core.domain.target_rules import PRESETS_BY_KEY
from carelog.core.domain.timeutil import Period
from carelog.core.ledger.load import load_ledger
from carelog.core.store.backup import list_backups
from carelog.core.store.database import Store
from carelog.core.store.preferences import load_preferences
from carelog.gui.dialogs.settings.hours_text import split_ranges
from carelog.gui.dialogs.settings.settings_dialog import (
    TAB_DATA,
    TAB_LEAVE,
    TAB_REMINDERS,
    TAB_SCHEDULE,
    TAB_TARGET,
    SettingsDialog,
)
from carelog.gui.models.protected_block_model import COL_DAY
from carelog.gui.state import AppState
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from .conftest import TODAY, AddEntry

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def dialog(qtbot: QtBot, state: AppState) -> Iterator[SettingsDialog]:
    """The dialog, shown."""
    d = SettingsDialog(state)
    qtbot.addWidget(d)
    d.show()
    yield d
    d.close()


def _versions(store: Store) -> list[dict[str, object]]:
    return [v.to_json_dict() for v in store.schedules().versions]


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    edit.del_()
    qtbot.keyClicks(edit, text)


# ---------------------------------------------------------------------- schedule


def test_a_bad_monday_range_is_named_beside_monday_and_nothing_is_saved(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    before = _versions(gui_store)
    _type(qtbot, dialog.hour_edits["mon"], "08:30-12:60, 13:00-17:00")
    assert dialog.day_totals["mon"].text() == "?"
    qtbot.mouseClick(dialog.save_button, LEFT)
    message = dialog.error_text("hours.mon")
    assert "hours.mon" in message
    assert "08:30-12:60" in message
    assert dialog.field_errors["hours.mon"].isVisibleTo(dialog)
    assert dialog.error_text("hours.tue") == ""
    assert "Nothing was saved" in dialog.schedule_status.text()
    assert _versions(gui_store) == before


def test_the_hours_grid_accepts_spaces_and_dashes_and_totals_each_day(
        qtbot: QtBot, dialog: SettingsDialog) -> None:
    assert split_ranges("08:30 - 12:30; 13:00–17:00,") == ["08:30-12:30", "13:00-17:00"]
    _type(qtbot, dialog.hour_edits["sat"], "09:00 - 12:00")
    assert dialog.day_totals["sat"].text() == "3 h 0 m"
    assert dialog.week_total_label.text() == "43 h 0 m a week"


def test_saving_a_new_version_keeps_earlier_weeks_as_they_were(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store, state: AppState,
        add_entry: AddEntry) -> None:
    add_entry("documentation", "2026-11-09 09:00", "10:30")
    add_entry("documentation", "2026-11-16 13:00", "14:00")
    period = Period(date(2026, 10, 5), date(2026, 11, 22))
    before = load_ledger(gui_store, period).weeks
    dialog.effective_edit.setDate(QDate(2026, 11, 16))
    _type(qtbot, dialog.hour_edits["mon"], "08:30-12:30")
    with qtbot.waitSignal(state.data_changed):
        qtbot.mouseClick(dialog.save_button, LEFT)
    versions = gui_store.schedules().versions
    assert [v.effective_from for v in versions] == [date(2026, 1, 5), date(2026, 11, 16)]
    assert [r.text() for r in versions[-1].hours["mon"]] == ["08:30-12:30"]
    after = load_ledger(gui_store, period).weeks
    assert [w.to_json() for w in after[:-1]] == [w.to_json() for w in before[:-1]]
    assert (before[-1].scheduled_min, after[-1].scheduled_min) == (2400, 2160)
    # The Monday IPC after 13:00 is after hours under the new version.
    assert after[-1].ipc_after_hours_min == 60
    assert dialog.schedule_status.text().startswith("Saved")
    assert "Mon 16 Nov 2026 (in force today)" in dialog.versions_label.text()


def test_a_block_outside_working_hours_is_named_by_its_row(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    before = _versions(gui_store)
    qtbot.mouseClick(dialog.add_block_button, LEFT)
    model = dialog.block_model
    assert model.rowCount() == 2
    assert model.setData(model.index(1, COL_DAY), "sat")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert "protected[2].time" in dialog.error_text("protected")
    assert "outside the working hours of sat" in dialog.error_text("protected")
    assert dialog.block_table.selectionModel().selectedRows()[0].row() == 1
    assert _versions(gui_store) == before


def test_an_unknown_time_zone_is_named_beside_the_zone(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    before = _versions(gui_store)
    dialog.tz_combo.setEditText("Mars/Olympus_Mons")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert "Mars/Olympus_Mons" in dialog.error_text("timezone")
    assert _versions(gui_store) == before


def test_without_a_schedule_the_form_starts_from_a_standard_week(
        qtbot: QtBot, bare_store: Store) -> None:
    d = SettingsDialog(AppState(bare_store, today=lambda: TODAY))
    qtbot.addWidget(d)
    assert d.hour_edits["mon"].text() == "08:30-12:30, 13:00-17:00"
    assert d.hour_edits["sat"].text() == ""
    assert "No schedule saved yet" in d.schedule_status.text()
    assert d.effective_date() == date(2026, 11, 16)
    d.save_button.click()
    assert bare_store.schedules().latest is not None
    assert bare_store.schedules().latest.effective_from == date(2026, 11, 16)


# ---------------------------------------------------------------------- target


def test_choosing_a_preset_changes_the_preview_to_the_presets(
        dialog: SettingsDialog) -> None:
    dialog.show_tab(TAB_TARGET)
    assert dialog.preview_text() == "For a 40-hour week this means 7 h 30 m."
    assert dialog.preset_combo.currentData() == "kaiser-norcal-2022"
    preset = PRESETS_BY_KEY["7h-per-40h"]
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData(preset.key))
    assert dialog.preview_text() == preset.rule.preview(40.0)
    assert dialog.preview_text() == "For a 40-hour week this means 7 h 0 m."
    assert "example — check your own contract" in dialog.preset_combo.currentText()
    assert dialog.target_hours_spin.isVisibleTo(dialog)
    assert not dialog.rate_spin.isVisibleTo(dialog)
    dialog.target_hours_spin.setValue(6.5)
    assert dialog.preset_combo.currentText() == "Custom"
    assert dialog.preview_text() == "For a 40-hour week this means 6 h 30 m."


def test_the_preview_follows_the_hours_typed(qtbot: QtBot, dialog: SettingsDialog) -> None:
    _type(qtbot, dialog.hour_edits["fri"], "")
    # 20 % of 1920 minutes after a 2.5 h allowance per 40 h: 360 minutes.
    assert dialog.preview_text() == "For a 32-hour week this means 6 h 0 m."


def test_a_bad_target_is_named_beside_its_field_and_nothing_is_saved(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    before = _versions(gui_store)
    dialog.allowance_spin.setValue(45)
    assert "target.meeting_allowance_h" in dialog.error_text("target.meeting_allowance_h")
    assert dialog.preview_text() == "No preview until the rule is complete."
    dialog.show_tab(TAB_SCHEDULE)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.tabs.currentIndex() == TAB_TARGET
    assert "target.meeting_allowance_h" in dialog.error_text("target.meeting_allowance_h")
    assert _versions(gui_store) == before


def test_the_target_is_saved_with_the_schedule(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("kaiser-socal-2024"))
    qtbot.mouseClick(dialog.save_target_button, LEFT)
    latest = gui_store.schedules().latest
    assert latest is not None
    assert latest.target == PRESETS_BY_KEY["kaiser-socal-2024"].rule


def test_the_floor_shape_shows_its_fields_and_is_saved(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    dialog.show_tab(TAB_TARGET)
    preset = PRESETS_BY_KEY["kaiser-socal-oct-2024-offer"]
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData(preset.key))
    assert dialog.rule_combo.currentData() == "floor"
    assert dialog.target_hours_spin.isVisibleTo(dialog)
    assert dialog.protected_hours_spin.isVisibleTo(dialog)
    assert not dialog.rate_spin.isVisibleTo(dialog)
    assert not dialog.per_appointment_spin.isVisibleTo(dialog)
    assert dialog.preview_text() == \
        "For a 40-hour week this means 4 h 0 m protected and 2 h 0 m flexible."
    # Where the numbers come from: the source in words, and its links in the tooltip.
    assert "October 2024 offer" in dialog.preset_source.text()
    assert all(link in dialog.preset_combo.toolTip() for link in preset.links)
    item_tip = dialog.preset_combo.itemData(dialog.preset_combo.currentIndex(),
                                            Qt.ItemDataRole.ToolTipRole)
    assert item_tip == preset.tooltip and "example — check your own contract" in item_tip
    # More protected hours than hours in all: named beside the field, nothing saved.
    before = _versions(gui_store)
    dialog.protected_hours_spin.setValue(7.0)
    assert "cannot exceed the whole" in dialog.error_text("target.protected_hours")
    qtbot.mouseClick(dialog.save_target_button, LEFT)
    assert _versions(gui_store) == before
    dialog.protected_hours_spin.setValue(4.0)
    qtbot.mouseClick(dialog.save_target_button, LEFT)
    latest = gui_store.schedules().latest
    assert latest is not None and latest.target == preset.rule


def test_the_per_appointment_shape(qtbot: QtBot, dialog: SettingsDialog,
                                   gui_store: Store) -> None:
    dialog.show_tab(TAB_TARGET)
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData("per_appointment"))
    assert dialog.per_appointment_spin.isVisibleTo(dialog)
    assert not dialog.target_hours_spin.isVisibleTo(dialog)
    dialog.per_appointment_spin.setValue(10)
    assert dialog.preview_text() == "For 30 appointments in a week this means 5 h 0 m."
    assert dialog.preset_combo.currentText() == "Custom"
    qtbot.mouseClick(dialog.save_target_button, LEFT)
    latest = gui_store.schedules().latest
    assert latest is not None
    assert (latest.target.rule, latest.target.minutes_per_appointment) == \
        ("per_appointment", 10.0)


def test_the_meal_break_length_is_a_preference(qtbot: QtBot, dialog: SettingsDialog,
                                               gui_store: Store) -> None:
    assert dialog.meal_break_spin.value() == 30
    dialog.meal_break_spin.setValue(20)
    qtbot.mouseClick(dialog.save_preferences_button, LEFT)
    assert load_preferences(gui_store).meal_break_min == 20
    assert gui_store.meal_break_min == 20


# ---------------------------------------------------------------------- leave


def test_leave_added_on_the_calendar_is_stored_listed_and_highlighted(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    dialog.show_tab(TAB_LEAVE)
    dialog.calendar.setSelectedDate(QDate(2026, 11, 18))
    dialog.leave_type_combo.setCurrentIndex(dialog.leave_type_combo.findData("sick"))
    qtbot.mouseClick(dialog.add_leave_button, LEFT)
    dialog.calendar.setSelectedDate(QDate(2026, 11, 19))
    dialog.whole_day_check.setChecked(False)
    dialog.leave_hours_spin.setValue(2.5)
    qtbot.mouseClick(dialog.add_leave_button, LEFT)
    assert gui_store.leave_between(date(2026, 11, 1), date(2026, 11, 30)) == [
        Leave(day=date(2026, 11, 18), minutes=None, type=LeaveType.SICK),
        Leave(day=date(2026, 11, 19), minutes=150, type=LeaveType.SICK),
    ]
    assert dialog.leave_model.rowCount() == 2
    fmt = dialog.calendar.dateTextFormat(QDate(2026, 11, 18))
    assert fmt.fontWeight() == QFont.Weight.Bold
    assert dialog.calendar.dateTextFormat(QDate(2026, 11, 20)).fontWeight() \
        != QFont.Weight.Bold


def test_leave_on_a_day_already_on_leave_shows_the_core_message(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    gui_store.add_leave(Leave(day=date(2026, 11, 18)))
    dialog.refresh()
    dialog.show_tab(TAB_LEAVE)
    dialog.calendar.setSelectedDate(QDate(2026, 11, 18))
    qtbot.mouseClick(dialog.add_leave_button, LEFT)
    assert "already on leave" in dialog.leave_error.text()
    assert dialog.leave_error.isVisibleTo(dialog)


def test_removing_leave(qtbot: QtBot, dialog: SettingsDialog, gui_store: Store,
                        state: AppState) -> None:
    gui_store.add_leave(Leave(day=date(2026, 11, 18)))
    state.notify_changed()
    dialog.leave_table.selectRow(dialog.leave_model.row_of(date(2026, 11, 18)) or 0)
    assert dialog.remove_leave_button.isEnabled()
    qtbot.mouseClick(dialog.remove_leave_button, LEFT)
    assert gui_store.leave_between(date(2026, 11, 18), date(2026, 11, 18)) == []
    assert dialog.leave_model.rowCount() == 0


# ---------------------------------------------------------------------- categories


def test_a_new_category_appears_in_the_table_and_the_store(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    qtbot.keyClicks(dialog.code_edit, "peer_consult")
    qtbot.keyClicks(dialog.label_edit, "Peer consultation")
    dialog.class_combo.setCurrentIndex(dialog.class_combo.findData("ipc"))
    qtbot.mouseClick(dialog.add_category_button, LEFT)
    assert "peer_consult" in gui_store.categories
    assert gui_store.categories.get("peer_consult").cls == CategoryClass.IPC
    row = dialog.category_model.row_of("peer_consult")
    assert row is not None
    assert dialog.category_table.selectionModel().selectedRows()[0].row() == row
    assert dialog.remove_category_button.isEnabled()
    qtbot.mouseClick(dialog.remove_category_button, LEFT)
    assert "peer_consult" not in gui_store.categories
    assert dialog.category_model.row_of("peer_consult") is None


def test_a_bad_code_and_a_used_category_are_refused_with_core_messages(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store, add_entry: AddEntry,
        state: AppState) -> None:
    qtbot.keyClicks(dialog.code_edit, "1st")
    qtbot.mouseClick(dialog.add_category_button, LEFT)
    assert "must start with a letter" in dialog.category_error.text()
    gui_store.add_category("peer_consult", "Peer consultation", "ipc")
    add_entry("peer_consult", "2026-11-17 09:00", "09:30")
    state.notify_changed()
    dialog.category_table.selectRow(dialog.category_model.row_of("peer_consult") or 0)
    qtbot.mouseClick(dialog.remove_category_button, LEFT)
    assert "is used by 1 entries" in dialog.category_error.text()
    assert "peer_consult" in gui_store.categories
    dialog.category_table.selectRow(dialog.category_model.row_of("documentation") or 0)
    assert not dialog.remove_category_button.isEnabled()


# ---------------------------------------------------------------------- reminders


def test_reminder_time_and_display_name_round_trip_through_the_database(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store, state: AppState) -> None:
    dialog.reminder_check.setChecked(True)
    dialog.reminder_time.setTime(QTime(16, 45))
    qtbot.keyClicks(dialog.display_name_edit, "  Dana Reyes ")
    qtbot.mouseClick(dialog.save_preferences_button, LEFT)
    prefs = load_preferences(gui_store)
    assert (prefs.reminder_enabled, prefs.reminder_time, prefs.display_name) == \
        (True, "16:45", "Dana Reyes")
    again = SettingsDialog(state)
    qtbot.addWidget(again)
    assert again.reminder_time.time() == QTime(16, 45)
    assert again.display_name_edit.text() == "Dana Reyes"
    again.reminder_check.setChecked(False)
    again.display_name_edit.clear()
    again.save_preferences_button.click()
    prefs = load_preferences(gui_store)
    assert (prefs.reminder_enabled, prefs.display_name) == (False, "")
    assert "exports stay anonymous" in again.preferences_status.text()


# ---------------------------------------------------------------------- data and backups


def test_back_up_now_writes_a_new_backup_off_the_gui_thread(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    dialog.show_tab(TAB_DATA)
    assert dialog.db_path_label.text() == str(gui_store.path)
    n = len(list_backups(gui_store.path))
    qtbot.mouseClick(dialog.backup_button, LEFT)
    assert not dialog.backup_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.backup_button.isEnabled(), timeout=10_000)
    found = list_backups(gui_store.path)
    assert len(found) == n + 1
    assert dialog.backup_model.rowCount() == n + 1
    assert dialog.backup_status.text() == f"Backup written: {found[0].path.name}."


def test_restore_asks_first_then_asks_the_window_to_restore(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store, state: AppState,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = gui_store.backup()
    state.notify_changed()
    dialog.backup_table.selectRow(dialog.backup_model.row_of(made) or 0)
    assert dialog.restore_button.isEnabled()
    emitted: list[object] = []
    dialog.restore_requested.connect(emitted.append)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.restore_button, LEFT)
    assert emitted == []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.restore_requested) as blocker:
        qtbot.mouseClick(dialog.restore_button, LEFT)
    assert blocker.args == [made]
    assert not dialog.isVisible()


# ---------------------------------------------------------------------- accessibility


def test_every_control_has_an_accessible_name(dialog: SettingsDialog) -> None:
    kinds = (QLineEdit, QComboBox, QDoubleSpinBox, QDateEdit, QTimeEdit, QCheckBox,
             QAbstractButton, QTableView)
    controls = [w for w in vars(dialog).values() if isinstance(w, kinds)]
    controls += list(dialog.hour_edits.values())
    assert len(controls) > 30
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert unnamed == []
    numbers: list[QWidget] = [dialog.rate_spin, dialog.target_hours_spin, dialog.allowance_spin,
                              dialog.full_time_spin, dialog.partly_spin, dialog.leave_hours_spin]
    assert all(w.toolTip() for w in numbers)


# ----------------------------------------------------------------------------- keeping edits

def test_unsaved_changes_are_marked_and_one_save_writes_them_all(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store) -> None:
    assert dialog.windowTitle() == "Settings" and dialog.dirty == set()
    _type(qtbot, dialog.hour_edits["sat"], "09:00-12:00")
    dialog.timer_limit_spin.setFocus()
    dialog.timer_limit_spin.selectAll()
    qtbot.keyClicks(dialog.timer_limit_spin, "120")
    assert dialog.tabs.tabText(TAB_SCHEDULE) == "Schedule •"
    assert dialog.tabs.tabText(TAB_REMINDERS).endswith("•")
    assert dialog.windowTitle() == "Settings — changes not saved yet"
    qtbot.mouseClick(dialog.dialog_save_button, LEFT)
    assert dialog.dirty == set() and dialog.tabs.tabText(TAB_SCHEDULE) == "Schedule"
    assert load_preferences(gui_store).timer_limit_min == 120
    latest = gui_store.schedules().latest
    assert latest is not None and latest.ranges(5)


@pytest.mark.parametrize(("answer", "stays_open", "saved"), [
    ("cancel", True, False), ("discard", False, False), ("save", False, True)])
def test_closing_with_unsaved_changes_asks_first(
        qtbot: QtBot, dialog: SettingsDialog, gui_store: Store, answer: str,
        stays_open: bool, saved: bool) -> None:
    before = len(gui_store.schedules().versions)
    _type(qtbot, dialog.hour_edits["sat"], "09:00-12:00")
    asked: list[bool] = []

    def ask(parent: object) -> str:
        asked.append(True)
        return answer

    dialog.ask_unsaved = ask
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert asked == [True]
    assert dialog.isVisible() is stays_open
    assert (len(gui_store.schedules().versions) > before
            or gui_store.schedules().latest.ranges(5) != ()) is saved  # type: ignore[union-attr]


def test_closing_without_changes_asks_nothing(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.ask_unsaved = lambda parent: pytest.fail("asked without unsaved changes")
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert not dialog.isVisible()
