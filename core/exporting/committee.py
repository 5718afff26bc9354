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
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from carelog.core.domain.csv_cells import CSV_TRIGGERS as CSV_TRIGGERS
from carelog.core.domain.csv_cells import csv_safe
from carelog.core.domain.csv_cells import csv_unescape as csv_unescape
from carelog.core.domain.errors import BadInput, EnvironmentFailure, IncompletePeriod, Remedy
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
from carelog.core.exporting.record import VERIFY_ADVICE, add_seals, export_digest, seal_ledger
from carelog.core.ledger.load import contributor_id, load_ledger
from carelog.core.ledger.record import amended_sentence, timeliness_sentence
from carelog.core.ledger.week import Capacity, Ledger, WeekRecord, summary_dict
from carelog.core.store.database import Store
from carelog.core.store.files import check_name, is_database_file, write_private_atomic
from carelog.core.store.settings import Setting

Format = Literal["pdf", "csv", "json"]
SUPPRESSED = "<11"


WITHHELD = "withheld"


def export_file_name(period: Period, fmt: str, what: str = "Protected time") -> str:
    """A file name a person reads: 'Protected time — October 2026.pdf'.

    The period is named as its title names it (its name, else its dates); characters that
    file systems refuse are left out.
    """
    when = period.name if period.name is not None else day_span(period.first, period.last)
    name = f"{what} — {when}"
    return "".join(ch for ch in name if ch not in '/\\:*?"<>|') + f".{fmt}"


def suppress(count: int) -> int | str:
    """A patient-related event count as it may be shown: 0, 11 or more, or '<11'."""
    return SUPPRESSED if 1 <= count <= 10 else count


def suppress_total(counts: list[int]) -> int | str:
    """The total of weekly counts as it may be shown beside them (complementary suppression).

    When any week's count is shown as '<11', an exact total would give it back by subtraction,
    so the total is withheld; otherwise the total follows the same rule as a week.
    """
    if any(suppress(c) == SUPPRESSED for c in counts):
        return WITHHELD
    return suppress(sum(counts))


CAPACITY_COUNTS = ("caseload", "return_not_offered", "new_visits", "return_visits")


def suppressed_capacity(capacity: Capacity | None) -> dict[str, int | str | None] | None:
    """A week's capacity counts as a committee may see them: each from 1 to 10 as '<11'."""
    if capacity is None:
        return None
    counts = capacity.to_json()
    return {k: None if counts[k] is None else suppress(counts[k]) for k in CAPACITY_COUNTS}


def suppressed_capacity_totals(weeks: list[WeekRecord]) -> dict[str, Any] | None:
    """Capacity totals over the weeks that recorded it, with complementary suppression.

    The caseload is the latest week's (shown by the same rule as a week); each summed count is
    withheld when any of its weeks is shown as '<11', so no week can be recovered by
    subtraction.
    """
    recorded = [w.capacity for w in weeks if w.capacity is not None]
    if not recorded:
        return None
    out: dict[str, Any] = {"weeks": len(recorded), "caseload": suppress(recorded[-1].caseload)}
    for name in CAPACITY_COUNTS[1:]:
        values = [getattr(c, name) for c in recorded if getattr(c, name) is not None]
        out[name] = suppress_total(values) if values else None
    return out


def committee_summary(ledger: Ledger, contributor: str, display_name: str | None,
                      rule: TargetRule | None, timezone: str) -> dict[str, Any]:
    """The summary JSON plus what a committee needs to read it, and suppressed event counts."""
    data = summary_dict(ledger, contributor, display_name)
    data["exported_at"] = iso_now()
    data["timezone"] = timezone
    data["contract"] = None if rule is None else {
        **rule.model_dump(exclude_none=True), "description": rule.describe()}
    for w, rec in zip(data["weeks"], ledger.weeks, strict=True):
        w["direct_sessions"] = suppress(rec.direct_sessions)
        w["safety_events"] = suppress(rec.safety_events)
        w["capacity"] = suppressed_capacity(rec.capacity)
    # Totals speak of complete weeks only, like every other total.
    done = [r for r in ledger.weeks if r.complete]
    data["totals"]["direct_sessions"] = suppress_total([r.direct_sessions for r in done])
    data["totals"]["safety_events"] = suppress_total([r.safety_events for r in done])
    data["totals"]["capacity"] = suppressed_capacity_totals(done)
    data["timeliness"] = timeliness_sentence(ledger.totals.recorded)
    data["amendments"] = amended_sentence(ledger.totals.amended)
    data["verification"] = VERIFY_ADVICE
    data["privacy"] = PRIVACY_STATEMENT
    return data


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


def csv_rows(data: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows (one per week, then a totals row) of the committee CSV."""
    categories = sorted({c for w in data["weeks"] for c in w["by_category_min"]})
    header = (["contributor", "display_name"] + [h for _, h in CSV_COLUMNS]
              + [f"blocks_{c}" for c in BLOCK_COLUMNS]
              + [f"blocks_reason_{r.value}" for r in ErosionReason]
              + ["access_days", "direct_sessions", "safety_events"]
              + [h for _, _, h in RECORD_COLUMNS] + ["seal"]
              + ["flexible_min"] + [f"flexible_{c}" for c in FLEXIBLE_COLUMNS]
              + ["days_without_break"] + [f"escalations_{c}" for c in ESCALATION_COLUMNS]
              + [f"capacity_{c}" for c in CAPACITY_COUNTS]
              + [f"category_{c}_min" for c in categories])
    rows = []
    totals = dict(data["totals"], week="total", start="")
    for w in [*data["weeks"], totals]:
        row: list[object] = [data["contributor"], data.get("display_name") or ""]
        row += [w.get(k) if w.get(k) is not None else "" for k, _ in CSV_COLUMNS]
        row += [w["blocks"][c] for c in BLOCK_COLUMNS]
        row += [w["blocks"]["reasons"].get(r.value, 0) for r in ErosionReason]
        row += ["" if w.get("access_days") is None else w["access_days"],
                w.get("direct_sessions", ""), w.get("safety_events", "")]
        row += [(w.get(group) or {}).get(key, "") for group, key, _ in RECORD_COLUMNS]
        row += [w.get("seal") or ""]
        flexible = w.get("flexible") or {}
        row += [w.get("flexible_min", "")] + [flexible.get(c, "") for c in FLEXIBLE_COLUMNS]
        escalations = w.get("escalations") or {}
        row += [w.get("days_without_break", "")]
        row += [escalations.get(c, "") for c in ESCALATION_COLUMNS]
        capacity = w.get("capacity") or {}
        row += ["" if capacity.get(c) is None else capacity[c] for c in CAPACITY_COUNTS]
        row += [w["by_category_min"].get(c, 0) for c in categories]
        rows.append([csv_safe(v) for v in row])
    return [csv_safe(h) for h in header], rows


def to_csv_bytes(data: dict[str, Any]) -> bytes:
    """The committee CSV: UTF-8 with a byte-order mark so spreadsheets read it correctly."""
    header, rows = csv_rows(data)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json_bytes(data: dict[str, Any]) -> bytes:
    """The committee JSON, pretty-printed."""
    return (json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
            ).encode("utf-8")


# ----------------------------------------------------------------------------- writing

def check_destination(out: Path) -> Path:
    """Refuse an output path whose folder is missing or not writable, before any work."""
    out = out.expanduser()
    check_name(out, "export", "out")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"The folder {folder} does not exist; choose an existing folder for the "
                       "export.", field="out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"The folder {folder} is not writable; choose another place for the "
                       "export.", field="out")
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name for the export.", field="out")
    if is_database_file(out):
        raise BadInput(f"{out} is a database (a Carelog log, a backup or one of their files), "
                       "not an export; give the export another name.", field="out")
    if out.exists() and not out.is_file():
        raise BadInput(f"{out} is not a regular file; give a file name for the export.",
                       field="out")
    return out


def write_output(out: Path, payload: bytes) -> Path:
    """Write bytes atomically (temporary name, then rename) with 0600 permissions."""
    out = check_destination(out)
    try:
        write_private_atomic(out, payload)
    except PermissionError as exc:
        raise BadInput(f"The folder {out.parent} is not writable; choose another place for "
                       "the export.", field="out") from exc
    except OSError as exc:
        raise EnvironmentFailure(f"The export to {out} could not be written: "
                                 f"{(exc.strerror or str(exc)).lower()}; nothing was left "
                                 "behind.") from exc
    return out


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


def render(data: dict[str, Any], fmt: Format) -> bytes:
    """The export's bytes in the chosen format."""
    if fmt == "json":
        return to_json_bytes(data)
    if fmt == "csv":
        return to_csv_bytes(data)
    # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
    from carelog.core.exporting.pdf import personal_pdf  # noqa: PLC0415

    return personal_pdf(data)


def write_export(store: Store, data: dict[str, Any], ledger: Ledger, fmt: Format, out: Path,
                 period: str) -> Path:
    """Seal the export's complete weeks and write it, all or nothing.

    The seals go into the data (a JSON week's `seal`, the CSV's column, the PDF's footer and
    verification section); a JSON's digest is remembered so `verify` knows it as written.
    """
    with store.transaction():
        add_seals(data, seal_ledger(store, ledger))
        payload = render(data, fmt)
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
                   now: int | None = None) -> tuple[dict[str, Any], Ledger]:
    """The committee export of a period (weekly aggregates only), and its ledger."""
    ledger = committee_ledger(store, period, include_current, now)
    schedules = store.schedules()
    version = schedules.on(period.last) or schedules.latest
    name = store.setting(Setting.DISPLAY_NAME) or None
    data = committee_summary(ledger, contributor_id(store), name,
                             version.target if version else None, store.timezone_name)
    data["title"] = period.title
    return data, ledger
