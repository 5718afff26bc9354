"""`carelog leave | block | access`: what is recorded per date besides the entries."""

from __future__ import annotations

import argparse
from datetime import date

from carelog.core.cli.common import out
from carelog.core.domain.errors import BadInput
from carelog.core.domain.formatting import fmt_minutes
from carelog.core.domain.models import (
    ACCESS_STANDARD_DAYS,
    AccessObservation,
    BlockTag,
    ErosionReason,
    Leave,
    LeaveType,
    leave_minutes,
)
from carelog.core.domain.timeutil import parse_date, parse_hhmm_minutes
from carelog.core.store.database import Store


def cmd_leave(store: Store, a: argparse.Namespace) -> int:
    """Add, remove or list leave."""
    if a.action == "list":
        first = parse_date(a.from_date, "from date") if a.from_date else date.min
        last = parse_date(a.to_date, "to date") if a.to_date else date.max
        rows = store.leave_between(first, last)
        if not rows:
            out("No leave recorded.")
        for lv in rows:
            amount = "whole day" if lv.whole_day else fmt_minutes(lv.minutes or 0)
            out(f"{lv.day}  {lv.type.value:10} {amount}")
        return 0
    day = parse_date(a.date)
    if a.action == "remove":
        store.remove_leave(day)
        out(f"Removed the leave on {day}.")
        return 0
    minutes = leave_minutes(a.hours)
    lv = store.add_leave(Leave(day=day, minutes=minutes, type=LeaveType(a.type)))
    amount = "the whole day" if lv.whole_day else fmt_minutes(lv.minutes or 0)
    out(f"Leave ({lv.type.value}) recorded on {day} for {amount}.")
    return 0


def cmd_block(store: Store, a: argparse.Namespace) -> int:
    """Tag a protected block occurrence with an erosion reason (or remove the tag)."""
    day = parse_date(a.date)
    start = parse_hhmm_minutes(a.time, "block time")
    store.check_block(day, start, tagging=a.action == "tag", shown_time=a.time)
    if a.action == "untag":
        store.remove_block_tag(day, start)
        out(f"Removed the tag of the {a.time} block on {day}.")
        return 0
    try:
        reason = ErosionReason(a.reason)
    except ValueError:
        raise BadInput(f"Unknown reason '{a.reason}'; choose one of "
                       f"{', '.join(r.value for r in ErosionReason)}.", field="reason") from None
    store.save_block_tag(BlockTag(day=day, start_minute=start, reason=reason,
                                  escalated=a.escalated))
    esc = ", escalated" if a.escalated else ""
    out(f"Tagged the {a.time} block on {day}: {reason.value}{esc}.")
    return 0


def cmd_access(store: Store, a: argparse.Namespace) -> int:
    """Record the next available return appointment, in business days."""
    day = parse_date(a.date)
    if a.days < 0:
        raise BadInput(f"The days must be zero or more, not {a.days}.", field="days")
    if a.days > 365:
        raise BadInput(f"The days must be at most 365, not {a.days}.", field="days")
    obs = store.log_access(AccessObservation(day=day, days=a.days))
    standard = "within" if obs.within_standard else "beyond"
    out(f"Access on {day}: next return appointment in {a.days} business days "
        f"({standard} the {ACCESS_STANDARD_DAYS}-business-day standard).")
    return 0
