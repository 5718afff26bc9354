"""The labels the views and dialogs share: a view's title, a value to read, a note, a problem."""

from __future__ import annotations

from carelog.gui.theme import css_colour, error_colour
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel


def view_title(text: str) -> QLabel:
    """The large bold title at the top of a view."""
    return emphasise(QLabel(text), 1.4)


def emphasise(label: QLabel, scale: float = 1.0, bold: bool = True) -> QLabel:
    """Show a label in a larger (and, unless told, bold) version of its font; return it."""
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    if bold:
        font.setBold(True)
    label.setFont(font)
    return label


def wrapped_label(name: str, text: str = "") -> QLabel:
    """A label that wraps its text, named for screen readers."""
    label = QLabel(text)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    return label


def value_label(name: str) -> QLabel:
    """An empty label for a value or a sentence: wrapped, selectable, named for screen readers."""
    label = QLabel()
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_message(label: QLabel, text: str, error: bool = False) -> None:
    """Put a sentence in a status line, in the error colour when it says something failed."""
    label.setText(text)
    colour = css_colour(error_colour(label.palette())) if error else ""
    label.setStyleSheet(f"color: {colour};" if colour else "")
