"""Asking why a sealed week changes, for the changes made by dragging or many at once.

The entry form asks in a row of its own; the calendar and the log, which have no form, ask
here. The reason's category may be counted in later exports; the words stay on this computer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from carelog.core.domain.errors import ReasonNeeded
from carelog.core.domain.history import CHOSEN_REASONS, REASON_WORDS, Reason, ReasonCode
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import dialog_buttons, form_rows
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget


class ReasonDialog(QDialog):
    """Why a change amends a sealed week: a reason chosen from a list and optional words."""

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why does this sealed week change?")
        box = QVBoxLayout(self)
        text = QLabel(sentence)
        text.setWordWrap(True)
        box.addWidget(text)
        self.reason_combo = named(QComboBox(), "Reason")
        for code in CHOSEN_REASONS:
            self.reason_combo.addItem(REASON_WORDS[code], code.value)
        self.words_edit = named(QLineEdit(), "Your words",
                                "Stays on this computer; exports count only the reason.")
        self.words_edit.setPlaceholderText("Optional: what happened (stays on this computer)")
        box.addLayout(form_rows(("Reason", self.reason_combo), ("Your words", self.words_edit)))
        box.addWidget(dialog_buttons(self, accept_text="Make the change"))

    def reason(self) -> Reason:
        """The reason as chosen."""
        return Reason(ReasonCode(str(self.reason_combo.currentData())),
                      self.words_edit.text().strip())


def ask_reason(parent: QWidget, sentence: str) -> Reason | None:
    """Ask why a sealed week changes; None when the person cancels."""
    dialog = ReasonDialog(sentence, parent)
    try:
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


Asker = Callable[[QWidget, str], Reason | None]
Change = TypeVar("Change")


def with_reason(parent: QWidget, change: Callable[[Reason | None], Change],
                asker: Asker = ask_reason) -> Change | None:
    """Make a change; when it touches a sealed week, ask why and make it with the reason.

    None when the person cancels the question. Other refusals are raised to the caller.
    """
    try:
        return change(None)
    except ReasonNeeded as exc:
        reason = asker(parent, exc.message)
        if reason is None:
            return None
        return change(reason)
