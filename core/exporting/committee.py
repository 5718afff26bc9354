"""Committee exports (DESIGN §3, §4): weekly aggregates only, as JSON, CSV or PDF.

Nothing here reads a note or an entry's time: every figure comes from the ledger's week records.
Counts of patient-related events between 1 and 10 are written as "<11". Files are written to a
temporary name in the target folder and renamed, readable by the user alone. Writing an export
seals its complete weeks (carelog.core.exporting.record) in the same transaction: a file that
could not be written leaves no seal behind.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Literal

from carelog.core.domain.csv_cells import CSV_TRIGGERS as CSV_TRIGGERS
from carelog.core.domain.csv_cells import csv_safe
from carelog.core.domain.csv_cells import csv_unescape as csv_unescape
from carelog.core.domain.errors import BadInput, IncompletePeriod, Remedy
from carelog.core.domain.models import ErosionReason
from carelog.core.domain.privacy import PRIVACY_STATEMENT as PRIVACY_STATEMENT
from carelog.core.domain.schedule import TargetRule
from carelog.core.domain.timeutil import (
    Period,
    day_span,
    iso_now,
    now_instant,
    to_local,
    week_label,
    week_monday,
)
from carelog.core.exporting.committee_report import CAPACITY_COUNTS as CAPACITY_COUNTS
from carelog.core.exporting.committee_report import SUPPRESSED as SUPPRESSED
from carelog.core.exporting.committee_report import WITHHELD as WITHHELD
from carelog.core.exporting.committee_report import (
    CommitteeReport,
    CommitteeTotals,
    CommitteeWeek,
)
from carelog.core.exporting.committee_report import suppress as suppress
from carelog.core.exporting.committee_report import suppress_total as suppress_total
from carelog.core.exporting.output import check_destination as check_destination
from carelog.core.exporting.output import write_output as write_output
from carelog.core.exporting.record import VERIFY_ADVICE, add_seals, export_digest, seal_ledger
from carelog.core.ledger.load import contributor_id, load_ledger
from carelog.core.ledger.record import amended_sentence, timeliness_sentence
from carelog.core.ledger.week import Ledger, Totals, WeekRecord
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting

Format = Literal["pdf", "csv", "json"]


def export_file_name(period: Period, fmt: str, what: str = "Protected time") -> str:
    """A file name a person reads: 'Protected time — October 2026.pdf'.

    The period is named as its title names it (its name, else its dates); characters that
    file systems refuse are left out.
    """
    when = period.name if period.name is not None else day_span(period.first, period.last)
    name = f"{what} — {when}"
    return "".join(ch for ch in name if ch not in '/\\:*?"<>|') + f".{fmt}"


def committee_summary(ledger: Ledger, contributor: str, display_name: str | None,
                      rule: TargetRule | None, timezone: str) -> CommitteeReport:
    """The ledger with what a committee needs to read it, and suppressed event counts."""
    # Totals speak of complete weeks only, like every other total.
    done = [r for r in ledger.weeks if r.complete]
    return CommitteeReport(
        first=ledger.first, last=ledger.last, contributor=contributor,
        display_name=display_name, weeks=[CommitteeWeek.of(r) for r in ledger.weeks],
        totals=CommitteeTotals.of(ledger.totals, done), exported_at=iso_now(),
        timezone=timezone, contract=rule,
        timeliness=timeliness_sentence(ledger.totals.recorded),
        amendments=amended_sentence(ledger.totals.amended), verification=VERIFY_ADVICE,
        privacy=PRIVACY_STATEMENT)


# ----------------------------------------------------------------------------- CSV

RECORD_COLUMNS: list[tuple[str, str, str]] = [
    ("recorded", "same_day_min", "recorded_same_day_min"),
    ("recorded", "within_7_days_min", "recorded_within_7_days_min"),
    ("recorded", "later_min", "recorded_later_min"),
    ("amended", "entries", "amended_entries"),
    ("amended", "minutes", "amended_min"),
]
CSV_COLUMNS: list[tuple[str, str]] = [
    ("week", "week"), ("start", "week_start"),
    ("scheduled_min", "scheduled_min"), ("leave_min", "leave_min"),
    ("expected_min", "expected_min"), ("target_min", "target_min"),
    ("ipc_in_hours_min", "ipc_in_hours_min"), ("ipc_after_hours_min", "ipc_after_hours_min"),
    ("after_hours_min", "after_hours_min"), ("direct_min", "direct_min"),
    ("other_min", "other_min"), ("break_min", "break_min"), ("attainment", "attainment"),
    ("shortfall_min", "shortfall_min"), ("status", "status"),
]
BLOCK_COLUMNS = ["count", "scheduled_min", "honored_min", "booked_over_min", "diverted_min",
                 "break_min", "unlogged_min", "escalated"]
FLEXIBLE_COLUMNS = ["ipc_min", "direct_min", "other_min", "unlogged_min"]
ESCALATION_COLUMNS = ["count", "responded", "resolved"]


def _csv_figures(w: WeekRecord | Totals, shown: CommitteeWeek | CommitteeTotals,
                 seal: str | None) -> list[object]:
    """The cells of one row after its week and start, in the order of the header."""
    b, rec, amended, flex, esc = w.blocks, w.recorded, w.amended, w.flexible, w.escalations
    capacity = shown.capacity
    row: list[object] = [w.scheduled_min, w.leave_min, w.expected_min, w.target_min,
                         w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min,
                         w.direct_min, w.other_min, w.break_min,
                         "" if w.attainment is None else w.attainment, w.shortfall_min,
                         w.status]
    row += [b.count, b.scheduled_min, b.honored_min, b.booked_over_min, b.diverted_min,
            b.break_min, b.unlogged_min, b.escalated]
    row += [b.reasons.get(r.value, 0) for r in ErosionReason]
    row += ["" if w.access_days is None else w.access_days, shown.direct_sessions,
            shown.safety_events]
    row += [rec.same_day_min, rec.within_7_days_min, rec.later_min, amended.entries,
            amended.minutes]
    row += [seal or ""]
    row += [w.flexible_min, flex.ipc_min, flex.direct_min, flex.other_min, flex.unlogged_min]
    row += [w.days_without_break, esc.count, esc.responded, esc.resolved]
    counts = (None,) * 4 if capacity is None else (
        capacity.caseload, capacity.return_not_offered, capacity.new_visits,
        capacity.return_visits)
    row += ["" if v is None else v for v in counts]
    return row


def csv_rows(report: CommitteeReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows (one per week, then a totals row) of the committee CSV."""
    categories = sorted({c for w in report.weeks for c in w.record.by_category_min})
    header = (["contributor", "display_name"] + [h for _, h in CSV_COLUMNS]
              + [f"blocks_{c}" for c in BLOCK_COLUMNS]
              + [f"blocks_reason_{r.value}" for r in ErosionReason]
              + ["access_days", "direct_sessions", "safety_events"]
              + [h for _, _, h in RECORD_COLUMNS] + ["seal"]
              + ["flexible_min"] + [f"flexible_{c}" for c in FLEXIBLE_COLUMNS]
              + ["days_without_break"] + [f"escalations_{c}" for c in ESCALATION_COLUMNS]
              + [f"capacity_{c}" for c in CAPACITY_COUNTS]
              + [f"category_{c}_min" for c in categories])
    who: list[object] = [report.contributor, report.display_name or ""]
    rows = []
    for week in report.weeks:
        w = week.record
        row = [*who, w.week, w.start.isoformat(), *_csv_figures(w, week, week.seal)]
        row += [w.by_category_min.get(c, 0) for c in categories]
        rows.append([csv_safe(v) for v in row])
    t = report.totals
    row = [*who, "total", "", *_csv_figures(t.figures, t, None)]
    row += [t.figures.by_category_min.get(c, 0) for c in categories]
    rows.append([csv_safe(v) for v in row])
    return [csv_safe(h) for h in header], rows


def to_csv_bytes(report: CommitteeReport) -> bytes:
    """The committee CSV: UTF-8 with a byte-order mark so spreadsheets read it correctly."""
    header, rows = csv_rows(report)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json_bytes(report: CommitteeReport) -> bytes:
    """The committee JSON, pretty-printed."""
    return (json.dumps(report.to_json(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
            ).encode("utf-8")


# ----------------------------------------------------------------------------- writing

def infer_format(out: Path, fmt: str | None) -> Format:
    """The format asked for, or the one the file name's suffix implies."""
    suffix = out.suffix.lstrip(".").lower()
    chosen = (fmt or suffix).lower()
    if chosen not in ("pdf", "csv", "json"):
        raise BadInput(f"The format '{chosen}' is not one of pdf, csv or json.", field="format")
    if suffix in ("pdf", "csv", "json") and suffix != chosen:
        raise BadInput(f"The file name {out.name} says {suffix} but the format asked for is "
                       f"{chosen}; make them agree.", field="format")
    return chosen  # type: ignore[return-value]


def render(report: CommitteeReport, fmt: Format) -> bytes:
    """The export's bytes in the chosen format."""
    if fmt == "json":
        return to_json_bytes(report)
    if fmt == "csv":
        return to_csv_bytes(report)
    # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
    from carelog.core.exporting.pdf import personal_pdf  # noqa: PLC0415

    return personal_pdf(report)


def write_export(store: Store, report: CommitteeReport, ledger: Ledger, fmt: Format, out: Path,
                 period: str) -> Path:
    """Seal the export's complete weeks and write it, all or nothing.

    The seals go into the data (a JSON week's `seal`, the CSV's column, the PDF's footer and
    verification section); a JSON's digest is remembered so `verify` knows it as written.
    """
    with store.transaction():
        add_seals(report, seal_ledger(store, ledger))
        payload = render(report, fmt)
        if fmt == "json":
            store.record_export(period, export_digest(json.loads(payload)))
        return write_output(out, payload)


def committee_ledger(store: Store, period: Period, include_current: bool = False,
                     now: int | None = None) -> Ledger:
    """The ledger a committee report may show: complete weeks, or the weeks so far if asked.

    A period that is not over is refused with a sentence naming the last complete week, unless
    the weeks so far are asked for; then the week under way is kept (marked in progress, left
    out of the totals) and weeks not begun are dropped.
    """
    now = now_instant() if now is None else now
    ledger = load_ledger(store, period, now)
    if all(w.complete for w in ledger.weeks):
        return ledger
    last_done = week_monday(to_local(now, store.tz).date()) - timedelta(days=7)
    if not include_current:
        raise IncompletePeriod(f"{period.title} is not over yet; the last complete week is "
                               f"{week_label(last_done)} "
                               f"({day_span(last_done, last_done + timedelta(days=6))}).",
                               field="period", remedy=Remedy.INCLUDE_CURRENT)
    begun = ledger.begun()
    if not begun.weeks:
        raise IncompletePeriod(f"{period.title} has not begun yet; the last complete week is "
                               f"{week_label(last_done)}.", field="period")
    return begun


def committee_data(store: Store, period: Period, include_current: bool = False,
                   now: int | None = None) -> tuple[CommitteeReport, Ledger]:
    """The committee export of a period (weekly aggregates only), and its ledger."""
    ledger = committee_ledger(store, period, include_current, now)
    schedules = store.schedules()
    version = schedules.on(period.last) or schedules.latest
    name = store.setting(Setting.DISPLAY_NAME) or None
    report = committee_summary(ledger, contributor_id(store), name,
                               version.target if version else None, store.timezone_name)
    return report.replaced(title=period.title), ledger
