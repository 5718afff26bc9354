"""Opening the window's dialogs: welcome, settings, import, an entry's history, help, timer start.

Each dialog's module is imported the first time it is opened, so start-up loads none of them.
The window keeps the one it opened last (`window.settings_dialog` and the like) and hands
back what these return.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from carelog.core.domain.timeutil import to_local
from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from carelog.gui.dialogs.help_dialog import HelpDialog
    from carelog.gui.dialogs.history_dialog import HistoryDialog
    from carelog.gui.dialogs.importing.import_dialog import ImportDialog
    from carelog.gui.dialogs.settings.settings_dialog import SettingsDialog
    from carelog.gui.dialogs.timer_prompts import TimerStartDialog
    from carelog.gui.dialogs.welcome_dialog import WelcomeDialog
    from carelog.gui.main_window.main_window import MainWindow


def open_welcome(window: MainWindow, show: bool,
                 on_created: Callable[[object], None]) -> WelcomeDialog:
    """The welcome dialog (window-modal, not blocking), opened when show."""
    from carelog.gui.dialogs.welcome_dialog import WelcomeDialog  # noqa: PLC0415  # first run

    dialog = WelcomeDialog(window.state, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.schedule_created.connect(on_created)
    dialog.demo_requested.connect(window.databases.open_demo)
    if show:
        dialog.open()
    return dialog


def open_settings(window: MainWindow, show: bool,
                  on_finished: Callable[[int], None]) -> SettingsDialog | None:
    """The settings dialog, opened when show; None (and a line saying why) when not built in."""
    try:
        from carelog.gui.dialogs.settings.settings_dialog import (  # noqa: PLC0415
            SettingsDialog,  # when asked for
        )
    except ImportError:
        window.statusBar().showMessage("Settings are not available in this build of "
                                       "Carelog; please install the full app.")
        return None
    dialog = SettingsDialog(window.state, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.restore_requested.connect(window.databases.restore_from)
    dialog.finished.connect(on_finished)
    if show:
        dialog.open()
    return dialog


def open_schedule(window: MainWindow) -> None:
    """The schedule: Settings at its Schedule tab, or the welcome when there is none yet."""
    if window.store.schedules():
        from carelog.gui.dialogs.settings.settings_dialog import (  # noqa: PLC0415
            TAB_SCHEDULE,  # when asked for
            SettingsDialog,
        )

        dialog = window.open_settings()
        if isinstance(dialog, SettingsDialog):
            dialog.show_tab(TAB_SCHEDULE)
    else:
        window.show_welcome()


def open_import(window: MainWindow) -> ImportDialog:
    """The import dialog, opened."""
    from carelog.gui.dialogs.importing.import_dialog import (  # noqa: PLC0415
        ImportDialog,  # when asked for
    )

    dialog = ImportDialog(window.state, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_history(window: MainWindow, entry_id: int | None) -> HistoryDialog | None:
    """The History dialog of an entry (the selected one by default), shown beside the window."""
    entry_id = entry_id if entry_id is not None else window.day_view.selected_entry_id()
    if entry_id is None:
        window.state.say("Select an entry first; its history opens with Ctrl+H.")
        return None
    from carelog.gui.dialogs.history_dialog import (  # noqa: PLC0415  # on first use
        HistoryDialog,
    )

    dialog = HistoryDialog(window.state, entry_id, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    return dialog


def open_help(window: MainWindow) -> HelpDialog:
    """The help, with every shortcut of the window's actions, shown beside the window."""
    from carelog.gui.dialogs.help_dialog import HelpDialog  # noqa: PLC0415  # on first use

    dialog = HelpDialog(window.actions(), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    return dialog


def open_timer_start(window: MainWindow) -> TimerStartDialog | None:
    """The question when the running timer really started; None when no timer runs."""
    timer = window.state.timer
    if timer is None:
        window.state.say("No timer is running.")
        return None
    from carelog.gui.dialogs.timer_prompts import (  # noqa: PLC0415  # on first use
        TimerStartDialog,
    )

    tz = window.store.tz
    dialog = TimerStartDialog(to_local(timer.started, tz).replace(tzinfo=None),
                              to_local(window.state.now(), tz).replace(tzinfo=None), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _on_timer_start_chosen(window, dialog))
    dialog.open()
    return dialog


def _on_timer_start_chosen(window: MainWindow, dialog: TimerStartDialog) -> None:
    chosen = dialog.chosen().replace(tzinfo=window.store.tz)
    window.commands.attempt(lambda: window.commands.set_timer_start(int(chosen.timestamp())))
