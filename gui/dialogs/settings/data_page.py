"""The Data and backups page: where the database lives, its backups, back up now and restore.

A backup is written on a worker. Restoring replaces the open database, so the page only asks
for it (`restore_requested`) and the main window closes, restores and reopens the store.
"""

from __future__ import annotations

from pathlib import Path

from carelog.core.domain.errors import CarelogError
from carelog.core.store.backup import backup_file, list_backups
from carelog.gui.dialogs.settings.fields import error_label, fail, set_status
from carelog.gui.models.backup_table_model import BackupTableModel
from carelog.gui.state import AppState
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import button_row
from carelog.gui.widgets.labels import value_label, wrapped_label
from carelog.gui.widgets.tables import read_only_table
from carelog.gui.workers.background import Operation, run_in_background
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class DataPage(QWidget):
    """The database's place on disk and its backups; `restore_requested` once the person agrees."""

    restore_requested = Signal(Path)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.backup_operation: Operation | None = None
        self.db_path_label = value_label("Database file")
        self.folder_label = value_label("Data folder")
        self.open_folder_button = named(QPushButton("Open folder"), "Open the data folder",
                                        "Show the folder holding the database and its "
                                        "backups in your file manager.")
        files = QGroupBox("Where your data lives")
        files_form = QFormLayout(files)
        files_form.addRow("Database", self.db_path_label)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        files_form.addRow("Folder", folder_row)

        self.backup_model = BackupTableModel(self)
        self.backup_table = read_only_table("Backups", self.backup_model)
        header = self.backup_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.no_backups_label = QLabel("No backups yet. Carelog makes one each day it is "
                                       "opened, and you can make one now.")
        self.no_backups_label.setAccessibleName("No backups")
        self.no_backups_label.setWordWrap(True)
        self.backup_button = named(QPushButton("Back up now"), "Back up now",
                                   "Write a verified copy of the database into the backups "
                                   "folder beside it.")
        self.restore_button = named(QPushButton("Restore selected…"), "Restore the selected backup",
                                    "Replace the database with the selected backup; the "
                                    "current file is kept beside it.")
        self.restore_button.setEnabled(False)
        self.backup_error = error_label("the backup")
        self.backup_status = wrapped_label("Backup status")
        backups = QGroupBox("Backups")
        backups_layout = QVBoxLayout(backups)
        note = QLabel("Daily backups are kept for 14 days, and one a week for 8 weeks; those "
                      "made by hand or before an update are kept until you delete them.")
        note.setWordWrap(True)
        backups_layout.addWidget(note)
        backups_layout.addWidget(self.backup_table, 1)
        backups_layout.addWidget(self.no_backups_label)
        buttons = button_row(self.backup_button, self.restore_button)
        backups_layout.addLayout(buttons)
        backups_layout.addWidget(self.backup_error)
        backups_layout.addWidget(self.backup_status)

        box = QVBoxLayout(self)
        box.addWidget(files)
        box.addWidget(backups, 1)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.backup_table.selectionModel().selectionChanged.connect(
            self._on_backup_selection_changed)

    def refresh(self) -> None:
        """Read the list of backups again."""
        found = list_backups(self.state.store.path)
        self.backup_model.set_rows(found)
        self.no_backups_label.setVisible(not found)
        self._on_backup_selection_changed()

    def show_paths(self) -> None:
        """Show where the open database and its folder are."""
        self.db_path_label.setText(str(self.state.store.path))
        self.folder_label.setText(str(self.state.store.path.parent))

    def _selected_backup(self) -> Path | None:
        rows = self.backup_table.selectionModel().selectedRows()
        return self.backup_model.row_at(rows[0].row()).path if rows else None

    # ------------------------------------------------------------------ slots

    def _on_open_folder_button_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.state.store.path.parent)))

    def _on_backup_selection_changed(self, *args: object) -> None:
        running = self.backup_operation is not None and self.backup_operation.running
        self.restore_button.setEnabled(self._selected_backup() is not None and not running)

    def _on_backup_button_clicked(self) -> None:
        path = self.state.store.path
        self.backup_error.hide()
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        set_status(self.backup_status, "Backing up…", "muted")
        self.backup_operation = run_in_background(
            self, lambda: backup_file(path), self._on_backup_done, self._on_backup_failed)

    def _on_backup_done(self, result: object) -> None:
        self.backup_button.setEnabled(True)
        self.refresh()
        if isinstance(result, Path):
            row = self.backup_model.row_of(result)
            if row is not None:
                self.backup_table.selectRow(row)
            text = f"Backup written: {result.name}."
        else:
            text = "Backup written."
        set_status(self.backup_status, text, "ok")
        self.state.say(text)

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        message = exc.message if isinstance(exc, CarelogError) else \
            f"The backup could not be written: {exc}."
        fail(self.backup_error, self.backup_status, message)
        self._on_backup_selection_changed()

    def _on_restore_button_clicked(self) -> None:
        path = self._selected_backup()
        if path is None:
            return
        rows = self.backup_table.selectionModel().selectedRows()
        made = self.backup_model.data(self.backup_model.index(rows[0].row(), 0))
        answer = QMessageBox.question(
            self, "Restore a backup",
            f"Replace the database with the backup made {made}?\n\nEverything logged since "
            "then is replaced. The current file is kept beside it (named …replaced-DATE), "
            "and Carelog reopens the restored database.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_requested.emit(path)
