"""Let Ctrl+Z reach Edit ▸ Undo when a text field has no typing of its own to undo."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit


class UndoFallsThrough(QObject):
    """An event filter for line edits: Ctrl+Z with nothing typed to undo undoes the last change.

    A line edit claims the undo and redo keys even with an empty history, so right after an
    entry is added from the keyboard the keys would do nothing at all.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let the undo and redo keys reach the window when the field has nothing to undo."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit) \
                and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo) and not watched.isUndoAvailable():
                return True
            if event.matches(QKeySequence.StandardKey.Redo) and not watched.isRedoAvailable():
                return True
        return super().eventFilter(watched, event)
