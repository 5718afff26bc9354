"""`carelog history | seal | verify`: an entry's history, sealing weeks, checking an export."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from carelog.core.cli.common import entry_line, out
from carelog.core.domain.history import (
    ACTION_WORDS,
    REASON_WORDS,
    VIA_WORDS,
    changes_text,
    with_changes,
)
from carelog.core.domain.seal import utc_text
from carelog.core.domain.timeutil import format_local, period_from_args
from carelog.core.exporting.record import seal_period, verify_export
from carelog.core.store.database import Store


def history_dict(store: Store, entry_id: int) -> dict[str, Any]:
    """`carelog history ID --format json`: {"entry": ID, "events": [{at, action, via, …}]}."""
    events = []
    for ev, changes in with_changes(store.history(entry_id), store.tz):
        reason = None if ev.reason is None else {"category": ev.reason.code.value,
                                                 "text": ev.reason.text}
        events.append({"at": utc_text(ev.at), "action": ev.action.value, "via": ev.via.value,
                       "changes": changes, "reason": reason})
    return {"entry": entry_id, "events": events}


def cmd_history(store: Store, a: argparse.Namespace) -> int:
    """Every version of one entry: when, how, what changed, and why (for a sealed week)."""
    events = store.history(a.id)
    if a.format == "json":
        out(json.dumps(history_dict(store, a.id), indent=1, ensure_ascii=False))
        return 0
    tz = store.tz
    current = store.find_entry(a.id)
    head = entry_line(store, current) if current else f"{a.id}: deleted"
    out(f"History of entry {head} (times in {tz.key})")
    for ev, changes in with_changes(events, tz):
        line = f"{format_local(ev.at, tz)}  {ACTION_WORDS[ev.action]}"
        if ev.via.value != ev.action.value:
            line += f" by {VIA_WORDS[ev.via]}"
        if changes:
            line += f": {changes_text(changes)}"
        if ev.reason is not None:
            line += f" — reason: {REASON_WORDS[ev.reason.code].lower()}"
            if ev.reason.text:
                line += f" ({ev.reason.text})"
        out(line)
    return 0


def cmd_seal(store: Store, a: argparse.Namespace) -> int:
    """Seal the complete weeks of a period without exporting them."""
    period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
    result = seal_period(store, period)
    for line in result.lines():
        out(line)
    return 0


def cmd_verify(store: Store, a: argparse.Namespace) -> int:
    """Recompute the seals of a committee JSON from this log: 0 all match, 1 any differs."""
    report = verify_export(store, Path(a.file).expanduser())
    for line in report.lines:
        out(line)
    return 0 if report.ok else 1
