"""The day timeline: what it draws, clicks on entries, and edge drags saved through core."""

from __future__ import annotations

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.models import Leave
from carelog.core.domain.timeutil import parse_local
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.theme import status_colour
from carelog.gui.views.today.timeline import SNAP_MIN, DayTimeline
from carelog.gui.views.today.timeline_canvas import class_colour
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from .conftest import TODAY, AddEntry, ShowWidget


@pytest.fixture
def timeline(show: ShowWidget, state: AppState) -> DayTimeline:
    """A timeline shown at a realistic width."""
    return show(DayTimeline(state), 960, 120)


def _at(w: DayTimeline, minute: float) -> QPoint:
    """A point on the track at a wall-clock minute (vertically centred on the entries)."""
    return QPoint(round(w.x_for_minute(minute)), round(w._track().center().y()))


def _image(w: DayTimeline) -> QImage:
    image = w.grab().toImage()
    return image.scaled(w.width(), w.height()) if image.width() != w.width() else image


def _column_has(image: QImage, x: int, colour: QColor) -> bool:
    for y in range(image.height()):
        c = image.pixelColor(x, y)
        if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) \
                + abs(c.blue() - colour.blue()) <= 6:
            return True
    return False


def _minutes(store: Store, entry_id: int) -> tuple[int, int]:
    e = store.get_entry(entry_id)
    midnight = parse_local(f"{TODAY} 00:00", store.tz)
    return (e.start - midnight) // 60, (e.end - midnight) // 60


def _drag(qtbot: QtBot, w: DayTimeline, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, start.y())
    for p in (mid, end):
        qtbot.mouseMove(w, p)
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=end)


def _drag_edge(qtbot: QtBot, w: DayTimeline, edge: QPoint, minute: int) -> None:
    """Drag an entry's edge along the axis to the wall-clock minute `minute`."""
    _drag(qtbot, w, edge, QPoint(round(w.x_for_minute(minute)), edge.y()))


def test_entries_are_painted_in_their_class_colours_at_their_times(
        timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    add_entry("documentation", f"{TODAY} 09:00", "09:50")
    add_entry("individual", f"{TODAY} 10:00", "10:50")
    state.notify_changed()
    image = _image(timeline)
    ipc = class_colour("ipc", timeline.palette())
    direct = class_colour("direct", timeline.palette())
    x_ipc = round(timeline.x_for_minute(9 * 60 + 5))
    x_direct = round(timeline.x_for_minute(10 * 60 + 5))
    assert _column_has(image, x_ipc, ipc)
    assert not _column_has(image, x_ipc, direct)
    assert _column_has(image, x_direct, direct)
    # 08:00 is outside working hours and holds no entry.
    assert not _column_has(image, round(timeline.x_for_minute(8 * 60 + 5)), ipc)


def test_the_window_widens_to_hold_an_evening_entry(
        timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    assert timeline.window_minutes == (7 * 60, 19 * 60)
    add_entry("documentation", f"{TODAY} 21:10", "21:40")
    state.notify_changed()
    assert timeline.window_minutes == (7 * 60, 22 * 60)
    assert timeline.minute_for_x(timeline.x_for_minute(21 * 60 + 10)) == pytest.approx(1270)


def test_clicking_an_entry_reports_its_id(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    first = add_entry("documentation", f"{TODAY} 09:00", "09:50")
    second = add_entry("individual", f"{TODAY} 10:00", "10:50")
    state.notify_changed()
    with qtbot.waitSignal(timeline.entry_clicked) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=_at(timeline, 10 * 60 + 25))
    assert blocker.args == [second]
    with qtbot.waitSignal(timeline.entry_clicked) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=_at(timeline, 9 * 60 + 25))
    assert blocker.args == [first]


def test_keyboard_moves_between_entries_and_enter_opens_one(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    add_entry("documentation", f"{TODAY} 09:00", "09:50")
    second = add_entry("individual", f"{TODAY} 10:00", "10:50")
    state.notify_changed()
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    with qtbot.waitSignal(timeline.entry_clicked) as blocker:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)
    assert blocker.args == [second]


def _drawn(timeline: DayTimeline, state: AppState, entry_id: int) -> QRectF:
    """Where the timeline draws an entry once it has been told the log changed."""
    state.notify_changed()
    rect = timeline.item_rect(entry_id)
    assert rect is not None
    return rect


def _start_edge(rect: QRectF) -> QPoint:
    """A point just inside the start edge of an entry drawn at rect."""
    return QPoint(round(rect.left()) + 1, round(rect.center().y()))


def _end_edge(rect: QRectF) -> QPoint:
    """A point just inside the end edge of an entry drawn at rect."""
    return QPoint(round(rect.right()) - 1, round(rect.center().y()))


def test_dragging_the_right_edge_changes_the_end_in_five_minute_steps(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState,
        gui_store: Store) -> None:
    entry_id = add_entry("documentation", f"{TODAY} 09:00", "09:50")
    edge = _end_edge(_drawn(timeline, state, entry_id))
    # 17 minutes to the right snaps to 15.
    with qtbot.waitSignal(state.data_changed):
        _drag_edge(qtbot, timeline, edge, 9 * 60 + 50 + 17)
    assert _minutes(gui_store, entry_id) == (9 * 60, 10 * 60 + 5)
    assert (10 * 60 + 5) % SNAP_MIN == 0
    assert "10:05" in timeline.last_message
    assert gui_store.history(entry_id)[-1].via is Via.TIMELINE


def test_dragging_the_left_edge_changes_the_start(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState,
        gui_store: Store) -> None:
    entry_id = add_entry("individual", f"{TODAY} 10:00", "10:50")
    edge = _start_edge(_drawn(timeline, state, entry_id))
    with qtbot.waitSignal(state.data_changed):
        _drag_edge(qtbot, timeline, edge, 9 * 60 + 41)
    assert _minutes(gui_store, entry_id) == (9 * 60 + 40, 10 * 60 + 50)


def test_dragging_into_another_entry_is_refused_and_snaps_back(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState,
        gui_store: Store) -> None:
    entry_id = add_entry("documentation", f"{TODAY} 09:00", "09:50")
    add_entry("individual", f"{TODAY} 10:00", "10:50")
    rect = _drawn(timeline, state, entry_id)
    edge = _end_edge(rect)
    changes: list[None] = []
    state.data_changed.connect(lambda: changes.append(None))
    with qtbot.waitSignal(state.message) as blocker:
        _drag_edge(qtbot, timeline, edge, 10 * 60 + 20)
    assert "overlaps Session 10:00–10:50" in blocker.args[0]
    assert _minutes(gui_store, entry_id) == (9 * 60, 9 * 60 + 50)
    assert not changes
    assert timeline.item_rect(entry_id) == rect


def test_the_cursor_shows_where_an_edge_can_be_dragged(
        qtbot: QtBot, timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    entry_id = add_entry("documentation", f"{TODAY} 09:00", "09:50")
    rect = _drawn(timeline, state, entry_id)
    y = round(rect.center().y())
    qtbot.mouseMove(timeline, QPoint(round(rect.right()) - 1, y))
    assert timeline.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(timeline, QPoint(round(rect.center().x()), y))
    assert timeline.cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_tooltips_name_the_category_times_and_minutes(
        timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    add_entry("documentation", f"{TODAY} 09:00", "09:50")
    state.notify_changed()
    tip = timeline.tooltip_at(QPointF(_at(timeline, 9 * 60 + 20)))
    assert "Charting (IPC)" in tip
    assert "09:00–09:50, 50 m" in tip
    gap = timeline.tooltip_at(QPointF(_at(timeline, 14 * 60)))
    assert gap.startswith("Nothing logged 13:00–17:00")


def test_the_timeline_follows_the_selected_day(
        timeline: DayTimeline, add_entry: AddEntry, state: AppState) -> None:
    add_entry("documentation", f"{TODAY} 09:00", "09:50")
    state.notify_changed()
    assert len(timeline.layout_of_day.items) == 1
    state.shift_day(1)
    assert timeline.layout_of_day.day == state.day
    assert timeline.layout_of_day.items == []
    assert "nothing logged" in timeline.accessibleDescription()


def test_size_and_accessible_name(timeline: DayTimeline) -> None:
    assert timeline.accessibleName() == "Day timeline"
    assert timeline.minimumHeight() >= 90
    assert timeline.sizeHint().height() >= 90


def test_protected_blocks_are_outlined_and_muted_on_a_day_of_leave(
        timeline: DayTimeline, gui_store: Store, state: AppState) -> None:
    green = status_colour("met", timeline.palette())
    x = round(timeline.x_for_minute(16 * 60)) + 1  # the block's left outline, 16:00
    assert _column_has(_image(timeline), x, green)
    gui_store.add_leave(Leave(day=TODAY))
    state.notify_changed()
    assert not _column_has(_image(timeline), x, green)
    assert timeline.layout_of_day.gaps == []
