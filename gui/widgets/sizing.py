"""Windows opened at a working size, never larger than the screen they open on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget, width: int, height: int,
                  share: tuple[float, float]) -> None:
    """Resize to width × height, or less: at most `share` of the screen's free width, height."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry().size()
        width = min(width, int(room.width() * share[0]))
        height = min(height, int(room.height() * share[1]))
    window.resize(width, height)
