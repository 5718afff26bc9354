"""How a day is drawn on the timeline; painting only.

The axis of wall-clock minutes, working hours, protected blocks, entries coloured by what they
count as, unlogged gaps, and an edge being dragged.

`DayTimeline` (timeline.py, beside this file) loads the day from core and handles the mouse and
the keyboard; this class only lays the day out on the widget and paints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from carelog.core.domain.timeutil import fmt_minutes
from carelog.core.ledger.day import DayLayout, TimelineItem, minute_to_instant
from carelog.gui.formatting import hhmm
from carelog.gui.theme import muted_colour, status_colour
from carelog.gui.widgets.class_legend import class_colour, paint_swatch
from carelog.gui.widgets.painting import antialiased_painter, paint_entry_box, paint_hatch
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

EDGE_PX = 6.0
MIN_ENTRY_PX = 8.0
"""The least width an entry is drawn with, so a 2-minute call stays visible and clickable."""
DEFAULT_WINDOW = (7 * 60, 19 * 60)
_ENTRY_INSET = 5.0

Edge = Literal["start", "end", "body"]

def class_key(item: TimelineItem) -> str:
    """'ipc', 'direct', 'other' or 'break': which colour an entry is drawn in."""
    return "break" if item.is_break else item.cls.value


def time_window(layout: DayLayout) -> tuple[int, int]:
    """07:00–19:00, widened to whole hours holding every range and entry of the day."""
    lo, hi = DEFAULT_WINDOW
    spans = [*layout.working, *((a, b) for a, b, _ in layout.blocks),
             *((it.start_min, it.end_min) for it in layout.items)]
    for a, b in spans:
        lo, hi = min(lo, a), max(hi, b)
    return max(0, lo // 60 * 60), min(1440, -(-hi // 60) * 60)


@dataclass(slots=True)
class Drag:
    """A press on an entry: on its body (a click) or on an edge (a drag)."""

    item: TimelineItem
    edge: Edge
    minute: int
    moved: bool = False

    @property
    def entry_id(self) -> int:
        """The id of the entry pressed."""
        return int(self.item.entry.id or 0)

    @property
    def original(self) -> int:
        """Where the dragged edge was before the drag."""
        return self.item.start_min if self.edge == "start" else self.item.end_min


class TimelineCanvas(QWidget):
    """One day laid out on a horizontal axis and painted; no loading, no input."""

    def __init__(self, day: date, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = DayLayout(day=day)
        self._tz = tz
        self._labels: dict[str, str] = {}
        self._scheduled = False
        self._window = DEFAULT_WINDOW
        self._drag: Drag | None = None
        self._selected: int | None = None
        self._focus_index = -1
        self._now = 0
        self._timer: tuple[int, int, str] | None = None  # wall minutes and words of a timer

    def x_for_minute(self, minute: float) -> float:
        """The x position of a wall-clock minute of the day."""
        left, width = self._axis()
        lo, hi = self._window
        return left + (minute - lo) * width / (hi - lo)

    def minute_for_x(self, x: float) -> float:
        """The wall-clock minute at an x position (unsnapped, may fall outside the window)."""
        left, width = self._axis()
        lo, hi = self._window
        return lo + (x - left) * (hi - lo) / max(width, 1.0)

    def item_rect(self, entry_id: int) -> QRectF | None:
        """Where an entry is drawn, or None when it is not on this day."""
        for it in self._layout.items:
            if it.entry.id == entry_id:
                return self._item_rect(it, inset=_ENTRY_INSET)
        return None

    def _item_rect(self, it: TimelineItem, inset: float = 0.0) -> QRectF:
        """Where an entry is drawn: never narrower than MIN_ENTRY_PX, centred on its time."""
        r = self._rect(it.start_min, it.end_min, inset)
        if r.width() < MIN_ENTRY_PX:
            r = QRectF(r.center().x() - MIN_ENTRY_PX / 2, r.top(), MIN_ENTRY_PX, r.height())
        return r

    def sizeHint(self) -> QSize:
        """Wide enough for a working day, tall enough for the labels and the track."""
        text_h = QFontMetricsF(self.font()).height()
        return QSize(720, max(110, int(2 * text_h + 14 + 64)))

    def minimumSizeHint(self) -> QSize:
        """The least room the day can be drawn in."""
        return QSize(320, 90)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the day."""
        with antialiased_painter(self) as p:
            self._paint(p)

    # ------------------------------------------------------------------ geometry

    def _axis(self) -> tuple[float, float]:
        margin = QFontMetricsF(self.font()).horizontalAdvance("00:00") / 2 + 6
        return margin, max(1.0, self.width() - 2 * margin)

    def _label_row(self) -> QRectF:
        h = QFontMetricsF(self.font()).height()
        left, width = self._axis()
        return QRectF(left, 2, width, h + 2)

    def _track(self) -> QRectF:
        fm = QFontMetricsF(self.font())
        top = fm.height() + 6
        bottom = self.height() - fm.height() - 8
        left, width = self._axis()
        return QRectF(left, top, width, max(10.0, bottom - top))

    def _rect(self, a: float, b: float, inset: float = 0.0) -> QRectF:
        track = self._track()
        x0, x1 = self.x_for_minute(a), self.x_for_minute(b)
        return QRectF(x0, track.top() + inset, max(1.0, x1 - x0), track.height() - 2 * inset)

    def _hit(self, pos: QPointF) -> tuple[TimelineItem, Edge] | None:
        """The entry under pos and which part of it: an edge within reach, else its body."""
        track = self._track()
        if not track.top() <= pos.y() <= track.bottom():
            return None
        # Only a press on an entry counts: a press on empty time beside one never grabs its
        # edge, so a drag there cannot change a neighbour by accident.
        x = pos.x()
        for it in self._layout.items:
            r = self._item_rect(it)
            if r.left() <= x <= r.right():
                reach = min(EDGE_PX, r.width() / 3)
                if x - r.left() <= reach and self._draggable(it, "start"):
                    return it, "start"
                if r.right() - x <= reach and self._draggable(it, "end"):
                    return it, "end"
                return it, "body"
        return None

    def _draggable(self, item: TimelineItem, edge: str) -> bool:
        """An edge clipped at midnight belongs to another day and is not dragged here."""
        minute = item.start_min if edge == "start" else item.end_min
        instant = item.entry.start if edge == "start" else item.entry.end
        return minute_to_instant(self._layout.day, minute, self._tz) == instant

    def _leave_text(self) -> str:
        leave = self._layout.leave
        if leave is None:
            return ""
        amount = "whole day" if leave.whole_day else fmt_minutes(leave.minutes or 0)
        return f"On leave ({leave.type.value}), {amount}"

    # ------------------------------------------------------------------ painting

    def _paint(self, p: QPainter) -> None:
        pal = self.palette()
        lay = self._layout
        track = self._track()
        text_colour = pal.color(QPalette.ColorRole.WindowText)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))

        off = QColor(text_colour)
        off.setAlpha(24)
        p.fillRect(track, off)
        for a, b in lay.working:
            band = self._rect(a, b)
            p.fillRect(band, pal.color(QPalette.ColorRole.Base))
            if lay.leave is not None and lay.leave.whole_day:
                leave_tint = QColor(text_colour)
                leave_tint.setAlpha(40)
                p.fillRect(band, QBrush(leave_tint, Qt.BrushStyle.Dense6Pattern))

        self._paint_ticks(p, track, text_colour)
        # Blocks on a day of leave do not count in the ledger: they are drawn muted.
        block_colour = muted_colour(pal) if not lay.blocks_count else status_colour("met", pal)
        for a, b, _ in lay.blocks:
            paint_hatch(p, self._rect(a, b).adjusted(0.5, 0.5, -0.5, -0.5), block_colour)
        for a, b in lay.gaps:
            paint_swatch(p, self._rect(a, b, inset=_ENTRY_INSET).adjusted(1, 0, -1, 0), "gap", pal)

        p.save()
        p.setClipRect(track.adjusted(-1, -1, 1, 1))
        for i, it in enumerate(lay.items):
            self._paint_item(p, it, i)
        self._paint_timer(p)
        p.restore()
        # The block outlines go over the entries, so what filled a block stays readable as such.
        p.setPen(QPen(block_colour, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for a, b, _ in lay.blocks:
            p.drawRect(self._rect(a, b).adjusted(0.5, 0.5, -0.5, -0.5))

        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(track)
        self._paint_labels(p, text_colour, block_colour)
        if not lay.items and not lay.working:
            p.setPen(text_colour)
            p.drawText(track, Qt.AlignmentFlag.AlignCenter,
                       "Not a scheduled working day; nothing logged.")
        self._paint_drag_time(p)

    def _paint_item(self, p: QPainter, it: TimelineItem, index: int) -> None:
        pal = self.palette()
        a, b = it.start_min, it.end_min
        drag = self._drag
        dragging = drag is not None and drag.item.entry.id == it.entry.id and drag.moved
        if dragging and drag is not None:
            a, b = (drag.minute, b) if drag.edge == "start" else (a, drag.minute)
        r = self._rect(a, b, inset=_ENTRY_INSET).adjusted(0.5, 0, -0.5, 0)
        if not dragging:
            r = self._item_rect(it, inset=_ENTRY_INSET)
        fill = class_colour(class_key(it), pal)
        planned = it.entry.planned(self._now)
        paint_entry_box(p, r, fill, planned, 2.5)
        if dragging:
            p.setPen(QPen(pal.color(QPalette.ColorRole.WindowText), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r, 2.5, 2.5)
        focused = self.hasFocus() and index == self._focus_index
        if it.entry.id == self._selected or focused:
            pen = QPen(pal.color(QPalette.ColorRole.Highlight), 2.5)
            if focused and it.entry.id != self._selected:
                pen.setStyle(Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        fm = QFontMetricsF(font)
        if r.width() >= fm.horizontalAdvance("Wwww"):
            label = self._labels.get(it.entry.category, it.entry.category)
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, r.width() - 4)
            p.setFont(font)
            if planned:
                p.setPen(pal.color(QPalette.ColorRole.WindowText))
            else:
                p.setPen(QColor("#000000") if fill.lightness() > 150 else QColor("#ffffff"))
            p.drawText(r.adjusted(2, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter
                       | Qt.AlignmentFlag.AlignLeft, text)
            p.setFont(self.font())

    def _paint_timer(self, p: QPainter) -> None:
        if self._timer is None:
            return
        a, b, words = self._timer
        r = self._rect(a, max(b, a + 1), inset=_ENTRY_INSET + 3)
        if r.width() < MIN_ENTRY_PX:
            r.setWidth(MIN_ENTRY_PX)
        paint_swatch(p, r, "timer", self.palette())
        fm = QFontMetricsF(self.font())
        if r.width() > fm.horizontalAdvance("Wwww"):
            p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            p.drawText(r.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter
                       | Qt.AlignmentFlag.AlignLeft,
                       fm.elidedText(words, Qt.TextElideMode.ElideRight, r.width() - 5))

    def _paint_ticks(self, p: QPainter, track: QRectF, colour: QColor) -> None:
        fm = QFontMetricsF(self.font())
        lo, hi = self._window
        hours = max(1, (hi - lo) // 60)
        per_hour = track.width() / hours
        label_w = fm.horizontalAdvance("00:00") + 10
        step = next((s for s in (1, 2, 3, 4, 6, 12) if per_hour * s >= label_w), 24)
        grid = QColor(colour)
        grid.setAlpha(40)
        faint = QColor(colour)
        faint.setAlpha(20)
        for minute in range(lo, hi + 1, 30 if per_hour >= 40 else 60):
            x = self.x_for_minute(minute)
            whole = minute % 60 == 0
            p.setPen(QPen(grid if whole else faint, 1))
            p.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
            if not whole:
                continue
            p.setPen(QPen(colour, 1))
            p.drawLine(QPointF(x, track.bottom()), QPointF(x, track.bottom() + 4))
            if (minute // 60) % step == 0:
                text = hhmm(minute)
                w = fm.horizontalAdvance(text)
                p.drawText(QPointF(x - w / 2, track.bottom() + 5 + fm.ascent()), text)

    def _paint_labels(self, p: QPainter, text_colour: QColor, block_colour: QColor) -> None:
        fm = QFontMetricsF(self.font())
        row = self._label_row()
        baseline = row.top() + fm.ascent()
        used_right = row.left()
        note = self._leave_text() or ("" if self._scheduled
                                      else "No schedule in force on this day")
        if note:
            p.setPen(text_colour)
            p.drawText(QPointF(row.left(), baseline), note)
            used_right = row.left() + fm.horizontalAdvance(note) + 12
        p.setPen(block_colour)
        for a, b, label in self._layout.blocks:
            r = self._rect(a, b)
            full = f"{label} {hhmm(a)}–{hhmm(b)}"
            room = max(r.width() + 60, fm.horizontalAdvance(label) + 4)
            text = full if fm.horizontalAdvance(full) <= room else label
            w = fm.horizontalAdvance(text)
            x = min(max(r.center().x() - w / 2, used_right), row.right() - w)
            p.drawText(QPointF(x, baseline), text)
            used_right = x + w + 8

    def _paint_drag_time(self, p: QPainter) -> None:
        drag = self._drag
        if drag is None or not drag.moved:
            return
        pal = self.palette()
        fm = QFontMetricsF(self.font())
        word = "Start" if drag.edge == "start" else "End"
        text = f"{word} {hhmm(drag.minute)}"
        w, h = fm.horizontalAdvance(text) + 10, fm.height() + 2
        x = min(max(self.x_for_minute(drag.minute) - w / 2, 1.0), self.width() - w - 1)
        bubble = QRectF(x, 1, w, h)
        p.setPen(QPen(pal.color(QPalette.ColorRole.ToolTipText), 1))
        p.setBrush(pal.color(QPalette.ColorRole.ToolTipBase))
        p.drawRoundedRect(bubble, 3, 3)
        p.drawText(bubble, Qt.AlignmentFlag.AlignCenter, text)
        edge_x = self.x_for_minute(drag.minute)
        track = self._track()
        p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1.5))
        p.drawLine(QPointF(edge_x, bubble.bottom()), QPointF(edge_x, track.bottom()))
