"""A tab page that builds its view the first time it is shown, so start-up stays quick."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

View = TypeVar("View", bound=QWidget)


class LazyTab(QWidget, Generic[View]):
    """Holds a factory; the view (and the modules it imports) is made on first show."""

    def __init__(self, name: str, factory: Callable[[], View],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._factory = factory
        self._view: View | None = None
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        """True once the view exists."""
        return self._view is not None

    def view(self) -> View:
        """The view, built now if it was not yet."""
        if self._view is None:
            self._view = self._factory()
            self._box.addWidget(self._view)
            if self.isVisible():
                self._view.show()
        return self._view

    def showEvent(self, event: QShowEvent) -> None:
        """Build the view the first time the tab is shown."""
        self.view()
        super().showEvent(event)
