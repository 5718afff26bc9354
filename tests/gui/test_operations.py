"""Background work reports back on the GUI thread, success or failure."""

from __future__ import annotations

import threading

import shiboken6
from carelog.gui.workers.background import run_in_background, unfinished
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot


def test_success_and_failure_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    parent = QObject()
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def ok(value: object) -> None:
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    op = run_in_background(parent, work, ok, lambda exc: None)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["callback"] == gui_thread != seen["worker"]

    failures: list[BaseException] = []

    def broken() -> None:
        raise OSError(28, "No space left on device")

    op = run_in_background(parent, broken, lambda v: None, failures.append)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert isinstance(failures[0], OSError)


def test_a_result_for_a_widget_closed_meanwhile_is_dropped(qtbot: QtBot) -> None:
    parent = QObject()
    release = threading.Event()
    seen: list[object] = []
    run_in_background(parent, lambda: release.wait(5), seen.append, seen.append)
    assert unfinished() == 1
    shiboken6.delete(parent)  # the dialog that asked is closed while the work runs
    release.set()
    qtbot.waitUntil(lambda: unfinished() == 0, timeout=5000)
    assert seen == []
