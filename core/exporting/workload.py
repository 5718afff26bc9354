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

from carelog.core.domain.models import Escalation, asked_words
from carelog.core.domain.timeutil import Period, format_local
from carelog.core.exporting.committee import committee_data
from carelog.core.exporting.committee_report import CommitteeReport, LostBlock, ToldEscalation
from carelog.core.exporting.output import write_output
from carelog.core.exporting.record import add_seals, seal_ledger
from carelog.core.ledger.week import Ledger, WeekRecord
from carelog.core.ledger.week_parts import BlockOccurrence
from carelog.core.store.database import Store

REPORT_TITLE = "Workload report"


def escalation_fields(e: Escalation, store: Store) -> ToldEscalation:
    """What a workload report shows of an escalation: never its note."""
    return ToldEscalation(told_at=format_local(e.told_at, store.tz), to=e.to_role,
                          how=e.how_words(), asked=asked_words(e.asked),
                          response=e.response_words(), resolved=e.resolved,
                          day=e.day if e.start_minute is None else None)


def _lost(o: BlockOccurrence) -> int:
    return o.booked_over_min + o.diverted_min + o.break_min + o.unlogged_min


def _lost_blocks(rec: WeekRecord, store: Store) -> list[LostBlock]:
    return [LostBlock(o, [escalation_fields(e, store) for e in rec.escalation_records
                          if e.day == o.day and e.start_minute == o.start_minute])
            for o in rec.occurrences if _lost(o)]


def workload_data(store: Store, period: Period, include_current: bool = False,
                  now: int | None = None) -> tuple[CommitteeReport, Ledger]:
    """The workload report of a period, and its ledger.

    It is the committee report, and each week adds its lost blocks (with their reasons and
    escalations) and the escalations about whole days; counts about patients are suppressed as
    in every committee export.
    """
    report, ledger = committee_data(store, period, include_current, now)
    for w in report.weeks:
        rec = w.record
        w.lost_blocks = _lost_blocks(rec, store)
        w.day_escalations = [escalation_fields(e, store) for e in rec.escalation_records
                             if e.start_minute is None]
    return report.replaced(meal_break_min=store.meal_break_min), ledger


def write_workload(store: Store, report: CommitteeReport, ledger: Ledger, out: Path) -> Path:
    """Seal the report's complete weeks and write it, all or nothing (like every export)."""
    with store.transaction():
        add_seals(report, seal_ledger(store, ledger))
        return write_output(out, render_workload(report))


def render_workload(report: CommitteeReport) -> bytes:
    """The workload report as PDF bytes."""
    # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
    from carelog.core.exporting.pdf import workload_pdf  # noqa: PLC0415

    return workload_pdf(report)
