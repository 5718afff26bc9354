"""`carelog escalation add | respond | list`: the record of telling a manager time was lost."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from carelog.core.cli.common import out, warn
from carelog.core.domain.formatting import clock
from carelog.core.domain.models import (
    Escalation,
    EscalationResponse,
    asked_words,
    new_escalation,
)
from carelog.core.domain.privacy import escalation_warnings
from carelog.core.domain.timeutil import (
    format_local,
    now_instant,
    parse_date,
    parse_hhmm_minutes,
    parse_local,
    period_from_args,
    to_local,
    utc_now,
)
from carelog.core.store.database import Store


def _about(e: Escalation) -> str:
    """'the 16:00 block on 2026-11-17' or 'the day 2026-11-17'."""
    if e.start_minute is None:
        return f"the day {e.day}"
    return f"the {clock(e.start_minute)} block on {e.day}"


def escalation_line(store: Store, e: Escalation) -> str:
    """One escalation on one line, as `escalation list` prints it."""
    state = "resolved" if e.resolved else "open"
    return (f"{e.id}: {_about(e)}; told {e.to_role} {e.how_words()} on "
            f"{format_local(e.told_at, store.tz)}; asked: {asked_words(e.asked)}; response: "
            f"{e.response_words()}; {state}")


def cmd_add(store: Store, a: argparse.Namespace) -> int:
    """Record that a manager was told about a lost block or day."""
    day = parse_date(a.date)
    start = None if a.time is None else parse_hhmm_minutes(a.time, "block time")
    told = utc_now() if a.at is None else parse_local(a.at, store.tz, "at")
    esc = new_escalation(day, start, told, a.to, a.how, a.asked, a.note or "")
    if start is not None:
        store.check_block(day, start, tagging=True, shown_time=a.time)
    for warning in escalation_warnings(esc.to_role, esc.asked, esc.note):
        warn(warning)
    saved = store.add_escalation(esc)
    out(f"Recorded escalation {escalation_line(store, saved)}.")
    return 0


def cmd_respond(store: Store, a: argparse.Namespace) -> int:
    """Record the manager's response to an escalation."""
    on = to_local(now_instant(), store.tz).date() if a.on is None else parse_date(a.on, "on")
    saved = store.respond_escalation(a.id, EscalationResponse(a.response), on, a.resolved)
    out(f"Updated escalation {escalation_line(store, saved)}.")
    return 0


def _json(store: Store, e: Escalation, reasons: dict[tuple[date, int], str]) -> dict[str, Any]:
    return {
        "id": e.id, "date": e.day.isoformat(),
        "block": None if e.start_minute is None else clock(e.start_minute),
        "reason": None if e.start_minute is None else reasons.get((e.day, e.start_minute)),
        "told_at": format_local(e.told_at, store.tz), "to": e.to_role,
        "how": None if e.how is None else e.how.value, "asked": e.asked,
        "response": e.response.value,
        "response_on": None if e.response_on is None else e.response_on.isoformat(),
        "resolved": e.resolved, "note": e.note,
    }


def cmd_list(store: Store, a: argparse.Namespace) -> int:
    """List escalations (personal: includes private notes), of a period or all."""
    chosen = [a.week, a.month, a.quarter, a.year, a.from_date, a.to_date]
    if any(x is not None for x in chosen):
        period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
        first, last = period.first, period.last
    else:
        first, last = date.min, date.max
    rows = store.escalations_between(first, last)
    if a.format == "json":
        reasons = {(t.day, t.start_minute): t.reason.value
                   for t in store.block_tags_between(first, last)}
        out(json.dumps({"escalations": [_json(store, e, reasons) for e in rows]}, indent=1,
                       ensure_ascii=False))
        return 0
    if not rows:
        out("No escalations recorded.")
    for e in rows:
        out(escalation_line(store, e))
        if e.note:
            out(f"    note: {e.note}")
    return 0


def cmd_escalation(store: Store, a: argparse.Namespace) -> int:
    """Run `escalation add`, `respond` or `list`."""
    handlers = {"add": cmd_add, "respond": cmd_respond, "list": cmd_list}
    return handlers[a.action](store, a)
