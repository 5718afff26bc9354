"""The Week view: the ledger's words and numbers for a hand-built week, and block tagging."""

from __future__ import annotations

from datetime import date

import pytest
from carelog.core.domain.models import (
    REASON_LABELS,
    AccessObservation,
    BlockTag,
    ErosionReason,
    Leave,
)
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.domain.timeutil import Period, fmt_minutes
from carelog.core.ledger.compute import progress_sentence
from carelog.core.ledger.load import load_ledger
from carelog.core.store.database import Store
from carelog.gui.main_window import TAB_WEEK, MainWindow
from carelog.gui.models.block_table_model import COL_ESCALATED, COL_OUTCOME, COL_REASON
from carelog.gui.theme import status_colour
from carelog.gui.views.today.day_view import NO_SCHEDULE_LINE
from carelog.gui.views.week.week_view import WeekView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from .conftest import SCHEDULE_TOML, AddEntry, Clock

MONDAY, TUESDAY, SUNDAY = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 22)


def _build_week(add_entry: AddEntry) -> None:
    """Two hours of charting in hours, an evening of messages, and the Tue block booked over."""
    add_entry("documentation", "2026-11-16 09:00", "11:00")
    add_entry("messages", "2026-11-16 19:00", "20:00")
    add_entry("individual", "2026-11-17 16:00", "16:50")
    add_entry("individual", "2026-11-18 09:00", "12:00")


def _open_week(qtbot: QtBot, window: MainWindow) -> WeekView:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == TAB_WEEK
    return window.week_view


def _cell(table: QTableView, row: int, col: int) -> str:
    model = table.model()
    return model.data(model.index(row, col))


def test_status_text_is_exactly_what_the_ledger_says(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    _build_week(add_entry)
    clock.set(gui_store, "2026-11-23 09:00")  # the week is over: it gets its verdict
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    week = load_ledger(gui_store, Period(MONDAY, SUNDAY), clock.now).weeks[0]

    assert view.title_label.text() == "Week 2026-W47 · 16–22 November 2026"
    assert view.status_text() == week.status_sentence()
    assert view.status_text() == "Protected time not met: 2 h 0 m of 7 h 30 m, 27 %"
    assert status_colour("not_met").name() in view.status_label.styleSheet()
    assert view.values["target"].text() == fmt_minutes(week.target_min) == "7 h 30 m"
    assert view.values["received"].text() == "2 h 0 m"
    assert view.values["shortfall"].text() == fmt_minutes(week.shortfall_min) == "5 h 30 m"
    assert view.values["ipc_after"].text() == "1 h 0 m"
    assert view.values["after_hours"].text() == "1 h 0 m"
    assert view.values["attainment"].text() == "27 %"
    assert view.values["direct"].text() == "3 h 50 m"
    assert view.shortfall_label.text().startswith("Shortfall: 5 h 30 m")
    assert view.rule_label.text() == \
        "Target rule: 20 % of expected hours after a 2.5 h meeting allowance per 40 h."
    assert view.block_proxy.rowCount() == 1
    assert _cell(view.block_table, 0, COL_OUTCOME) == "booked over 50 m, unlogged 10 m"
    assert _cell(view.block_table, 0, COL_REASON) == "—"
    assert view.category_total_label.text().startswith("All IPC this week: 3 h 0 m")
    mix = view.category_proxy
    assert (mix.data(mix.index(0, 0)), mix.data(mix.index(0, 1))) == ("Charting", "2 h 0 m")


def test_every_number_explains_how_it_is_computed(window: MainWindow) -> None:
    for key, label in window.week_view.values.items():
        assert len(label.toolTip()) > 20, key
    assert "inside your scheduled working hours" in window.week_view.values["received"].toolTip()


def test_a_met_week_is_green(qtbot: QtBot, window: MainWindow, add_entry: AddEntry,
                            gui_store: Store, clock: Clock) -> None:
    add_entry("documentation", "2026-11-16 08:30", "12:30")
    add_entry("documentation", "2026-11-17 08:30", "12:30")
    clock.set(gui_store, "2026-11-23 09:00")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    assert view.status_text().startswith("Protected time met: 8 h 0 m of 7 h 30 m")
    assert status_colour("met").name() in view.status_label.styleSheet()


def test_tagging_a_block_writes_the_tag_and_shows_the_reason(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    _build_week(add_entry)
    clock.set(gui_store, "2026-11-17 17:30")  # the Tuesday block is over
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    assert not view.save_tag_button.isEnabled()

    rect = view.block_table.visualRect(view.block_proxy.index(0, 0))
    qtbot.mouseClick(view.block_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected_block_label.text() == \
        "Tue 17 Nov 16:00–17:00 IPC: booked over 50 m, unlogged 10 m"
    label = REASON_LABELS[ErosionReason.URGENT_OVERFLOW]
    view.reason_combo.setFocus()
    qtbot.keyClicks(view.reason_combo, label)
    assert view.reason_combo.currentText() == label
    qtbot.mouseClick(view.escalated_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.save_tag_button, Qt.MouseButton.LeftButton)

    assert gui_store.block_tags_between(MONDAY, SUNDAY) == [
        BlockTag(day=TUESDAY, start_minute=16 * 60, reason=ErosionReason.URGENT_OVERFLOW,
                 escalated=True)]
    assert _cell(view.block_table, 0, COL_REASON) == label
    assert _cell(view.block_table, 0, COL_ESCALATED) == "Yes"
    assert "Tagged the 16:00 block on Tue 17 Nov" in window.statusBar().currentMessage()
    # The block stays selected, so the tag can be changed or removed at once.
    assert view.selected_block() is not None
    assert view.remove_tag_button.isEnabled()

    qtbot.mouseClick(view.remove_tag_button, Qt.MouseButton.LeftButton)
    assert gui_store.block_tags_between(MONDAY, SUNDAY) == []
    assert _cell(view.block_table, 0, COL_REASON) == "—"


def test_leave_and_access_of_the_week(
        qtbot: QtBot, window: MainWindow, gui_store: Store) -> None:
    gui_store.add_leave(Leave(day=date(2026, 11, 20)))
    gui_store.add_leave(Leave(day=TUESDAY, minutes=120))
    gui_store.log_access(AccessObservation(day=date(2026, 11, 19), days=14))
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    week = load_ledger(gui_store, Period(MONDAY, SUNDAY), window.state.now()).weeks[0]
    assert view.values["leave_days"].text() == \
        "Tue 17 Nov (pto, 2 h 0 m), Fri 20 Nov (pto, whole day)"
    assert view.values["leave"].text() == fmt_minutes(week.leave_min) == "10 h 0 m"
    assert view.values["expected"].text() == "30 h 0 m"
    # Tuesday afternoon: the week is under way, so the target says what is due by now.
    assert view.values["target"].text() == (f"{fmt_minutes(week.target_min)} "
                                            f"({fmt_minutes(week.target_so_far_min)} due by now)")
    assert view.values["access"].text() == "14 business days (beyond the 10-day standard)"
    # The Tuesday block falls on a (partial) leave day, so it is not counted.
    assert view.block_proxy.rowCount() == 0
    assert view.no_blocks_label.text() == \
        "Every protected block of this week fell on leave, so none is counted."


def test_week_navigation_follows_the_selected_day(qtbot: QtBot, window: MainWindow) -> None:
    view = _open_week(qtbot, window)
    assert not view.this_week_button.isEnabled()
    qtbot.mouseClick(view.prev_button, Qt.MouseButton.LeftButton)
    assert view.title_label.text() == "Week 2026-W46 · 9–15 November 2026"
    assert window.state.day == date(2026, 11, 10)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.title_label.text() == "Week 2026-W48 · 23–29 November 2026"
    assert window.next_action.text() == "&Next week"
    qtbot.mouseClick(view.this_week_button, Qt.MouseButton.LeftButton)
    assert view.title_label.text().startswith("Week 2026-W47")


def test_without_a_schedule_the_week_says_how_to_set_one(
        qtbot: QtBot, make_window, bare_store: Store) -> None:
    window = make_window(bare_store)
    assert window.day_view.week_label.text() == NO_SCHEDULE_LINE
    view = _open_week(qtbot, window)
    assert view.stack.currentWidget() is view.no_schedule_page
    assert view.status_text() == ""
    assert "needs your schedule" in view.no_schedule_label.text()
    # No file to write and no command to type: a button opens the set-up guide.
    assert "TOML" not in view.no_schedule_label.text()
    qtbot.mouseClick(view.setup_button, Qt.MouseButton.LeftButton)
    assert window.welcome_dialog is not None
    qtbot.waitUntil(window.welcome_dialog.isVisible)
    window.welcome_dialog.close()

    bare_store.save_schedule(parse_schedule_toml(SCHEDULE_TOML))
    qtbot.mouseClick(view.check_again_button, Qt.MouseButton.LeftButton)
    assert view.stack.currentWidget() is view.ledger_page
    assert view.status_text() != ""


def test_a_week_before_the_first_schedule_says_so(
        qtbot: QtBot, make_window, gui_store: Store) -> None:
    window = make_window(gui_store, today=date(2025, 12, 10))
    view = _open_week(qtbot, window)
    assert view.status_text() == "No protected-time target this week (no expected hours)."
    assert view.rule_label.text() == \
        "This week is before your first schedule, which is in force from 2026-01-05."


def test_the_window_and_the_command_line_show_the_same_numbers(
        qtbot: QtBot, window: MainWindow, add_entry: AddEntry, gui_store: Store, clock: Clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import json
    from contextlib import redirect_stdout

    from carelog.core.cli.main import main

    _build_week(add_entry)
    # The same "now" for both front ends: Wednesday noon, the week under way.
    clock.set(gui_store, "2026-11-18 12:00")
    monkeypatch.setenv("CARELOG_NOW", "2026-11-18T12:00:00-08:00")
    window.state.notify_changed()  # the entries were written behind the window's back
    view = _open_week(qtbot, window)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(gui_store.path), "summary", "--week", "2026-W47",
                     "--format", "json"]) == 0
    w = json.loads(out.getvalue())["weeks"][0]
    shown = {key: view.values[key].text() for key in view.values}
    assert shown["target"] == (f"{fmt_minutes(w['target_min'])} "
                               f"({fmt_minutes(w['target_so_far_min'])} due by now)")
    assert shown["received"] == fmt_minutes(w["ipc_in_hours_min"])
    assert shown["ipc_after"] == fmt_minutes(w["ipc_after_hours_min"])
    assert shown["after_hours"] == fmt_minutes(w["after_hours_min"])
    assert shown["shortfall"] == f"{fmt_minutes(w['shortfall_min'])} behind what is due by now"
    assert shown["expected"] == fmt_minutes(w["expected_min"])
    assert shown["direct"] == fmt_minutes(w["direct_min"])
    assert shown["attainment"] == f"{round(w['attainment'] * 100)} % of what is due by now"
    assert (w["status"], w["complete"]) == ("in_progress", False)
    assert view.status_label.text() == progress_sentence(w["ipc_in_hours_min"],
                                                         w["target_so_far_min"])
    # The hand-checked values themselves: 2 h charting of a 7 h 30 m target (3 h 39 m due by
    # Wednesday noon), 1 h after hours.
    assert (w["target_min"], w["target_so_far_min"], w["ipc_in_hours_min"],
            w["ipc_after_hours_min"]) == (450, 219, 120, 60)


def test_a_week_under_way_says_what_is_due_by_now_not_a_verdict(
        qtbot: QtBot, window: MainWindow, gui_store: Store, add_entry: AddEntry,
        clock: Clock) -> None:
    add_entry("documentation", "2026-11-16 09:00", "11:00")   # 120 in hours
    add_entry("messages", "2026-11-18 09:00", "09:50")        # 50 in hours
    add_entry("documentation", "2026-11-19 16:00", "17:00")   # planned for Thursday
    clock.set(gui_store, "2026-11-18 12:00")
    window.state.notify_changed()
    view = _open_week(qtbot, window)
    # Due by Wednesday noon: 480 + 480 + 210 expected minutes, 0.1875 × 1170 = 219 m.
    assert view.status_text() == \
        "So far this week: 2 h 50 m of 3 h 39 m due by now — behind by 49 m"
    assert "not met" not in view.status_text()
