"""What the window remembers across runs: its size, position and last tab, and notices given.

All of it is kept in the window's QSettings (none in tests that pass no settings): a notice
given once ("Carelog is still running in the tray…") is not given again, in this run or, when
it asks to be remembered, in the next.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QTabWidget

_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"
_TAB_KEY = "main_window/tab"
_TOLD_KEY = "notices/"


class Remembered:
    """The window's geometry and tab in its settings, and the notices it has given."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget,
                 settings: QSettings | None) -> None:
        self.window = window
        self.tabs = tabs
        self.settings = settings
        self.told: set[str] = set()

    def restore_geometry(self) -> None:
        """Put the window back where and as large as it was (and its docks and bars)."""
        if self.settings is None:
            return
        geometry = self.settings.value(_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        state = self.settings.value(_STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.window.restoreState(state)

    def restore_tab(self, default: int) -> None:
        """Show the tab that was in front last time (default when none, or not a tab)."""
        if self.settings is None:
            return
        tab = self.settings.value(_TAB_KEY, default)
        try:
            index = int(tab)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            index = default
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def save(self) -> None:
        """Keep the window's geometry and its tab in front for the next run."""
        if self.settings is None:
            return
        self.settings.setValue(_GEOMETRY_KEY, self.window.saveGeometry())
        self.settings.setValue(_STATE_KEY, self.window.saveState())
        self.settings.setValue(_TAB_KEY, self.tabs.currentIndex())
        self.settings.sync()

    def told_before(self, key: str, remember: bool) -> bool:
        """True when this notice was given; marks it given (across runs when remember)."""
        if key in self.told:
            return True
        self.told.add(key)
        if not remember or self.settings is None:
            return False
        if self.settings.value(_TOLD_KEY + key, False) in (True, "true"):
            return True
        self.settings.setValue(_TOLD_KEY + key, True)
        return False
