"""The Qt binding keeps Python's reference counts: the window can run for a working day."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_calls_that_return_nothing_leave_none_alone(qtbot: QtBot) -> None:
    # PySide6 6.12.0 dropped a reference to None on each such call; on Python 3.11, where None
    # is an ordinary object, the window then crashed ("deallocating None") after some
    # thousands of calls. On Python 3.12 and later None's count never changes.
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("y")
        label.update()
    assert sys.getrefcount(None) - before >= 0
