"""Help inside the window: every shortcut, and how to use Carelog, rendered from Markdown."""

from __future__ import annotations

from carelog.gui.widgets.controls import named
from carelog.gui.widgets.forms import close_button
from carelog.resources import RESOURCES
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

HOW_TO = RESOURCES / "how_to.md"
TAB_HOW_TO, TAB_SHORTCUTS = range(2)


def shortcut_markdown(actions: list[QAction]) -> str:
    """A Markdown table of the commands that have a shortcut, in menu order."""
    rows = ["| Command | Keys |", "|---|---|"]
    seen: set[str] = set()
    for action in actions:
        keys = ", ".join(s.toString() for s in action.shortcuts())
        name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not keys or not name or name in seen:
            continue
        seen.add(name)
        rows.append(f"| {name} | {keys} |")
    return "\n".join(rows)


class HelpDialog(QDialog):
    """Two pages: the keyboard shortcuts, and how to use Carelog."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Carelog help")
        self.resize(760, 640)
        self.shortcuts_browser = named(QTextBrowser(), "Keyboard shortcuts")
        self.shortcuts_browser.setMarkdown(
            "# Keyboard shortcuts\n\n" + shortcut_markdown(actions)
            + "\n\nOn the Calendar: arrows move the cursor, Shift+Up/Down chooses a span, "
              "Enter logs it; Tab picks an entry, Alt+arrows move it.")
        self.how_to_browser = named(QTextBrowser(), "How to use Carelog")
        self.how_to_browser.setOpenExternalLinks(True)
        self.how_to_browser.setMarkdown(HOW_TO.read_text(encoding="utf-8"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Help sections")
        self.tabs.addTab(self.how_to_browser, "How to")
        self.tabs.addTab(self.shortcuts_browser, "Keyboard shortcuts")
        buttons = close_button(self)
        box = QVBoxLayout(self)
        box.addWidget(self.tabs, 1)
        box.addWidget(buttons)
