"""Painting shared by the day's timeline, the week calendar and their legend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget


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
