"""The tray icon and its menu: the running timer, start and stop, quick logging, show and quit.

The menu object is built whether or not the desktop has a system tray (offscreen, or a desktop
without one, it is simply never shown), so it can be checked the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from carelog.core.domain.errors import CarelogError
from carelog.gui.formatting import escape_mnemonic
from carelog.gui.quick_commands import TRAY_QUICK, QuickCommands
from carelog.resources import icon_path
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

NO_TIMER = "No timer running"


class Tray(QObject):
    """The tray icon (when the desktop has a tray) and the menu it opens."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, commands: QuickCommands, window: QWidget,
                 use_tray: bool | None = None) -> None:
        super().__init__(window)
        self.commands = commands
        self.state = commands.state
        self._window = window
        self.menu = QMenu(window)
        self.menu.setAccessibleName("Carelog tray menu")
        self.timer_action = QAction(NO_TIMER, self.menu)
        self.timer_action.setEnabled(False)
        self.start_menu = QMenu("Start timer", self.menu)
        self.start_menu.setIcon(QIcon(str(icon_path("timer"))))
        self.stop_action = QAction("Stop timer", self.menu)
        self.quick_menu = QMenu("Quick log", self.menu)
        self.quick_menu.setIcon(QIcon(str(icon_path("add"))))
        self.show_action = QAction("Show Carelog", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.menu.addAction(self.timer_action)
        self.menu.addMenu(self.start_menu)
        self.menu.addAction(self.stop_action)
        self.menu.addSeparator()
        self.menu.addMenu(self.quick_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.quit_action)
        self.fill()

        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.icon: QSystemTrayIcon | None = None
        if available:
            self.icon = QSystemTrayIcon(QIcon(str(icon_path("carelog"))), self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._on_icon_activated)
            self.icon.show()
        # The tooltip counts minutes; a refresh twice a minute keeps it right.
        self.clock = QTimer(self)
        self.clock.setInterval(30_000)
        self.clock.timeout.connect(self.update)
        self.stop_action.triggered.connect(self._on_stop_action_triggered)
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.aboutToShow.connect(self.update)
        self.state.timer_changed.connect(self.update)
        self.state.store_replaced.connect(self.fill)
        self.update()

    @property
    def available(self) -> bool:
        """True when the icon sits in a system tray."""
        return self.icon is not None

    def fill(self) -> None:
        """Build the category lists from the store's categories."""
        self.start_menu.clear()
        last_cls = None
        for info in self.commands.categories():
            if last_cls is not None and info.cls is not last_cls:
                self.start_menu.addSeparator()
            last_cls = info.cls
            action = self.start_menu.addAction(escape_mnemonic(info.label))
            action.triggered.connect(self._starter(info.code))
        self.quick_menu.clear()
        registry = self.state.store.categories
        for n, (code, presets) in enumerate(TRAY_QUICK):
            if code not in registry:
                continue
            if n:
                self.quick_menu.addSeparator()
            for minutes in presets:
                text = f"{escape_mnemonic(self.commands.label(code))} {minutes} m"
                action = self.quick_menu.addAction(text)
                action.triggered.connect(self._logger(code, minutes))

    def tooltip(self) -> str:
        """'Carelog — Timer: Charting 12 m', or 'Carelog — No timer running'."""
        return f"Carelog — {self.commands.timer_text()}"

    def update(self) -> None:
        """Show the running timer in the menu and the tooltip."""
        running = self.state.timer is not None
        text = self.commands.timer_text()
        self.timer_action.setText(escape_mnemonic(text))
        self.stop_action.setEnabled(running)
        self.stop_action.setText("Stop timer and log it" if running else "Stop timer")
        if self.icon is not None:
            self.icon.setToolTip(self.tooltip())
        if running and not self.clock.isActive():
            self.clock.start()
        elif not running:
            self.clock.stop()

    def show_message(self, text: str, title: str = "Carelog") -> bool:
        """Show a tray notification; False when there is no tray to show it in."""
        if self.icon is None:
            return False
        self.icon.showMessage(title, text, QIcon(str(icon_path("carelog"))), 15_000)
        return True

    def hide(self) -> None:
        """Take the icon out of the tray (when the app quits)."""
        if self.icon is not None:
            self.icon.hide()

    # ------------------------------------------------------------------ running commands

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            result = fn()
        except CarelogError as exc:
            self._report(exc.message)
            return
        sentence = getattr(result, "sentence", result)
        if isinstance(sentence, str):
            self._report(sentence)

    def _report(self, sentence: str) -> None:
        # The window's status bar says it too; a hidden window needs the tray to say it.
        self.state.say(sentence)
        if not self._window.isVisible():
            self.show_message(sentence)

    def _starter(self, code: str) -> Callable[[], None]:
        return lambda: self._run(lambda: self.commands.start_timer(code))

    def _logger(self, code: str, minutes: int) -> Callable[[], None]:
        return lambda: self._run(lambda: self.commands.log_last(code, minutes))

    def _on_stop_action_triggered(self) -> None:
        self._run(self.commands.stop_timer)

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()
