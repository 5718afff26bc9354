"""A view that reads the log again only when someone can see it.

The Reports and Trends views compute over many weeks; when the data changes while another tab is
in front they only note it, and work it out again the next time they are shown.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QWidget):
    """A view whose `refresh` runs now when it is visible, else the next time it is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stale = True

    def refresh(self) -> None:
        """Read what the view shows again (a subclass sets `stale` to False when it does)."""
        raise NotImplementedError

    def refresh_when_shown(self) -> None:
        """Refresh now if the view is visible, else when it is next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        """Refresh first when the data changed while the view was hidden."""
        if self.stale:
            self.refresh()
        super().showEvent(event)
