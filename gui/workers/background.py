"""Run slow work off the GUI thread: the work is a plain function, the result comes back here.

Exports, merges, imports and backups call `run_in_background(...)`. The function runs on a pool
thread and must not touch widgets or the window's Store connection (open its own, or work on
data prepared beforehand); success and failure are delivered on the GUI thread, where the
callbacks may update the window. When the widget that asked for the work is gone by the time it
ends (a dialog closed meanwhile), the result is dropped instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)


class Operation(QObject):
    """One piece of background work; `finished` fires after either callback has run."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False


class _Work:
    """The bookkeeping of one piece of work, kept until its result is handed back or dropped.

    The relay has no Qt parent, so it outlives a widget closed while the work runs and the
    worker always has something to report to.
    """

    def __init__(self, op: Operation, relay: _Relay) -> None:
        self.op = op
        self.relay = relay


_outstanding: set[_Work] = set()
_lock = threading.Lock()


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


def run_in_background(parent: QObject, fn: Callable[[], Any],
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None]) -> Operation:
    """Run fn on a worker thread; call on_success(result) or on_failure(exc) on this thread."""
    op = Operation(parent)
    relay = _Relay()
    work = _Work(op, relay)
    op.running = True
    with _lock:
        _outstanding.add(work)

    def deliver(callback: Callable[[], None]) -> None:
        with _lock:
            _outstanding.discard(work)
        relay.deleteLater()
        if not shiboken6.isValid(op):
            return  # whoever asked is gone (a dialog closed meanwhile): nobody to tell
        try:
            callback()
        finally:
            op.running = False
            op.finished.emit()

    def ok(result: object) -> None:
        deliver(lambda: on_success(result))

    def bad(exc: object) -> None:
        deliver(lambda: on_failure(exc if isinstance(exc, BaseException)
                                   else RuntimeError(str(exc))))

    relay.succeeded.connect(ok)
    relay.failed.connect(bad)
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return op


def unfinished() -> int:
    """How many pieces of work have not come back to the GUI thread yet."""
    with _lock:
        return len(_outstanding)


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until the pool is idle (used when closing the window)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
