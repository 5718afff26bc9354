"""The workload report: one page per week in the style of a workload report form.

Unions' paper forms (an objection to an assignment, a professional-responsibility workload
report) record the planned and the actual work of a shift, what was lost and why, whom the
clinician told and what they answered, and the breaks missed. This module gathers the same for
each week from the ledger and the escalation record. Like every committee export it holds no
patient information, no note text and no entry's time: the lost blocks are schedule times, and
the escalations carry their role, time, way, request and response, never their private note.
Writing it seals the weeks that are over, as every export does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carelog.core.domain.formatting import clock
from carelog.core.domain.models import Escalation, asked_words
from carelog.core.domain.timeutil import Period, format_local, week_label
from carelog.core.exporting.committee import committee_data, write_output
from carelog.core.exporting.record import add_seals, seal_ledger
from carelog.core.ledger.week import BlockOccurrence, Ledger, WeekRecord
from carelog.core.store.database import Store

REPORT_TITLE = "Workload report"


def escalation_fields(e: Escalation, store: Store) -> dict[str, Any]:
    """What a workload report shows of an escalation: never its note."""
    return {
        "told_at": format_local(e.told_at, store.tz),
        "to": e.to_role,
        "how": e.how_words(),
        "asked": asked_words(e.asked),
        "response": e.response_words(),
        "resolved": e.resolved,
    }


def _lost(o: BlockOccurrence) -> int:
    return o.booked_over_min + o.diverted_min + o.break_min + o.unlogged_min


def _lost_blocks(rec: WeekRecord, store: Store) -> list[dict[str, Any]]:
    out = []
    for o in rec.occurrences:
        if not _lost(o):
            continue
        about = [e for e in rec.escalation_records
                 if e.day == o.day and e.start_minute == o.start_minute]
        out.append({
            "date": o.day.isoformat(), "weekday": f"{o.day:%a}",
            "time": f"{clock(o.start_minute)}–{clock(o.end_minute)}",
            "scheduled_min": o.scheduled_min, "lost_min": _lost(o),
            "booked_over_min": o.booked_over_min, "diverted_min": o.diverted_min,
            "break_min": o.break_min, "unlogged_min": o.unlogged_min,
            "reason": None if o.reason is None else o.reason.value,
            "escalations": [escalation_fields(e, store) for e in about],
        })
    return out


def workload_data(store: Store, period: Period, include_current: bool = False,
                  now: int | None = None) -> tuple[dict[str, Any], Ledger]:
    """The workload report of a period, and its ledger.

    It is the committee summary, and each week adds `lost_blocks` (with their reasons and
    escalations), `day_escalations` and `dates_without_break`; counts about patients are
    suppressed as in every committee export.
    """
    data, ledger = committee_data(store, period, include_current, now)
    data["report"] = "workload"
    for w, rec in zip(data["weeks"], ledger.weeks, strict=True):
        w["lost_blocks"] = _lost_blocks(rec, store)
        w["day_escalations"] = [
            {"date": e.day.isoformat(), "weekday": f"{e.day:%a}", **escalation_fields(e, store)}
            for e in rec.escalation_records if e.start_minute is None]
        w["dates_without_break"] = [d.isoformat() for d in rec.dates_without_break]
        w["label"] = week_label(rec.start)
    data["meal_break_min"] = store.meal_break_min
    return data, ledger


def write_workload(store: Store, data: dict[str, Any], ledger: Ledger, out: Path) -> Path:
    """Seal the report's complete weeks and write it, all or nothing (like every export)."""
    with store.transaction():
        add_seals(data, seal_ledger(store, ledger))
        return write_output(out, render_workload(data))


def render_workload(data: dict[str, Any]) -> bytes:
    """The workload report as PDF bytes."""
    # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
    from carelog.core.exporting.pdf import workload_pdf  # noqa: PLC0415

    return workload_pdf(data)
