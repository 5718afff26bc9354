"""Import a calendar (.ics) or a spreadsheet (.csv): read, preview, adjust, then import at once.

The dialog drives the same core functions as `carelog import`, through the workers in
`carelog.gui.workers.importing`:

1. The file is read on a worker thread (`read_calendar` / `read_table` need no database).
2. The plan is worked out on a worker thread too, over a connection of its own to the same
   database file. It is worked out again whenever the period, a mapping rule, the column
   mapping or the date order changes.
3. **Import** applies the plan on a worker thread, again over its own connection, as one
   transaction and one undo step (`apply_plan`); the window is then told the data changed.

A file Carelog cannot read, and any other refusal from core, is shown as its one sentence in red
and nothing is imported. Event titles appear in the preview from memory only; they are never
written anywhere. The widgets are laid out in import_dialog_ui.py, beside this file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from carelog.core.domain.errors import CarelogError
from carelog.core.importing.calendar import CalendarFile, default_period
from carelog.core.importing.csv_table import ColumnMapping, CsvTable, DateOrder
from carelog.core.importing.plan import ImportPlan, ImportResult, OnConflict
from carelog.core.importing.rules import load_rules, reset_rules, save_rules
from carelog.core.store.imports import uid_key
from carelog.gui.dialogs.importing.import_dialog_ui import (
    CSV_NOTE,
    ImportDialogUi,
    ask_import_path,
    ask_yes_no,
)
from carelog.gui.dialogs.importing.sentences import (
    asks_for_date_order,
    leave_sentence,
    result_sentence,
)
from carelog.gui.models import import_preview_model as preview_m
from carelog.gui.models.import_rules_model import COL_CATEGORY
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from carelog.gui.workers.background import Operation, run_in_background
from carelog.gui.workers.importing import (
    ImportKind,
    Planned,
    PlanRequest,
    Source,
    apply_on_own_connection,
    kind_of,
    plan_on_own_connection,
    read_source,
)
from PySide6.QtCore import QDate, QEventLoop, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)



class ImportDialog(ImportDialogUi):
    """Choose a file, see what importing it would do, adjust, and import it as one change.

    `choose_file(parent) -> Path | None` and `confirm(parent, title, text) -> bool` are
    attributes so tests can answer for the person.
    """

    preview_ready = Signal()    # a read or plan finished (with a preview or with a sentence)
    import_finished = Signal()  # an import finished (done or refused)

    def __init__(self, state: AppState, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.choose_file: Callable[[QWidget], Path | None] = ask_import_path
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no
        self.path: Path | None = None
        self.kind: ImportKind | None = None
        self.source: Source | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.operation: Operation | None = None
        self.busy = ""  # "", "reading", "planning" or "importing"
        self._replan = False
        self._asked_date_order = False
        self._generation = 0  # a new file makes the results of work on the old one stale
        self._running: set[Operation] = set()
        self._detected = ColumnMapping()
        self._filling = False

        self.rules_model.set_categories(self._category_choices())
        self.rules_model.set_rules(load_rules(state.store))
        self._fill_rule_choices()
        self._show_fallback()
        self._open_rule_editors()
        first, last = default_period(state.today())
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        self.to_edit.setDate(QDate(last.year, last.month, last.day))

        self._period_timer = QTimer(self)
        self._period_timer.setSingleShot(True)
        self._period_timer.setInterval(300)

        self._connect()
        self._show_idle()
        if path is not None:
            self.open_file(path)

    def _connect(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.empty_choose_button.clicked.connect(self._on_choose_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.from_edit.dateChanged.connect(self._on_period_date_changed)
        self.to_edit.dateChanged.connect(self._on_period_date_changed)
        self._period_timer.timeout.connect(self._on_period_timer_timeout)
        self.rules_model.edited.connect(self._on_rules_model_edited)
        self.rules_model.rowsInserted.connect(self._on_rules_model_rows_inserted)
        self.add_rule_button.clicked.connect(self._on_add_rule_button_clicked)
        self.pattern_edit.returnPressed.connect(self._on_add_rule_button_clicked)
        self.remove_rule_button.clicked.connect(self._on_remove_rule_button_clicked)
        self.reset_rules_button.clicked.connect(self._on_reset_rules_button_clicked)
        self.fallback_combo.currentIndexChanged.connect(
            self._on_fallback_combo_current_index_changed)
        for combo in self.column_combos.values():
            combo.currentIndexChanged.connect(self._on_column_combo_current_index_changed)
        self.dmy_radio.toggled.connect(self._on_date_order_toggled)
        self.mdy_radio.toggled.connect(self._on_date_order_toggled)
        self.preview_model.dataChanged.connect(self._on_preview_model_data_changed)
        self.preview_view.selectionModel().currentRowChanged.connect(
            self._on_preview_current_row_changed)

    # ------------------------------------------------------------------ what tests and callers use

    def open_file(self, path: Path) -> None:
        """Start reading a file (on a worker); the preview follows when it is read."""
        if self.busy == "importing":
            return
        self._generation += 1
        self.busy = ""
        self.path = path
        self.kind = kind_of(path)
        self.source = None
        self.plan = None
        self.import_result = None
        self._replan = False
        self._asked_date_order = False
        self.preview_model.set_plan(None, self.state.store.categories, self.state.store.tz)
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        self.file_info_label.setText("")
        self.result_label.setText("")
        self.close_button.setText("Cancel")
        self._show_notes([])
        self._show_error("")
        if self.kind is None:
            self.body.setCurrentIndex(0)
            self._show_error(f"Carelog imports calendars (.ics) and spreadsheets (.csv); "
                             f"{path.name} is neither.")
            self._show_idle()
            self.preview_ready.emit()
            return
        self.body.setCurrentIndex(1)
        self.options.setCurrentWidget(self.ics_page if self.kind == "ics" else self.csv_page)
        self.preview_view.setColumnHidden(preview_m.COL_TITLE, self.kind != "ics")
        self.titles_label.setVisible(self.kind == "ics")
        self.preview_model.set_show_titles(self.kind == "ics")
        self._reset_date_order()
        what = "calendar" if self.kind == "ics" else "spreadsheet"
        kind = self.kind
        self._run("reading", f"Reading the {what}…", lambda: read_source(path, kind),
                  self._on_read_succeeded, self._on_read_failed)

    def on_conflict(self) -> OnConflict:
        """The overlap choice: 'skip' or 'trim'."""
        return "trim" if self.trim_radio.isChecked() else "skip"

    def period(self) -> tuple[date, date]:
        """The calendar period chosen."""
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return first, last

    def mapping(self) -> ColumnMapping:
        """The spreadsheet column mapping chosen (the note column stays as detected)."""
        changes = {fld: combo.currentData() for fld, combo in self.column_combos.items()}
        return self._detected.model_copy(update=changes)

    def date_order(self) -> DateOrder | None:
        """'dmy' or 'mdy' when chosen, else None (core then asks when it must know)."""
        if self.dmy_radio.isChecked():
            return "dmy"
        if self.mdy_radio.isChecked():
            return "mdy"
        return None

    # ------------------------------------------------------------------ reading and planning

    def _on_read_succeeded(self, source: object) -> None:
        self.busy = ""
        assert isinstance(source, CalendarFile | CsvTable)
        self.source = source
        if isinstance(source, CsvTable):
            self._show_table(source)
        else:
            events = len(source.event_lines)
            self.file_info_label.setText(
                f"Calendar · {events} event{'s' if events != 1 else ''} in the file "
                "(repeats not counted)")
            uid_key(self.state.store)  # made once here, so plans on workers only read
        self._request_plan()

    def _on_read_failed(self, exc: BaseException) -> None:
        self.busy = ""
        self.source = None
        self.body.setCurrentIndex(0)
        self.file_info_label.setText("")
        self._show_failure(exc)
        self._show_idle()
        self.preview_ready.emit()

    def _show_table(self, table: CsvTable) -> None:
        self._detected = table.detected_mapping()
        self._filling = True
        try:
            self._show_spreadsheet(table, self._detected)
        finally:
            self._filling = False
        self._show_left_out_columns()

    def _show_left_out_columns(self) -> None:
        if not isinstance(self.source, CsvTable):
            return
        used = {v for v in self.mapping().model_dump().values() if v is not None}
        unused = [h or "(unnamed)" for h in self.source.header if h not in used]
        self.left_out_label.setText(
            CSV_NOTE if not unused else
            f"Left out and never stored: {', '.join(unused)}. Only the mapped columns are read.")

    def _plan_request(self) -> PlanRequest | None:
        if self.source is None or self.kind is None:
            return None
        if self.kind == "ics":
            first, last = self.period()
            return PlanRequest("ics", self.source, first=first, last=last,
                               rules=self.rules_model.rules())
        return PlanRequest("csv", self.source, mapping=self.mapping(),
                           date_order=self.date_order())

    def _request_plan(self) -> None:
        """Work the plan out again (after the current one, when one is being worked out)."""
        if self.busy in ("reading", "importing") or self.import_result is not None:
            return
        if self.busy == "planning":
            self._replan = True
            return
        request = self._plan_request()
        if request is None:
            return
        self._replan = False
        db_path = self.state.store.path
        self._run("planning", "Working out what would change…",
                  lambda: plan_on_own_connection(db_path, request),
                  self._on_plan_succeeded, self._on_plan_failed)

    def _on_plan_succeeded(self, planned: object) -> None:
        self.busy = ""
        if self._replan:
            self._request_plan()
            return
        assert isinstance(planned, Planned)
        self.plan = planned.plan
        self._show_error("")
        self.preview_model.set_plan(planned.plan, self.state.store.categories,
                                    self.state.store.tz, planned.clashing)
        self.preview_view.resizeColumnsToContents()
        self._fit_columns()
        if planned.plan.rows:
            self.preview_stack.setCurrentIndex(0)
            self.preview_view.setCurrentIndex(self.proxy.index(0, preview_m.COL_ACTION))
        else:
            first, last = self.period()
            self._show_preview_message(
                f"The calendar has no events from {first:%a %d %b %Y} to {last:%a %d %b %Y}. "
                "Change the period to look at other dates.")
        notes = list(planned.plan.warnings)
        if planned.plan.leave_days:
            notes.append(leave_sentence(planned.plan.leave_days))
        self._show_notes(notes)
        self._show_idle()
        self.preview_ready.emit()

    def _on_plan_failed(self, exc: BaseException) -> None:
        self.busy = ""
        if self._replan:
            self._request_plan()
            return
        self.plan = None
        self.preview_model.set_plan(None, self.state.store.categories, self.state.store.tz)
        self._show_notes([])
        self._show_failure(exc)
        if asks_for_date_order(exc):
            self._asked_date_order = True
            self._show_preview_message("Say whether the dates are day first or month first "
                                       "(under Date order) to see the preview.")
        else:
            self._show_preview_message("Nothing to preview until the problem above is put "
                                       "right: change the choices on the left, or fix the "
                                       "file and choose it again.")
        self._show_idle()
        self.preview_ready.emit()

    def _on_import_button_clicked(self) -> None:
        if self.plan is None or self.busy or self.import_result is not None:
            return
        plan, exclude, choice = self.plan, self.preview_model.left_out(), self.on_conflict()
        db_path = self.state.store.path
        self._run("importing", f"Importing {self.preview_model.included_count()} rows…",
                  lambda: apply_on_own_connection(db_path, plan, choice, exclude),
                  self._on_import_succeeded, self._on_import_failed)

    def _on_import_succeeded(self, result: object) -> None:
        self.busy = ""
        assert isinstance(result, ImportResult)
        self.import_result = result
        sentence = result_sentence(result)
        self.result_label.setText(sentence)
        self.close_button.setText("Close")
        self.state.notify_changed()
        self.state.say(sentence)
        self._show_idle()
        self.import_finished.emit()

    def _on_import_failed(self, exc: BaseException) -> None:
        self.busy = ""
        self._show_failure(exc)
        if "nothing was imported" not in self.error_label.text().lower():
            self._show_error(f"{self.error_label.text()} Nothing was imported.")
        self._show_idle()
        self.import_finished.emit()

    # ------------------------------------------------------------------ rules

    def _category_choices(self) -> list[tuple[str, str]]:
        return [(c.code, c.label) for c in self.state.store.categories.all()]

    def _on_rules_model_edited(self) -> None:
        try:
            save_rules(self.state.store, self.rules_model.rules())
        except CarelogError as exc:
            self._show_error(window_sentence(exc))
            return
        self._request_plan()

    def _on_rules_model_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.rules_view.openPersistentEditor(self.rules_model.index(row, COL_CATEGORY))

    def _on_add_rule_button_clicked(self) -> None:
        pattern = self.pattern_edit.text()
        code = self.new_category_combo.currentData()
        if not self.rules_model.insert_rule(0, pattern, str(code)):
            self._show_error("A rule needs some text to look for in the event's title.")
            return
        self.pattern_edit.clear()
        self.rules_view.selectRow(0)
        self.rules_view.scrollToTop()

    def _on_remove_rule_button_clicked(self) -> None:
        index = self.rules_view.currentIndex()
        if index.isValid():
            self.rules_model.remove_rule(index.row())

    def _on_reset_rules_button_clicked(self) -> None:
        if not self.confirm(self, "Reset the rules",
                            "Put Carelog's default rules back? Your own rules are removed."):
            return
        try:
            rules = reset_rules(self.state.store)
        except CarelogError as exc:
            self._show_error(window_sentence(exc))
            return
        self.rules_model.set_rules(rules)
        self._open_rule_editors()
        self._show_fallback()
        self._request_plan()

    def _on_fallback_combo_current_index_changed(self, index: int) -> None:
        code = self.fallback_combo.itemData(index)
        if code is not None:
            self.rules_model.set_fallback(str(code))

    # ------------------------------------------------------------------ other slots

    def _on_choose_button_clicked(self) -> None:
        path = self.choose_file(self)
        if path is not None:
            self.open_file(path)

    def _on_period_date_changed(self, d: QDate) -> None:
        self._period_timer.start()

    def _on_period_timer_timeout(self) -> None:
        self._request_plan()

    def _on_column_combo_current_index_changed(self, index: int) -> None:
        if not self._filling:
            self._show_left_out_columns()
            self._request_plan()

    def _on_date_order_toggled(self, checked: bool) -> None:
        if checked:
            self._request_plan()

    def _on_preview_model_data_changed(self, *args: Any) -> None:
        self._show_summary(self.plan, self.busy == "planning")
        self._update_import_button()
        self._show_details()

    def _on_preview_current_row_changed(self, current: QModelIndex,
                                        previous: QModelIndex) -> None:
        self._show_details()

    def reject(self) -> None:
        """Close, unless an import is being written (it finishes or fails as a whole)."""
        if self.busy == "importing":
            return  # the import is one transaction: it finishes (or fails) as a whole
        self._period_timer.stop()
        self._wait_for_work()
        super().reject()

    # ------------------------------------------------------------------ showing

    def _run(self, what: str, text: str, work: Callable[[], object],
             on_success: Callable[[Any], None],
             on_failure: Callable[[BaseException], None]) -> None:
        """Run work on a worker; its result is dropped if another file was opened meanwhile."""
        generation = self._generation

        def ok(value: object) -> None:
            if generation == self._generation:
                on_success(value)

        def bad(exc: BaseException) -> None:
            if generation == self._generation:
                on_failure(exc)

        self._show_busy(what, text)
        op = run_in_background(self, work, ok, bad)
        self._running.add(op)
        op.finished.connect(lambda: self._running.discard(op))
        self.operation = op

    def _wait_for_work(self) -> None:
        """Let reads and plans still running finish, dropping their results."""
        self._generation += 1
        for op in list(self._running):
            if op.running:
                loop = QEventLoop()
                op.finished.connect(loop.quit)
                if op.running:
                    loop.exec()
        self._running.clear()

    def _show_busy(self, what: str, text: str) -> None:
        self.busy = what
        self.progress_label.setText(text)
        self.progress_bar.show()
        self.progress_label.show()
        self.import_button.setEnabled(False)
        locked = what in ("reading", "importing")
        self.options.setEnabled(not locked)
        self.conflict_group.setEnabled(not locked)
        self.preview_view.setEnabled(what != "reading")
        self.preview_model.set_locked(what == "importing")
        self.choose_button.setEnabled(what != "importing")
        self.close_button.setEnabled(what != "importing")

    def _show_idle(self) -> None:
        self.progress_bar.hide()
        self.progress_label.hide()
        done = self.import_result is not None
        self.options.setEnabled(self.source is not None and not done)
        self.conflict_group.setEnabled(self.plan is not None and not done)
        self.preview_view.setEnabled(True)
        self.preview_model.set_locked(done)
        self.choose_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.date_order_group.setEnabled(self._asked_date_order)
        self._show_summary(self.plan, self.busy == "planning")
        self._update_import_button()

    def _show_details(self) -> None:
        index = self.proxy.mapToSource(self.preview_view.currentIndex())
        self.detail_label.setText(self.preview_model.details(index.row())
                                  if index.isValid() else "")

    def _update_import_button(self) -> None:
        ready = (self.plan is not None and not self.busy and self.import_result is None
                 and self.preview_model.included_count() > 0)
        self.import_button.setEnabled(ready)
        if self.plan is not None and self.import_result is None:
            n = self.preview_model.included_count()
            self.import_button.setText(f"Import {n} row{'s' if n != 1 else ''}" if n else
                                       "Import")
        else:
            self.import_button.setText("Import")

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, CarelogError):
            self._show_error(window_sentence(exc))
        else:
            log.error("import failed", exc_info=exc)
            self._show_error(f"The import failed because of a problem in Carelog "
                             f"({type(exc).__name__}); nothing was imported.")

