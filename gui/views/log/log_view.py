"""The log of all entries: one table over the whole log, filtered, changed many at a time.

Filters by period, category, class, source and words in the notes narrow what core's
`Store.search_entries` reads; the table reads a page at a time as it scrolls. Selected rows can
get another category, move by some minutes or be deleted, each as one undo step, and the rows
the filter finds can be saved as the personal CSV (the same bytes as the command line's list).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import CarelogError
from carelog.core.domain.history import Reason, Via
from carelog.core.domain.log_filter import LogFilter
from carelog.core.domain.models import Entry, Source
from carelog.core.domain.timeutil import fmt_minutes
from carelog.gui.dialogs.reason_dialog import Asker, ask_reason, with_reason
from carelog.gui.models.log_table_model import (
    COL_CATEGORY,
    COL_DAY,
    SOURCE_WORDS,
    LogTableModel,
)
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from carelog.gui.views.reports.file_dialogs import ask_save_path, default_folder, path_for_format
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.dates import qdate
from carelog.gui.widgets.refresh_when_shown import RefreshWhenShown
from carelog.gui.widgets.tables import read_only_table
from carelog.gui.workers.background import Operation, run_in_background
from carelog.gui.workers.log_export import save_log_csv
from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

PERIODS = ("All time", "This week", "This month", "Last 3 months", "This year", "Between dates")
CLASS_CHOICES = (("Any class", None), ("IPC", CategoryClass.IPC),
                 ("Direct care", CategoryClass.DIRECT), ("Other work", CategoryClass.OTHER))

SavePath = Callable[[QWidget, str, Path, str], Path | None]


class LogView(RefreshWhenShown):
    """Every entry, newest first, with filters and changes to many entries at once."""

    changed = Signal()
    today_requested = Signal()
    import_requested = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ask_reason: Asker = ask_reason
        self.ask_save_path: SavePath = ask_save_path
        self.export_operation: Operation | None = None
        self.setAccessibleName("Log of all entries")
        self.model = LogTableModel(self)
        self._build()
        state.data_changed.connect(self.refresh_when_shown)
        state.store_replaced.connect(self._on_state_store_replaced)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        box = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.period_combo = named(QComboBox(), "Period")
        self.period_combo.addItems(PERIODS)
        today = qdate(self.state.today())
        self.first_edit = named(QDateEdit(today.addMonths(-1)), "From", "The first day shown.")
        self.last_edit = named(QDateEdit(today), "To", "The last day shown.")
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
        self.category_combo = named(QComboBox(), "Category")
        self.class_combo = named(QComboBox(), "Counts as")
        for text, value in CLASS_CHOICES:
            self.class_combo.addItem(text, value)
        self.source_combo = named(QComboBox(), "From", "How the entries came into the log.")
        self.source_combo.addItem("Any source", None)
        for source, words in SOURCE_WORDS.items():
            self.source_combo.addItem(words, source)
        self.text_edit = named(QLineEdit(), "Words in notes",
                               "Show entries whose note holds these words.")
        self.text_edit.setPlaceholderText("Search notes…")
        self.text_edit.setClearButtonEnabled(True)
        for clear in self.text_edit.findChildren(QToolButton):
            clear.setAccessibleName("Clear the search")
        for w in (self.period_combo, self.first_edit, self.last_edit, self.category_combo,
                  self.class_combo, self.source_combo):
            filters.addWidget(w)
        filters.addWidget(self.text_edit, 1)
        box.addLayout(filters)

        self.summary_label = named(QLabel(), "What the filter finds")
        box.addWidget(self.summary_label)
        self.table = read_only_table("Entries", self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._size_columns()
        box.addWidget(self.table, 1)
        self.empty_label = named(QLabel("Nothing is logged yet. Log time on the Today tab, or "
                                        "bring in a calendar or spreadsheet."), "Empty log")
        self.empty_label.setWordWrap(True)
        self.empty_today_button = named(QPushButton("Log time on Today"), "Log time on Today")
        self.empty_import_button = named(QPushButton("Import a calendar or spreadsheet…"),
                                         "Import a calendar or spreadsheet")
        empty = QHBoxLayout()
        empty.addWidget(self.empty_label, 1)
        empty.addWidget(self.empty_today_button)
        empty.addWidget(self.empty_import_button)
        self.empty_row = QWidget()
        self.empty_row.setLayout(empty)
        box.addWidget(self.empty_row)

        actions = QHBoxLayout()
        self.selection_label = named(QLabel("Select entries to change many at once."),
                                     "Selected entries")
        self.new_category_combo = named(QComboBox(), "New category")
        self.change_button = named(QPushButton("Change category"), "Change category",
                                   "Give the selected entries the category on the left "
                                   "(one undo step).")
        self.shift_spin = named(QSpinBox(), "Minutes to move",
                                "Minutes to move the selected entries: negative is earlier.")
        self.shift_spin.setRange(-720, 720)
        self.shift_spin.setSingleStep(5)
        self.shift_spin.setSuffix(" min")
        self.shift_spin.setValue(15)
        self.move_button = named(QPushButton("Move"), "Move",
                                 "Move the selected entries by these minutes (one undo step).")
        self.delete_button = named(QPushButton("Delete"), "Delete selected",
                                   "Delete the selected entries (one undo step).")
        self.export_button = named(QPushButton("Save as CSV…"), "Save as CSV",
                                   "Save the entries the filter finds as your personal CSV, "
                                   "notes included: for you, not for a committee.")
        actions.addWidget(self.selection_label, 1)
        for action in (self.new_category_combo, self.change_button, self.shift_spin,
                       self.move_button, self.delete_button, self.export_button):
            actions.addWidget(action)
        box.addLayout(actions)
        self._fill_categories()

        self.period_combo.currentIndexChanged.connect(self._on_period_combo_current_index_changed)
        self.first_edit.dateChanged.connect(self._on_filter_changed)
        self.last_edit.dateChanged.connect(self._on_filter_changed)
        self.category_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.class_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.source_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.text_edit.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.empty_today_button.clicked.connect(self.today_requested)
        self.empty_import_button.clicked.connect(self.import_requested)
        self._update_actions()

    def _size_columns(self) -> None:
        """Columns as wide as their longest words, measured once (not row by row)."""
        fm = self.table.fontMetrics()
        samples = ("Wed 30 Sep 2026 · planned", "00:00", "Wed 30 Sep 00:00", "1440",
                   "Supervision / teaching", "Direct care", "Spreadsheet import")
        header = self.table.horizontalHeader()
        for col, sample in enumerate(samples):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            header.resizeSection(col, max(fm.horizontalAdvance(sample),
                                          fm.horizontalAdvance(title)) + 18)
        header.setStretchLastSection(True)

    def _fill_categories(self) -> None:
        registry = self.state.store.categories
        for combo, first in ((self.category_combo, "Any category"),
                             (self.new_category_combo, None)):
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            if first:
                combo.addItem(first, None)
            for info in registry.all():
                combo.addItem(info.label, info.code)
            at = combo.findData(current)
            combo.setCurrentIndex(max(0, at))
            combo.blockSignals(False)

    # ------------------------------------------------------------------ what is shown

    def log_filter(self) -> LogFilter:
        """The filter as the controls set it."""
        first, last = self._period()
        code = self.category_combo.currentData()
        cls = self.class_combo.currentData()
        source = self.source_combo.currentData()
        return LogFilter(first=first, last=last,
                         categories=frozenset({str(code)}) if code else frozenset(),
                         classes=frozenset({CategoryClass(cls)}) if cls else frozenset(),
                         sources=frozenset({Source(source)}) if source else frozenset(),
                         text=self.text_edit.text())

    def _period(self) -> tuple[date | None, date | None]:
        today = self.state.today()
        choice = self.period_combo.currentIndex()
        if choice == 1:
            monday = today - timedelta(days=today.weekday())
            return monday, monday + timedelta(days=6)
        if choice == 2:
            first = today.replace(day=1)
            nxt = (first + timedelta(days=32)).replace(day=1)
            return first, nxt - timedelta(days=1)
        if choice == 3:
            return today - timedelta(days=91), today
        if choice == 4:
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        if choice == 5:
            a, b = self.first_edit.date(), self.last_edit.date()
            return date(a.year(), a.month(), a.day()), date(b.year(), b.month(), b.day())
        return None, None

    def refresh(self) -> None:
        """Read the first page of what the filter finds, and how much it finds in all."""
        self.stale = False
        store = self.state.store
        flt = self.log_filter()
        self.model.start(lambda before: store.search_entries(flt, before), store.categories,
                         store.tz, self.state.now())
        count, minutes = store.count_matching(flt)
        if count == 0:
            self.summary_label.setText("No entries match." if not flt.is_empty
                                       else "Nothing is logged yet.")
        else:
            shown = "entry" if count == 1 else "entries"
            self.summary_label.setText(f"{count:,} {shown}, {fmt_minutes(minutes)} in all, "
                                       "newest first.")
        self.empty_row.setVisible(count == 0 and flt.is_empty)
        self._update_actions()

    def selected_entries(self) -> list[Entry]:
        """The entries whose rows are selected, in row order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.entry_at(r) for r in rows]

    # ------------------------------------------------------------------ changes

    def _change(self, label: str, change: Callable[[list[int], Reason | None], object]) -> None:
        chosen = self.selected_entries()
        if not chosen:
            return
        ids = [int(e.id or 0) for e in chosen]
        try:
            done = with_reason(self, lambda reason: change(ids, reason), self.ask_reason)
        except CarelogError as exc:
            self.state.say(window_sentence(exc))
            self.selection_label.setText(window_sentence(exc))
            return
        if done is None:
            return
        self.state.notify_changed()
        self.state.say(f"{label} Edit ▸ Undo reverses it.")
        self.changed.emit()

    def _on_change_button_clicked(self) -> None:
        code = str(self.new_category_combo.currentData())
        label = self.new_category_combo.currentText()
        n = len(self.selected_entries())
        self._change(f"{n} {'entry' if n == 1 else 'entries'} now {label}.",
                     lambda ids, reason: self.state.store.change_entries(
                         ids, category=code, via=Via.LOG, reason=reason))

    def _on_move_button_clicked(self) -> None:
        minutes = self.shift_spin.value()
        if not minutes:
            return
        n = len(self.selected_entries())
        way = "later" if minutes > 0 else "earlier"
        self._change(f"{n} {'entry' if n == 1 else 'entries'} moved {abs(minutes)} min {way}.",
                     lambda ids, reason: self.state.store.change_entries(
                         ids, shift_min=minutes, via=Via.LOG, reason=reason))

    def _on_delete_button_clicked(self) -> None:
        n = len(self.selected_entries())
        self._change(f"{n} {'entry' if n == 1 else 'entries'} deleted.",
                     lambda ids, reason: self.state.store.delete_entries(
                         ids, via=Via.LOG, reason=reason))

    def _on_export_button_clicked(self) -> None:
        suggested = default_folder() / "Carelog entries.csv"
        chosen = self.ask_save_path(self, "Save entries as CSV", suggested, "csv")
        if chosen is None:
            return
        try:
            path = path_for_format(chosen, "csv")
        except CarelogError as exc:
            self.state.say(window_sentence(exc))
            return
        db_path, flt, now = self.state.store.path, self.log_filter(), self.state.now()
        self.export_button.setEnabled(False)
        self.export_operation = run_in_background(
            self, lambda: save_log_csv(db_path, flt, path, now),
            lambda count: self._on_export_saved(path, int(count)), self._on_export_failed)

    def _on_export_saved(self, path: Path, count: int) -> None:
        self._update_actions()
        self.state.say(f"Saved {count:,} entries to {path.name}; it holds your notes, so keep "
                       "it to yourself.")

    def _on_export_failed(self, exc: BaseException) -> None:
        self._update_actions()
        if isinstance(exc, CarelogError):
            self.state.say(window_sentence(exc))
        elif isinstance(exc, OSError):
            self.state.say(f"The file could not be written: {exc.strerror or exc}.")
        else:
            self.state.say(f"Saving failed because of a problem in Carelog "
                           f"({type(exc).__name__}).")

    # ------------------------------------------------------------------ slots

    def _update_actions(self) -> None:
        n = len(self.table.selectionModel().selectedRows())
        for w in (self.change_button, self.move_button, self.delete_button):
            w.setEnabled(n > 0)
        self.export_button.setEnabled(self.model.rowCount() > 0)
        self.selection_label.setText(
            "Select entries to change many at once." if n == 0
            else f"{n} {'entry' if n == 1 else 'entries'} selected.")

    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._update_actions()

    def _on_period_combo_current_index_changed(self, index: int) -> None:
        between = index == len(PERIODS) - 1
        self.first_edit.setVisible(between)
        self.last_edit.setVisible(between)
        self._on_filter_changed()

    def _on_filter_changed(self, *args: object) -> None:
        self.refresh()

    def _on_state_store_replaced(self) -> None:
        self._fill_categories()
        self.refresh_when_shown()


__all__ = ["COL_CATEGORY", "COL_DAY", "LogView"]
