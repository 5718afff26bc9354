"""The form that logs a new entry or changes the selected one.

Every time the form reads goes through carelog.core.domain.timeutil in the store's zone, and
every refusal comes from core: a BadInput is shown in red under the field it names, and the
form keeps what was typed so it can be corrected. The fields are laid out in entry_form_ui.py,
beside this file.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Literal

from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import BadInput, CarelogError, OverlapError, ReasonNeeded
from carelog.core.domain.history import Reason, ReasonCode, Via
from carelog.core.domain.models import Entry
from carelog.core.domain.privacy import identifier_texts, warning_sentence
from carelog.core.domain.timeutil import MINUTE, span_from_form, to_local
from carelog.core.store import scrub as scrubbing
from carelog.core.store.database import Store
from carelog.gui.formatting import class_text, class_tip, short_day
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from carelog.gui.theme import muted_colour, tint, warning_colour
from carelog.gui.undo_keys import UndoFallsThrough
from carelog.gui.views.today.entry_form_ui import TRIM_TEXT, EntryFormUi
from carelog.gui.widgets.dates import qdate
from carelog.gui.workers.background import Operation, run_in_background
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QInputDialog,
    QWidget,
)

_GROUPS: tuple[tuple[CategoryClass, str], ...] = (
    (CategoryClass.IPC, "Indirect patient care"),
    (CategoryClass.DIRECT, "Direct care"),
    (CategoryClass.OTHER, "Other work"),
)
_CODE_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_CATEGORY = "documentation"


class EntryForm(EntryFormUi):
    """Category, date, start, end or minutes, and a note; Add, Save changes, Clear, Delete."""

    saved = Signal(object)
    deleted = Signal(object)
    cleared = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._editing: Entry | None = None
        self._source: Literal["end", "minutes"] = "minutes"
        self.scrub_operation: Operation | None = None
        self.remove_dialog: QInputDialog | None = None
        self._fill_categories()
        self._connect()
        self._on_category_current_index_changed(self.category.currentIndex())
        self.clear()

    # ------------------------------------------------------------------ building

    def _fill_categories(self) -> None:
        model = QStandardItemModel(self.category)
        registry = self.state.store.categories
        bold = QFont(self.font())
        bold.setBold(True)
        for cls, heading in _GROUPS:
            infos = [c for c in registry.all() if c.cls is cls]
            if not infos:
                continue
            head = QStandardItem(heading)
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            head.setFont(bold)
            model.appendRow(head)
            for info in infos:
                item = QStandardItem(info.label)
                item.setData(info.code, _CODE_ROLE)
                item.setToolTip(f"{info.meaning}. {class_tip(info, cls)}")
                model.appendRow(item)
        self.category.setModel(model)
        self.set_category(DEFAULT_CATEGORY)

    def _connect(self) -> None:
        self.category.currentIndexChanged.connect(self._on_category_current_index_changed)
        self.date_edit.dateChanged.connect(self._on_date_edit_date_changed)
        self.start_edit.textEdited.connect(self._on_start_edit_text_edited)
        self.end_edit.textEdited.connect(self._on_end_edit_text_edited)
        self.minutes_edit.textEdited.connect(self._on_minutes_edit_text_edited)
        self.note_edit.textChanged.connect(self._on_note_edit_text_changed)
        self.remove_everywhere_button.clicked.connect(self._on_remove_everywhere_button_clicked)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self._undo_filter = UndoFallsThrough(self)
        for edit in (self.start_edit, self.end_edit, self.minutes_edit, self.note_edit):
            edit.returnPressed.connect(self._on_return_pressed)
            edit.installEventFilter(self._undo_filter)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.state.store_replaced.connect(self._on_state_store_replaced)

    # ------------------------------------------------------------------ public

    @property
    def editing(self) -> Entry | None:
        """The entry loaded for editing, or None when the form adds new entries."""
        return self._editing

    @property
    def editing_id(self) -> int | None:
        """The id of the entry loaded for editing, or None."""
        return self._editing.id if self._editing else None

    def set_category(self, code: str) -> None:
        """Select a category by code."""
        i = self.category.findData(code, _CODE_ROLE)
        if i >= 0:
            self.category.setCurrentIndex(i)

    def category_code(self) -> str:
        """The code of the selected category."""
        return str(self.category.currentData(_CODE_ROLE) or "")

    def set_date(self, d: date) -> None:
        """Put a date in the date field."""
        self.date_edit.setDate(qdate(d))

    def form_date(self) -> date:
        """The date in the date field."""
        value: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return value

    def error_text(self, field: str | None = None) -> str:
        """The message shown under a field (or for the whole form), '' when there is none."""
        label = self._errors.get(field or "", self.form_error)
        return "" if label.isHidden() else label.text()

    def load(self, entry: Entry) -> None:
        """Show an entry for editing."""
        tz = self.state.store.tz
        start, end = to_local(entry.start, tz), to_local(entry.end, tz)
        self._editing = entry
        self.set_category(entry.category)
        self.date_edit.blockSignals(True)
        self.set_date(start.date())
        self.date_edit.blockSignals(False)
        self.start_edit.setText(f"{start:%H:%M}")
        self.end_edit.setText(f"{end:%H:%M}")
        self.minutes_edit.setText(str(entry.minutes))
        self.note_edit.setText(entry.note)
        self._source = "minutes"
        self._clear_errors()
        self._update_end_hint()
        self._update_mode()
        self._reset_reason()

    def clear(self) -> None:
        """Leave editing and empty the times and the note, ready to log new time."""
        was_editing = self._editing is not None
        self._editing = None
        self.set_date(self.state.day)
        for edit in (self.start_edit, self.end_edit, self.minutes_edit, self.note_edit):
            edit.setText("")  # unlike clear(), this also forgets the field's typing history
        self._source = "minutes"
        self._clear_errors()
        self._update_end_hint()
        self._update_mode()
        self._reset_reason()
        if was_editing:
            self.cleared.emit()

    def follow_day(self, d: date) -> None:
        """The window moved to another day: a new entry is logged on it."""
        if self._editing is not None:
            self.clear()
        self.set_date(d)

    # ------------------------------------------------------------------ reading the form

    def _span(self) -> tuple[int, int]:
        """The UTC start and end the form describes, or BadInput naming the field."""
        minutes = self.minutes_edit.text() if self._source == "minutes" else None
        return span_from_form(self.form_date(), self.start_edit.text(), self.end_edit.text(),
                              minutes, self.state.store.tz)

    # ------------------------------------------------------------------ showing state

    def _update_mode(self) -> None:
        editing = self._editing is not None
        self.setTitle("Edit the selected entry" if self._editing else "Log time")
        self.save_button.setEnabled(editing)
        self.delete_button.setEnabled(editing)
        self.trim_check.setEnabled(not editing)
        self.add_button.setDefault(not editing)
        self.save_button.setDefault(editing)

    def _clear_errors(self) -> None:
        for label in (*self._errors.values(), self.form_error):
            label.clear()
            label.hide()

    def _show_error(self, exc: CarelogError) -> None:
        field = exc.field if isinstance(exc, BadInput) else None
        if field == "end" and self._source == "minutes":
            field = "minutes"
        label = self._errors.get(field or "", self.form_error)
        text = window_sentence(exc)
        if isinstance(exc, OverlapError) and self._editing is None:
            text = f"{exc.message} To add only the free minutes, tick “{TRIM_TEXT}”."
        if isinstance(exc, ReasonNeeded):
            self._update_reason_row()
            text = f"{exc.message.removesuffix('.')}: choose one above."
        label.setText(text)
        label.show()
        target = {"category": self.category, "date": self.date_edit, "start": self.start_edit,
                  "end": self.end_edit, "minutes": self.minutes_edit,
                  "reason": self.reason_combo}.get(field or "")
        if target is not None:
            target.setFocus()
        self.state.say(window_sentence(exc))

    def _sync(self) -> None:
        """Keep end and minutes in step with whichever of them was typed last."""
        try:
            start, end = self._span()
        except BadInput:
            self._update_end_hint()
            self._update_reason_row()
            return
        if self._source == "minutes":
            self.end_edit.setText(f"{to_local(end, self.state.store.tz):%H:%M}")
        elif end > start:
            self.minutes_edit.setText(str((end - start) // MINUTE))
        self._update_end_hint()
        self._update_reason_row()

    # ------------------------------------------------------------------ the reason row

    def reason(self) -> Reason | None:
        """The reason chosen for a change to a sealed week, or None."""
        code = self.reason_combo.currentData()
        if code is None:
            return None
        return Reason(ReasonCode(code), " ".join(self.reason_edit.text().split()))

    def sealed_weeks(self) -> list[str]:
        """The sealed weeks the entry being edited and the form's times touch."""
        spans: list[tuple[int, int]] = []
        if self._editing is not None:
            spans.append((self._editing.start, self._editing.end))
        with contextlib.suppress(BadInput):  # times still being typed: only the old ones
            spans.append(self._span())
        return self.state.store.sealed_weeks(*spans) if spans else []

    def _reset_reason(self) -> None:
        self.reason_combo.setCurrentIndex(0)
        self.reason_edit.setText("")
        self._update_reason_row()

    def _update_reason_row(self) -> None:
        weeks = self.sealed_weeks()
        shown = bool(weeks)
        if shown:
            named = ", ".join(weeks)
            self.reason_hint.setText(f"Week {named} was sealed by a committee export: a change "
                                     "there is recorded as an amendment and needs a reason.")
            tint(self.reason_hint, warning_colour)
        for w in (self.reason_hint, self.reason_label, self.reason_combo, self.reason_edit):
            w.setVisible(shown)
        if not shown:
            self._errors["reason"].hide()

    def _update_end_hint(self) -> None:
        try:
            _, end = self._span()
        except BadInput:
            self.end_hint.clear()
            self.end_hint.hide()
            return
        end_day = to_local(end - MINUTE, self.state.store.tz).date()
        self.end_hint.setText("" if end_day == self.form_date() else f"ends {short_day(end_day)}")
        self.end_hint.setVisible(bool(self.end_hint.text()))
        tint(self.end_hint, muted_colour)

    def _field_edited(self, field: str) -> None:
        self._errors[field].hide()
        self._errors[field].clear()
        self.form_error.hide()
        if field in ("end", "minutes"):
            for f in ("end", "minutes"):
                self._errors[f].hide()

    # ------------------------------------------------------------------ slots

    def _on_category_current_index_changed(self, index: int) -> None:
        registry = self.state.store.categories
        code = self.category_code()
        if code in registry:
            info = registry.get(code)
            self.category_class.setText(f"Counts as: {class_text(info, info.cls)}")
            self.category_class.setToolTip(class_tip(info, info.cls))
        tint(self.category_class, muted_colour)

    def _on_date_edit_date_changed(self, value: QDate) -> None:
        self._field_edited("date")
        self._sync()

    def _on_start_edit_text_edited(self, text: str) -> None:
        self._field_edited("start")
        self._sync()

    def _on_end_edit_text_edited(self, text: str) -> None:
        self._field_edited("end")
        self._source = "end"
        self._sync()

    def _on_minutes_edit_text_edited(self, text: str) -> None:
        self._field_edited("minutes")
        self._source = "minutes"
        self._sync()

    def _on_note_edit_text_changed(self, text: str) -> None:
        warning = warning_sentence(text)
        self.note_warning.setText(warning or "")
        tint(self.note_warning, warning_colour)
        self.note_warning.setVisible(bool(warning))
        self.remove_everywhere_button.setVisible(bool(warning))

    def _on_remove_everywhere_button_clicked(self) -> None:
        found = identifier_texts(self.note_edit.text())
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Remove this text everywhere")
        dialog.setLabelText("Remove this text from every note, the undo history and the "
                            "database's free space (backups made before are named after):")
        dialog.setTextValue(found[0] if found else self.note_edit.text().strip())
        dialog.textValueSelected.connect(self.remove_everywhere)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.remove_dialog = dialog
        dialog.open()

    def remove_everywhere(self, text: str) -> None:
        """Erase text from the log everywhere (core's scrub, off the GUI thread) and the field."""
        state = self.state
        path = state.store.path
        try:
            pattern = scrubbing.pattern_of(text)
        except CarelogError as exc:
            state.say(exc.message)
            return
        self.note_edit.setText(scrubbing.erase(pattern, self.note_edit.text()))
        self.remove_everywhere_button.setEnabled(False)

        def work() -> scrubbing.ScrubReport:
            # A connection of its own: the window's is for the GUI thread. The window holds
            # the log's writer lock, so its own scrub may run.
            worker = Store.open_for_worker(path)
            try:
                return worker.scrub(text)
            finally:
                worker.close()

        def done(report: object) -> None:
            self.remove_everywhere_button.setEnabled(True)
            state.notify_changed()
            if isinstance(report, scrubbing.ScrubReport):
                state.say(report.sentence())

        def failed(exc: BaseException) -> None:
            self.remove_everywhere_button.setEnabled(True)
            state.say(exc.message if isinstance(exc, CarelogError) else str(exc))

        self.scrub_operation = run_in_background(self, work, done, failed)

    def _on_reason_combo_current_index_changed(self, index: int) -> None:
        self._field_edited("reason")

    def _on_return_pressed(self) -> None:
        if self._editing is not None:
            self._on_save_button_clicked()
        else:
            self._on_add_button_clicked()

    def _on_add_button_clicked(self) -> None:
        self._clear_errors()
        store = self.state.store
        try:
            start, end = self._span()
            added = store.add_entry(self.category_code(), start, end,
                                    note=self.note_edit.text().strip(),
                                    trim=self.trim_check.isChecked(), via=Via.WINDOW,
                                    reason=self.reason())
        except CarelogError as exc:
            self._show_error(exc)
            return
        last = added[-1]
        what = store.describe(added[0]) if len(added) == 1 else f"{len(added)} pieces"
        self.state.say(f"Added {what}.")
        self._editing = None
        self._update_mode()
        # Ready for the next stretch of time: it starts where this one ended.
        end_local = to_local(last.end, store.tz)
        self.date_edit.blockSignals(True)
        self.set_date(end_local.date())
        self.date_edit.blockSignals(False)
        self.start_edit.setText(f"{end_local:%H:%M}")
        self.minutes_edit.setText(self.minutes_edit.text())
        self.note_edit.setText("")
        self._source = "minutes"
        self._sync()
        self._reset_reason()
        self.state.notify_changed()
        first_day = to_local(added[0].start, store.tz).date()
        if first_day != self.state.day:
            self.state.set_day(first_day)
            self.set_date(end_local.date())
        self.saved.emit(last)

    def _on_save_button_clicked(self) -> None:
        if self._editing is None or self._editing.id is None:
            return
        self._clear_errors()
        store = self.state.store
        try:
            start, end = self._span()
            new = store.edit_entry(self._editing.id, category=self.category_code(),
                                   start=start, end=end, note=self.note_edit.text().strip(),
                                   via=Via.WINDOW, reason=self.reason())
        except CarelogError as exc:
            self._show_error(exc)
            return
        self.state.say(f"Saved {store.describe(new)}.")
        self.load(new)
        self.state.notify_changed()
        new_day = to_local(new.start, store.tz).date()
        if new_day != self.state.day:
            self.state.set_day(new_day)
        self.saved.emit(new)

    def _on_state_store_replaced(self) -> None:
        # Another database (restored, or the demo): its own categories, nothing being edited.
        self._editing = None
        self._fill_categories()
        self.clear()

    def _on_clear_button_clicked(self) -> None:
        self.clear()

    def _on_delete_button_clicked(self) -> None:
        self.delete_current()

    def delete_current(self) -> bool:
        """Delete the entry being edited; False when there is none."""
        if self._editing is None or self._editing.id is None:
            return False
        store = self.state.store
        try:
            gone = store.delete_entry(self._editing.id, via=Via.WINDOW, reason=self.reason())
        except CarelogError as exc:
            self._show_error(exc)
            return False
        self.clear()
        self.state.say(f"Deleted {store.describe(gone)}; Edit ▸ Undo brings it back.")
        self.state.notify_changed()
        self.deleted.emit(gone)
        return True
