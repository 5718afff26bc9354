"""The labels the views and dialogs share: a view's title, a value to read, a note, a problem."""

from __future__ import annotations

from carelog.gui.theme import css_colour, error_colour
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


def view_title(text: str, like: QWidget) -> QLabel:
    """The large bold title at the top of a view, in a larger size of `like`'s font."""
    title = QLabel(text)
    big = QFont(like.font())
    big.setPointSizeF(big.pointSizeF() * 1.4)
    big.setBold(True)
    title.setFont(big)
    return title


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
