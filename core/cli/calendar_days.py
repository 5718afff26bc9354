"""`carelog leave | block | access | capacity`: what is recorded per date besides the entries."""

from __future__ import annotations

import argparse
from datetime import date

from carelog.core.cli.common import out, warn
from carelog.core.domain.errors import BadInput
from carelog.core.domain.formatting import fmt_minutes
from carelog.core.domain.models import (
    ACCESS_STANDARD_DAYS,
    AccessObservation,
    BlockTag,
    CapacityObservation,
    ErosionReason,
    Leave,
    LeaveType,
    check_count,
    leave_minutes,
    tag_escalation,
)
from carelog.core.domain.privacy import escalation_warnings
from carelog.core.domain.timeutil import parse_date, parse_hhmm_minutes, parse_local, utc_now
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
    if not a.escalated and (a.to or a.how or a.at):
        raise BadInput("--to, --how and --at describe an escalation; add --escalated.",
                       field="escalated")
    tag = BlockTag(day=day, start_minute=start, reason=reason, escalated=a.escalated)
    escalation = None
    if a.escalated:
        told = utc_now() if a.at is None else parse_local(a.at, store.tz, "at")
        escalation = tag_escalation(tag, told, a.to, a.how)
        for warning in escalation_warnings(escalation.to_role, escalation.asked):
            warn(warning)
    recorded = store.save_block_tag(tag, escalation)
    esc = ", escalated" if a.escalated else ""
    out(f"Tagged the {a.time} block on {day}: {reason.value}{esc}.")
    if recorded is not None:
        out(f"Recorded escalation {recorded.id} (told {recorded.to_role}, "
            f"{recorded.how_words()}); add the response with: carelog escalation respond "
            f"{recorded.id} --response granted|partly|refused.")
    elif a.escalated:
        out("The block already has an escalation; see carelog escalation list.")
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


def cmd_capacity(store: Store, a: argparse.Namespace) -> int:
    """Record the caseload and the returns that could not be offered in time, on a date."""
    day = parse_date(a.date)
    check_count(a.caseload, "caseload")
    check_count(a.return_not_offered, "return_not_offered")
    obs = store.log_capacity(CapacityObservation(day=day, caseload=a.caseload,
                                                 return_not_offered=a.return_not_offered))
    extra = "" if obs.return_not_offered is None else \
        (f"; {obs.return_not_offered} could not be offered a return within the clinically "
         "indicated interval")
    out(f"Capacity on {day}: caseload {obs.caseload}{extra}. Numbers only: nothing about any "
        "patient is recorded.")
    return 0
