"""Colours that stay readable on light and dark palettes, chosen from the window's palette."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

# (on a light background, on a dark background); each pair meets WCAG AA against its background.
_STATUS: dict[str, tuple[str, str]] = {
    "met": ("#1a7f37", "#6ddc8b"),
    "partly_met": ("#8a5a00", "#f2c14e"),
    "not_met": ("#b42318", "#ff8a80"),
    "no_target": ("#5f6368", "#b0b4ba"),
    # A week under way has no verdict yet: a calm blue, never the colours of met or not met.
    "in_progress": ("#1f5fa8", "#8ab4f8"),
    "upcoming": ("#5f6368", "#b0b4ba"),
}
_ERROR = ("#b42318", "#ff8a80")
_WARNING = ("#8a5a00", "#f2c14e")
_MUTED = ("#5f6368", "#b0b4ba")


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def _pick(pair: tuple[str, str], palette: QPalette | None) -> QColor:
    return QColor(pair[1] if is_dark(palette) else pair[0])


def status_colour(status: str, palette: QPalette | None = None) -> QColor:
    """The colour of a week status: met green, partly met amber, not met red, no target grey.

    A week in progress is blue and a week not begun grey: neither has a verdict.
    """
    return _pick(_STATUS.get(status, _STATUS["no_target"]), palette)


def error_colour(palette: QPalette | None = None) -> QColor:
    """The colour of a validation message."""
    return _pick(_ERROR, palette)


def warning_colour(palette: QPalette | None = None) -> QColor:
    """The colour of a gentle warning, such as a note that may hold an identifier."""
    return _pick(_WARNING, palette)


def muted_colour(palette: QPalette | None = None) -> QColor:
    """The colour of secondary text."""
    return _pick(_MUTED, palette)


def css_colour(colour: QColor) -> str:
    """A colour as '#rrggbb' for a style sheet."""
    return colour.name(QColor.NameFormat.HexRgb)


def tint(widget: QWidget, colour: Callable[[QPalette | None], QColor], more: str = "") -> None:
    """Colour a widget's text with one of the colours above, followed by any other style rules."""
    rules = f"color: {css_colour(colour(widget.palette()))};"
    widget.setStyleSheet(f"{rules} {more}" if more else rules)
