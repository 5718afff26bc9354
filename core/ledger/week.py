"""The ledger's records: one per ISO week, their totals, and the summary JSON they make.

The parts a week's record holds (its blocks, flexible time, escalations, capacity, timeliness
and amendments) are in carelog.core.ledger.week_parts.

Plain typed records (carelog.core.domain.datatypes), built only by the ledger
(carelog.core.ledger.compute) or read back from the stored weeks, so a report never pays for
validation at import or at construction: data is checked where it enters (the models in
carelog.core.domain.models), not where the ledger hands on what it computed. `to_json` gives
exactly the fields of the summary JSON (DESIGN §4.2); `to_stored` and `from_stored` keep a
complete week in the database (carelog.core.store.week_records) with the detail the window
shows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from carelog.core.domain.codes import DEFAULT_PARTLY_MET_AT as DEFAULT_PARTLY_MET_AT
from carelog.core.domain.datatypes import Record, field
from carelog.core.domain.formatting import STATUS_SENTENCES, fmt_minutes, percent
from carelog.core.ledger.week_parts import (
    Amended,
    BlockOccurrence,
    BlockSummary,
    Capacity,
    CapacityTotals,
    EscalationCounts,
    Flexible,
    Recorded,
    _counts,
)

if TYPE_CHECKING:
    from carelog.core.domain.models import Escalation, Leave
    from carelog.core.domain.schedule import NamedRule

Status = Literal["no_target", "met", "partly_met", "not_met", "in_progress", "upcoming"]
Phase = Literal["complete", "in_progress", "upcoming"]
SUMMARY_VERSION = 2
STORED_VERSION = 1
"""The version of the computation a stored week was written by (carelog.core.ledger.stored).

Raise it with any change to how a week is computed: weeks stored by another version are never
read, so every week is then computed afresh once. A test fails when the functions a week's
numbers come from change and this number does not.
"""

Json = dict[str, Any]


_HEAD = ("scheduled_min", "leave_min", "expected_min", "target_min")
_MIDDLE = ("ipc_in_hours_min", "ipc_after_hours_min", "after_hours_min", "direct_min",
           "other_min", "break_min")
_SO_FAR = ("expected_so_far_min", "target_so_far_min")
_COUNTS = ("direct_sessions", "safety_events", "intake_sessions")


class WeekRecord(Record):
    """One ISO week of the ledger, with exactly the fields of the summary JSON (DESIGN §4.2).

    The fields after `capacity` are detail for the window and counts a committee export
    suppresses; they are never part of the summary JSON.
    """

    week: str
    start: date
    complete: bool = True
    scheduled_min: int = 0
    leave_min: int = 0
    expected_min: int = 0
    target_min: int = 0
    expected_so_far_min: int = 0
    target_so_far_min: int = 0
    ipc_in_hours_min: int = 0
    ipc_after_hours_min: int = 0
    after_hours_min: int = 0
    direct_min: int = 0
    other_min: int = 0
    break_min: int = 0
    attainment: float | None = None
    shortfall_min: int = 0
    status: Status = "no_target"
    by_category_min: dict[str, int] = field(default_factory=dict)
    blocks: BlockSummary = field(default_factory=BlockSummary)
    access_days: int | None = None
    recorded: Recorded = field(default_factory=Recorded)
    amended: Amended = field(default_factory=Amended)
    flexible_min: int = 0
    flexible: Flexible = field(default_factory=Flexible)
    days_without_break: int = 0
    escalations: EscalationCounts = field(default_factory=EscalationCounts)
    capacity: Capacity | None = None
    # Detail for the window; never part of the summary JSON or a committee export.
    occurrences: list[BlockOccurrence] = field(default_factory=list)
    leave_days: list[Leave] = field(default_factory=list)
    dates_without_break: list[date] = field(default_factory=list)
    escalation_records: list[Escalation] = field(default_factory=list)
    # Counts of patient-related events starting in the week (committee exports suppress 1–10).
    # Direct-care sessions that have started are the appointments held.
    direct_sessions: int = 0
    safety_events: int = 0
    intake_sessions: int = 0
    # The week's first instant and the instant after its last (UTC), in the zone it was
    # computed in.
    starts_at: int = 0
    ends_at: int = 0

    @property
    def logged_min(self) -> int:
        """Every logged minute of the week, break included."""
        return self.direct_min + self.ipc_in_hours_min + self.ipc_after_hours_min \
            + self.other_min + self.break_min

    def status_sentence(self) -> str:
        """'Protected time not met: 5 h 0 m of 7 h 30 m, 67 %' (or how the week stands so far)."""
        if self.status == "upcoming":
            return "This week has not begun; nothing is due yet."
        if self.status == "in_progress":
            return progress_sentence(self.ipc_in_hours_min, self.target_so_far_min)
        if self.status == "no_target":
            return "No protected-time target this week (no expected hours)."
        return (f"{STATUS_SENTENCES[self.status]}: {fmt_minutes(self.ipc_in_hours_min)} of "
                f"{fmt_minutes(self.target_min)}, {percent(self.attainment or 0)}")

    def to_json(self) -> Json:
        """The week as the summary JSON writes it (DESIGN §4.2), in its field order."""
        out: Json = {"week": self.week, "start": self.start.isoformat(),
                     "complete": self.complete}
        out.update((n, getattr(self, n)) for n in _HEAD + _SO_FAR + _MIDDLE)
        out.update(attainment=self.attainment, shortfall_min=self.shortfall_min,
                   status=self.status, by_category_min=dict(self.by_category_min),
                   blocks=self.blocks.to_json(), access_days=self.access_days,
                   recorded=self.recorded.to_json(), amended=self.amended.to_json(),
                   flexible_min=self.flexible_min, flexible=self.flexible.to_json(),
                   days_without_break=self.days_without_break,
                   escalations=self.escalations.to_json(),
                   capacity=None if self.capacity is None else self.capacity.to_json())
        return out

    def to_stored(self) -> Json:
        """A complete week as the database keeps it: its JSON, the counts and the detail.

        Leave days and escalation records are not kept: they are read from their own tables
        when the week is read back (an escalation's note lives only there).
        """
        out = self.to_json()
        out.update((n, getattr(self, n)) for n in _COUNTS)
        out["occurrences"] = [o.to_stored() for o in self.occurrences]
        out["dates_without_break"] = [d.isoformat() for d in self.dates_without_break]
        return out

    @classmethod
    def from_stored(cls, data: Json, starts_at: int, ends_at: int) -> WeekRecord:
        """A week read back from its stored form and span (leave days and escalations empty)."""
        def n(name: str) -> int:
            return int(data.get(name) or 0)

        capacity = data.get("capacity")
        attainment = data.get("attainment")
        access = data.get("access_days")
        return cls(
            week=str(data["week"]), start=date.fromisoformat(data["start"]),
            complete=bool(data.get("complete", True)),
            scheduled_min=n("scheduled_min"), leave_min=n("leave_min"),
            expected_min=n("expected_min"), target_min=n("target_min"),
            expected_so_far_min=n("expected_so_far_min"),
            target_so_far_min=n("target_so_far_min"), ipc_in_hours_min=n("ipc_in_hours_min"),
            ipc_after_hours_min=n("ipc_after_hours_min"), after_hours_min=n("after_hours_min"),
            direct_min=n("direct_min"), other_min=n("other_min"), break_min=n("break_min"),
            attainment=None if attainment is None else float(attainment),
            shortfall_min=n("shortfall_min"), status=data.get("status") or "no_target",
            by_category_min=_counts(data.get("by_category_min")),
            blocks=BlockSummary.from_json(data.get("blocks") or {}),
            access_days=None if access is None else int(access),
            recorded=Recorded.from_json(data.get("recorded") or {}),
            amended=Amended.from_json(data.get("amended") or {}),
            flexible_min=n("flexible_min"),
            flexible=Flexible.from_json(data.get("flexible") or {}),
            days_without_break=n("days_without_break"),
            escalations=EscalationCounts.from_json(data.get("escalations") or {}),
            capacity=None if capacity is None else Capacity.from_json(capacity),
            occurrences=[BlockOccurrence.from_stored(o) for o in data.get("occurrences") or ()],
            dates_without_break=[date.fromisoformat(d)
                                 for d in data.get("dates_without_break") or ()],
            direct_sessions=n("direct_sessions"), safety_events=n("safety_events"),
            intake_sessions=n("intake_sessions"), starts_at=starts_at, ends_at=ends_at)


class Totals(Record):
    """The minute fields summed over the weeks, attainment and status recomputed."""

    weeks: int = 0
    weeks_left_out: int = 0
    weeks_with_target: int = 0
    weeks_met: int = 0
    scheduled_min: int = 0
    leave_min: int = 0
    expected_min: int = 0
    target_min: int = 0
    ipc_in_hours_min: int = 0
    ipc_after_hours_min: int = 0
    after_hours_min: int = 0
    direct_min: int = 0
    other_min: int = 0
    break_min: int = 0
    attainment: float | None = None
    shortfall_min: int = 0
    status: Status = "no_target"
    by_category_min: dict[str, int] = field(default_factory=dict)
    blocks: BlockSummary = field(default_factory=BlockSummary)
    access_days: int | None = None
    recorded: Recorded = field(default_factory=Recorded)
    amended: Amended = field(default_factory=Amended)
    flexible_min: int = 0
    flexible: Flexible = field(default_factory=Flexible)
    days_without_break: int = 0
    escalations: EscalationCounts = field(default_factory=EscalationCounts)
    capacity: CapacityTotals | None = None

    def to_json(self) -> Json:
        """The summary JSON's `totals`, in its field order."""
        out: Json = {"weeks": self.weeks, "weeks_left_out": self.weeks_left_out,
                     "weeks_with_target": self.weeks_with_target, "weeks_met": self.weeks_met}
        out.update((n, getattr(self, n)) for n in _HEAD + _MIDDLE)
        out.update(attainment=self.attainment, shortfall_min=self.shortfall_min,
                   status=self.status, by_category_min=dict(self.by_category_min),
                   blocks=self.blocks.to_json(), access_days=self.access_days,
                   recorded=self.recorded.to_json(), amended=self.amended.to_json(),
                   flexible_min=self.flexible_min, flexible=self.flexible.to_json(),
                   days_without_break=self.days_without_break,
                   escalations=self.escalations.to_json(),
                   capacity=None if self.capacity is None else self.capacity.to_json())
        return out

    @classmethod
    def from_json(cls, data: Json) -> Totals:
        """Totals read back from their JSON, without the capacity (a committee suppresses it)."""
        def n(name: str) -> int:
            return int(data.get(name) or 0)

        attainment = data.get("attainment")
        access = data.get("access_days")
        out = cls(
            weeks=n("weeks"), weeks_left_out=n("weeks_left_out"),
            weeks_with_target=n("weeks_with_target"), weeks_met=n("weeks_met"),
            attainment=None if attainment is None else float(attainment),
            status=data.get("status") or "no_target",
            by_category_min=_counts(data.get("by_category_min")),
            blocks=BlockSummary.from_json(data.get("blocks") or {}),
            access_days=None if access is None else int(access),
            recorded=Recorded.from_json(data.get("recorded") or {}),
            amended=Amended.from_json(data.get("amended") or {}),
            flexible=Flexible.from_json(data.get("flexible") or {}),
            escalations=EscalationCounts.from_json(data.get("escalations") or {}))
        for name in _SUMMED:
            setattr(out, name, n(name))
        return out


class Ledger(Record):
    """The ledger of a period: its weeks and their totals."""

    first: date
    last: date
    weeks: list[WeekRecord]
    totals: Totals
    partly_met_at: float = DEFAULT_PARTLY_MET_AT

    def begun(self) -> Ledger:
        """The same ledger without the weeks that have not begun (totals recomputed)."""
        kept = [w for w in self.weeks if w.status != "upcoming"]
        last = kept[-1].start + timedelta(days=6) if kept else self.last
        return self.replaced(weeks=kept, last=last, totals=totals_of(kept, self.partly_met_at))


_SUMMED = ("scheduled_min", "leave_min", "expected_min", "target_min", "ipc_in_hours_min",
           "ipc_after_hours_min", "after_hours_min", "direct_min", "other_min", "break_min",
           "shortfall_min", "flexible_min", "days_without_break")


def progress_sentence(received_min: int, due_min: int) -> str:
    """'So far this week: 2 h 50 m of 3 h 0 m due by now — behind by 10 m' (or on track)."""
    if due_min <= 0:
        return f"So far this week: {fmt_minutes(received_min)} received; nothing is due yet."
    verdict = "on track" if received_min >= due_min \
        else f"behind by {fmt_minutes(due_min - received_min)}"
    return (f"So far this week: {fmt_minutes(received_min)} of {fmt_minutes(due_min)} due by "
            f"now — {verdict}")


def phase_of(week_start: int, week_end: int, now: int) -> Phase:
    """Whether a week is over, under way or still ahead at the instant now.

    The week is given by the UTC instants of its first and past-last second.
    """
    if now >= week_end:
        return "complete"
    if now >= week_start:
        return "in_progress"
    return "upcoming"


def status_of(ratio: float | None, partly_met_at: float) -> Status:
    """The status word for an attainment ratio (None when there is no target)."""
    if ratio is None:
        return "no_target"
    if ratio >= 1.0:
        return "met"
    if ratio >= partly_met_at:
        return "partly_met"
    return "not_met"


def _add_capacity(total: CapacityTotals | None, week: Capacity) -> CapacityTotals:
    """Capacity totals with one more week: its caseload is the latest, its counts are added."""
    if total is None:
        return CapacityTotals(caseload=week.caseload,
                              return_not_offered=week.return_not_offered,
                              new_visits=week.new_visits, return_visits=week.return_visits,
                              weeks=1)
    not_offered = total.return_not_offered
    if week.return_not_offered is not None:
        not_offered = (not_offered or 0) + week.return_not_offered
    return CapacityTotals(caseload=week.caseload, return_not_offered=not_offered,
                          new_visits=total.new_visits + week.new_visits,
                          return_visits=total.return_visits + week.return_visits,
                          weeks=total.weeks + 1)


def totals_of(weeks: list[WeekRecord], partly_met_at: float = DEFAULT_PARTLY_MET_AT) -> Totals:
    """Sum the minute fields of the complete weeks and recompute attainment and status.

    A week in progress or not begun is left out (and counted in weeks_left_out): totals,
    headlines and committee figures speak of finished weeks only.
    """
    done = [w for w in weeks if w.complete]
    t = Totals(weeks=len(done), weeks_left_out=len(weeks) - len(done))
    cats: Counter[str] = Counter()
    for w in done:
        for name in _SUMMED:
            setattr(t, name, getattr(t, name) + getattr(w, name))
        cats.update(w.by_category_min)
        t.blocks.add(w.blocks)
        t.flexible.add(w.flexible)
        t.escalations.add(w.escalations)
        if w.status != "no_target":
            t.weeks_with_target += 1
            t.weeks_met += w.status == "met"
        if w.access_days is not None:
            t.access_days = w.access_days
        t.recorded.add(w.recorded)
        t.amended.add(w.amended)
        if w.capacity is not None:
            t.capacity = _add_capacity(t.capacity, w.capacity)
    t.by_category_min = dict(sorted(cats.items()))
    if t.target_min > 0:
        ratio = t.ipc_in_hours_min / t.target_min
        t.attainment = round(ratio, 3)
        t.status = status_of(ratio, partly_met_at)
    return t


class WhatIf(Record):
    """The same weeks under another rule, and the name that rule is shown under."""

    named: NamedRule
    ledger: Ledger

    def to_json(self) -> Json:
        """The summary JSON's `compare`: the rule in words, the same week fields and totals."""
        rule = self.named.rule
        return {"rule": {"name": self.named.name, "description": rule.describe(),
                         **rule.model_dump(exclude_none=True)},
                "weeks": [w.to_json() for w in self.ledger.weeks],
                "totals": self.ledger.totals.to_json()}


class Summary(Record):
    """A period's ledger with who it belongs to, and a what-if when one was asked for."""

    ledger: Ledger
    contributor: str | None = None
    display_name: str | None = None
    compare: WhatIf | None = None

    def to_json(self) -> Json:
        """The summary JSON of DESIGN §4.2 (with `compare` when there is a what-if)."""
        ledger = self.ledger
        data: Json = {
            "format": "carelog-summary",
            "version": SUMMARY_VERSION,
            "contributor": self.contributor,
            "display_name": self.display_name,
            "from": ledger.first.isoformat(),
            "to": ledger.last.isoformat(),
            "weeks": [w.to_json() for w in ledger.weeks],
            "totals": ledger.totals.to_json(),
        }
        if self.compare is not None:
            data["compare"] = self.compare.to_json()
        return data
