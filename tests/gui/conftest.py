"""Fixtures for the window tests: a scheduled store, scoped settings, and an open window."""

from __future__ import annotations

import os

# Chosen before anything imports Qt: offscreen unless the caller named a platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import parse_local
from carelog.core.store.database import Store
from carelog.gui.main_window import MainWindow
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour
from carelog.gui.views.reports.merge_view import MergeView
from carelog.gui.views.reports.reports_view import ReportsView
from carelog.gui.workers.background import unfinished
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import STANDARD_TOML

LA = "America/Los_Angeles"
# Tuesday of ISO week 2026-W47 (Monday 16 November); Pacific Standard Time.
TODAY = date(2026, 11, 17)
# 15:00 that Tuesday in Los Angeles (23:00 UTC): the pinned "now" of the window tests.
NOW = 1_794_956_400

SCHEDULE_TOML = STANDARD_TOML


# How long a finished test waits for a worker that has handed back its result to return.
_WORKER_RETURN_MS = 5_000


@pytest.fixture(autouse=True)
def _nothing_left_behind(qapp: QApplication, qtbot: QtBot) -> Iterator[None]:
    """Fail a test that leaves a top-level window open or background work still running.

    Whatever was left is closed or finished first, so the next test starts clean.
    """
    threads_before = set(threading.enumerate())
    yield
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in windows:
        w.close()
    work = unfinished()
    if work:
        qtbot.waitUntil(lambda: unfinished() == 0, timeout=30_000)
    pool_idle = QThreadPool.globalInstance().waitForDone(_WORKER_RETURN_MS)
    threads = [t for t in threading.enumerate()
               if t not in threads_before and t.is_alive()
               and not isinstance(t, threading._DummyThread)]
    assert not windows, f"windows left open: {windows}"
    assert not work, f"{work} piece(s) of background work still running when the test ended"
    assert pool_idle, "a worker thread was still busy when the test ended"
    assert not threads, f"threads left running: {threads}"


@pytest.fixture
def bare_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in Los Angeles time with no schedule."""
    s = Store.open(tmp_path / "carelog.db")
    s.set_timezone(LA)
    yield s
    s.close()


@pytest.fixture
def gui_store(bare_store: Store) -> Store:
    """A fresh store with the standard 40-hour schedule (Tue 16:00–17:00 protected)."""
    from carelog.core.domain.schedule import parse_schedule_toml

    bare_store.save_schedule(parse_schedule_toml(SCHEDULE_TOML))
    return bare_store


@pytest.fixture
def state(gui_store: Store) -> AppState:
    """The scheduled store, looked at on Tuesday 17 November 2026."""
    return AppState(gui_store, today=lambda: TODAY)


@pytest.fixture
def clocked_state(gui_store: Store, clock: Clock) -> AppState:
    """The scheduled store on Tuesday 17 November 2026, at 15:00 by the test's clock."""
    return AppState(gui_store, today=lambda: TODAY, now=clock)


Shown = TypeVar("Shown", bound=QWidget)
ShowWidget = Callable[..., Any]


@pytest.fixture
def show(qtbot: QtBot) -> Iterator[Callable[[Shown, int, int], Shown]]:
    """show(widget, width, height) -> the widget, shown at that size; closed afterwards."""
    shown: list[QWidget] = []

    def _show(widget: Shown, width: int, height: int) -> Shown:
        qtbot.addWidget(widget)
        widget.resize(width, height)
        with qtbot.waitExposed(widget):
            widget.show()
        shown.append(widget)
        return widget

    yield _show
    for widget in shown:
        widget.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Window settings kept in a file of this test's own."""
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


AddEntry = Callable[..., int]


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Replace a field's text by typing, as a person would."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def choose(qtbot: QtBot, combo: QComboBox, label: str) -> None:
    """Choose an item of a combo box by typing its label."""
    combo.setFocus()
    qtbot.keyClicks(combo, label)
    assert combo.currentText() == label


def save_into_missing_folder(qtbot: QtBot, view: MergeView | ReportsView, path: Path) -> None:
    """Saving an export to `path`, whose folder does not exist, is refused in one red sentence."""
    view.choose_path = lambda suggested, fmt: path
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.message() == (f"The folder {path.parent} does not exist; choose an existing "
                              "folder for the export.")
    assert error_colour().name() in view.message_label.styleSheet()


@pytest.fixture
def add_entry(gui_store: Store) -> AddEntry:
    """add_entry("documentation", "2026-11-16 09:00", "09:50") -> the new id (through core)."""

    def _add(category: str, start: str, end: str, note: str = "") -> int:
        a = parse_local(start, gui_store.tz)
        b = parse_local(end if len(end) > 5 else f"{start[:10]} {end}", gui_store.tz)
        return int(gui_store.add_entry(category, a, b, note=note, via=Via.CLI)[0].id or 0)

    return _add


class Clock:
    """The pinned "now" of a window: epoch seconds, moved by the test."""

    def __init__(self, now: int = NOW) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def set(self, store: Store, local: str) -> int:
        """Move to a local 'YYYY-MM-DD HH:MM' (or 'HH:MM' on TODAY) in the store's zone."""
        text = local if len(local) > 5 else f"{TODAY} {local}"
        self.now = parse_local(text, store.tz)
        return self.now

    def advance(self, seconds: int) -> int:
        """Move on by some seconds."""
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The clock the windows read: 15:00 on Tuesday 17 November 2026 until a test moves it."""
    return Clock()


@pytest.fixture
def make_window(qtbot: QtBot, settings: QSettings, clock: Clock,
                bare_store: Store) -> Iterator[Callable[..., MainWindow]]:
    """Open a MainWindow on a store (pinned to TODAY and the clock); closed afterwards.

    It asks for the store fixture only so that the windows close before the store does.
    """
    opened: list[MainWindow] = []

    def _make(store: Store, today: date | None = TODAY, with_settings: bool = True,
              use_tray: bool | None = False) -> MainWindow:
        w = MainWindow(store, settings if with_settings else None,
                       today=(lambda: today) if today is not None else None, now=clock,
                       use_tray=use_tray)
        qtbot.addWidget(w, before_close_func=_forget_timer)
        with qtbot.waitExposed(w):
            w.show()
        with qtbot.waitActive(w):  # shortcuts reach only the active window
            w.activateWindow()
        opened.append(w)
        return w

    yield _make
    for w in opened:
        _forget_timer(w)
        w.quit()


def _forget_timer(window: MainWindow) -> None:
    """Discard a timer a test left running: closing would otherwise say it keeps going."""
    with contextlib.suppress(Exception):
        window.store.timer_cancel()


@pytest.fixture
def window(make_window: Callable[..., MainWindow], gui_store: Store) -> MainWindow:
    """The main window over the scheduled store, on Tuesday 17 November 2026."""
    return make_window(gui_store)
