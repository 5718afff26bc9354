"""The day timeline: working hours, protected blocks, logged entries and unlogged gaps of a day.

Drawn by hand on a horizontal axis of wall-clock minutes (timeline_canvas.py, beside this file).
Clicking an entry reports its id; dragging an entry's left or right edge moves its start or end
in 5-minute steps and saves through the same core call as the entry form, so an overlap or an
impossible time is refused with the same sentence and the entry snaps back.
"""

from __future__ import annotations

from datetime import date

from carelog.core.domain.errors import CarelogError, ReasonNeeded
from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import fmt_minutes
from carelog.core.ledger.day import DayLayout, TimelineItem, minute_to_instant, wall_minute
from carelog.core.ledger.load import load_day
from carelog.gui.formatting import hhmm, long_day
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from carelog.gui.views.today.timeline_canvas import (
    Drag,
    TimelineCanvas,
    class_key,
    time_window,
)
from carelog.gui.widgets.class_legend import CLASS_WORDS
from carelog.gui.widgets.painting import RepaintOnFocus, show_tooltip
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

SNAP_MIN = 5


def _snap(minute: float) -> int:
    return round(minute / SNAP_MIN) * SNAP_MIN


class DayTimeline(TimelineCanvas, RefreshWhenShown, RepaintOnFocus):
    """One day on a horizontal axis: hours, protected blocks, entries by class, gaps."""

    entry_clicked = Signal(int)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state.day, state.store.tz, parent)
        self.state = state
        self.last_message = ""
        self.setAccessibleName("Day timeline")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Read again when the data or the day changes: now if the timeline can be seen, else
        # the next time it is shown (another tab in front).
        state.data_changed.connect(self._on_state_data_changed)
        state.timer_changed.connect(self._on_state_data_changed)
        state.day_changed.connect(self._on_day_changed)
        self.refresh()

    # ------------------------------------------------------------------ public

    @property
    def layout_of_day(self) -> DayLayout:
        """What is drawn: the core layout of the selected day."""
        return self._layout

    @property
    def window_minutes(self) -> tuple[int, int]:
        """The first and last wall-clock minute on the axis."""
        return self._window

    def refresh(self) -> None:
        """Read the selected day again and redraw."""
        self.stale = False
        store, day = self.state.store, self.state.day
        self._drag = None
        self._layout = load_day(store, day, now=self.state.now())
        # Drags are turned into instants in the zone the day was laid out in.
        self._scheduled = self._layout.scheduled
        self._tz = self._layout.tz or store.tz
        registry = store.categories
        self._labels = {it.entry.category: registry.get(it.entry.category).label
                        if it.entry.category in registry else it.entry.category
                        for it in self._layout.items}
        self._now = self.state.now()
        self._timer = self._timer_span()
        self._window = time_window(self._layout)
        if self._timer is not None:
            lo, hi = self._window
            self._window = (min(lo, self._timer[0] // 60 * 60),
                            max(hi, min(1440, -(-self._timer[1] // 60) * 60)))
        if self._focus_index >= len(self._layout.items):
            self._focus_index = len(self._layout.items) - 1
        self.setAccessibleDescription(self._summary())
        self.update()

    def _timer_span(self) -> tuple[int, int, str] | None:
        """Where the running timer is drawn on this day (wall minutes), and its words."""
        timer = self.state.timer
        if timer is None:
            return None
        day, tz = self._layout.day, self._tz
        a = max(0, wall_minute(timer.started, day, tz))
        b = min(1440, wall_minute(max(self._now, timer.started), day, tz))
        if b < a or a >= 1440 or b <= 0:
            return None
        label = self.state.store.categories.label_of(timer.category)
        return a, b, f"Timer: {label}"

    def select_entry(self, entry_id: int | None) -> None:
        """Outline an entry as the selected one (None clears)."""
        self._selected = entry_id
        self.update()

    def tooltip_at(self, pos: QPointF) -> str:
        """The tooltip text for a point: an entry, a gap, a block or the hours."""
        hit = self._hit(pos)
        if hit is not None:
            return self._entry_tip(hit[0])
        track = self._track()
        if not track.contains(pos) and not self._label_row().contains(pos):
            return ""
        minute = self.minute_for_x(pos.x())
        if self._timer is not None and self._timer[0] <= minute < max(self._timer[1],
                                                                      self._timer[0] + 1):
            return (f"{self._timer[2]} since {hhmm(self._timer[0])} "
                    f"({fmt_minutes(self._timer[1] - self._timer[0])} so far).")
        for a, b in self._layout.gaps:
            if a <= minute < b:
                return (f"Nothing logged {hhmm(a)}–{hhmm(b)} ({fmt_minutes(b - a)}) inside "
                        "working hours.")
        for a, b, label in self._layout.blocks:
            if a <= minute < b:
                return f"Protected block {hhmm(a)}–{hhmm(b)} ({label})."
        for a, b in self._layout.working:
            if a <= minute < b:
                return f"Working hours {hhmm(a)}–{hhmm(b)}."
        return "Outside working hours."

    # ------------------------------------------------------------------ Qt overrides

    def event(self, event: QEvent) -> bool:
        """Show the tooltip of whatever is under the mouse."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if not show_tooltip(self, event, self.tooltip_at(QPointF(event.pos()))):
                event.ignore()  # a parent's tooltip may say something here
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a click on an entry, or a drag of one of its edges."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        hit = self._hit(event.position())
        if hit is None:
            self._drag = None
            return
        item, edge = hit
        minute = item.start_min if edge == "start" else item.end_min
        self._drag = Drag(item, edge, minute)
        self._focus_index = self._layout.items.index(item)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Move the dragged edge in 5-minute steps, or show what the mouse is over."""
        drag = self._drag
        if drag is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._hover(event.position())
            return
        if drag.edge == "body":
            return
        minute = _snap(self.minute_for_x(event.position().x()))
        if drag.edge == "start":
            minute = max(0, min(minute, drag.item.end_min - SNAP_MIN))
        else:
            minute = min(1440, max(minute, drag.item.start_min + SNAP_MIN))
        if minute != drag.minute:
            drag.minute = minute
            drag.moved = True
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Save a dragged edge through core, or report a click on an entry."""
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        if drag.edge != "body" and drag.moved and drag.minute != drag.original:
            self._commit(drag, event.position().toPoint())
            return
        hit = self._hit(event.position())
        self.update()
        if hit is not None and hit[0].entry.id == drag.item.entry.id:
            self._click(drag.entry_id)

    def leaveEvent(self, event: QEvent) -> None:
        """Forget the hover cursor."""
        if self._drag is None:
            self.unsetCursor()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left and Right move between entries; Return opens one; Escape drops a drag."""
        items = self._layout.items
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and items:
            step = 1 if key == Qt.Key.Key_Right else -1
            start = self._focus_index if self._focus_index >= 0 else (-1 if step > 0 else 0)
            self._focus_index = (start + step) % len(items)
            self.setAccessibleDescription(self._entry_tip(items[self._focus_index]))
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) \
                and 0 <= self._focus_index < len(items):
            self._click(int(items[self._focus_index].entry.id or 0))
            return
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.update()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ interaction

    def _hover(self, pos: QPointF) -> None:
        hit = self._hit(pos)
        if hit is None:
            self.unsetCursor()
        elif hit[1] == "body":
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.setCursor(Qt.CursorShape.SizeHorCursor)

    def _click(self, entry_id: int) -> None:
        self._selected = entry_id
        self.update()
        self.entry_clicked.emit(entry_id)

    def _commit(self, drag: Drag, pos: QPoint) -> None:
        instant = minute_to_instant(self._layout.day, drag.minute, self._tz)
        try:
            if drag.edge == "start":
                saved = self.state.store.edit_entry(drag.entry_id, start=instant, via=Via.TIMELINE)
            else:
                saved = self.state.store.edit_entry(drag.entry_id, end=instant, via=Via.TIMELINE)
        except CarelogError as exc:
            text = window_sentence(exc)
            if isinstance(exc, ReasonNeeded):
                # A drag has nowhere to ask why; the form does, so the entry opens there.
                text = (f"{exc.message.removesuffix('.')}: change it in the form, which asks "
                        "for one.")
                self._click(drag.entry_id)
            self.last_message = text
            self.update()
            QToolTip.showText(self.mapToGlobal(pos), text, self)
            self.state.say(text)
            return
        label = self._labels.get(saved.category, saved.category)
        which = "starts" if drag.edge == "start" else "ends"
        self.last_message = f"{label} now {which} at {hhmm(drag.minute)}."
        self.state.notify_changed()
        self.state.say(self.last_message)

    def _on_day_changed(self, d: date) -> None:
        self._focus_index = -1
        self.refresh_when_shown()

    def _on_state_data_changed(self) -> None:
        self.refresh_when_shown()

    # ------------------------------------------------------------------ text

    def _entry_tip(self, item: TimelineItem) -> str:
        key = class_key(item)
        label = self._labels.get(item.entry.category, item.entry.category)
        a, b = item.start_min, item.end_min
        text = (f"{label} ({CLASS_WORDS[key]})\n{hhmm(a)}–{hhmm(b)}, {fmt_minutes(b - a)}")
        if item.entry.minutes != b - a:
            text += f" on this day ({fmt_minutes(item.entry.minutes)} in all)"
        if item.entry.planned(self._now):
            text += "\nPlanned: it counts once its time has passed."
        return text + "\nClick to open; drag an edge to change the time."

    def _summary(self) -> str:
        lay = self._layout
        parts = [long_day(lay.day)]
        parts.append(f"{len(lay.items)} entries" if lay.items else "nothing logged")
        if lay.gaps:
            parts.append(f"{fmt_minutes(lay.unlogged_working_min)} of working hours unlogged")
        if lay.blocks:
            parts.append("protected " + ", ".join(f"{hhmm(a)}–{hhmm(b)}"
                                                  for a, b, _ in lay.blocks))
        return "; ".join(parts) + "."

