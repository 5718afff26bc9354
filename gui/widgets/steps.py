"""The ◀ previous, this and next ▶ buttons of the views that show one day or one week."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carelog.gui.widgets.controls import named
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

if TYPE_CHECKING:
    from carelog.gui.state import AppState


def step_buttons(unit: str, home_text: str,
                 home_name: str) -> tuple[QPushButton, QPushButton, QPushButton]:
    """The previous, this and next buttons of a view that shows one `unit` (day or week)."""
    return (named(QPushButton(f"◀ Previous {unit}"), f"Previous {unit}"),
            named(QPushButton(home_text), home_name),
            named(QPushButton(f"Next {unit} ▶"), f"Next {unit}"))


def step_row(buttons: tuple[QPushButton, QPushButton, QPushButton], label: QLabel,
             gap: int = 0) -> QHBoxLayout:
    """The three buttons, a gap of `gap` pixels, then the label of what is shown, stretched."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    if gap:
        row.addSpacing(gap)
    row.addWidget(label, 1)
    return row


def follow_steps(state: AppState, buttons: tuple[QPushButton, QPushButton, QPushButton],
                 days: int) -> None:
    """Move the day shown back or on by `days`, or to today, when a button is pressed."""
    prev_button, home_button, next_button = buttons
    prev_button.clicked.connect(lambda: state.shift_day(-days))
    home_button.clicked.connect(lambda: state.set_day(state.today()))
    next_button.clicked.connect(lambda: state.shift_day(days))
