"""The forgiving timer's questions: "still charting?", what a time away was, when it started.

Each dialog only asks; what an answer logs is decided in core
(carelog.core.domain.forgiving_timer) and written by the window's timer watch.
"""

from __future__ import annotations

from datetime import datetime

from carelog.core.domain.forgiving_timer import GAP_WORDS, GapAnswer
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import dialog_buttons
from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def _sentence_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(360)
    return label


class _QuestionDialog(QDialog):
    """A sentence above a column of answer buttons; a click says the answer and closes."""

    answered = Signal(object)

    def __init__(self, title: str, name: str, sentence: str, sentence_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(name)
        self._box = QVBoxLayout(self)
        self.sentence_label = named(_sentence_label(sentence), sentence_name)
        self._box.addWidget(self.sentence_label)

    def _add_answer(self, button: QPushButton, answer: object) -> None:
        button.clicked.connect(lambda _=False, a=answer: self._answer(a))
        self._box.addWidget(button)

    def _answer(self, answer: object) -> None:
        self.answered.emit(answer)
        self.accept()


class StillChartingDialog(_QuestionDialog):
    """A timer ran past the end of the working day or its limit: keep, stop then, or discard.

    `answered` carries "keep", "stop" or "discard".
    """

    def __init__(self, sentence: str, stop_words: str, parent: QWidget | None = None) -> None:
        super().__init__("Still charting?", "Still charting?", sentence, "What the timer did",
                         parent)
        self.keep_button = named(QPushButton("Yes, keep it running"), "Keep the timer running")
        self.stop_button = named(QPushButton(stop_words), "Stop the timer then")
        self.discard_button = named(QPushButton("Discard it"), "Discard the timer",
                                    "Stop the timer without logging anything.")
        for button, answer in ((self.keep_button, "keep"), (self.stop_button, "stop"),
                               (self.discard_button, "discard")):
            self._add_answer(button, answer)
        self.stop_button.setDefault(True)


class AwayDialog(_QuestionDialog):
    """Back after the screen was locked or the computer slept: what was the time away?

    `answered` carries a GapAnswer.
    """

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__("Welcome back", "What was the time away?", sentence, "The time away",
                         parent)
        self.buttons: dict[GapAnswer, QPushButton] = {}
        for answer in GapAnswer:
            button = named(QPushButton(GAP_WORDS[answer]), GAP_WORDS[answer])
            self._add_answer(button, answer)
            self.buttons[answer] = button
        self.buttons[GapAnswer.KEEP].setDefault(True)


def _qt(moment: datetime) -> QDateTime:
    return QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)


class TimerStartDialog(QDialog):
    """When did the running timer really start?"""

    def __init__(self, started: datetime, latest: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("When did the timer start?")
        box = QVBoxLayout(self)
        box.addWidget(_sentence_label("Move the start if you began before you pressed Start; "
                                      "the time is logged from here when the timer stops."))
        self.start_edit = named(QDateTimeEdit(_qt(started)), "Timer started at")
        self.start_edit.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.start_edit.setMaximumDateTime(_qt(latest))
        box.addWidget(self.start_edit)
        box.addWidget(dialog_buttons(self, accept_text="Change the start"))
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def chosen(self) -> datetime:
        """The start as chosen (local wall-clock time, naive)."""
        value = self.start_edit.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
