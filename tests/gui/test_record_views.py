"""The record in the window: the History dialog, the marks in the day's table, the reason field."""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.history import ReasonCode, Via
from carelog.core.domain.timeutil import Period, parse_local
from carelog.core.exporting.record import seal_period
from carelog.core.store.database import Store
from carelog.gui.dialogs.history_dialog import HistoryDialog
from carelog.gui.main_window import MainWindow
from carelog.gui.models.entry_table_model import COL_RECORD
from carelog.gui.models.history_table_model import (
    COL_ACTION,
    COL_CHANGES,
    COL_REASON,
    COL_VIA,
    COL_WHEN,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from .conftest import TODAY, AddEntry
from .conftest import choose as _choose
from .conftest import type_into as _type

LAST_WEEK = TODAY - timedelta(days=7)  # Tuesday 10 November, in the week 2026-W46


def _select(qtbot: QtBot, window: MainWindow, row: int) -> None:
    table = window.day_view.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _history_dialog() -> HistoryDialog:
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, HistoryDialog) and w.isVisible()]
    return dialog


def test_the_history_dialog_shows_every_version_of_the_selected_entry(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    entry_id = add_entry("documentation", "2026-11-17 09:00", "09:30", note="secret words")
    gui_store.edit_entry(entry_id, end=parse_local("2026-11-17 09:45", gui_store.tz),
                         note="other secret", via=Via.TIMELINE)
    window.state.notify_changed()
    _select(qtbot, window, 0)
    window.history_action.trigger()
    dialog = _history_dialog()
    model = dialog.model
    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    assert [(r[COL_ACTION], r[COL_VIA]) for r in cells] == [("added", "command line"),
                                                           ("changed", "timeline drag")]
    assert cells[1][COL_CHANGES] == "end 2026-11-17 09:30 → 09:45; note changed"
    assert cells[0][COL_WHEN] == "2026-12-01 12:00"  # the tests' now, in Los Angeles
    assert not any("secret" in str(c) for r in cells for c in r)
    assert dialog.title.text().startswith("Charting 2026-11-17 09:00")
    dialog.close()
    qtbot.waitUntil(lambda: not any(isinstance(w, HistoryDialog) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()))


def test_history_without_a_selected_entry_says_so(window: MainWindow) -> None:
    assert window.show_history() is None
    assert "Select an entry first" in window.statusBar().currentMessage()


def test_the_days_table_marks_entries_recorded_late(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry) -> None:
    add_entry("messages", "2026-11-10 09:00", "09:10")  # logged on 1 December: late
    window.state.set_day(LAST_WEEK)
    model = window.day_view.model
    assert model.data(model.index(0, COL_RECORD)) == "late"
    assert "recorded after the day" in model.data(model.index(0, COL_RECORD),
                                                  Qt.ItemDataRole.ToolTipRole)


def test_a_change_to_a_sealed_week_needs_a_reason_in_the_form(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    entry_id = add_entry("documentation", "2026-11-10 09:00", "09:30")
    seal_period(gui_store, Period(LAST_WEEK - timedelta(days=1), LAST_WEEK + timedelta(days=5)))
    window.state.set_day(LAST_WEEK)
    form = window.day_view.form
    assert not form.reason_combo.isVisible()  # nothing loaded yet... until the entry is
    _select(qtbot, window, 0)
    assert form.editing_id == entry_id
    assert form.reason_combo.isVisible() and form.reason_hint.isVisible()
    assert "2026-W46 was sealed" in form.reason_hint.text()

    _type(qtbot, form.minutes_edit, "45")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "needs a reason" in form.error_text("reason")
    assert gui_store.get_entry(entry_id).minutes == 30

    _choose(qtbot, form.reason_combo, "Correction of times or category")
    assert form.error_text("reason") == ""
    _type(qtbot, form.reason_edit, "forgot the follow-up call")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert gui_store.get_entry(entry_id).minutes == 45
    last = gui_store.history(entry_id)[-1]
    assert last.via is Via.WINDOW
    assert last.reason is not None and last.reason.code is ReasonCode.CORRECTION
    assert last.reason.text == "forgot the follow-up call"
    assert form.reason_combo.currentIndex() == 0  # ready for the next change

    window.show_history(entry_id)
    dialog = _history_dialog()
    reason = dialog.model.data(dialog.model.index(1, COL_REASON))
    assert reason == "Correction of times or category: forgot the follow-up call"
    dialog.close()


def test_a_week_view_states_when_its_minutes_were_recorded(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry) -> None:
    add_entry("documentation", "2026-11-10 09:00", "10:00")
    seal_period(gui_store, Period(date(2026, 11, 9), date(2026, 11, 15)))
    window.state.set_day(LAST_WEEK)
    window.tabs.setCurrentIndex(1)
    view = window.week_view
    qtbot.waitUntil(lambda: bool(view.record_label.text()))
    assert view.record_label.text() == (
        "0 % of logged minutes were recorded the same day, 0 % within a week, 100 % later. "
        "Sealed by a committee export, and unchanged since.")
