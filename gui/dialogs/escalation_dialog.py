"""Small forms for the escalation record: telling a manager, and the manager's answer.

They hold no rules of their own: core builds and checks the escalation (`new_escalation`,
`Store.add_escalation`, `Store.respond_escalation`) and words every refusal; the forms show the
sentence beside the fields and keep what was typed.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date

from carelog.core.domain.errors import CarelogError
from carelog.core.domain.models import (
    ASK_LABELS,
    DEFAULT_ROLE,
    HOW_LABELS,
    RESPONSE_LABELS,
    Escalation,
    EscalationHow,
    EscalationResponse,
    new_escalation,
)
from carelog.core.domain.privacy import escalation_warnings
from carelog.core.domain.timeutil import local_to_utc, to_local
from carelog.gui.formatting import hhmm, short_day
from carelog.gui.models.escalation_table_model import about_text
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour, muted_colour, tint, warning_colour
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.dates import py_date, qdate
from carelog.gui.widgets.forms import Button, dialog_buttons, form_rows
from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

ESCALATE_INTRO = ("A record of telling a manager that protected time was lost, made at the "
                  "time: to whom (a role, not a name), how, and what you asked. The note is "
                  "private and never exported.")


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.hide()
    return label


class _RecordDialog(QDialog):
    """A form that records one change to an escalation, and closes only once it is recorded.

    A subclass makes the change in `record` and words it in `said`; a refusal from core is shown
    in `error_label` and the form stays open with what was typed.
    """

    def __init__(self, state: AppState, title: str, error_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.saved: Escalation | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.error_label = _message_label(error_name)
        tint(self.error_label, error_colour)
        self.buttons = dialog_buttons(self, Button.Save, on_accept=self._on_buttons_accepted)

    @abstractmethod
    def record(self) -> Escalation:
        """Make the change through the store (CarelogError when core refuses it)."""

    @abstractmethod
    def said(self, saved: Escalation) -> str:
        """The sentence that tells what was recorded."""

    def save(self) -> Escalation | None:
        """Record the change; None (with the sentence shown) if refused."""
        try:
            saved = self.record()
        except CarelogError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return None
        self.saved = saved
        return saved

    def _on_buttons_accepted(self) -> None:
        saved = self.save()
        if saved is None:
            return
        self.state.say(self.said(saved))
        self.state.notify_changed()
        self.accept()


class EscalationDialog(_RecordDialog):
    """Record that a manager was told about a lost block, or about a day of the week."""

    def __init__(self, state: AppState, *, block: tuple[date, int, int] | None = None,
                 days: list[date] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(state, "Escalate to a manager", "Problem with the escalation", parent)
        self.block = block

        intro = QLabel(ESCALATE_INTRO)
        intro.setWordWrap(True)
        self.about_label = named(QLabel(), "What the escalation is about")
        self.day_combo = named(QComboBox(), "Day")
        if block is not None:
            day, start, end = block
            self.about_label.setText(f"The protected block {short_day(day)} "
                                     f"{hhmm(start)}–{hhmm(end)}")
            self.day_combo.hide()
        else:
            self.about_label.setText("A whole day:")
            for d in days or []:
                self.day_combo.addItem(short_day(d), d.isoformat())
            self.day_combo.setCurrentIndex(self.day_combo.count() - 1)  # the latest day
        self.to_edit = named(QLineEdit(DEFAULT_ROLE), "Told whom (a role)")
        self.to_edit.setPlaceholderText("a role, e.g. clinic manager")
        self.to_edit.setToolTip("The role of the person you told, such as clinic manager or "
                                "supervisor; not a name.")
        self.how_combo = named(QComboBox(), "How")
        for how, words in HOW_LABELS.items():
            self.how_combo.addItem(words, how.value)
        self.asked_combo = named(QComboBox(), "What was asked")
        self.asked_combo.setEditable(True)
        self.asked_combo.setToolTip("What you asked for; choose one or write a few words.")
        for words in ASK_LABELS.values():
            self.asked_combo.addItem(words)
        self.told_edit = QDateTimeEdit()
        self.told_edit.setAccessibleName("When you told them")
        self.told_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.told_edit.setCalendarPopup(True)
        local = to_local(state.now_minute(), state.store.tz)
        self.told_edit.setDateTime(QDateTime(qdate(local.date()),
                                             QTime(local.hour, local.minute)))
        self.note_edit = named(QLineEdit(), "Private note")
        self.note_edit.setPlaceholderText("private, never exported")
        self.warning_label = _message_label("Privacy warning")
        tint(self.warning_label, warning_colour)

        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form_rows((self.about_label, self.day_combo),
                                ("&Told (a role)", self.to_edit),
                                ("&How", self.how_combo),
                                ("&Asked", self.asked_combo),
                                ("&When", self.told_edit),
                                ("&Note", self.note_edit)))
        box.addWidget(self.warning_label)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

        self.to_edit.textChanged.connect(self._on_text_changed)
        self.asked_combo.editTextChanged.connect(self._on_text_changed)
        self.note_edit.textChanged.connect(self._on_text_changed)

    def day(self) -> date:
        """The date the escalation is about."""
        if self.block is not None:
            return self.block[0]
        return date.fromisoformat(str(self.day_combo.currentData()))

    def record(self) -> Escalation:
        """Build, check and record the escalation."""
        qdt = self.told_edit.dateTime()
        minute = qdt.time().hour() * 60 + qdt.time().minute()
        told = local_to_utc(py_date(qdt.date()), minute, self.state.store.tz, "time told")
        esc = new_escalation(self.day(), None if self.block is None else self.block[1],
                             told, self.to_edit.text(),
                             EscalationHow(self.how_combo.currentData()),
                             self.asked_combo.currentText(), self.note_edit.text().strip())
        return self.state.store.add_escalation(esc, now=self.state.now())

    def said(self, saved: Escalation) -> str:
        """'Recorded the escalation about …: told clinic manager in person.'"""
        return (f"Recorded the escalation about {about_text(saved)}: told "
                f"{saved.to_role} {saved.how_words()}.")

    def _on_text_changed(self, *args: object) -> None:
        warnings = escalation_warnings(self.to_edit.text(), self.asked_combo.currentText(),
                                       self.note_edit.text())
        self.warning_label.setText(" ".join(warnings))
        self.warning_label.setVisible(bool(warnings))


class RespondDialog(_RecordDialog):
    """Record the manager's answer to an escalation, its date, and whether it is resolved."""

    def __init__(self, state: AppState, escalation: Escalation,
                 parent: QWidget | None = None) -> None:
        super().__init__(state, "The manager's response", "Problem with the response", parent)
        self.escalation = escalation
        tz = state.store.tz
        told = to_local(escalation.told_at, tz)
        summary = QLabel(f"About {about_text(escalation)}: told {escalation.to_role} "
                         f"{escalation.how_words()} on {told:%a %d %b %H:%M}.")
        summary.setWordWrap(True)
        tint(summary, muted_colour)
        self.response_combo = named(QComboBox(), "Response")
        for response, words in RESPONSE_LABELS.items():
            if response is not EscalationResponse.NONE:
                self.response_combo.addItem(words, response.value)
        if escalation.responded:
            self.response_combo.setCurrentIndex(
                self.response_combo.findData(escalation.response.value))
        self.on_edit = named(QDateEdit(), "Date of the response")
        self.on_edit.setDisplayFormat("yyyy-MM-dd")
        self.on_edit.setCalendarPopup(True)
        self.on_edit.setDate(qdate(escalation.response_on or self.state.today()))
        self.resolved_check = named(QCheckBox("Resolved"), "Resolved",
                                    "The lost time was made good, or the matter is settled.")
        self.resolved_check.setChecked(escalation.resolved)
        box = QVBoxLayout(self)
        box.addWidget(summary)
        box.addLayout(form_rows(("&Response", self.response_combo),
                                ("&On", self.on_edit),
                                ("", self.resolved_check)))
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

    def record(self) -> Escalation:
        """Record the response."""
        return self.state.store.respond_escalation(
            int(self.escalation.id or 0), EscalationResponse(self.response_combo.currentData()),
            py_date(self.on_edit.date()), self.resolved_check.isChecked(), now=self.state.now())

    def said(self, saved: Escalation) -> str:
        """'Recorded the response to the escalation about …: …, resolved.'"""
        state = "resolved" if saved.resolved else "still open"
        return (f"Recorded the response to the escalation about {about_text(saved)}: "
                f"{saved.response_words()}, {state}.")
