"""The week calendar's input: drawing, moving and resizing entries with the mouse or the keys.

Drag on empty time to draw an entry (a small menu picks its category); click an unlogged gap to
fill it; drag an entry to move it (to another day too) or its top or bottom edge to change its
times. The keys do the same: arrows move a cursor, Shift+Up/Down chooses a span, Enter logs it
(or fills the gap under the cursor); Tab picks the next entry, Alt+arrows move it, Shift+Alt+
Up/Down change its end and Ctrl+Shift+Up/Down its start, Enter opens it in Today.

Every change goes through the same core calls as the entry form (validation, overlaps, the
reason a sealed week needs) and is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import CarelogError
from carelog.core.domain.history import Reason, Via
from carelog.core.domain.timeutil import fmt_minutes, week_monday
from carelog.core.ledger.day import TimelineItem, minute_to_instant, wall_minute
from carelog.core.ledger.load import load_days
from carelog.gui.dialogs.reason_dialog import Asker, ask_reason, with_reason
from carelog.gui.formatting import hhmm, long_day
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from carelog.gui.views.calendar.calendar_canvas import (
    DEFAULT_HOURS,
    SNAP_MIN,
    CalendarCanvas,
    Gesture,
    snap,
)
from carelog.gui.widgets.class_legend import CLASS_WORDS
from carelog.gui.widgets.painting import RepaintOnFocus, show_tooltip
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QHelpEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

KEY_STEP_MIN = 15
_ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)


class WeekCalendar(CalendarCanvas, RepaintOnFocus):
    """Seven days of entries to draw on, move and resize; changes go through core."""

    entry_activated = Signal(int)
    selection_changed = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(week_monday(state.day), state.store.tz, parent)
        self.state = state
        self.ask_reason: Asker = ask_reason
        self.last_message = ""
        self.pending: tuple[int, int, int] | None = None  # day, from, to of an entry to log
        self.category_menu = QMenu(self)
        self.category_menu.setAccessibleName("Category of the new entry")
        self.category_menu.triggered.connect(self._on_category_menu_triggered)
        self.setAccessibleName("Week calendar")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._fill_menu()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read the week holding the selected day again and redraw."""
        store = self.state.store
        self.monday = week_monday(self.state.day)
        self._tz = store.tz
        self._now = self.state.now()
        self._days = load_days(store, self.monday, now=self._now)
        self._today = self.state.today()
        registry = store.categories
        self._labels = {c.code: c.label for c in registry.all()}
        self._timer = self._timer_span()
        lo, hi = DEFAULT_HOURS
        for lay in self._days:
            for a, b in [*lay.working, *((it.start_min, it.end_min) for it in lay.items)]:
                lo, hi = min(lo, a), max(hi, b)
        self._hours = (max(0, lo // 60 * 60), min(1440, -(-hi // 60) * 60))
        self._gesture = None
        if self._selected is not None and self._find(self._selected) is None:
            self._selected = None
        self.setAccessibleDescription(self._summary())
        self.update()

    def _timer_span(self) -> tuple[int, int, int, str] | None:
        timer = self.state.timer
        if timer is None:
            return None
        for i, lay in enumerate(self._days):
            a = wall_minute(timer.started, lay.day, self._tz)
            if 0 <= a < 1440:
                b = min(1440, wall_minute(max(self._now, timer.started), lay.day, self._tz))
                return i, a, b, f"Timer: {self.state.store.categories.label_of(timer.category)}"
        return None

    def _fill_menu(self) -> None:
        self.category_menu.clear()
        registry = self.state.store.categories
        current: CategoryClass | None = None
        for info in registry.all():
            if info.cls != current:
                if current is not None:
                    self.category_menu.addSeparator()
                self.category_menu.addSection(CLASS_WORDS.get(info.cls.value, ""))
                current = info.cls
            action = self.category_menu.addAction(info.label)
            action.setData(info.code)

    def categories_changed(self) -> None:
        """The categories may differ now (settings, another database): rebuild the menu."""
        self._fill_menu()

    # ------------------------------------------------------------------ what is shown

    @property
    def days(self) -> list[date]:
        """The seven dates shown."""
        return [lay.day for lay in self._days]

    @property
    def selected_id(self) -> int | None:
        """The entry selected (clicked, or picked with Tab), or None."""
        return self._selected

    @property
    def key_cursor(self) -> tuple[int, int]:
        """The keyboard cursor: day column and wall-clock minute."""
        return self._cursor

    def point_at(self, day: int, minute: float) -> QPoint:
        """The widget point of a minute of a day column (its middle)."""
        return QPoint(round(self.column_rect(day).center().x()), round(self.y_for_minute(minute)))

    def select(self, entry_id: int | None) -> None:
        """Select an entry (None clears) and put the cursor on it."""
        self._selected = entry_id
        found = self._find(entry_id) if entry_id is not None else None
        if found is not None:
            self._cursor = (found[0], found[1].start_min)
        self.selection_changed.emit(entry_id)
        self.update()

    def _find(self, entry_id: int | None) -> tuple[int, TimelineItem] | None:
        for i, lay in enumerate(self._days):
            for it in lay.items:
                if it.entry.id == entry_id:
                    return i, it
        return None

    def _ordered(self) -> list[tuple[int, TimelineItem]]:
        seen: set[int] = set()
        out = []
        for i, lay in enumerate(self._days):
            for it in lay.items:
                if int(it.entry.id or 0) not in seen:
                    seen.add(int(it.entry.id or 0))
                    out.append((i, it))
        return out

    def tooltip_at(self, pos: QPointF) -> str:
        """What is under a point: an entry, a gap, a block, working hours."""
        found = self.hit(pos)
        if found is not None:
            return self._entry_tip(found[1])
        day = self.day_for_x(pos.x())
        if day is None or pos.y() < self.column_rect(0).top():
            return ""
        minute = self.minute_for_y(pos.y())
        lay = self._days[day]
        if self._timer is not None and self._timer[0] == day \
                and self._timer[1] <= minute < self._timer[2]:
            return f"{self._timer[3]} since {hhmm(self._timer[1])}."
        gap = self.gap_at(day, minute)
        if gap is not None:
            return (f"Nothing logged {hhmm(gap[0])}–{hhmm(gap[1])} "
                    f"({fmt_minutes(gap[1] - gap[0])}): click to fill it.")
        for a, b, label in lay.blocks:
            if a <= minute < b:
                return f"Protected block {hhmm(a)}–{hhmm(b)} ({label})."
        return "Drag to log time here."

    def _entry_tip(self, it: TimelineItem) -> str:
        key = "break" if it.is_break else it.cls.value
        label = self._labels.get(it.entry.category, it.entry.category)
        text = (f"{label} ({CLASS_WORDS[key]})\n{hhmm(it.start_min)}–{hhmm(it.end_min)}, "
                f"{fmt_minutes(it.end_min - it.start_min)}")
        if it.entry.planned(self._now):
            text += "\nPlanned: it counts once its time has passed."
        return text + "\nDrag to move it; drag its top or bottom edge to change its times."

    def _summary(self) -> str:
        count = len(self._ordered())
        first, last = self._days[0].day, self._days[-1].day
        return (f"Week of {long_day(first)} to {long_day(last)}: "
                f"{count} entr{'y' if count == 1 else 'ies'}.")

    # ------------------------------------------------------------------ the mouse

    def event(self, event: QEvent) -> bool:
        """Tooltips, and the keys the calendar uses before the window's shortcuts see them."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            show_tooltip(self, event, self.tooltip_at(QPointF(event.pos())))
            return True
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in _ARROWS:
            event.accept()  # Alt+Left is Previous day elsewhere; here it moves an entry
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self._ordered():
            self._pick_next(-1 if event.key() == Qt.Key.Key_Backtab else 1)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start drawing a new entry, or moving or resizing one."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        found = self.hit(pos)
        minute = snap(self.minute_for_y(pos.y()))
        if found is not None:
            day, it, part = found
            self._gesture = Gesture(day, it.start_min, it.end_min, it, part,
                                    grab=minute - it.start_min)
            return
        column = self.day_for_x(pos.x())
        if column is None or pos.y() < self.column_rect(0).top():
            self._gesture = None
            return
        self._gesture = Gesture(column, minute, minute, grab=minute)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Follow the drag in 5-minute steps."""
        g = self._gesture
        if g is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._hover(event.position())
            return
        minute = min(1440, max(0, snap(self.minute_for_y(event.position().y()))))
        if g.item is None:
            a, b = sorted((g.grab, minute))
            changed = (a, b) != (g.a, g.b)
            g.a, g.b = a, b
            g.moved = g.moved or b - a >= SNAP_MIN
        elif g.part == "body":
            length = g.item.end_min - g.item.start_min
            a = min(max(0, minute - g.grab), 1440 - length)
            day = self.day_for_x(event.position().x())
            day = g.day if day is None else day
            changed = (a, day) != (g.a, g.day)
            g.a, g.b, g.day = a, a + length, day
            g.moved = g.moved or changed
        elif g.part == "start":
            a = min(minute, g.b - SNAP_MIN)
            changed = a != g.a
            g.a = a
            g.moved = g.moved or changed
        else:
            b = max(minute, g.a + SNAP_MIN)
            changed = b != g.b
            g.b = b
            g.moved = g.moved or changed
        if changed:
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Log what was drawn, save what was moved, select or fill what was clicked."""
        g, self._gesture = self._gesture, None
        if g is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self.update()
        if g.item is not None:
            if g.moved and (g.day, g.a, g.b) != self._home(g.item):
                self._save_move(g)
            else:
                self.select(int(g.item.entry.id or 0))
            return
        if g.moved:
            self.ask_category(g.day, g.a, g.b, event.position().toPoint())
            return
        gap = self.gap_at(g.day, self.minute_for_y(event.position().y()))
        if gap is not None:
            self.ask_category(g.day, gap[0], gap[1], event.position().toPoint())
        else:
            self.select(None)
            self._cursor = (g.day, g.grab)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Open the entry in Today's form."""
        found = self.hit(event.position())
        if found is not None:
            self.entry_activated.emit(int(found[1].entry.id or 0))

    def _home(self, it: TimelineItem) -> tuple[int, int, int]:
        found = self._find(int(it.entry.id or 0))
        return (found[0] if found else -1), it.start_min, it.end_min

    def _hover(self, pos: QPointF) -> None:
        found = self.hit(pos)
        if found is None:
            self.setCursor(Qt.CursorShape.CrossCursor)
        elif found[2] == "body":
            self.setCursor(Qt.CursorShape.SizeAllCursor)
        else:
            self.setCursor(Qt.CursorShape.SizeVerCursor)

    # ------------------------------------------------------------------ the keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Move the cursor, choose a span, log it; pick, move and resize entries."""
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if self._selected is not None and key in _ARROWS and (alt or (ctrl and shift)):
            self._key_change(key, alt, shift, ctrl)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._key_enter()
            return
        if key == Qt.Key.Key_Escape:
            self._range = None
            self.select(None)
            return
        if key in _ARROWS:
            self._key_cursor(key, shift)
            return
        super().keyPressEvent(event)

    def _key_cursor(self, key: int, shift: bool) -> None:
        day, minute = self._cursor
        if self._selected is not None:
            self._selected = None
            self.selection_changed.emit(None)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            day = max(0, min(6, day + (1 if key == Qt.Key.Key_Right else -1)))
            self._range = None
        else:
            step = KEY_STEP_MIN if key == Qt.Key.Key_Down else -KEY_STEP_MIN
            if shift:
                a, b = self._range if self._range is not None else (minute, minute + step)
                b = max(a + KEY_STEP_MIN, min(1440, (b if self._range else minute) + step))
                self._range = (a, b)
            else:
                self._range = None
                minute = max(0, min(1440 - KEY_STEP_MIN, minute + step))
        self._cursor = (day, minute)
        self.setAccessibleDescription(f"{long_day(self._days[day].day)} {hhmm(minute)}")
        self.update()

    def _key_enter(self) -> None:
        if self._selected is not None:
            self.entry_activated.emit(self._selected)
            return
        day, minute = self._cursor
        if self._range is not None:
            a, b = self._range
        else:
            gap = self.gap_at(day, minute)
            a, b = gap if gap is not None else (minute, minute + KEY_STEP_MIN)
        rect = self.span_rect(day, a, b)
        self.ask_category(day, a, b, rect.topRight().toPoint())

    def _pick_next(self, step: int) -> None:
        items = self._ordered()
        ids = [int(it.entry.id or 0) for _, it in items]
        at = ids.index(self._selected) if self._selected in ids else (-1 if step > 0 else 0)
        chosen = ids[(at + step) % len(ids)]
        self.select(chosen)
        found = self._find(chosen)
        if found is not None:
            self.setAccessibleDescription(self._entry_tip(found[1]))

    def _key_change(self, key: int, alt: bool, shift: bool, ctrl: bool) -> None:
        found = self._find(self._selected)
        if found is None:
            return
        day, it = found
        g = Gesture(day, it.start_min, it.end_min, it, "body", moved=True)
        vertical = key in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        step = SNAP_MIN if key in (Qt.Key.Key_Down, Qt.Key.Key_Right) else -SNAP_MIN
        if not vertical:
            if not alt or shift:
                return
            g.day = day + (1 if step > 0 else -1)
            if not 0 <= g.day <= 6:
                self.state.say("Show the next or previous week to move it further.")
                return
        elif ctrl and shift:
            g.part, g.a = "start", it.start_min + step
        elif shift:
            g.part, g.b = "end", it.end_min + step
        else:
            g.a, g.b = it.start_min + step, it.end_min + step
        self._save_move(g)

    # ------------------------------------------------------------------ changes

    def ask_category(self, day: int, a: int, b: int, at: QPoint) -> None:
        """Show the category menu for a new entry from a to b on a day of the week."""
        self.pending = (day, a, b)
        self.category_menu.setTitle(f"Log {hhmm(a)}–{hhmm(b)} as")
        self.category_menu.popup(self.mapToGlobal(at))

    def log_pending(self, code: str) -> bool:
        """Log the pending span as a category (what choosing in the menu does)."""
        if self.pending is None:
            return False
        day, a, b = self.pending
        self.pending = None
        when = self._days[day].day
        start = minute_to_instant(when, a, self._tz)
        end = minute_to_instant(when, b, self._tz)
        label = self._labels.get(code, code)
        return self._apply(
            lambda reason: self.state.store.add_entry(code, start, end, via=Via.CALENDAR,
                                                      reason=reason),
            f"Logged {label} {hhmm(a)}–{hhmm(b)} on {when:%a %d %b}.")

    def _save_move(self, g: Gesture) -> None:
        it = g.item
        assert it is not None
        entry = it.entry
        when = self._days[g.day].day
        entry_id = int(entry.id or 0)
        start: int | None = None
        end: int | None = None
        if g.part == "body":
            home = self._find(entry_id)
            home_day = home[0] if home is not None else g.day
            if wall_minute(entry.start, self._days[home_day].day, self._tz) == it.start_min:
                start = minute_to_instant(when, g.a, self._tz)  # the wall-clock time shown
            else:  # it began the week or the day before: move it by the minutes dragged
                start = entry.start + ((g.a - it.start_min) + (g.day - home_day) * 1440) * 60
            end = start + (entry.end - entry.start)
            words = f"now {hhmm(g.a)}–{hhmm(g.b)} on {when:%a %d %b}"
        elif g.part == "start":
            start = minute_to_instant(when, g.a, self._tz)
            words = f"now starts at {hhmm(g.a)}"
        else:
            end = minute_to_instant(when, g.b, self._tz)
            words = f"now ends at {hhmm(g.b)}"
        label = self._labels.get(entry.category, entry.category)
        if self._apply(lambda reason: self.state.store.edit_entry(
                entry_id, via=Via.CALENDAR, reason=reason, start=start, end=end),
                f"{label} {words}."):
            self.select(entry_id)

    def _apply(self, change: Callable[[Reason | None], object], said: str) -> bool:
        try:
            done = with_reason(self, change, self.ask_reason)
        except CarelogError as exc:
            self.last_message = window_sentence(exc)
            self.state.say(self.last_message)
            self.refresh()
            return False
        if done is None:
            self.refresh()
            return False
        self.last_message = said
        self.state.notify_changed()
        self.state.say(said)
        return True

    # ------------------------------------------------------------------ slots and focus

    def _on_category_menu_triggered(self, action: QAction) -> None:
        code = action.data()
        if isinstance(code, str):
            self.log_pending(code)


def shown_week(days: list[date]) -> str:
    """'16–22 November 2026' for the week shown."""
    first, last = days[0], days[-1]
    if first.month == last.month:
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"


