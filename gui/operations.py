"""Run slow work off the GUI thread: the work is a plain function, the result comes back here.

Exports, merges, imports and backups call `run_in_background(...)`. The function runs on a pool
thread and must not touch widgets or the window's Store connection (open its own, or work on
data prepared beforehand); success and failure are delivered on the GUI thread, where the
callbacks may update the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # every failure must reach the window, not vanish
            log.debug("background work failed", exc_info=exc)
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Operation(QObject):
    """One piece of background work; `finished` fires after either callback has run."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False


_live: set[Operation] = set()


def run_in_background(parent: QObject, fn: Callable[[], Any],
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None]) -> Operation:
    """Run fn on a worker thread; call on_success(result) or on_failure(exc) on this thread."""
    op = Operation(parent)
    relay = _Relay(op)
    op.running = True
    _live.add(op)

    def done() -> None:
        op.running = False
        _live.discard(op)
        op.finished.emit()

    def ok(result: object) -> None:
        try:
            on_success(result)
        finally:
            done()

    def bad(exc: object) -> None:
        try:
            on_failure(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))
        finally:
            done()

    relay.succeeded.connect(ok)
    relay.failed.connect(bad)
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return op


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until the pool is idle (used when closing the window)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
