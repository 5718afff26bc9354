"""The week calendar: drawing, moving, resizing and filling entries by mouse and by keys."""

from __future__ import annotations

from datetime import date

import pytest
from carelog.core.domain.history import Reason, ReasonCode, Via
from carelog.core.domain.timeutil import parse_local, to_local
from carelog.core.store.database import Store
from carelog.gui.main_window import TAB_CALENDAR, TAB_TODAY, MainWindow
from carelog.gui.state import AppState
from carelog.gui.views.calendar.calendar_view import CalendarView
from carelog.gui.views.calendar.week_calendar import WeekCalendar
from carelog.gui.widgets.class_legend import class_colour
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import TODAY, AddEntry, ShowWidget

MON, TUE, WED = 0, 1, 2


@pytest.fixture
def state(clocked_state: AppState) -> AppState:
    """Tuesday 17 November 2026 at 15:00 by the test's clock: the week is under way."""
    return clocked_state


@pytest.fixture
def view(show: ShowWidget, state: AppState) -> CalendarView:
    """The calendar view shown at a working size, on the week of Tuesday 17 November 2026."""
    return show(CalendarView(state), 1100, 760)


def _drag(qtbot: QtBot, w: WeekCalendar, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    for p in (mid, end):
        qtbot.mouseMove(w, p)
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=end)


def _choose(qtbot: QtBot, w: WeekCalendar, label: str) -> None:
    """Pick a category in the menu that pops up, as a person would."""
    qtbot.waitUntil(w.category_menu.isVisible)
    [action] = [a for a in w.category_menu.actions() if a.text() == label]
    w.category_menu.setActiveAction(action)
    qtbot.keyClick(w.category_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not w.category_menu.isVisible())


def _spans(store: Store) -> list[tuple[str, str, str]]:
    return [(e.category, f"{to_local(e.start, store.tz):%a %H:%M}",
             f"{to_local(e.end, store.tz):%H:%M}") for e in store.all_entries()]


def test_the_week_of_the_selected_day_is_shown_with_a_legend(view: CalendarView) -> None:
    assert view.calendar.days[0] == date(2026, 11, 16)
    assert view.week_label.text() == "16–22 November 2026"
    assert view.legend.words()[:4] == ["IPC", "Direct care", "Other work", "Break"]
    assert "Planned" in view.legend.words() and "Protected block" in view.legend.words()
    assert not view.no_schedule_row.isVisible()


def test_dragging_on_empty_time_logs_an_entry_of_the_chosen_category(
        qtbot: QtBot, view: CalendarView, gui_store: Store) -> None:
    cal = view.calendar
    _drag(qtbot, cal, cal.point_at(MON, 9 * 60), cal.point_at(MON, 9 * 60 + 45))
    _choose(qtbot, cal, "Charting")
    assert _spans(gui_store) == [("documentation", "Mon 09:00", "09:45")]
    [e] = gui_store.all_entries()
    assert gui_store.history(int(e.id or 0))[-1].via is Via.CALENDAR
    assert cal.last_message == "Logged Charting 09:00–09:45 on Mon 16 Nov."
    gui_store.undo()
    assert gui_store.count_entries() == 0


def test_clicking_an_unlogged_gap_fills_it(qtbot: QtBot, view: CalendarView,
                                           add_entry: AddEntry, state: AppState,
                                           gui_store: Store) -> None:
    add_entry("individual", "2026-11-16 08:30", "10:00")
    add_entry("individual", "2026-11-16 10:30", "12:30")
    state.notify_changed()
    cal = view.calendar
    assert cal.gap_at(MON, 10 * 60 + 10) == (600, 630)
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=cal.point_at(MON, 10 * 60 + 15))
    _choose(qtbot, cal, "Messages")
    assert ("messages", "Mon 10:00", "10:30") in _spans(gui_store)


def test_an_entry_moves_to_another_day_and_its_edge_changes_its_end(
        qtbot: QtBot, view: CalendarView, add_entry: AddEntry, state: AppState,
        gui_store: Store) -> None:
    entry_id = add_entry("documentation", "2026-11-16 09:00", "09:30")
    state.notify_changed()
    cal = view.calendar
    _drag(qtbot, cal, cal.point_at(MON, 9 * 60 + 15), cal.point_at(WED, 11 * 60 + 15))
    assert _spans(gui_store) == [("documentation", "Wed 11:00", "11:30")]
    assert cal.selected_id == entry_id
    rect = cal.item_rect(entry_id)
    assert rect is not None
    bottom = QPoint(round(rect.center().x()), round(rect.bottom()) - 1)
    _drag(qtbot, cal, bottom, cal.point_at(WED, 12 * 60))
    assert _spans(gui_store) == [("documentation", "Wed 11:00", "12:00")]
    gui_store.undo()
    assert _spans(gui_store) == [("documentation", "Wed 11:00", "11:30")]


def test_a_move_onto_another_entry_is_refused_by_name_and_nothing_moves(
        qtbot: QtBot, view: CalendarView, add_entry: AddEntry, state: AppState,
        gui_store: Store) -> None:
    add_entry("documentation", "2026-11-16 09:00", "09:30")
    add_entry("individual", "2026-11-16 10:00", "10:50")
    state.notify_changed()
    cal = view.calendar
    with qtbot.waitSignal(state.message) as said:
        _drag(qtbot, cal, cal.point_at(MON, 9 * 60 + 10), cal.point_at(MON, 10 * 60 + 10))
    assert said.args[0].startswith("2026-11-16 10:00–10:30 overlaps Session 10:00–10:50")
    assert ("documentation", "Mon 09:00", "09:30") in _spans(gui_store)


def test_a_sealed_week_asks_why_before_the_change(qtbot: QtBot, view: CalendarView,
                                                  add_entry: AddEntry, state: AppState,
                                                  gui_store: Store) -> None:
    entry_id = add_entry("documentation", "2026-11-16 09:00", "09:30")
    gui_store.seal_weeks([("2026-W47", parse_local("2026-11-16 00:00", gui_store.tz),
                           parse_local("2026-11-23 00:00", gui_store.tz))])
    state.notify_changed()
    cal = view.calendar
    asked: list[str] = []
    cal.ask_reason = lambda parent, sentence: asked.append(sentence)  # type: ignore[func-returns-value]
    _drag(qtbot, cal, cal.point_at(MON, 9 * 60 + 15), cal.point_at(MON, 13 * 60 + 15))
    assert asked and "sealed" in asked[0]
    assert _spans(gui_store) == [("documentation", "Mon 09:00", "09:30")]  # cancelled
    cal.ask_reason = lambda parent, sentence: Reason(ReasonCode.CORRECTION, "wrong time")
    _drag(qtbot, cal, cal.point_at(MON, 9 * 60 + 15), cal.point_at(MON, 13 * 60 + 15))
    assert _spans(gui_store) == [("documentation", "Mon 13:00", "13:30")]
    assert gui_store.history(entry_id)[-1].reason is not None


def test_every_mouse_action_has_keys(qtbot: QtBot, view: CalendarView, add_entry: AddEntry,
                                     state: AppState, gui_store: Store) -> None:
    cal = view.calendar
    cal.setFocus()
    qtbot.waitUntil(cal.hasFocus)
    qtbot.keyClick(cal, Qt.Key.Key_Right)
    for _ in range(2):
        qtbot.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert cal.key_cursor == (TUE, 9 * 60)
    qtbot.keyClick(cal, Qt.Key.Key_Return)
    _choose(qtbot, cal, "Messages")
    assert _spans(gui_store) == [("messages", "Tue 09:00", "09:30")]
    cal.setFocus()
    qtbot.keyClick(cal, Qt.Key.Key_Tab)
    assert cal.selected_id is not None
    alt, shift, ctrl = (Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier,
                        Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Down, alt)
    assert _spans(gui_store) == [("messages", "Tue 09:05", "09:35")]
    qtbot.keyClick(cal, Qt.Key.Key_Right, alt)
    assert _spans(gui_store) == [("messages", "Wed 09:05", "09:35")]
    qtbot.keyClick(cal, Qt.Key.Key_Down, alt | shift)
    assert _spans(gui_store) == [("messages", "Wed 09:05", "09:40")]
    qtbot.keyClick(cal, Qt.Key.Key_Up, ctrl | shift)
    assert _spans(gui_store) == [("messages", "Wed 09:00", "09:40")]
    assert state.day == TODAY  # Alt+Left/Right moved the entry, not the day shown


def test_planned_entries_are_outlined_not_filled(view: CalendarView, add_entry: AddEntry,
                                                 state: AppState) -> None:
    past = add_entry("documentation", "2026-11-17 09:00", "10:00")
    planned = add_entry("documentation", "2026-11-18 09:00", "10:00")  # after now
    state.notify_changed()
    cal = view.calendar
    image = cal.grab().toImage()
    fill = class_colour("ipc", cal.palette())
    for entry_id, filled in ((past, True), (planned, False)):
        rect = cal.item_rect(entry_id)
        assert rect is not None
        centre = image.pixelColor(round(rect.center().x()), round(rect.center().y() + 8))
        assert (centre == fill) is filled


def test_double_clicking_an_entry_opens_it_in_today(qtbot: QtBot, window: MainWindow,
                                                    add_entry: AddEntry) -> None:
    entry_id = add_entry("documentation", "2026-11-19 09:00", "09:30")
    window.tabs.setCurrentIndex(TAB_CALENDAR)
    cal = window.calendar_view.calendar
    rect = cal.item_rect(entry_id)
    assert rect is not None
    qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.tabs.currentIndex() == TAB_TODAY
    assert window.state.day == date(2026, 11, 19)
    assert window.day_view.selected_entry_id() == entry_id


def test_without_a_schedule_a_button_leads_to_the_schedule(
        qtbot: QtBot, make_window, bare_store: Store) -> None:
    window = make_window(bare_store)
    if getattr(window, "welcome_dialog", None) is not None:
        window.welcome_dialog.close()
    window.tabs.setCurrentIndex(TAB_CALENDAR)
    view = window.calendar_view
    assert view.no_schedule_row.isVisible()
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.welcome_dialog.isVisible())
    window.welcome_dialog.close()
