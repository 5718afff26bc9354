"""How a week is drawn on the calendar; painting and geometry only.

Seven day columns on a vertical axis of wall-clock minutes: working hours and protected blocks
behind, entries in class colours in front (planned ones outlined), unlogged gaps, the running
timer, and what is being drawn or dragged. `WeekCalendar` (week_calendar.py, beside this file)
loads the week from core and handles the mouse and the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from carelog.core.ledger.day import DayLayout, TimelineItem
from carelog.gui.formatting import hhmm
from carelog.gui.theme import muted_colour, status_colour
from carelog.gui.widgets.class_legend import class_colour, paint_swatch
from carelog.gui.widgets.painting import antialiased_painter, paint_dashed, paint_entry_box
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

DEFAULT_HOURS = (7 * 60, 19 * 60)
EDGE_PX = 5.0
MIN_ENTRY_PX = 6.0
SNAP_MIN = 5

Part = Literal["start", "end", "body"]


def snap(minute: float, step: int = SNAP_MIN) -> int:
    """A minute rounded to the nearest step."""
    return int(round(minute / step) * step)


@dataclass(slots=True)
class Gesture:
    """What the mouse or the keyboard is doing: drawing a new entry, or moving one.

    For a new entry `item` is None and `day`, `a`, `b` are the span drawn; for a move or a
    resize they are where the entry would go.
    """

    day: int
    a: int
    b: int
    item: TimelineItem | None = None
    part: Part = "body"
    grab: int = 0  # minutes between the press and the entry's start (a move)
    moved: bool = False


def item_key(item: TimelineItem) -> str:
    """The colour an entry is drawn in: 'ipc', 'direct', 'other' or 'break'."""
    return "break" if item.is_break else item.cls.value


class CalendarCanvas(QWidget):
    """A week laid out in day columns and painted; no loading, no input."""

    def __init__(self, monday: date, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monday = monday
        self._tz = tz
        self._days: list[DayLayout] = [DayLayout(day=monday + timedelta(days=i))
                                       for i in range(7)]
        self._labels: dict[str, str] = {}
        self._hours = DEFAULT_HOURS
        self._now = 0
        self._today: date | None = None
        self._timer: tuple[int, int, int, str] | None = None  # day, from, to, words
        self._gesture: Gesture | None = None
        self._selected: int | None = None
        self._cursor: tuple[int, int] = (0, 9 * 60)  # the keyboard's day and minute
        self._range: tuple[int, int] | None = None   # a span chosen with Shift+arrows

    # ------------------------------------------------------------------ geometry

    def _gutter(self) -> float:
        return QFontMetricsF(self.font()).horizontalAdvance("00:00") + 12

    def _header(self) -> float:
        return QFontMetricsF(self.font()).height() * 2 + 8

    def column_rect(self, day: int) -> QRectF:
        """Where a day's column is drawn (below its heading)."""
        left = self._gutter()
        width = max(7.0, self.width() - left - 4) / 7
        top = self._header()
        return QRectF(left + day * width, top, width, max(10.0, self.height() - top - 4))

    def y_for_minute(self, minute: float) -> float:
        """The y position of a wall-clock minute."""
        col = self.column_rect(0)
        lo, hi = self._hours
        return col.top() + (minute - lo) * col.height() / (hi - lo)

    def minute_for_y(self, y: float) -> float:
        """The wall-clock minute at a y position (unsnapped)."""
        col = self.column_rect(0)
        lo, hi = self._hours
        return lo + (y - col.top()) * (hi - lo) / max(col.height(), 1.0)

    def day_for_x(self, x: float) -> int | None:
        """The day column (0 = Monday) at an x position, or None in the margin."""
        for i in range(7):
            r = self.column_rect(i)
            if r.left() <= x < r.right():
                return i
        return None

    def span_rect(self, day: int, a: float, b: float, inset: float = 2.0) -> QRectF:
        """Where a span of minutes of a day is drawn."""
        col = self.column_rect(day)
        y0, y1 = self.y_for_minute(a), self.y_for_minute(b)
        r = QRectF(col.left() + inset, y0, col.width() - 2 * inset, max(1.0, y1 - y0))
        if r.height() < MIN_ENTRY_PX:
            r = QRectF(r.left(), r.center().y() - MIN_ENTRY_PX / 2, r.width(), MIN_ENTRY_PX)
        return r

    def item_rect(self, entry_id: int) -> QRectF | None:
        """Where an entry is drawn (its first day in the week), or None."""
        for i, lay in enumerate(self._days):
            for it in lay.items:
                if it.entry.id == entry_id:
                    return self.span_rect(i, it.start_min, it.end_min)
        return None

    def hit(self, pos: QPointF) -> tuple[int, TimelineItem, Part] | None:
        """The entry under pos, and whether the press is on its top edge, bottom edge or body."""
        day = self.day_for_x(pos.x())
        if day is None:
            return None
        for it in self._days[day].items:
            r = self.span_rect(day, it.start_min, it.end_min)
            if r.top() <= pos.y() <= r.bottom():
                reach = min(EDGE_PX, r.height() / 3)
                if pos.y() - r.top() <= reach:
                    return day, it, "start"
                if r.bottom() - pos.y() <= reach:
                    return day, it, "end"
                return day, it, "body"
        return None

    def gap_at(self, day: int, minute: float) -> tuple[int, int] | None:
        """The unlogged gap of working hours at a minute of a day, or None."""
        for a, b in self._days[day].gaps:
            if a <= minute < b:
                return a, b
        return None

    def sizeHint(self) -> QSize:
        """Room for a working day at a readable scale."""
        return QSize(900, 640)

    def minimumSizeHint(self) -> QSize:
        """The least room a week can be drawn in."""
        return QSize(420, 300)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the week."""
        with antialiased_painter(self) as p:
            self._paint(p)

    def _paint(self, p: QPainter) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        off = QColor(text)
        off.setAlpha(22)
        block_colour = status_colour("met", pal)
        for i, lay in enumerate(self._days):
            col = self.column_rect(i)
            p.fillRect(col, off)
            for a, b in lay.working:
                band = self.span_rect(i, a, b, inset=0)
                p.fillRect(band, pal.color(QPalette.ColorRole.Base))
            for a, b, _ in lay.blocks:
                paint_swatch(p, self.span_rect(i, a, b, inset=1), "block", pal)
            for a, b in lay.gaps:
                paint_swatch(p, self.span_rect(i, a, b, inset=4), "gap", pal)
        self._paint_hours(p, text)
        for i, lay in enumerate(self._days):
            p.save()
            p.setClipRect(self.column_rect(i))
            for it in lay.items:
                self._paint_item(p, i, it)
            p.restore()
        self._paint_timer(p)
        self._paint_gesture(p)
        self._paint_cursor(p)
        self._paint_headings(p, text, block_colour)

    def _paint_hours(self, p: QPainter, text: QColor) -> None:
        fm = QFontMetricsF(self.font())
        lo, hi = self._hours
        grid = QColor(text)
        grid.setAlpha(38)
        left, right = self.column_rect(0).left(), self.column_rect(6).right()
        per_hour = self.column_rect(0).height() / max(1, (hi - lo) / 60)
        step = 60 if per_hour >= fm.height() * 1.3 else 120
        for minute in range(lo, hi + 1, 60):
            y = self.y_for_minute(minute)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(left, y), QPointF(right, y))
            if minute % step == 0:
                p.setPen(QPen(muted_colour(self.palette()), 1))
                p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           hhmm(minute))
        p.setPen(QPen(grid, 1))
        for i in range(8):
            x = self.column_rect(min(i, 6)).left() if i < 7 else right
            p.drawLine(QPointF(x, self.column_rect(0).top()), QPointF(x, self.height() - 4))

    def _paint_headings(self, p: QPainter, text: QColor, block_colour: QColor) -> None:
        fm = QFontMetricsF(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        for i, lay in enumerate(self._days):
            col = self.column_rect(i)
            head = QRectF(col.left(), 2, col.width(), fm.height() + 2)
            is_today = lay.day == self._today
            if is_today:
                p.fillRect(QRectF(col.left() + 2, 1, col.width() - 4, fm.height() * 2 + 6),
                           pal_highlight(self.palette()))
            p.setFont(bold if is_today else self.font())
            p.setPen(text)
            p.drawText(head, Qt.AlignmentFlag.AlignCenter,
                       fm.elidedText(f"{lay.day:%a} {lay.day.day} {lay.day:%b}",
                                     Qt.TextElideMode.ElideRight, col.width() - 4))
            p.setFont(self.font())
            sub = self._day_note(lay)
            p.setPen(muted_colour(self.palette()))
            p.drawText(QRectF(col.left(), fm.height() + 4, col.width(), fm.height() + 2),
                       Qt.AlignmentFlag.AlignCenter,
                       fm.elidedText(sub, Qt.TextElideMode.ElideRight, col.width() - 4))

    @staticmethod
    def _day_note(lay: DayLayout) -> str:
        if lay.leave is not None:
            return "On leave"
        if not lay.working:
            return "Day off"
        logged = sum(it.end_min - it.start_min for it in lay.items)
        return f"{logged // 60}:{logged % 60:02d} logged"

    def _paint_item(self, p: QPainter, day: int, it: TimelineItem) -> None:
        pal = self.palette()
        g = self._gesture
        moving = g is not None and g.item is not None and g.moved \
            and g.item.entry.id == it.entry.id
        r = self.span_rect(day, it.start_min, it.end_min)
        fill = class_colour(item_key(it), pal)
        planned = it.entry.planned(self._now)
        if moving:
            fill.setAlpha(90)
        paint_entry_box(p, r, fill, planned, 3)
        if it.entry.id == self._selected:
            p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.88)
        fm = QFontMetricsF(font)
        if r.height() >= fm.height() and r.width() > fm.horizontalAdvance("Ww"):
            label = self._labels.get(it.entry.category, it.entry.category)
            lines = [label]
            if r.height() >= fm.height() * 2 + 2:
                lines.append(f"{hhmm(it.start_min)}–{hhmm(it.end_min)}")
            p.setFont(font)
            if planned:
                p.setPen(pal.color(QPalette.ColorRole.WindowText))
            else:
                p.setPen(QColor("#000000") if fill.lightness() > 150 else QColor("#ffffff"))
            for n, line in enumerate(lines):
                p.drawText(QRectF(r.left() + 3, r.top() + 1 + n * fm.height(), r.width() - 5,
                                  fm.height()),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           fm.elidedText(line, Qt.TextElideMode.ElideRight, r.width() - 5))
            p.setFont(self.font())

    def _paint_timer(self, p: QPainter) -> None:
        if self._timer is None:
            return
        day, a, b, _words = self._timer
        paint_swatch(p, self.span_rect(day, a, max(b, a + 1), inset=6), "timer", self.palette())

    def _paint_gesture(self, p: QPainter) -> None:
        g = self._gesture
        if g is None or not g.moved:
            return
        pal = self.palette()
        r = self.span_rect(g.day, g.a, g.b)
        paint_dashed(p, r, pal.color(QPalette.ColorRole.Highlight), width=1.8, alpha=50, radius=3)
        fm = QFontMetricsF(self.font())
        words = f"{hhmm(g.a)}–{hhmm(g.b)}"
        bubble = QRectF(r.left(), r.top() - fm.height() - 4, fm.horizontalAdvance(words) + 10,
                        fm.height() + 2)
        if bubble.top() < self.column_rect(0).top():
            bubble.moveTop(r.bottom() + 2)
        p.setPen(QPen(pal.color(QPalette.ColorRole.ToolTipText), 1))
        p.setBrush(pal.color(QPalette.ColorRole.ToolTipBase))
        p.drawRoundedRect(bubble, 3, 3)
        p.drawText(bubble, Qt.AlignmentFlag.AlignCenter, words)

    def _paint_cursor(self, p: QPainter) -> None:
        if not self.hasFocus() or self._selected is not None:
            return
        day, minute = self._cursor
        a, b = self._range if self._range is not None else (minute, minute + 15)
        r = self.span_rect(day, a, b, inset=1)
        p.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2,
                      Qt.PenStyle.DotLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)


def pal_highlight(palette: QPalette) -> QColor:
    """A faint tint of the highlight colour (today's heading)."""
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    colour.setAlpha(45)
    return colour
