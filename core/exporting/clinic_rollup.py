"""The clinic roll-up as typed records, for the PDF, the headline and the window's table.

The merge (carelog.core.exporting.merge) gives the roll-up as the dict its JSON is written
from (DESIGN §4.3); `ClinicRollup.of` reads that dict once, where the roll-up is shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carelog.core.domain.datatypes import Record, field

Count = int | str
"""A median count as the roll-up shows it: the number, or '<11' from 1 to 10."""


def _count(value: Any) -> Count | None:
    if value is None or isinstance(value, str):
        return value
    return int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


class ClinicCapacity(Record):
    """The middle clinician's capacity counts of a week, over those who recorded them."""

    clinicians: int
    caseload_median: Count | None
    return_not_offered_median: Count | None
    new_visits_median: Count | None
    return_visits_median: Count | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> ClinicCapacity:
        """The counts from the roll-up's `capacity` of a week."""
        return cls(int(data["clinicians"]), _count(data.get("caseload_median")),
                   _count(data.get("return_not_offered_median")),
                   _count(data.get("new_visits_median")),
                   _count(data.get("return_visits_median")))


class ClinicWeek(Record):
    """One week of the roll-up: its figures, or only that it is suppressed.

    A total one clinician made up most of is withheld (None), as is such a reason's count.
    """

    week: str
    start: date
    suppressed: bool
    clinicians: int | None = None
    attainment_median: float | None = None
    attainment_quartiles: tuple[float, float] | None = None
    clinician_weeks_with_target: int = 0
    clinician_weeks_met: int = 0
    ipc_after_hours_total_min: int | None = None
    ipc_after_hours_per_fte_total_min: float | None = None
    ipc_after_hours_per_fte_median_min: float = 0.0
    booked_over_min: int | None = None
    reasons: dict[str, int | None] = field(default_factory=dict)
    capacity: ClinicCapacity | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> ClinicWeek:
        """The week from the roll-up's dict."""
        week, start = str(data["week"]), date.fromisoformat(data["start"])
        if data.get("suppressed"):
            return cls(week, start, True)
        quartiles = data.get("attainment_quartiles")
        after = data.get("ipc_after_hours_total_min")
        booked = data.get("booked_over_min")
        capacity = data.get("capacity")
        return cls(
            week, start, False, clinicians=int(data["clinicians"]),
            attainment_median=_float(data.get("attainment_median")),
            attainment_quartiles=None if quartiles is None
            else (float(quartiles[0]), float(quartiles[1])),
            clinician_weeks_with_target=int(data.get("clinician_weeks_with_target") or 0),
            clinician_weeks_met=int(data.get("clinician_weeks_met") or 0),
            ipc_after_hours_total_min=None if after is None else int(after),
            ipc_after_hours_per_fte_total_min=_float(
                data.get("ipc_after_hours_per_fte_total_min")),
            ipc_after_hours_per_fte_median_min=float(
                data.get("ipc_after_hours_per_fte_median_min") or 0),
            booked_over_min=None if booked is None else int(booked),
            reasons={str(k): None if v is None else int(v)
                     for k, v in (data.get("reasons") or {}).items()},
            capacity=None if not capacity else ClinicCapacity.of(capacity))


class ClinicRollup(Record):
    """The clinic roll-up: per-week figures where enough clinicians contribute."""

    min_clinicians: int
    clinicians: int
    first: date | None
    last: date | None
    weeks: list[ClinicWeek]
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[ClinicWeek]:
        """The weeks that show figures (not suppressed)."""
        return [w for w in self.weeks if not w.suppressed]

    @classmethod
    def of(cls, clinic: dict[str, Any]) -> ClinicRollup:
        """The roll-up from the dict the merge gives (and its JSON holds)."""
        first, last = clinic.get("from"), clinic.get("to")
        return cls(int(clinic["min_clinicians"]), int(clinic["clinicians"]),
                   None if first is None else date.fromisoformat(first),
                   None if last is None else date.fromisoformat(last),
                   [ClinicWeek.of(w) for w in clinic["weeks"]],
                   [str(n) for n in clinic.get("notes") or ()])
