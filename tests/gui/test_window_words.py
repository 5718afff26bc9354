"""The window speaks a therapist's words: no entry ids, code names or command-line syntax."""

from __future__ import annotations

import re
from collections.abc import Iterable

from carelog.core.store.database import Store
from carelog.gui.main_window import MainWindow
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import AddEntry

# What a person should never have to read: a flag, the command, a code name, a file format
# they would have to write by hand, or an entry's number.
INTERNALS = (
    (re.compile(r"(?<![\w-])--\w"), "a command-line flag"),
    (re.compile(r"\bcarelog "), "the command"),
    (re.compile(r"[A-Za-z]_[A-Za-z]"), "a code name"),
    (re.compile(r"\.toml\b", re.IGNORECASE), "a TOML file"),
    (re.compile(r"\bentry #?\d+", re.IGNORECASE), "an entry's number"),
)


def _model_texts(model: QAbstractItemModel | None) -> Iterable[str]:
    if model is None:
        return
    for col in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            yield str(model.headerData(col, Qt.Orientation.Horizontal, role) or "")
        for row in range(min(model.rowCount(), 50)):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.index(row, col).data(role)
                if isinstance(value, str):
                    yield value


def texts_of(root: QWidget) -> list[tuple[str, str]]:
    """Every text a person can read in a widget tree: (where, text)."""
    found: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        where = w.accessibleName() or type(w).__name__
        found += [(where, w.toolTip()), (where, w.windowTitle()),
                  (where, w.accessibleDescription())]
        if isinstance(w, QLabel | QAbstractButton):
            found.append((where, w.text()))
        if isinstance(w, QLineEdit):
            found += [(where, w.text()), (where, w.placeholderText())]
        if isinstance(w, QGroupBox):
            found.append((where, w.title()))
        if isinstance(w, QComboBox):
            found += [(where, w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            found += [(where, w.tabText(i)) for i in range(w.count())]
            found += [(where, w.tabToolTip(i)) for i in range(w.count())]
        if isinstance(w, QTextBrowser):
            found.append((where, w.toPlainText()))
        if isinstance(w, QAbstractItemView):
            found += [(where, t) for t in _model_texts(w.model())]
        for action in w.actions():
            found += [(where, action.text()), (where, action.toolTip()),
                      (where, action.statusTip())]
    return [(where, text) for where, text in found if text]


def internals_in(root: QWidget) -> list[str]:
    """The texts that show an internal, each with where it is and what it shows."""
    bad = []
    for where, text in texts_of(root):
        # A file's path is the person's own (their folders may hold any name): not checked.
        words = " ".join(w for w in text.split() if "/" not in w and "\\" not in w)
        for pattern, what in INTERNALS:
            if pattern.search(words):
                bad.append(f"{where}: {what}: {text!r}")
    return bad


def test_no_view_or_dialog_shows_internals(qtbot: QtBot, window: MainWindow,
                                           add_entry: AddEntry, gui_store: Store) -> None:
    entry_id = add_entry("treatment_planning", "2026-11-17 09:00", "09:50", note="plan")
    add_entry("care_coordination", "2026-11-18 09:00", "09:20")  # planned
    window.state.notify_changed()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    window.day_view.select_entry(entry_id)
    # The Reports and Merge views are left out: Reports can show the CSV's own columns, as
    # the file holds them, and Merge is being reworded on its own.
    for part in (window.menuBar(), window.statusBar(), window.day_view, window.calendar_view,
                 window.log_view, window.week_view, window.trends_view):
        assert internals_in(part) == []
    assert [t for _, t in texts_of(window.tabs) if t in ("Today", "Calendar", "Log")]
    dialogs = [window.open_settings(), window.show_history(entry_id), window.open_import(),
               window.show_welcome(), window.show_help()]
    found = {type(d).__name__: internals_in(d) for d in dialogs if d is not None}
    for dialog in dialogs:
        if dialog is not None:
            dialog.close()
    assert found == {name: [] for name in found}
    assert len(found) == 5


def test_the_title_names_the_file_once(window: MainWindow, gui_store: Store) -> None:
    assert window.windowTitle() == "Carelog — carelog.db"
    assert window.windowTitle().count("carelog.db") == 1
