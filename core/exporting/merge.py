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

import contextlib
import gc
import itertools
import json
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from carelog.core.domain.errors import BadInput
from carelog.core.exporting.merge_read import (
    SUPPRESSED,
    Count,
    FileWeeks,
    Part,
    file_weeks,
    read_all,
)

# The window reads files one by one with these, and lists who each is from.
from carelog.core.exporting.merge_read import SummaryFile as SummaryFile
from carelog.core.exporting.merge_read import read_summary as read_summary

CLINIC_FORMAT = "carelog-clinic"
CLINIC_VERSION = 2
DEFAULT_MIN_CLINICIANS = 5
DOMINANCE_SHARE = 0.8  # a total one clinician makes up more of than this is withheld


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
    if shown == len(clinic["weeks"]):
        return f"{shown} of {shown} weeks shown."
    return (f"{shown} of {len(clinic['weeks'])} weeks shown, the rest suppressed (fewer than "
            f"{clinic['min_clinicians']} clinicians with a complete week and a target).")


def merge(paths: list[Path], min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Read, validate and merge summary files into the clinic roll-up dict.

    The files are read one at a time and each is folded into the roll-up before the next is
    read, so the merge holds a few numbers per clinician-week, never every file at once.
    """
    if not paths:
        raise BadInput("Give at least one summary file to merge.", field="file")
    roll = RollUp()
    with _no_cycle_collection():
        for weeks in read_all(paths):
            roll.add_weeks(weeks)
    return roll.result(min_clinicians)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while thousands of files are read.

    Each file makes and drops thousands of objects that reference counting frees at once; the
    collector, run every few hundred of them, would also walk the roll-up's growing contents
    each time, for nothing (nothing here forms a cycle). It runs again afterwards as before.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


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


class _Kept:
    """One week of a clinician who gave more than one export (or a week twice in one file).

    `at` is where the week first comes, (file, position) in the oldest export holding it (the
    week's place among the others); `seen` every (exported_at, file, position) holding it, kept
    only once a second export holds it too.
    """

    __slots__ = ("at", "day", "label", "part", "seen")

    def __init__(self, label: str, day: int, part: Part, at: tuple[int, int]) -> None:
        self.label = label
        self.day = day
        self.part = part
        self.at = at
        self.seen: list[tuple[str, int, int]] | None = None


Placed = tuple[str, int, Part]
"""A week in its place among the roll-up's weeks: its label, its first day's number, its numbers."""


class RollUp:
    """A clinic roll-up being built, one validated summary file at a time.

    Each file's weeks are kept as a few numbers per week as the file is added, and the file
    itself is let go; when a clinician's week comes in more than one export, the newest
    export's is used (its place among the weeks stays the one the oldest export gave it, as
    when all files were read at once and taken oldest first). `result` makes the figures.
    """

    def __init__(self) -> None:
        self.files: list[FileWeeks] = []
        self.first_seen: dict[tuple[str, str], int] = {}
        self.duplicate: BadInput | None = None
        self.exports: dict[str, list[int]] = {}  # each clinician's files, duplicates left out

    def add(self, path: Path, f: SummaryFile) -> None:
        """Fold one validated file into the roll-up."""
        self.add_weeks(file_weeks(path.name, f))

    def add_weeks(self, f: FileWeeks) -> None:
        """Fold the weeks kept of one file into the roll-up."""
        index = len(self.files)
        self.files.append(f)
        key = (f.contributor, f.exported_at)
        if key in self.first_seen:
            if self.duplicate is None:
                first = self.files[self.first_seen[key]].name
                self.duplicate = BadInput(
                    f"The file {f.name} is the same export as {first} (same clinician, "
                    "same time); give it once.", field="file")
            return
        self.first_seen[key] = index
        self.exports.setdefault(f.contributor, []).append(index)

    def _kept(self, files: list[int]) -> list[_Kept]:
        """The weeks of one clinician's exports, each once: the newest export's numbers."""
        weeks: dict[str, _Kept] = {}
        for index in files:
            f = self.files[index]
            for position, row in enumerate(zip(f.labels, f.days, f.parts, strict=True)):
                label, day, part = row
                kept = weeks.get(label)
                if kept is None:
                    weeks[label] = _Kept(label, day, part, (index, position))
                    continue
                if kept.seen is None:
                    kept.seen = [(self.files[kept.at[0]].exported_at, *kept.at)]
                seen = (f.exported_at, index, position)
                if seen > max(kept.seen):
                    kept.day, kept.part = day, part
                if seen < min(kept.seen):
                    kept.at = (index, position)
                kept.seen.append(seen)
        return list(weeks.values())

    def _placed(self) -> tuple[list[tuple[str, list[Placed]]], list[str]]:
        """Each file's contributor and the weeks placed at it, oldest export first; the notes.

        A clinician with one export (the usual case) keeps that file's weeks as they are.
        """
        at_file: dict[int, list[Placed]] = {}
        replaced: dict[str, set[str]] = {}
        for files in self.exports.values():
            first = self.files[files[0]]
            if len(files) == 1 and len(set(first.labels)) == len(first.labels):
                at_file[files[0]] = list(zip(first.labels, first.days, first.parts,
                                             strict=True))
                continue
            spots: dict[int, list[tuple[int, Placed]]] = {}
            for kept in self._kept(files):
                spots.setdefault(kept.at[0], []).append((kept.at[1],
                                                         (kept.label, kept.day, kept.part)))
                if kept.seen is not None:
                    for a, b in itertools.pairwise(sorted(kept.seen)):
                        pair = f"{self.files[a[1]].name} by {self.files[b[1]].name}"
                        replaced.setdefault(pair, set()).add(kept.label)
            for index, spot in spots.items():
                at_file[index] = [week for _, week in sorted(spot, key=lambda s: s[0])]
        order = sorted(range(len(self.files)), key=lambda i: (self.files[i].exported_at, i))
        placed = [(self.files[i].contributor, at_file[i]) for i in order if i in at_file]
        notes = []
        for what, weeks in sorted(replaced.items()):
            older, newer = what.split(" by ")
            notes.append(f"The same clinician appears in {older} and {newer}; for {len(weeks)} "
                         f"week{'s' if len(weeks) > 1 else ''} the newer export, {newer}, was "
                         "used.")
        return placed, notes

    def result(self, min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
        """The clinic roll-up (format carelog-clinic, version 2) of the files added."""
        if not self.files:
            raise BadInput("Give at least one summary file to merge.", field="file")
        if min_clinicians < 1:
            raise BadInput(f"The minimum number of clinicians must be at least 1, not "
                           f"{min_clinicians}.", field="min-clinicians")
        if self.duplicate is not None:
            raise self.duplicate
        # The weeks in the order the first export of each gave them, as when every file was
        # read at once (sums of fractions depend on their order).
        placed, notes = self._placed()
        # Only a complete week with a target counts: an empty, unfinished or leave-only week of
        # a file adds nothing, so it cannot make a small group look big enough.
        by_week: dict[str, list[Part]] = {}
        days: dict[str, int] = {}
        contributors: set[str] = set()
        for contributor, weeks in placed:
            for label, day, part in weeks:
                days.setdefault(label, day)
                if part.counts:
                    by_week.setdefault(label, []).append(part)
                    contributors.add(contributor)
        weeks_out = []
        for label in sorted(days):
            parts = by_week.get(label, [])
            start = date.fromordinal(days[label]).isoformat()
            if len(parts) < min_clinicians:
                weeks_out.append(asdict(SuppressedWeek(label, start)))
                continue
            weeks_out.append(asdict(_week_figures(label, start, parts, min_clinicians)))
        files = len(self.files)
        empty = sum(f.contributor not in contributors for f in self.files)
        if empty:
            notes.append(f"{empty} of the {files} files held no complete week with a target; "
                         "they count toward no week.")
        first = date.fromordinal(min(days.values())) if days else None
        last = date.fromordinal(max(days.values())) if days else None
        return {
            "format": CLINIC_FORMAT, "version": CLINIC_VERSION, "min_clinicians": min_clinicians,
            "dominance_share": DOMINANCE_SHARE, "files": files,
            "clinicians": len(contributors),
            "from": first.isoformat() if first else None,
            "to": (last + timedelta(days=6)).isoformat() if last else None,
            "weeks": weeks_out, "notes": notes,
        }


@dataclass(frozen=True, slots=True)
class CapacityFigures:
    """Median capacity counts of a week, where enough clinicians recorded them."""

    clinicians: int
    caseload_median: Count
    return_not_offered_median: Count | None
    new_visits_median: Count
    return_visits_median: Count


@dataclass(frozen=True, slots=True)
class SuppressedWeek:
    """A week too few clinicians contribute to: no figures, not even how many."""

    week: str
    start: str
    suppressed: Literal[True] = True
    clinicians: None = None


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """The figures of one shown week (in the roll-up's order of keys).

    A total is None where one clinician makes up most of it, and its name is in `withheld`.
    """

    week: str
    start: str
    suppressed: Literal[False]
    clinicians: int
    attainment_median: float | None
    attainment_quartiles: tuple[float, float] | None
    clinician_weeks_with_target: int
    clinician_weeks_met: int
    share_met: float
    ipc_after_hours_total_min: int | None
    ipc_after_hours_per_fte_total_min: float | None
    ipc_after_hours_per_fte_median_min: float
    booked_over_min: int | None
    reasons: dict[str, int | None]
    capacity: CapacityFigures | None
    withheld: list[str]


def _capacity_figures(parts: list[Part], min_clinicians: int) -> CapacityFigures | None:
    """Median capacity counts of a week, where at least the minimum of clinicians recorded them."""
    recorded = [p.capacity for p in parts if p.capacity is not None]
    if len(recorded) < min_clinicians:
        return None
    not_offered = [c[1] for c in recorded if c[1] is not None]
    return CapacityFigures(
        clinicians=len(recorded),
        caseload_median=count_median([c[0] for c in recorded]),
        return_not_offered_median=count_median(not_offered)
        if len(not_offered) >= min_clinicians else None,
        new_visits_median=count_median([c[2] for c in recorded]),
        return_visits_median=count_median([c[3] for c in recorded]),
    )


def _week_figures(label: str, start: str, parts: list[Part],
                  min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> WeekFigures:
    """The figures of one shown week, from the clinicians who contribute to it."""
    # Each number's column, in the clinicians' order, taken in one pass (parts is not empty).
    _, attainments, mets, afters, per_fte, booked_over, blocked_for, _ = zip(*parts, strict=True)
    attain = sorted(a for a in attainments if a is not None)
    withheld: list[str] = []
    after = _summed("ipc_after_hours_total_min", afters, withheld)
    after_fte = _summed("ipc_after_hours_per_fte_total_min", per_fte, withheld)
    booked = _summed("booked_over_min", booked_over, withheld)
    reasons: dict[str, int | None] = {}
    # Weeks without block reasons add nothing to any reason's total nor its largest share.
    counted = [dict(r) for r in blocked_for if r]
    for code in sorted({k for r in counted for k in r}):
        count = _summed(f"reasons.{code}", [r.get(code, 0) for r in counted], withheld)
        reasons[code] = None if count is None else int(count)
    met = sum(mets)
    return WeekFigures(
        week=label, start=start, suppressed=False, clinicians=len(parts),
        attainment_median=round(statistics.median(attain), 3) if attain else None,
        attainment_quartiles=_quartiles(attain),
        clinician_weeks_with_target=len(parts),
        clinician_weeks_met=met,
        share_met=round(met / len(parts), 3),
        ipc_after_hours_total_min=None if after is None else int(after),
        ipc_after_hours_per_fte_total_min=None if after_fte is None else round(after_fte, 1),
        ipc_after_hours_per_fte_median_min=round(statistics.median(per_fte), 1),
        booked_over_min=None if booked is None else int(booked),
        reasons=reasons,
        capacity=_capacity_figures(parts, min_clinicians),
        withheld=withheld,
    )


def merge_files(files: list[tuple[Path, SummaryFile]],
                min_clinicians: int = DEFAULT_MIN_CLINICIANS) -> dict[str, Any]:
    """Merge already-read summaries (format carelog-clinic, version 2)."""
    roll = RollUp()
    for path, f in files:
        roll.add(path, f)
    return roll.result(min_clinicians)


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
