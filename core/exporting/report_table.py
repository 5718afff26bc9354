"""The committee report's week-by-week table, as a reader sees it: the PDF and the window's preview.

Plain headers, every duration as h:mm, statuses in words with a mark (so a greyscale print still
says it), a week under way measured against what is due by now. One function builds the cells,
so the preview shows what the PDF prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from carelog.core.domain.formatting import NO_VALUE, hm, percent, status_word
from carelog.core.exporting.committee_report import CommitteeReport
from carelog.core.ledger.week import Totals, WeekRecord

# A mark beside each status word, so the status never rests on colour alone.
STATUS_MARKS = {"met": "✓", "partly_met": "◐", "not_met": "✗", "no_target": "–",
                "in_progress": "…", "upcoming": ""}

HEADER = ("Week", "Expected", "Target", "Received", "Attainment", "Status", "IPC after hours",
          "All work after hours", "Booked over", "Diverted", "Access", "Days without a break")
HEADER_TIPS = (
    "The ISO week (Monday to Sunday); the last row holds the totals of the weeks that are over.",
    "Scheduled minutes minus leave (for a week under way: those due by now).",
    "The protected-time target (for a week under way: the part due by now).",
    "Indirect patient care inside scheduled hours: the protected time received.",
    "Received divided by target.",
    "Met, partly met or not met; a week under way has no verdict yet.",
    "Indirect patient care outside scheduled hours or on leave days.",
    "All work outside scheduled hours or on leave days.",
    "Protected-block minutes taken by direct patient care.",
    "Protected-block minutes taken by other work (meetings, training, admin).",
    "The next available return appointment, in business days.",
    "Working days without a meal break.",
)
TOTAL_LABEL = "Total"


def marked_status(code: str) -> str:
    """'✓ met', '◐ partly met', '✗ not met', '… so far': a status in a mark and words."""
    return f"{STATUS_MARKS[code]} {status_word(code)}".strip()


@dataclass(frozen=True, slots=True)
class ReportTable:
    """The cells of the week-by-week table, with each row's status code (for colour)."""

    header: tuple[str, ...]
    rows: list[list[str]]
    statuses: list[str]


def _row(label: str, w: WeekRecord | Totals) -> list[str]:
    b = w.blocks
    so_far = isinstance(w, WeekRecord) and w.status == "in_progress"
    expected, target = (w.expected_so_far_min, w.target_so_far_min) \
        if isinstance(w, WeekRecord) and so_far else (w.expected_min, w.target_min)
    access = NO_VALUE if w.access_days is None else f"{w.access_days} d"
    return [label, hm(expected), hm(target), hm(w.ipc_in_hours_min), percent(w.attainment),
            marked_status(w.status), hm(w.ipc_after_hours_min), hm(w.after_hours_min),
            hm(b.booked_over_min), hm(b.diverted_min), access, str(w.days_without_break)]


def report_table(report: CommitteeReport) -> ReportTable:
    """The week-by-week table of a committee report, then a row of totals."""
    records = [w.record for w in report.weeks]
    totals = report.totals.figures
    rows = [_row(w.week, w) for w in records] + [_row(TOTAL_LABEL, totals)]
    statuses: list[str] = [*(w.status for w in records), totals.status]
    return ReportTable(HEADER, rows, statuses)
