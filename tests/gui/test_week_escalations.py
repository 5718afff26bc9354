"""The Week view's escalation record, capacity counts, meal breaks and what-if, through qtbot."""

from __future__ import annotations

from datetime import date

from carelog.core.domain.models import (
    CapacityObservation,
    EscalationHow,
    EscalationResponse,
)
from carelog.core.store.database import Store
from carelog.gui.dialogs.escalation_dialog import EscalationDialog, RespondDialog
from carelog.gui.main_window import TAB_WEEK, MainWindow
from carelog.gui.models import escalation_table_model as esc_m
from carelog.gui.views.week.week_view import WeekView
from carelog.gui.views.week.week_view_ui import CAPACITY_NOTE
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QTableView
from pytestqt.qtbot import QtBot

from .conftest import AddEntry, Clock

MONDAY, TUESDAY, SUNDAY = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 22)


def _open_week(qtbot: QtBot, window: MainWindow) -> WeekView:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_WEEK
    return window.week_view


def _click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _cell(table: QTableView, row: int, col: int) -> str:
    model = table.model()
    return model.data(model.index(row, col))


def _save(qtbot: QtBot, buttons: QDialogButtonBox) -> None:
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_an_escalations_whole_life_in_the_window(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    add_entry("individual", "2026-11-17 16:00", "16:50")   # the Tuesday block booked over
    clock.set(gui_store, "2026-11-17 17:30")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    assert not view.escalate_block_button.isEnabled()
    _click_row(qtbot, view.block_table, 0)
    assert view.escalate_block_button.isEnabled()

    # Escalate: to whom, how, what was asked, when; a private note.
    qtbot.mouseClick(view.escalate_block_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, EscalationDialog) and dialog.isVisible()
    assert dialog.about_label.text() == "The protected block Tue 17 Nov 16:00–17:00"
    dialog.to_edit.selectAll()
    qtbot.keyClicks(dialog.to_edit, "clinic manager")
    dialog.how_combo.setCurrentIndex(dialog.how_combo.findData(EscalationHow.PHONE.value))
    dialog.asked_combo.setCurrentText("move the booking")
    # First a time in the future: refused in one sentence, nothing saved, the form stays.
    dialog.told_edit.setDateTime(QDateTime(QDate(2026, 11, 17), QTime(18, 0)))
    _save(qtbot, dialog.buttons)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "The escalation time 2026-11-17 18:00 is in the future."
    assert gui_store.escalations_between(MONDAY, SUNDAY) == []
    dialog.told_edit.setDateTime(QDateTime(QDate(2026, 11, 17), QTime(17, 10)))
    qtbot.keyClicks(dialog.note_edit, "she will look at Friday")
    _save(qtbot, dialog.buttons)
    assert not dialog.isVisible()

    [esc] = gui_store.escalations_between(MONDAY, SUNDAY)
    assert (esc.day, esc.start_minute, esc.to_role, esc.how, esc.asked, esc.note) == \
        (TUESDAY, 16 * 60, "clinic manager", EscalationHow.PHONE, "move_booking",
         "she will look at Friday")
    assert view.escalation_proxy.rowCount() == 1
    assert _cell(view.escalation_table, 0, esc_m.COL_ABOUT) == "Tue 17 Nov 16:00 block"
    assert _cell(view.escalation_table, 0, esc_m.COL_TOLD) == "2026-11-17 17:10"
    assert _cell(view.escalation_table, 0, esc_m.COL_RESPONSE) == "none yet"
    assert view.values["escalations"].text() == "1, 0 answered, 0 resolved"
    assert "Recorded the escalation about Tue 17 Nov 16:00 block" in \
        window.statusBar().currentMessage()

    # Respond later from the same place: selecting the block selects its escalation.
    _click_row(qtbot, view.block_table, 0)
    assert view.selected_escalation() is not None and view.respond_button.isEnabled()
    qtbot.mouseClick(view.respond_button, Qt.MouseButton.LeftButton)
    respond = view.dialog
    assert isinstance(respond, RespondDialog)
    respond.response_combo.setCurrentIndex(
        respond.response_combo.findData(EscalationResponse.REFUSED.value))
    _save(qtbot, respond.buttons)
    assert not respond.isVisible()
    assert _cell(view.escalation_table, 0, esc_m.COL_RESPONSE) == "refused on 2026-11-17"
    assert view.values["escalations"].text() == "1, 1 answered, 0 resolved"

    # Later the matter is resolved.
    clock.set(gui_store, "2026-11-20 09:00")
    window.state.notify_changed()
    _click_row(qtbot, view.escalation_table, 0)
    qtbot.mouseClick(view.respond_button, Qt.MouseButton.LeftButton)
    respond = view.dialog
    assert isinstance(respond, RespondDialog)
    respond.response_combo.setCurrentIndex(
        respond.response_combo.findData(EscalationResponse.GRANTED.value))
    respond.on_edit.setDate(QDate(2026, 11, 19))
    check = respond.resolved_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))
    _save(qtbot, respond.buttons)
    [esc] = gui_store.escalations_between(MONDAY, SUNDAY)
    assert (esc.response, esc.response_on, esc.resolved) == \
        (EscalationResponse.GRANTED, date(2026, 11, 19), True)
    assert _cell(view.escalation_table, 0, esc_m.COL_STATE) == "Resolved"
    assert view.values["escalations"].text() == "1, 1 answered, 1 resolved"


def test_a_day_can_be_escalated_and_a_name_gets_a_warning(
        qtbot: QtBot, window: MainWindow, gui_store: Store, clock: Clock) -> None:
    clock.set(gui_store, "2026-11-17 17:30")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    qtbot.mouseClick(view.escalate_day_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, EscalationDialog)
    # Only the days that have begun: Monday and Tuesday.
    assert [dialog.day_combo.itemText(i) for i in range(dialog.day_combo.count())] == \
        ["Mon 16 Nov", "Tue 17 Nov"]
    dialog.to_edit.selectAll()
    qtbot.keyClicks(dialog.to_edit, "Maria Gonzalez")
    assert dialog.warning_label.isVisible()
    assert "The role seems to contain a name" in dialog.warning_label.text()
    dialog.to_edit.selectAll()
    qtbot.keyClicks(dialog.to_edit, "Clinic Manager")
    assert not dialog.warning_label.isVisible()
    dialog.asked_combo.setCurrentText("fewer bookings")
    _save(qtbot, dialog.buttons)
    [esc] = gui_store.escalations_between(MONDAY, SUNDAY)
    assert (esc.day, esc.start_minute, esc.asked, esc.told_at) == \
        (TUESDAY, None, "fewer_bookings", clock.now)
    assert _cell(view.escalation_table, 0, esc_m.COL_ABOUT) == "Tue 17 Nov (day)"


def test_ticking_escalated_on_a_tag_records_an_escalation(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    add_entry("urgent", "2026-11-17 16:00", "16:50")
    clock.set(gui_store, "2026-11-17 17:30")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    _click_row(qtbot, view.block_table, 0)
    view.reason_combo.setCurrentIndex(0)
    qtbot.mouseClick(view.escalated_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.save_tag_button, Qt.MouseButton.LeftButton)
    [esc] = gui_store.escalations_between(MONDAY, SUNDAY)
    assert (esc.to_role, esc.how, esc.told_at) == ("manager", None, clock.now)
    assert _cell(view.escalation_table, 0, esc_m.COL_HOW) == "not recorded"


def test_capacity_in_the_week_view_is_numbers_only(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("intake", "2026-11-16 09:00", "09:50")
    add_entry("individual", "2026-11-16 10:00", "10:50")
    view = _open_week(qtbot, window)
    assert view.values["capacity"].text() == "not recorded"
    assert "Numbers only" in CAPACITY_NOTE and "Nothing about any patient" in CAPACITY_NOTE
    assert view.capacity_day_combo.currentText() == "Tue 17 Nov"  # today
    view.caseload_spin.setValue(115)
    view.not_offered_spin.setValue(6)
    qtbot.mouseClick(view.log_capacity_button, Qt.MouseButton.LeftButton)
    assert gui_store.capacity_between(MONDAY, SUNDAY) == [
        CapacityObservation(day=TUESDAY, caseload=115, return_not_offered=6)]
    assert view.values["capacity"].text() == \
        "caseload 115; not offered a return in time 6; 1 new, 1 return visits"


def test_days_without_a_break_and_the_what_if_line(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    add_entry("documentation", "2026-11-16 09:00", "11:00")
    add_entry("individual", "2026-11-17 09:00", "09:50")
    add_entry("break", "2026-11-17 12:30", "13:00")
    add_entry("individual", "2026-11-18 09:00", "12:00")
    clock.set(gui_store, "2026-11-23 09:00")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    assert view.values["no_break"].text() == "2 (Mon 16 Nov, Wed 18 Nov)"
    assert view.what_if_label.text() == ""
    view.what_if_combo.setCurrentIndex(view.what_if_combo.findData("kaiser-socal-2024"))
    # Under 5 h per 40 h: 2 h of 5 h this week (40 %); no week of the twelve is met.
    assert view.what_if_label.text() == (
        "Under Kaiser SoCal 2024–2028 contract: 5 h guaranteed: met in 0 of 12 weeks up to this "
        "one. This week under it: Protected time not met: 2 h 0 m of 5 h 0 m, 40 %.")
    assert "example — check your own contract" in view.what_if_label.toolTip()
