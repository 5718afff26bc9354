"""How the entry form looks: its fields, their error lines, the buttons; layout only.

`EntryForm` (entry_form.py, beside this file) fills the fields, checks them through core and
saves what they say.
"""

from __future__ import annotations

from carelog.core.domain.history import CHOSEN_REASONS, REASON_WORDS
from carelog.gui.theme import error_colour, muted_colour, tint
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import wrapped_label
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

FIELDS = ("category", "date", "start", "end", "minutes", "note", "reason")
REASON_PLACEHOLDER = "Choose why this sealed week changes…"
TRIM_TEXT = "Fit around time already logged"


class EntryFormUi(QGroupBox):
    """The entry form's widgets and their layout; the category list starts empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Log time", parent)
        self.setAccessibleName("Entry form")
        self.setMinimumWidth(340)

        self.category = named(QComboBox(), "Category",
                              "What the time was spent on. IPC categories count toward "
                              "protected time when done inside scheduled hours.")
        self.category_class = named(QLabel(), "What the category counts as")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setToolTip("The local date the entry starts on.")
        self.start_edit = self._line("Start time", "HH:MM", "When it began, e.g. 09:00.")
        self.end_edit = self._line("End time", "HH:MM", "When it ended, e.g. 09:50. An end "
                                   "earlier than the start means the next day.")
        self.end_hint = named(QLabel(), "End day")
        self.minutes_edit = self._line("Minutes", "e.g. 50", "How long it lasted, in whole "
                                       "minutes; the end time follows.")
        self.note_edit = self._line("Note", "Optional; no patient identifiers",
                                    "A private reminder for yourself. Notes never appear in a "
                                    "committee export.")
        self.note_warning = wrapped_label("Note warning")
        self.note_warning.hide()
        self.remove_everywhere_button = named(
            QPushButton("Remove this text everywhere…"), "Remove this text everywhere",
            "Erase a name or number from every note, the undo history and the database's free "
            "space, write a fresh backup, and name the older backups that still hold it.")
        self.remove_everywhere_button.hide()
        self.reason_hint = wrapped_label("Sealed week")
        self.reason_combo = named(QComboBox(), "Reason",
                                  "A week a committee export sealed can still be corrected; "
                                  "the change is recorded as an amendment with its reason. "
                                  "Exports count the reasons' categories.")
        self.reason_combo.addItem(REASON_PLACEHOLDER, None)
        for code in CHOSEN_REASONS:
            self.reason_combo.addItem(REASON_WORDS[code], code.value)
        self.reason_edit = self._line("Reason in your words", "Your words (optional; they stay "
                                      "on this computer)", "Private words about the change. "
                                      "They are never exported.")
        self.reason_label = QLabel("Reason (wh&y)")
        self.reason_label.setBuddy(self.reason_combo)
        self.trim_check = QCheckBox(TRIM_TEXT)
        self.trim_check.setAccessibleName(TRIM_TEXT)
        self.trim_check.setToolTip("When the new entry overlaps entries already in the log, "
                                   "add only the parts that fit between them.")
        self.add_button = named(QPushButton("Add"), "Add entry")
        self.save_button = named(QPushButton("Save changes"), "Save changes")
        self.clear_button = named(QPushButton("Clear"), "Clear form")
        self.delete_button = named(QPushButton("Delete"), "Delete entry")
        self.form_error = self._error_label("Form error")

        self._errors: dict[str, QLabel] = {f: self._error_label(f"{f.capitalize()} error")
                                           for f in FIELDS}
        self.keys_label = QLabel(
            "Quick log: Alt+M messages, Alt+D charting, Alt+T treatment planning, Alt+C care "
            "coordination, Alt+S session, Alt+B break — then 1–5 (or Alt+1–Alt+5) for the "
            "last 5, 10, 15, 30 or 50 minutes · Ctrl+L the quick line · Ctrl+Shift+T starts "
            "and Ctrl+Shift+E stops the timer\n\n"
            "This form: Return adds or saves · Ctrl+Z undoes the last change · Alt+← and "
            "Alt+→ change the day · Del deletes the selected entry")
        self.keys_label.setAccessibleName("Keyboard shortcuts")
        self.keys_label.setWordWrap(True)
        tint(self.keys_label, muted_colour)
        self._lay_out()

    # ------------------------------------------------------------------ building

    def _line(self, name: str, placeholder: str, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        edit.setClearButtonEnabled(False)
        return edit

    def _error_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        tint(label, error_colour)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.hide()
        return label

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        end_box = QHBoxLayout()
        end_box.setContentsMargins(0, 0, 0, 0)
        end_box.addWidget(self.end_edit, 1)
        end_box.addWidget(self.end_hint)
        end_widget = QWidget()
        end_widget.setLayout(end_box)
        rows: list[tuple[str, QWidget, str]] = [
            # Mnemonics stay clear of the quick-log keys (Alt+M, D, T, C, S, B) and the menus.
            ("Cate&gory", self.category, "category"),
            ("", self.category_class, ""),
            ("D&ate", self.date_edit, "date"),
            ("Sta&rt", self.start_edit, "start"),
            ("E&nd", end_widget, "end"),
            ("M&inutes", self.minutes_edit, "minutes"),
            ("N&ote", self.note_edit, "note"),
        ]
        r = 0
        for text, widget, field in rows:
            if text:
                label = QLabel(text)
                label.setBuddy(self.end_edit if widget is end_widget else widget)
                grid.addWidget(label, r, 0)
            grid.addWidget(widget, r, 1)
            r += 1
            if field:
                grid.addWidget(self._errors[field], r, 1)
                r += 1
        grid.addWidget(self.note_warning, r, 1)
        r += 1
        grid.addWidget(self.remove_everywhere_button, r, 1, Qt.AlignmentFlag.AlignLeft)
        r += 1
        grid.addWidget(self.reason_hint, r, 0, 1, 2)
        r += 1
        grid.addWidget(self.reason_label, r, 0)
        grid.addWidget(self.reason_combo, r, 1)
        r += 1
        grid.addWidget(self.reason_edit, r, 1)
        r += 1
        grid.addWidget(self._errors["reason"], r, 1)
        r += 1
        grid.addWidget(self.trim_check, r, 1)
        r += 1
        buttons = QHBoxLayout()
        for b in (self.add_button, self.save_button, self.clear_button, self.delete_button):
            buttons.addWidget(b)
        grid.addLayout(buttons, r, 0, 1, 2)
        r += 1
        grid.addWidget(self.form_error, r, 0, 1, 2)
        grid.setRowStretch(r + 1, 1)
        grid.addWidget(self.keys_label, r + 2, 0, 1, 2)
