"""The parts every small form shares: its rows, and the buttons that accept or cancel it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget

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
