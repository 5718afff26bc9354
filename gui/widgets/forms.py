"""The parts every small form shares: its rows, a row of buttons, the buttons that close it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QWidget

Button = QDialogButtonBox.StandardButton


def form_rows(*rows: tuple[str | QWidget, QWidget]) -> QFormLayout:
    """A form with one row per (label, field); the label is a text or a widget of its own."""
    form = QFormLayout()
    for label, field in rows:
        form.addRow(label, field)
    return form


def dialog_buttons(dialog: QDialog, accept: Button = Button.Ok, *, accept_text: str = "",
                   on_accept: Callable[[], None] | None = None) -> QDialogButtonBox:
    """The accept and Cancel buttons of a dialog: Cancel rejects it, accept accepts it.

    `accept_text` renames the accept button ("Make the change"); a dialog that saves before it
    closes gives its own slot as `on_accept` and accepts itself once the save succeeded.
    """
    buttons = QDialogButtonBox(accept | Button.Cancel)
    if accept_text:
        buttons.button(accept).setText(accept_text)
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def close_button(dialog: QDialog) -> QDialogButtonBox:
    """A lone Close button that closes the dialog."""
    buttons = QDialogButtonBox(Button.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


def button_row(*widgets: QWidget, right: Sequence[QWidget] = ()) -> QHBoxLayout:
    """Widgets side by side from the left; the `right` ones after the free space, at the right."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row
