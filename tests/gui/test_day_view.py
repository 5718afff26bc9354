"""The Today view, driven the way a therapist uses it: typing, clicking, and shortcuts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from carelog.core.domain.errors import OverlapError
from carelog.core.domain.history import Via
from carelog.core.domain.privacy import warning_sentence
from carelog.core.domain.timeutil import Period, parse_local
from carelog.core.ledger.load import load_ledger
from carelog.core.store.database import Store
from carelog.gui.main_window import MainWindow
from carelog.gui.models.entry_table_model import COL_CATEGORY, COL_END, COL_MINUTES, COL_START
from carelog.gui.views.today.day_view import DayView
from carelog.gui.views.today.entry_form import EntryForm
from carelog.gui.views.today.entry_form_ui import TRIM_TEXT
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from .conftest import TODAY, AddEntry
from .conftest import choose as _choose
from .conftest import type_into as _type


def _fill(qtbot: QtBot, form: EntryForm, category: str, start: str, *,
          minutes: str | None = None, end: str | None = None, note: str = "") -> None:
    _choose(qtbot, form.category, category)
    _type(qtbot, form.start_edit, start)
    if minutes is not None:
        _type(qtbot, form.minutes_edit, minutes)
    if end is not None:
        _type(qtbot, form.end_edit, end)
    if note:
        _type(qtbot, form.note_edit, note)


def _rows(view: DayView) -> list[tuple[str, str, str, str]]:
    p = view.proxy
    return [tuple(p.data(p.index(r, c)) for c in (COL_START, COL_END, COL_MINUTES, COL_CATEGORY))
            for r in range(p.rowCount())]


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_an_entry_added_through_the_form_appears_in_the_table(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    view = window.day_view
    assert _rows(view) == []
    assert view.empty_label.isVisible()
    _fill(qtbot, view.form, "Session", "09:00", minutes="50")
    assert view.form.end_edit.text() == "09:50"  # end follows the minutes
    _click(qtbot, view.form.add_button)

    assert _rows(view) == [("09:00", "09:50", "50", "Session")]
    assert not view.empty_label.isVisible()
    assert gui_store.count_entries() == 1
    [event] = gui_store.history(int(gui_store.all_entries()[0].id or 0))
    assert event.via is Via.WINDOW
    assert view.totals_label.text() == "Logged 50 m: IPC 0 m, direct 50 m, other 0 m"
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo add Session 2026-11-17 09:00, 50 m"
    # The form is ready for the next stretch: it starts where this one ended.
    assert view.form.start_edit.text() == "09:50"
    assert view.form.editing_id is None


def test_an_end_time_fills_the_minutes_and_may_cross_midnight(
        qtbot: QtBot, window: MainWindow) -> None:
    view = window.day_view
    _fill(qtbot, view.form, "Charting", "23:30", end="00:15", note="late notes")
    assert view.form.minutes_edit.text() == "45"
    assert view.form.end_hint.text() == "ends Wed 18 Nov"
    qtbot.keyClick(view.form.note_edit, Qt.Key.Key_Return)

    assert _rows(view) == [("23:30 · planned", "2026-11-18 00:15", "45", "Charting")]
    window.state.shift_day(1)
    assert _rows(view) == [("2026-11-17 23:30 · planned", "00:15", "45", "Charting")]
    assert view.totals_label.text().startswith("Logged 15 m: IPC 15 m")


def test_an_overlap_is_explained_next_to_the_start_and_nothing_changes(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 09:00", "09:50")
    window.state.notify_changed()
    view, form = window.day_view, window.day_view.form
    before = _rows(view)
    with pytest.raises(OverlapError) as refused:
        gui_store.add_entry("messages", parse_local("2026-11-17 09:30", gui_store.tz),
                            parse_local("2026-11-17 10:00", gui_store.tz), via=Via.CLI)

    _fill(qtbot, form, "Messages", "09:30", minutes="30")
    _click(qtbot, form.add_button)

    assert form.error_text("start") == (
        f"{refused.value.message} To add only the free minutes, tick “{TRIM_TEXT}”.")
    label = form._errors["start"]
    assert label.isVisible()
    # Directly under the start field, above the end field.
    assert form.start_edit.geometry().bottom() <= label.geometry().top()
    end_top = form.end_edit.mapTo(form, form.end_edit.rect().topLeft()).y()
    assert label.geometry().bottom() <= end_top
    assert _rows(view) == before
    assert gui_store.count_entries() == 1
    # What was typed stays, ready to be corrected.
    assert (form.start_edit.text(), form.minutes_edit.text()) == ("09:30", "30")

    _type(qtbot, form.start_edit, "09:50")
    assert not label.isVisible()  # editing the field clears its message
    _click(qtbot, form.add_button)
    assert _rows(view)[-1] == ("09:50", "10:20", "30", "Messages")


def test_fit_around_time_already_logged_adds_only_the_free_part(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 09:00", "09:50")
    window.state.notify_changed()
    form = window.day_view.form
    _fill(qtbot, form, "Charting", "09:30", end="10:00")
    qtbot.mouseClick(form.trim_check, Qt.MouseButton.LeftButton)
    assert form.trim_check.isChecked()
    _click(qtbot, form.add_button)
    assert _rows(window.day_view) == [("09:00", "09:50", "50", "Session"),
                                      ("09:50", "10:00", "10", "Charting")]


@pytest.mark.parametrize(("field", "text", "message"), [
    ("start", "9.00", "The start '9.00' is not a time; write it as HH:MM."),
    ("end", "25:00", "The end '25:00' is not a time; write it as HH:MM."),
    ("minutes", "ten", "The minutes 'ten' are not a whole number."),
])
def test_a_bad_value_is_named_under_its_own_field(
        qtbot: QtBot, window: MainWindow, gui_store: Store, field: str, text: str,
        message: str) -> None:
    form = window.day_view.form
    values = {"start": "09:00", "end": None, "minutes": None}
    values[field] = text
    _fill(qtbot, form, "Charting", values["start"] or "", end=values["end"],
          minutes=values["minutes"])
    _click(qtbot, form.add_button)
    assert form.error_text(field) == message
    assert all(form.error_text(f) == "" for f in ("category", "start", "end", "minutes")
               if f != field)
    assert gui_store.count_entries() == 0


def test_an_empty_form_asks_for_the_start(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    _click(qtbot, window.day_view.form.add_button)
    assert window.day_view.form.error_text("start") == "Give the start time, as HH:MM."
    assert gui_store.count_entries() == 0


def test_an_edit_that_would_overlap_is_refused_next_to_the_start(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 09:00", "09:50")
    second = add_entry("documentation", "2026-11-17 10:00", "10:20")
    window.state.notify_changed()
    view, form = window.day_view, window.day_view.form
    _click_row(qtbot, view.table, 1)
    assert form.editing_id == second
    _type(qtbot, form.start_edit, "09:40")
    _click(qtbot, form.save_button)
    assert form.error_text("start").startswith(
        "2026-11-17 09:40–10:00 overlaps Session 09:00–09:50")
    assert TRIM_TEXT not in form.error_text("start")  # trimming is for new entries only
    assert gui_store.get_entry(second).minutes == 20
    assert _rows(view)[1] == ("10:00", "10:20", "20", "Charting")
    assert form.editing_id == second


def test_ctrl_z_removes_the_row_and_ctrl_shift_z_brings_it_back(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    view = window.day_view
    _fill(qtbot, view.form, "Messages", "08:30", minutes="15")
    _click(qtbot, view.form.add_button)
    assert len(_rows(view)) == 1

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _rows(view) == [])
    assert gui_store.count_entries() == 0
    assert not window.undo_action.isEnabled()
    assert window.redo_action.text() == "&Redo add Messages 2026-11-17 08:30, 15 m"
    assert window.statusBar().currentMessage() == "Undid: add Messages 2026-11-17 08:30, 15 m"

    qtbot.keyClick(view.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(_rows(view)) == 1)
    assert _rows(view) == [("08:30", "08:45", "15", "Messages")]

    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _rows(view) == [])
    qtbot.keyClick(view.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_rows(view)) == 1)


def test_ctrl_z_right_after_adding_from_the_keyboard_undoes_the_entry(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    view = window.day_view
    _fill(qtbot, view.form, "Messages", "08:30", minutes="3", note="voicemail")
    qtbot.keyClick(view.form.note_edit, Qt.Key.Key_Return)
    assert len(_rows(view)) == 1
    assert view.form.note_edit.hasFocus()
    qtbot.keyClick(view.form.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _rows(view) == [])
    # While there is typing to undo, Ctrl+Z undoes the typing.
    qtbot.keyClicks(view.form.note_edit, "abc")
    qtbot.keyClick(view.form.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.form.note_edit.text() == ""
    assert window.redo_action.isEnabled()


def test_day_navigation_changes_the_rows(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry) -> None:
    add_entry("meeting", "2026-11-16 13:00", "14:00")
    add_entry("intake", "2026-11-17 09:00", "09:50")
    window.state.notify_changed()
    view = window.day_view
    assert view.date_label.text() == "Tuesday 17 November 2026 (today)"
    assert _rows(view) == [("09:00", "09:50", "50", "Intake")]
    assert not view.today_button.isEnabled()

    _click(qtbot, view.prev_button)
    assert view.date_label.text() == "Monday 16 November 2026"
    assert _rows(view) == [("13:00", "14:00", "60", "Meeting")]
    assert view.form.form_date() == date(2026, 11, 16)  # new entries go on the day shown

    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert _rows(view) == [("09:00", "09:50", "50", "Intake")]
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert _rows(view) == []
    assert view.empty_label.isVisible()
    _click(qtbot, view.today_button)
    assert window.state.day == TODAY


def test_selecting_a_row_loads_it_for_editing_and_save_changes_it(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    entry_id = add_entry("individual", "2026-11-17 10:00", "10:50", note="weekly")
    window.state.notify_changed()
    view, form = window.day_view, window.day_view.form
    _click_row(qtbot, view.table, 0)

    assert form.editing_id == entry_id
    assert form.title() == "Edit the selected entry" and form.editing_id == entry_id
    assert (form.category.currentText(), form.start_edit.text(), form.end_edit.text(),
            form.minutes_edit.text(), form.note_edit.text()) == \
        ("Session", "10:00", "10:50", "50", "weekly")
    assert form.save_button.isEnabled() and form.delete_button.isEnabled()

    _type(qtbot, form.minutes_edit, "45")
    _choose(qtbot, form.category, "Intake")
    _click(qtbot, form.save_button)
    assert _rows(view) == [("10:00", "10:45", "45", "Intake")]
    assert gui_store.get_entry(entry_id).minutes == 45
    assert window.undo_action.text().startswith("&Undo edit Intake")

    _click(qtbot, form.clear_button)
    assert form.editing_id is None
    assert not view.table.selectionModel().hasSelection()
    assert not form.save_button.isEnabled()


def test_delete_key_deletes_the_selected_entry_and_undo_restores_it(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("admin", "2026-11-17 12:00", "12:30")
    window.state.notify_changed()
    view = window.day_view
    assert not window.delete_action.isEnabled()
    _click_row(qtbot, view.table, 0)
    assert window.delete_action.isEnabled()

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _rows(view) == [])
    assert gui_store.count_entries() == 0
    assert "Deleted Admin 2026-11-17 12:00, 30 m" in window.statusBar().currentMessage()
    assert view.form.editing_id is None

    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_rows(view)) == 1)


def test_delete_in_a_text_field_edits_the_text_not_the_log(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("admin", "2026-11-17 12:00", "12:30", note="xyz")
    window.state.notify_changed()
    view = window.day_view
    _click_row(qtbot, view.table, 0)
    view.form.note_edit.setFocus()
    view.form.note_edit.setCursorPosition(0)
    qtbot.keyClick(view.form.note_edit, Qt.Key.Key_Delete)
    assert view.form.note_edit.text() == "yz"
    assert gui_store.count_entries() == 1


def test_a_note_that_looks_like_an_identifier_gets_a_gentle_warning(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    form = window.day_view.form
    assert not form.note_warning.isVisible()
    _type(qtbot, form.note_edit, "called Jane Smith back")
    assert form.note_warning.isVisible()
    assert form.note_warning.text() == warning_sentence("called Jane Smith back")
    _type(qtbot, form.note_edit, "called back")
    assert not form.note_warning.isVisible()
    # Only a warning: the entry is still saved.
    _type(qtbot, form.note_edit, "called Jane Smith back")
    _type(qtbot, form.start_edit, "11:00")
    _type(qtbot, form.minutes_edit, "5")
    _click(qtbot, form.add_button)
    assert gui_store.count_entries() == 1


def test_totals_line_and_week_status_under_the_table(
        window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("documentation", "2026-11-17 08:30", "09:00")
    add_entry("messages", "2026-11-17 12:00", "12:50")
    add_entry("individual", "2026-11-17 09:00", "11:00")
    add_entry("individual", "2026-11-17 13:00", "15:00")
    add_entry("meeting", "2026-11-17 15:00", "15:50")
    add_entry("break", "2026-11-16 23:40", "2026-11-17 00:10")  # 10 m of it on this day
    window.state.notify_changed()
    view = window.day_view
    assert view.totals_label.text() == \
        "Logged 6 h 20 m: IPC 1 h 20 m, direct 4 h 0 m, other 50 m, break 10 m"
    week = load_ledger(gui_store, Period(date(2026, 11, 16), date(2026, 11, 22)),
                       window.state.now()).weeks[0]
    assert view.week_label.text() == f"Week 2026-W47: {week.status_sentence()}"
    # Tuesday 15:00: the week is under way, so it is measured against what is due by now.
    assert "So far this week: 1 h 0 m of 2 h 38 m due by now" in view.week_label.text()
    assert "not met" not in view.week_label.text()
    assert view.hours_label.text() == \
        "Scheduled 08:30–12:30, 13:00–17:00; protected 16:00–17:00 (IPC)."


def test_adding_on_another_date_shows_that_day(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    form = window.day_view.form
    form.date_edit.setFocus()
    form.date_edit.setDate(QDate(2026, 11, 19))
    _fill(qtbot, form, "Group prep", "14:00", minutes="20")
    _click(qtbot, form.add_button)
    assert window.state.day == date(2026, 11, 19)
    assert _rows(window.day_view) == [("14:00 · planned", "14:20", "20", "Group prep")]


def test_an_entry_undone_elsewhere_leaves_the_form(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry) -> None:
    add_entry("admin", "2026-11-17 12:00", "12:30")
    window.state.notify_changed()
    view = window.day_view
    _click_row(qtbot, view.table, 0)
    assert view.form.editing_id is not None
    window.undo_action.trigger()
    assert _rows(view) == []
    assert view.form.editing_id is None


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    for index in range(window.tabs.count()):  # every view is built when first shown
        window.tabs.setCurrentIndex(index)
    kinds = (QLineEdit, QComboBox, QPushButton, QCheckBox, QDateEdit, QTableView, QToolButton,
             QAbstractSpinBox)
    controls = [w for w in window.findChildren(QWidget)
                if isinstance(w, kinds)
                and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)
                and not w.objectName().startswith("qt_")]  # Qt's own, e.g. menu bar overflow
    assert len(controls) > 70
    unnamed = [w for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_the_window_opens_on_the_day_it_is_given(
        make_window, gui_store: Store) -> None:
    w = make_window(gui_store, today=TODAY + timedelta(days=3))
    assert w.day_view.date_label.text() == "Friday 20 November 2026 (today)"


def test_clicking_an_entry_on_the_timeline_selects_its_row_and_loads_it(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry) -> None:
    add_entry("individual", "2026-11-17 09:00", "09:50")
    second = add_entry("documentation", "2026-11-17 10:00", "10:30")
    window.state.notify_changed()
    view = window.day_view
    rect = view.timeline.item_rect(second)
    assert rect is not None
    qtbot.mouseClick(view.timeline, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.form.editing_id == second
    rows = view.table.selectionModel().selectedRows()
    assert [view.proxy.data(r) for r in rows] == ["10:00"]


def test_the_quick_bar_timeline_table_and_form_fit_a_1280_by_800_window(
        make_window, gui_store: Store) -> None:
    window = make_window(gui_store)
    window.resize(1280, 800)
    assert window.minimumSizeHint().width() <= 1280
    assert window.minimumSizeHint().height() <= 800
    view = window.day_view
    for part in (view.quick_bar, view.timeline, view.table, view.form):
        assert part.isVisible(), part.accessibleName()


def test_the_identifier_warning_offers_to_remove_the_text_everywhere(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    from carelog.core.domain.history import Via
    from carelog.core.store.lock import Holder, WriterLock
    from PySide6.QtWidgets import QInputDialog

    form = window.day_view.form
    gui_store.add_entry("admin", 1794945600, 1794946200, note="called Jane Smith back",
                        via=Via.WINDOW)
    gui_store.edit_entry(1, note="called back", via=Via.WINDOW)  # the undo journal keeps it
    _type(qtbot, form.note_edit, "message for Jane Smith")
    assert form.remove_everywhere_button.isVisible()
    _click(qtbot, form.remove_everywhere_button)
    dialog = form.remove_dialog
    assert isinstance(dialog, QInputDialog) and dialog.textValue() == "Jane Smith"
    lock = WriterLock.take(gui_store.path, Holder.WINDOW)  # as carelog-gui holds it
    try:
        dialog.accept()
        qtbot.waitUntil(lambda: form.scrub_operation is not None
                        and not form.scrub_operation.running, timeout=10_000)
    finally:
        lock.release()
    assert form.note_edit.text() == "message for"
    message = window.statusBar().currentMessage()
    assert message.startswith("Removed the text from") and "Jane" not in message
    journal = " ".join(str(r) for r in gui_store.conn.execute("SELECT * FROM journal"))
    assert "Jane Smith" not in journal
