"""Painting shared by the day's timeline, the week calendar and their legend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget


class RepaintOnFocus(QWidget):
    """A canvas that draws its keyboard focus, so it paints again when focus comes or goes."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Draw the keyboard focus."""
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Draw without the keyboard focus."""
        self.update()
        super().focusOutEvent(event)


def show_tooltip(widget: QWidget, event: QHelpEvent, text: str) -> bool:
    """Show `text` as the tooltip where the event is, or hide the tooltip; True when shown."""
    if text:
        QToolTip.showText(event.globalPos(), text, widget)
        return True
    QToolTip.hideText()
    return False


@contextmanager
def antialiased_painter(widget: QWidget) -> Iterator[QPainter]:
    """A smoothing painter on a widget, ended however the painting ends."""
    p = QPainter(widget)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        yield p
    finally:
        p.end()


def paint_hatch(p: QPainter, r: QRectF, colour: QColor) -> None:
    """The diagonal hatching of a protected block."""
    hatch = QColor(colour)
    hatch.setAlpha(110)
    p.fillRect(r, QBrush(hatch, Qt.BrushStyle.BDiagPattern))


def paint_dashed(p: QPainter, r: QRectF, colour: QColor, *, width: float, alpha: int,
                 radius: float) -> None:
    """A rounded rectangle tinted with a colour inside a dashed outline of it."""
    p.setPen(QPen(colour, width, Qt.PenStyle.DashLine))
    tint = QColor(colour)
    tint.setAlpha(alpha)
    p.setBrush(tint)
    p.drawRoundedRect(r, radius, radius)


def paint_entry_box(p: QPainter, r: QRectF, fill: QColor, planned: bool, radius: float) -> None:
    """An entry's box: filled with its class colour, or outlined when it is still planned.

    Planned time has not happened yet, so it is outlined rather than filled (DESIGN §2.3.1).
    """
    if planned:
        p.setPen(QPen(fill, 1.8))
        tint = QColor(fill)
        tint.setAlpha(40)
        p.setBrush(tint)
        p.drawRoundedRect(r.adjusted(0.9, 0.9, -0.9, -0.9), radius, radius)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(r, radius, radius)
