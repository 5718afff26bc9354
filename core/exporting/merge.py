"""The clinic roll-up: merge several clinicians' summary JSON files into per-week figures.

Every input is validated before anything is written. A week with fewer contributing clinicians
than the minimum (5 by default) is reported as suppressed, never as numbers.
"""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from carelog.core.domain.errors import BadInput
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SUMMARY_FORMAT = "carelog-summary"
SUMMARY_VERSION = 2  # the newest summary version merge reads (it reads every older one)
CLINIC_FORMAT = "carelog-clinic"
DEFAULT_MIN_CLINICIANS = 5


class _Blocks(BaseModel):
    model_config = ConfigDict(extra="ignore")

    booked_over_min: int = Field(ge=0)
    reasons: dict[str, int] = Field(default_factory=dict)


class _Week(BaseModel):
    model_config = ConfigDict(extra="ignore")

    week: str = Field(pattern=r"^\d{4}-W\d{2}$")
    start: date
    scheduled_min: int = Field(ge=0)
    expected_min: int = Field(ge=0)
    target_min: int = Field(ge=0)
    ipc_in_hours_min: int = Field(ge=0)
    ipc_after_hours_min: int = Field(ge=0)
    attainment: float | None = None
    complete: bool = True  # version 1 files held complete weeks only
    status: Literal["met", "partly_met", "not_met", "no_target", "in_progress", "upcoming"]
    blocks: _Blocks


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore")

    full_time_h: float = Field(default=40.0, gt=0)


class SummaryFile(BaseModel):
    """A clinician's summary JSON as merge reads it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    format: str
    version: int
    contributor: str = Field(min_length=1)
    display_name: str | None = None
    first: date = Field(alias="from")
    last: date = Field(alias="to")
    exported_at: str = ""
    contract: _Contract | None = None
    weeks: list[_Week]


def read_summary(path: Path) -> SummaryFile:
    """Read and validate one summary file, naming the file in any refusal."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"The file {path} could not be read ({exc.strerror}).",
                       field="file") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(f"The file {name} is not a Carelog summary: it is not text.",
                       field="file") from None
    except json.JSONDecodeError as exc:
        what = "is cut short" if exc.pos >= len(raw.decode("utf-8-sig", "replace").rstrip()) \
            else "is not valid JSON"
        raise BadInput(f"The file {name} {what} (line {exc.lineno}, column {exc.colno}).",
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
        loc = ".".join(str(p) for p in err["loc"])
        raise BadInput(f"The file {name} has a bad value at {loc}: {err['msg'].lower()}.",
                       field="file") from None


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
            f"{clinic['min_clinicians']} clinicians).")


def merge(paths: list[Path], min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Read, validate and merge summary files into the clinic roll-up dict."""
    if not paths:
        raise BadInput("Give at least one summary file to merge.", field="file")
    return merge_files([(p, read_summary(p)) for p in paths], min_clinicians)


def merge_files(files: list[tuple[Path, SummaryFile]],
                min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Merge already-read summaries (format carelog-clinic, version 1)."""
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
    by_week: dict[str, list[tuple[SummaryFile, _Week]]] = {}
    for f, w, _ in chosen.values():
        by_week.setdefault(w.week, []).append((f, w))
    weeks_out = []
    for label in sorted(by_week):
        items = by_week[label]
        start = items[0][1].start.isoformat()
        if len(items) < min_clinicians:
            weeks_out.append({"week": label, "start": start, "suppressed": True,
                              "clinicians": None})
            continue
        attain = sorted(w.attainment for _, w in items if w.attainment is not None)
        per_fte = []
        for f, w in items:
            full = (f.contract.full_time_h if f.contract else 40.0) * 60
            if w.scheduled_min:
                per_fte.append(w.ipc_after_hours_min / (w.scheduled_min / full))
        reasons: dict[str, int] = {}
        for _, w in items:
            for k, v in w.blocks.reasons.items():
                reasons[k] = reasons.get(k, 0) + v
        with_target = [w for _, w in items if w.status != "no_target"]
        weeks_out.append({
            "week": label, "start": start, "suppressed": False, "clinicians": len(items),
            "attainment_median": round(statistics.median(attain), 3) if attain else None,
            "attainment_quartiles": _quartiles(attain),
            "clinician_weeks_with_target": len(with_target),
            "clinician_weeks_met": sum(w.status == "met" for w in with_target),
            "share_met": round(sum(w.status == "met" for w in with_target) / len(with_target), 3)
            if with_target else None,
            "ipc_after_hours_total_min": sum(w.ipc_after_hours_min for _, w in items),
            "ipc_after_hours_per_fte_total_min": round(sum(per_fte), 1),
            "ipc_after_hours_per_fte_median_min": round(statistics.median(per_fte), 1)
            if per_fte else 0.0,
            "booked_over_min": sum(w.blocks.booked_over_min for _, w in items),
            "reasons": dict(sorted(reasons.items())),
        })
    all_weeks = [w for _, f in files for w in f.weeks]
    return {
        "format": CLINIC_FORMAT, "version": 1, "min_clinicians": min_clinicians,
        "clinicians": len({f.contributor for _, f in files}),
        "from": min((w.start for w in all_weeks), default=date.today()).isoformat(),
        "to": (max((w.start for w in all_weeks), default=date.today())
               + timedelta(days=6)).isoformat(),
        "weeks": weeks_out, "notes": notes,
    }


def render_clinic(clinic: dict[str, Any], fmt: str) -> bytes:
    """The roll-up as JSON or PDF bytes."""
    if fmt == "json":
        return (json.dumps(clinic, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "pdf":
        # The PDF module imports fpdf2 and matplotlib, which are slow to load: only for a PDF.
        from carelog.core.exporting.pdf import clinic_pdf  # noqa: PLC0415

        return clinic_pdf(clinic)
    raise BadInput(f"The roll-up can be written as .json or .pdf, not '{fmt}'.", field="out")
