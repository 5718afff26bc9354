"""`carelog timer start | stop | status | cancel`: the timer that lives in the database."""

from __future__ import annotations

import argparse

from carelog.core.cli.common import entry_line, out
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import MINUTE, format_local, utc_now
from carelog.core.store.database import Store


def cmd_timer(store: Store, a: argparse.Namespace) -> int:
    """Start, stop or show the running timer (it lives in the database)."""
    if a.action == "start":
        category = store.categories.resolve(a.category or "") or (a.category or "")
        if not category:
            raise BadInput("Name the category to time, e.g. carelog timer start documentation.",
                           field="category")
        t = store.timer_start(category, note=a.note or "")
        out(f"Timer started: {t.category} since {format_local(t.started, store.tz)}")
    elif a.action == "cancel":
        if store.timer() is None:
            raise BadInput("No timer is running.", field="timer")
        store.timer_cancel()
        out("Timer discarded; nothing was logged.")
    elif a.action == "stop":
        added = store.timer_stop()
        if not added:
            out("Timer stopped; less than a minute, nothing logged.")
        for e in added:
            out(f"Logged {entry_line(store, e)}")
    else:
        running = store.timer()
        if running is None:
            out("No timer is running.")
        else:
            now = utc_now()
            since = format_local(running.started, store.tz)
            if now < running.started:
                out(f"Timer running: {running.category} since {since}; the clock reads "
                    f"{format_local(now, store.tz)}, earlier than that: it went back. The timer "
                    "is kept.")
            else:
                out(f"Timer running: {running.category} since {since} "
                    f"({(now - running.started) // MINUTE} m)")
    return 0
