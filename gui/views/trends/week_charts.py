"""The Trends view's two charts, painted by Qt: protected time by week, and attainment.

They draw what the committee PDF's figures draw (carelog.core.exporting.charts), from the same
points and in the same colours: grey target, blue IPC received in paid hours and orange IPC
done after hours, the week under way hatched and pale; attainment as a line through the
finished weeks with dots green, amber or red, a dashed line at 100 % and a dotted one at the
partly-met mark, and the week under way a hollow dot "so far". The PDF keeps matplotlib, for
print; the window paints these itself, so Trends opens and steps a week without loading
matplotlib or rendering an image. Each chart says its numbers in a tooltip per week and in its
accessible description.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from carelog.core.domain.formatting import fmt_minutes, percent, status_word
from carelog.core.exporting.charts import (
    AFTER_HOURS,
    MET,
    NOT_MET,
    PARTLY,
    RECEIVED,
    TARGET,
    WeekPoint,
)
from carelog.gui.theme import muted_colour
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

_STATUS_DOTS = {"met": MET, "partly_met": PARTLY, "not_met": NOT_MET}
_LEFT, _RIGHT, _TOP = 62.0, 14.0, 26.0


def short_label(label: str) -> str:
    """'2026-W47' as 'W47'."""
    return label.split("-")[-1]


def nice_ceiling(value: float) -> tuple[float, float]:
    """An axis top at or above value, and a tick step giving four to six ticks (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.ceil(value / step - 1e-9) * step, step


class _WeekChart(QWidget):
    """What both charts share: the weeks, the axes, the week labels and the tooltips."""

    title = ""
    axis_label = ""
    bottom = 22.0

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[WeekPoint] = []
        self.setAccessibleName(name)
        self.setAutoFillBackground(True)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def plot_rect(self) -> QRectF:
        """Where the weeks are drawn, inside the axes."""
        return QRectF(_LEFT, _TOP, max(1.0, self.width() - _LEFT - _RIGHT),
                      max(1.0, self.height() - _TOP - self.bottom))

    def slot(self, plot: QRectF) -> float:
        """The width one week takes."""
        return plot.width() / max(1, len(self.points))

    def week_at(self, x: float) -> int | None:
        """The index of the week under an x position, or None."""
        plot = self.plot_rect()
        if not self.points or not plot.left() <= x < plot.right():
            return None
        return min(len(self.points) - 1, int((x - plot.left()) / self.slot(plot)))

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.85))
        return font

    def _frame(self, painter: QPainter, top: float, step: float, unit: str) -> QRectF:
        """The title, the horizontal grid with its values, and the week labels."""
        pal = self.palette()
        ink = pal.color(QPalette.ColorRole.WindowText)
        grid = muted_colour(pal)
        grid.setAlpha(90)
        plot = self.plot_rect()
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.0)
        painter.setFont(title_font)
        painter.setPen(ink)
        painter.drawText(QRectF(4, 2, self.width() - 8, _TOP - 6),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        painter.setFont(self._small_font())
        value = 0.0
        while value <= top + 1e-9:
            y = plot.bottom() - value / top * plot.height()
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(ink)
            painter.drawText(QRectF(18, y - 8, _LEFT - 24, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{value:g}{unit}")
            value += step
        painter.save()
        painter.translate(9, plot.top() + plot.height() / 2)
        painter.rotate(-90)
        painter.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 14),
                         Qt.AlignmentFlag.AlignCenter, self.axis_label)
        painter.restore()
        every = max(1, len(self.points) // 13)
        width = self.slot(plot)
        for i in range(0, len(self.points), every):
            x = plot.left() + (i + 0.5) * width
            painter.drawText(QRectF(x - 30, plot.bottom() + 2, 60, 16),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             short_label(self.points[i].label))
        return plot

    def tip(self, p: WeekPoint) -> str:
        """What one week's tooltip says."""
        so_far = "" if p.complete else " (so far)"
        return (f"{p.label}{so_far}: target {fmt_minutes(p.target_min)}, received "
                f"{fmt_minutes(p.received_min)} in paid hours, "
                f"{fmt_minutes(p.after_hours_min)} after hours; {percent(p.attainment)}, "
                f"{status_word(p.status)}")

    def event(self, event: QEvent) -> bool:
        """A tooltip with the numbers of the week under the pointer."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            i = self.week_at(event.pos().x())
            if i is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tip(self.points[i]), self)
            return True
        return super().event(event)


class ProtectedTimeChart(_WeekChart):
    """Bars per week: target, IPC received in paid hours, IPC done after hours (hours)."""

    title = "Protected time by week"
    axis_label = "hours"
    bottom = 42.0
    LEGEND = (("Target", TARGET), ("IPC received in paid hours", RECEIVED),
              ("IPC done after hours", AFTER_HOURS))

    def set_points(self, points: Sequence[WeekPoint]) -> None:
        """Chart these weeks."""
        self.points = list(points)
        latest = self.points[-1] if self.points else None
        self.setAccessibleDescription(
            "" if latest is None else
            f"Bars of target, IPC received in paid hours and IPC after hours for "
            f"{len(self.points)} weeks; the latest week, {latest.label}, received "
            f"{fmt_minutes(latest.received_min)} of {fmt_minutes(latest.target_min)}.")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the axes, the three bars of each week and the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highest = max([1.0, *(max(p.target_min, p.received_min, p.after_hours_min) / 60
                               for p in self.points)])
        top, step = nice_ceiling(highest)
        plot = self._frame(painter, top, step, "")
        width = self.slot(plot)
        bar = width * 0.27
        painter.setPen(Qt.PenStyle.NoPen)
        for i, p in enumerate(self.points):
            centre = plot.left() + (i + 0.5) * width
            for offset, minutes, colour in ((-bar, p.target_min, TARGET),
                                            (0.0, p.received_min, RECEIVED),
                                            (bar, p.after_hours_min, AFTER_HOURS)):
                height = minutes / 60 / top * plot.height()
                rect = QRectF(centre + offset - bar / 2, plot.bottom() - height, bar, height)
                fill = QColor(colour)
                if not p.complete:  # the week under way: pale and hatched
                    fill.setAlphaF(0.45)
                painter.fillRect(rect, fill)
                if not p.complete:
                    painter.fillRect(rect, QBrush(QColor(colour), Qt.BrushStyle.BDiagPattern))
        self._legend(painter, plot)
        painter.end()

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        painter.setFont(self._small_font())
        metrics = painter.fontMetrics()
        x, y = plot.left(), plot.bottom() + 22
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        for text, colour in self.LEGEND:
            painter.fillRect(QRectF(x, y + 3, 10, 10), QColor(colour))
            painter.setPen(ink)
            painter.drawText(QPointF(x + 14, y + 12), text)
            x += 14 + metrics.horizontalAdvance(text) + 16


class AttainmentChart(_WeekChart):
    """Attainment (%) per week, coloured by status, with the 100 % and partly-met lines."""

    title = "Attainment (IPC received ÷ target); dashed: met, dotted: partly met"
    axis_label = "% of target"

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.partly_met_at = 0.75

    def set_points(self, points: Sequence[WeekPoint], partly_met_at: float = 0.75) -> None:
        """Chart these weeks, with the partly-met line at `partly_met_at`."""
        self.points = list(points)
        self.partly_met_at = partly_met_at
        self.setAccessibleDescription(
            f"Received ÷ target for each of {len(self.points)} weeks, with the met and "
            "partly-met lines.")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the axes, the reference lines, the line through the weeks and their dots."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        values = [(p.attainment or 0) * 100 for p in self.points if p.attainment is not None]
        top, step = nice_ceiling(max([110.0, *values]) * 1.08)
        plot = self._frame(painter, top, step, " %")
        width = self.slot(plot)

        def at(i: int, pct: float) -> QPointF:
            return QPointF(plot.left() + (i + 0.5) * width,
                           plot.bottom() - pct / top * plot.height())

        for level, colour, style in ((100.0, MET, Qt.PenStyle.DashLine),
                                     (self.partly_met_at * 100, PARTLY, Qt.PenStyle.DotLine)):
            y = plot.bottom() - level / top * plot.height()
            painter.setPen(QPen(QColor(colour), 1.2, style))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        done = [(i, (p.attainment or 0) * 100) for i, p in enumerate(self.points)
                if p.attainment is not None and p.complete]
        painter.setPen(QPen(QColor(RECEIVED), 1.5))
        for (i, a), (j, b) in itertools.pairwise(done):
            painter.drawLine(at(i, a), at(j, b))
        painter.setPen(Qt.PenStyle.NoPen)
        for i, pct in done:
            painter.setBrush(QColor(_STATUS_DOTS.get(self.points[i].status, TARGET)))
            painter.drawEllipse(at(i, pct), 3.5, 3.5)
        painter.setFont(self._small_font())
        for i, p in enumerate(self.points):
            if p.attainment is None or p.complete:
                continue
            point = at(i, p.attainment * 100)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(RECEIVED), 1.4))
            painter.drawEllipse(point, 4.0, 4.0)
            painter.setPen(QColor(TARGET))
            painter.drawText(QRectF(point.x() - 30, point.y() - 22, 60, 14),
                             Qt.AlignmentFlag.AlignCenter, "so far")
        painter.end()
