"""The History dialog: every version of the selected entry, read from core."""

from __future__ import annotations

from carelog.core.domain.errors import CarelogError
from carelog.gui.formatting import zone_words
from carelog.gui.models.history_table_model import COL_CHANGES, COL_REASON, HistoryTableModel
from carelog.gui.state import AppState
from carelog.gui.widgets.forms import close_button
from carelog.gui.widgets.labels import wrapped_label
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class HistoryDialog(QDialog):
    """A read-only table of one entry's history, with a line on what the history is."""

    def __init__(self, state: AppState, entry_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.entry_id = entry_id
        self.setWindowTitle("History of an entry")
        self.setAccessibleName("Entry history")
        self.resize(980, 420)
        self.title = wrapped_label("Entry")
        self.model = HistoryTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("History of the entry")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CHANGES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel("Every change appends an event; nothing here is ever changed or "
                           "removed, and an undo is an event of its own. Notes are not kept "
                           "in the history, only that they changed.")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About the history")
        buttons = close_button(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the entry's history again."""
        store = self.state.store
        try:
            events = store.history(self.entry_id)
        except CarelogError as exc:
            self.title.setText(exc.message)
            self.model.replace_rows([])
            return
        current = store.find_entry(self.entry_id)
        if current is not None:
            self.setWindowTitle(f"History of {store.describe(current)}")
        what = store.describe(current) if current else "This entry was deleted"
        self.title.setText(f"{what} · times in {zone_words(store.tz.key)}")
        self.model.set_events(events, store.tz, store.categories.label_of)
        self.table.resizeRowsToContents()
