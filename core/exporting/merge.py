"""The clinic roll-up: merge several clinicians' summary JSON files into per-week figures.

Inputs are data from other people's machines (DESIGN §3 rule 6): every file is validated field by
field before anything is written — known codes only, finite numbers in plausible ranges — and no
free text from a file reaches the output. A week shows figures only when at least the minimum
number of clinicians (5 by default) contribute a complete week with a target; files without data
for a week do not count. Within a shown week, a total that one clinician makes up most of (more
than 80 %) is withheld, so a group of clinicians who logged nothing cannot expose the one who
did; and the roll-up's headline leaves out what its rows withhold. Capacity counts are reported
as medians, only where at least the minimum number of clinicians recorded them, and a median
from 1 to 10 is shown as "<11" like every count about patients.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import ErosionReason
from carelog.core.domain.timeutil import CarelogDate
from carelog.core.store.files import read_input
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

SUMMARY_FORMAT = "carelog-summary"
SUMMARY_VERSION = 2  # the newest summary version merge reads (it reads every older one)
CLINIC_FORMAT = "carelog-clinic"
CLINIC_VERSION = 2
DEFAULT_MIN_CLINICIANS = 5
DOMINANCE_SHARE = 0.8  # a total one clinician makes up more of than this is withheld
WEEK_MINUTES = 7 * 24 * 60  # no weekly minute figure can exceed the minutes of a week
MAX_ATTAINMENT = 10.0
MAX_COUNT = 1_000  # block tags and escalations in one week: far above any real week
MAX_SUMMARY_BYTES = 64 * 1024 * 1024  # a century of weeks is a few megabytes

_REASON_CODES = frozenset(r.value for r in ErosionReason)


class _Strict(BaseModel):
    """Numbers must be finite; unknown keys are ignored (newer exports may add some)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class _Blocks(_Strict):
    booked_over_min: int = Field(ge=0, le=WEEK_MINUTES)
    reasons: dict[str, int] = Field(default_factory=dict)

    @field_validator("reasons")
    @classmethod
    def _known_reasons(cls, value: dict[str, int]) -> dict[str, int]:
        for code, count in value.items():
            if code not in _REASON_CODES:
                raise ValueError(f"'{code[:40]}' is not a reason Carelog knows")
            if not 0 <= count <= MAX_COUNT:
                raise ValueError(f"the count of {code} must be from 0 to {MAX_COUNT}")
        return value


SUPPRESSED: Literal["<11"] = "<11"
MAX_CASELOAD = 2_000  # the most a clinician's caseload may be (as when it is entered)
MAX_VISITS = 1_000  # appointments in one week: far above any real week
Count = int | Literal["<11"]


def _count_in(value: Count, high: int) -> Count:
    if isinstance(value, int) and not 0 <= value <= high:
        raise ValueError(f"must be from 0 to {high} or \"<11\"")
    return value


class _Flexible(_Strict):
    so_far_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    ipc_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    direct_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    other_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    unlogged_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)


class _Escalations(_Strict):
    count: int = Field(ge=0, le=MAX_COUNT)
    responded: int = Field(ge=0, le=MAX_COUNT)
    resolved: int = Field(ge=0, le=MAX_COUNT)

    @field_validator("responded", "resolved")
    @classmethod
    def _within_count(cls, value: int, info: ValidationInfo) -> int:
        if value > info.data.get("count", MAX_COUNT):
            raise ValueError("cannot exceed the count of escalations")
        return value


class _Capacity(_Strict):
    caseload: Count
    return_not_offered: Count | None = None
    new_visits: Count = 0
    return_visits: Count = 0

    @field_validator("caseload", "return_not_offered")
    @classmethod
    def _patients(cls, value: Count | None) -> Count | None:
        return None if value is None else _count_in(value, MAX_CASELOAD)

    @field_validator("new_visits", "return_visits")
    @classmethod
    def _visits(cls, value: Count) -> Count:
        return _count_in(value, MAX_VISITS)


class _Week(_Strict):
    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    start: CarelogDate
    complete: bool = True  # version 1 files held complete weeks only
    scheduled_min: int = Field(ge=0, le=WEEK_MINUTES)
    expected_min: int = Field(ge=0, le=WEEK_MINUTES)
    target_min: int = Field(ge=0, le=WEEK_MINUTES)
    ipc_in_hours_min: int = Field(ge=0, le=WEEK_MINUTES)
    ipc_after_hours_min: int = Field(ge=0, le=WEEK_MINUTES)
    attainment: float | None = Field(default=None, ge=0, le=MAX_ATTAINMENT)
    status: Literal["met", "partly_met", "not_met", "no_target", "in_progress", "upcoming"]
    blocks: _Blocks
    # Version 2 fields; a version 1 file has none of them.
    flexible_min: int = Field(default=0, ge=0, le=WEEK_MINUTES)
    flexible: _Flexible | None = None
    days_without_break: int = Field(default=0, ge=0, le=7)
    escalations: _Escalations | None = None
    capacity: _Capacity | None = None

    @property
    def counts(self) -> bool:
        """True when this clinician-week counts toward a roll-up: over, and with a target."""
        return self.complete and self.status in ("met", "partly_met", "not_met")


class _Contract(_Strict):
    full_time_h: float = Field(default=40.0, gt=0, le=80)


class SummaryFile(_Strict):
    """A clinician's summary JSON as merge reads it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, allow_inf_nan=False)

    format: Literal["carelog-summary"]
    version: int = Field(ge=1, le=SUMMARY_VERSION)
    contributor: str = Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")
    display_name: str | None = Field(default=None, max_length=200)
    first: CarelogDate = Field(alias="from")
    last: CarelogDate = Field(alias="to")
    exported_at: str = Field(default="", max_length=40)
    contract: _Contract | None = None
    weeks: list[_Week] = Field(max_length=5_300)  # a century of weeks


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large to be a number")
    return value


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_summary(path: Path) -> SummaryFile:
    """Read and validate one summary file, naming the file in any refusal."""
    name = path.name
    raw = read_input(path, "file", MAX_SUMMARY_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant,
                          parse_float=_finite_float)
    except UnicodeDecodeError:
        raise BadInput(f"The file {name} is not a Carelog summary: it is not text.",
                       field="file") from None
    except RecursionError:
        raise BadInput(f"The file {name} is not a Carelog summary: it is nested too deeply.",
                       field="file") from None
    except json.JSONDecodeError as exc:
        what = "is cut short" if exc.pos >= len(raw.decode("utf-8-sig", "replace").rstrip()) \
            else "is not valid JSON"
        raise BadInput(f"The file {name} {what} (line {exc.lineno}, column {exc.colno}).",
                       field="file") from None
    except ValueError as exc:  # NaN, Infinity, 1e309 or an integer of thousands of digits
        raise BadInput(f"The file {name} holds a number Carelog cannot accept ({exc}).",
                       field="file") from None
    if not isinstance(data, dict) or data.get("format") != SUMMARY_FORMAT:
        fmt = data.get("format") if isinstance(data, dict) else None
        shown = f"its format is '{fmt}'" if fmt else "it has no Carelog format marker"
        raise BadInput(f"The file {name} is not a Carelog summary: {shown}.", field="file")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise BadInput(f"The file {name} has no valid summary version.", field="file")
    if version > SUMMARY_VERSION:
        raise BadInput(f"The file {name} was written by a newer Carelog (summary version "
                       f"{version}); update Carelog to merge it.", field="file")
    try:
        return SummaryFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise BadInput(f"The file {name} has a bad value at {_loc(err['loc'])}: "
                       f"{msg[0].lower()}{msg[1:]}.", field="file") from None


def _quartiles(values: list[float]) -> tuple[float, float] | None:
    if len(values) < 2:
        return None
    q = statistics.quantiles(values, n=4, method="inclusive")
    return round(q[0], 3), round(q[2], 3)


def clinic_format(out: Path) -> str:
    """The roll-up format a file name asks for: json or pdf."""
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("json", "pdf"):
        raise BadInput(f"The roll-up file must end in .json or .pdf, not '{out.name}'.",
                       field="out")
    return fmt


def shown_sentence(clinic: dict[str, Any]) -> str:
    """'3 of 5 weeks shown, the rest suppressed (fewer than 5 clinicians).'"""
    shown = sum(not w["suppressed"] for w in clinic["weeks"])
    return (f"{shown} of {len(clinic['weeks'])} weeks shown, the rest suppressed (fewer than "
            f"{clinic['min_clinicians']} clinicians with a complete week and a target).")


def merge(paths: list[Path], min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Read, validate and merge summary files into the clinic roll-up dict."""
    if not paths:
        raise BadInput("Give at least one summary file to merge.", field="file")
    return merge_files([(p, read_summary(p)) for p in paths], min_clinicians)


def dominated(parts: Sequence[float]) -> bool:
    """True when one contributor makes up more than DOMINANCE_SHARE of a positive total."""
    total = sum(parts)
    return total > 0 and max(parts) > DOMINANCE_SHARE * total


def _summed(name: str, parts: Sequence[float], withheld: list[str]) -> float | None:
    """A total over the group, or None (and its name noted) when one clinician dominates it."""
    if dominated(parts):
        withheld.append(name)
        return None
    return sum(parts)


def _order(value: Count) -> float:
    """Where a count sorts: '<11' (1 to 10) lies between 0 and 11."""
    return 5.5 if value == SUPPRESSED else float(value)


def count_median(values: Sequence[Count]) -> Count:
    """The middle clinician's count (the lower middle when even), shown as '<11' from 1 to 10.

    A count written as '<11' sorts between 0 and 11, so the median is exact whenever the
    middle clinician's own count is.
    """
    middle = sorted(values, key=_order)[(len(values) - 1) // 2]
    return SUPPRESSED if isinstance(middle, int) and 1 <= middle <= 10 else middle


def _capacity_figures(weeks: list[_Week], min_clinicians: int) -> dict[str, Any] | None:
    """Median capacity counts of a week, where at least the minimum of clinicians recorded them."""
    recorded = [w.capacity for w in weeks if w.capacity is not None]
    if len(recorded) < min_clinicians:
        return None
    not_offered = [c.return_not_offered for c in recorded if c.return_not_offered is not None]
    return {
        "clinicians": len(recorded),
        "caseload_median": count_median([c.caseload for c in recorded]),
        "return_not_offered_median": count_median(not_offered)
        if len(not_offered) >= min_clinicians else None,
        "new_visits_median": count_median([c.new_visits for c in recorded]),
        "return_visits_median": count_median([c.return_visits for c in recorded]),
    }


def _week_figures(label: str, start: str, items: list[tuple[SummaryFile, _Week]],
                  min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """The figures of one shown week, from the clinicians who contribute to it."""
    weeks = [w for _, w in items]
    attain = sorted(w.attainment for w in weeks if w.attainment is not None)
    per_fte = []
    for f, w in items:
        full = (f.contract.full_time_h if f.contract else 40.0) * 60
        per_fte.append(w.ipc_after_hours_min / (w.scheduled_min / full) if w.scheduled_min
                       else 0.0)
    withheld: list[str] = []
    after = _summed("ipc_after_hours_total_min", [w.ipc_after_hours_min for w in weeks],
                    withheld)
    after_fte = _summed("ipc_after_hours_per_fte_total_min", per_fte, withheld)
    booked = _summed("booked_over_min", [w.blocks.booked_over_min for w in weeks], withheld)
    reasons: dict[str, int | None] = {}
    for code in sorted({k for w in weeks for k in w.blocks.reasons}):
        parts = [w.blocks.reasons.get(code, 0) for w in weeks]
        count = _summed(f"reasons.{code}", parts, withheld)
        reasons[code] = None if count is None else int(count)
    met = sum(w.status == "met" for w in weeks)
    return {
        "week": label, "start": start, "suppressed": False, "clinicians": len(items),
        "attainment_median": round(statistics.median(attain), 3) if attain else None,
        "attainment_quartiles": _quartiles(attain),
        "clinician_weeks_with_target": len(weeks),
        "clinician_weeks_met": met,
        "share_met": round(met / len(weeks), 3),
        "ipc_after_hours_total_min": None if after is None else int(after),
        "ipc_after_hours_per_fte_total_min": None if after_fte is None else round(after_fte, 1),
        "ipc_after_hours_per_fte_median_min": round(statistics.median(per_fte), 1),
        "booked_over_min": None if booked is None else int(booked),
        "reasons": reasons,
        "capacity": _capacity_figures(weeks, min_clinicians),
        "withheld": withheld,
    }


def merge_files(files: list[tuple[Path, SummaryFile]],
                min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Merge already-read summaries (format carelog-clinic, version 2)."""
    if not files:
        raise BadInput("Give at least one summary file to merge.", field="file")
    if min_clinicians < 1:
        raise BadInput(f"The minimum number of clinicians must be at least 1, not "
                       f"{min_clinicians}.", field="min-clinicians")
    notes: list[str] = []
    first_seen: dict[tuple[str, str], Path] = {}
    for path, f in files:
        key = (f.contributor, f.exported_at)
        if key in first_seen:
            raise BadInput(f"The file {path.name} is the same export as "
                           f"{first_seen[key].name} (same clinician, same time); give it once.",
                           field="file")
        first_seen[key] = path
    # Newest export wins for each contributor and week.
    chosen: dict[tuple[str, str], tuple[SummaryFile, _Week, Path]] = {}
    replaced: dict[str, set[str]] = {}
    for path, f in sorted(files, key=lambda pf: pf[1].exported_at):
        for w in f.weeks:
            key = (f.contributor, w.week)
            if key in chosen:
                replaced.setdefault(f"{chosen[key][2].name} by {path.name}", set()).add(w.week)
            chosen[key] = (f, w, path)
    for what, weeks in sorted(replaced.items()):
        older, newer = what.split(" by ")
        notes.append(f"The same clinician appears in {older} and {newer}; for {len(weeks)} "
                     f"week{'s' if len(weeks) > 1 else ''} the newer export, {newer}, was used.")
    # Only a complete week with a target counts: an empty, unfinished or leave-only week of a
    # file adds nothing, so it cannot make a small group look big enough.
    by_week: dict[str, list[tuple[SummaryFile, _Week]]] = {}
    starts: dict[str, date] = {}
    for f, w, _ in chosen.values():
        starts.setdefault(w.week, w.start)
        if w.counts:
            by_week.setdefault(w.week, []).append((f, w))
    contributors = {f.contributor for items in by_week.values() for f, _ in items}
    weeks_out = []
    for label in sorted(starts):
        items = by_week.get(label, [])
        start = starts[label].isoformat()
        if len(items) < min_clinicians:
            weeks_out.append({"week": label, "start": start, "suppressed": True,
                              "clinicians": None})
            continue
        weeks_out.append(_week_figures(label, start, items, min_clinicians))
    empty = sum(f.contributor not in contributors for _, f in files)
    if empty:
        notes.append(f"{empty} of the {len(files)} files held no complete week with a target; "
                     "they count toward no week.")
    first = min(starts.values(), default=None)
    last = max(starts.values(), default=None)
    return {
        "format": CLINIC_FORMAT, "version": CLINIC_VERSION, "min_clinicians": min_clinicians,
        "dominance_share": DOMINANCE_SHARE, "files": len(files),
        "clinicians": len(contributors),
        "from": first.isoformat() if first else None,
        "to": (last + timedelta(days=6)).isoformat() if last else None,
        "weeks": weeks_out, "notes": notes,
    }


def render_clinic(clinic: dict[str, Any], fmt: str) -> bytes:
    """The roll-up as JSON or PDF bytes."""
    if fmt == "json":
        return (json.dumps(clinic, indent=1, ensure_ascii=False, allow_nan=False)
                + "\n").encode("utf-8")
    if fmt == "pdf":
        # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
        from carelog.core.exporting.pdf import clinic_pdf  # noqa: PLC0415

        return clinic_pdf(clinic)
    raise BadInput(f"The roll-up can be written as .json or .pdf, not '{fmt}'.", field="out")
