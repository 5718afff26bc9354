"""How a Settings page lays out its fields: label, widget, a note and the error beneath it.

Every page shows a refusal from core the same way: the sentence in red under the field it names
(`FieldErrors`), or under the page's form (`fail`), and a status line beside the page's save
button (`set_status`).
"""

from __future__ import annotations

from carelog.gui.state import AppState
from carelog.gui.theme import css_colour, error_colour, muted_colour, status_colour, tint
from carelog.gui.widgets.dates import py_date as py_date
from carelog.gui.widgets.labels import wrapped_label
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def error_label(name: str) -> QLabel:
    """A hidden label for the problem with `name`, shown in red when there is one."""
    label = wrapped_label(f"Problem with {name}")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldErrors(dict[str, QLabel]):
    """The error label of each field, by the key core's BadInput names it with (hours.mon)."""

    def register(self, key: str, name: str) -> QLabel:
        """Make the error label of a field and keep it under its key."""
        label = error_label(name)
        self[key] = label
        return label

    def show(self, key: str, text: str) -> None:
        """Show a field's problem (or hide its label when text is empty)."""
        label = self[key]
        label.setText(text)
        tint(label, error_colour)
        label.setVisible(bool(text))

    def hide_all(self) -> None:
        """Hide every field's problem."""
        for key in self:
            self.show(key, "")

    def text(self, key: str) -> str:
        """The message shown beside a field ('' when there is none)."""
        label = self.get(key)
        return label.text() if label is not None and not label.isHidden() else ""

    def key_for(self, field: str | None) -> str:
        """The label that shows a refusal naming `field` (protected[2].time → protected)."""
        if field is None:
            return "schedule"
        if field in self:
            return field
        if field.startswith("protected"):
            return "protected"
        if field.startswith("hours"):
            return "hours"
        if field.startswith("target") or field == "preset":
            return "target"
        return "schedule"


def buddy(text: str, widget: QWidget, align: Qt.AlignmentFlag | None = None) -> QLabel:
    """The label of a field, its mnemonic moving the focus to the field."""
    label = QLabel(text)
    label.setBuddy(widget)
    if align is not None:
        # Line up with the field's first line when a message opens up beneath it.
        label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        label.setMinimumHeight(widget.sizeHint().height())
    return label


def field(widget: QWidget, error: QLabel | None = None, note: QLabel | None = None,
          stretch: bool = True) -> QWidget:
    """The widget at its natural width, with its note and error message beneath it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    if stretch:
        row = QHBoxLayout()
        row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
    else:
        column.addWidget(widget)
    if note is not None:
        column.addWidget(note)
    if error is not None:
        column.addWidget(error)
    return box


def spin(name: str, tip: str, maximum: float, suffix: str, decimals: int = 2,
         step: float = 0.5) -> QDoubleSpinBox:
    """A number field from 0 to `maximum`, named and explained."""
    box = QDoubleSpinBox()
    box.setAccessibleName(name)
    box.setToolTip(tip)
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    box.setKeyboardTracking(True)
    return box


def save_row(status: QLabel, button: QPushButton, error: QLabel | None = None) -> QVBoxLayout:
    """A page's foot: its error, then its status line beside its save button."""
    box = QVBoxLayout()
    if error is not None:
        box.addWidget(error)
    row = QHBoxLayout()
    row.addWidget(status, 1)
    row.addWidget(button)
    box.addLayout(row)
    return box


def lay_out_scrolling(page: QWidget, content: QWidget, footer: QVBoxLayout) -> None:
    """Lay a page out so its content scrolls when the dialog is small, its foot always in view."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    # Let the tab page's own background show through, as on the tabs without scrolling.
    scroll.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(scroll, 1)
    inner = QWidget()
    inner_box = QVBoxLayout(inner)
    inner_box.addLayout(footer)
    box.addWidget(inner)


def set_status(label: QLabel, text: str, kind: str) -> None:
    """A page's status line: 'muted' for a note, 'ok' when saved, 'error' when refused."""
    palette = label.palette()
    colours = {"muted": muted_colour(palette), "ok": status_colour("met", palette),
               "error": error_colour(palette)}
    label.setText(text)
    label.setStyleSheet(f"color: {css_colour(colours[kind])};")


def fail(error: QLabel, status: QLabel, message: str) -> None:
    """Show core's refusal under a page's form, and clear the page's status line."""
    error.setText(message)
    tint(error, error_colour)
    error.show()
    status.setText("")


def written(state: AppState, status: QLabel, text: str) -> None:
    """Say that a change was written (on the page and in the status bar); tell every view."""
    set_status(status, text, "ok")
    state.notify_changed()
    state.say(text)
