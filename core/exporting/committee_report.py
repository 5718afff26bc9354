"""The committee report as typed records: the ledger's weeks with what a committee may see.

A committee report is the ledger of a period (its week records and totals, untouched) with the
counts about patients suppressed (1 to 10 shown as "<11", a total that would give a week back
withheld), each week's seal once it is sealed, and what a reader needs to read it. The CSV, the
PDFs and the window's preview read these records; the committee JSON is written from them by
`CommitteeReport.to_json`, and `CommitteeReport.from_json` reads such a file back.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from carelog.core.domain.datatypes import Record, field
from carelog.core.ledger.week import SUMMARY_VERSION, Json, Totals, WeekRecord
from carelog.core.ledger.week_parts import BlockOccurrence, Capacity

if TYPE_CHECKING:
    from carelog.core.domain.schedule import TargetRule

Shown = int | str
"""A count as a committee may see it: the number, '<11', or 'withheld' for a total."""

SUPPRESSED = "<11"
WITHHELD = "withheld"
CAPACITY_COUNTS = ("caseload", "return_not_offered", "new_visits", "return_visits")


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


def _shown(value: Any) -> Shown | None:
    """A count read back from a committee JSON: a number, a suppressed mark, or None."""
    if value is None or isinstance(value, str):
        return value
    return int(value)


class ShownCapacity(Record):
    """Capacity counts as a committee sees them; `weeks` (how many recorded it) for totals."""

    caseload: Shown | None
    return_not_offered: Shown | None
    new_visits: Shown | None
    return_visits: Shown | None
    weeks: int | None = None

    def to_json(self) -> Json:
        """The committee JSON's `capacity` of a week, or of the totals (with `weeks` first)."""
        counts: Json = {"caseload": self.caseload,
                        "return_not_offered": self.return_not_offered,
                        "new_visits": self.new_visits, "return_visits": self.return_visits}
        return counts if self.weeks is None else {"weeks": self.weeks, **counts}

    @classmethod
    def from_json(cls, data: Json) -> ShownCapacity:
        """The counts read back from a committee JSON."""
        weeks = data.get("weeks")
        return cls(caseload=_shown(data.get("caseload")),
                   return_not_offered=_shown(data.get("return_not_offered")),
                   new_visits=_shown(data.get("new_visits")),
                   return_visits=_shown(data.get("return_visits")),
                   weeks=None if weeks is None else int(weeks))


def suppressed_capacity(capacity: Capacity | None) -> ShownCapacity | None:
    """A week's capacity counts as a committee may see them: each from 1 to 10 as '<11'."""
    if capacity is None:
        return None
    not_offered = capacity.return_not_offered
    return ShownCapacity(suppress(capacity.caseload),
                         None if not_offered is None else suppress(not_offered),
                         suppress(capacity.new_visits), suppress(capacity.return_visits))


def suppressed_capacity_totals(weeks: list[WeekRecord]) -> ShownCapacity | None:
    """Capacity totals over the weeks that recorded it, with complementary suppression.

    The caseload is the latest week's (shown by the same rule as a week); each summed count is
    withheld when any of its weeks is shown as '<11', so no week can be recovered by
    subtraction.
    """
    recorded = [w.capacity for w in weeks if w.capacity is not None]
    if not recorded:
        return None
    not_offered = [c.return_not_offered for c in recorded if c.return_not_offered is not None]
    return ShownCapacity(suppress(recorded[-1].caseload),
                         suppress_total(not_offered) if not_offered else None,
                         suppress_total([c.new_visits for c in recorded]),
                         suppress_total([c.return_visits for c in recorded]),
                         weeks=len(recorded))


class ToldEscalation(Record):
    """What a workload report shows of an escalation: never its note.

    `day` is set for an escalation about a whole day (not about one block).
    """

    told_at: str
    to: str
    how: str
    asked: str
    response: str
    resolved: bool
    day: date | None = None


class LostBlock(Record):
    """A protected block that lost minutes, and the escalations made about it."""

    occurrence: BlockOccurrence
    escalations: list[ToldEscalation] = field(default_factory=list)


class CommitteeWeek(Record):
    """One week of a committee report: the ledger's record and what a committee may see of it.

    The lost blocks and the escalations about whole days are filled for a workload report.
    """

    record: WeekRecord
    direct_sessions: Shown
    safety_events: Shown
    capacity: ShownCapacity | None = None
    seal: str | None = None
    lost_blocks: list[LostBlock] = field(default_factory=list)
    day_escalations: list[ToldEscalation] = field(default_factory=list)

    @classmethod
    def of(cls, record: WeekRecord) -> CommitteeWeek:
        """The week with its counts about patients suppressed."""
        return cls(record, suppress(record.direct_sessions), suppress(record.safety_events),
                   suppressed_capacity(record.capacity))

    def to_json(self, sealed: bool) -> Json:
        """The week as the committee JSON writes it (with its `seal` once the report is sealed)."""
        out = self.record.to_json()
        out["capacity"] = None if self.capacity is None else self.capacity.to_json()
        out["direct_sessions"] = self.direct_sessions
        out["safety_events"] = self.safety_events
        if sealed:
            out["seal"] = self.seal
        return out

    @classmethod
    def from_json(cls, data: Json) -> CommitteeWeek:
        """A week read back from a committee JSON."""
        kept = {k: v for k, v in data.items()
                if k not in ("capacity", "direct_sessions", "safety_events")}
        capacity = data.get("capacity")
        seal = data.get("seal")
        return cls(WeekRecord.from_stored(kept, 0, 0),
                   _shown(data.get("direct_sessions")) or 0,
                   _shown(data.get("safety_events")) or 0,
                   None if capacity is None else ShownCapacity.from_json(capacity),
                   None if seal is None else str(seal))


class CommitteeTotals(Record):
    """The totals of the weeks that are over, and what a committee may see of their counts."""

    figures: Totals
    direct_sessions: Shown
    safety_events: Shown
    capacity: ShownCapacity | None = None

    @classmethod
    def of(cls, totals: Totals, done: list[WeekRecord]) -> CommitteeTotals:
        """The totals with their counts suppressed over the complete weeks `done`."""
        return cls(totals, suppress_total([r.direct_sessions for r in done]),
                   suppress_total([r.safety_events for r in done]),
                   suppressed_capacity_totals(done))

    def to_json(self) -> Json:
        """The committee JSON's `totals`."""
        out = self.figures.to_json()
        out["capacity"] = None if self.capacity is None else self.capacity.to_json()
        out["direct_sessions"] = self.direct_sessions
        out["safety_events"] = self.safety_events
        return out

    @classmethod
    def from_json(cls, data: Json) -> CommitteeTotals:
        """The totals read back from a committee JSON."""
        capacity = data.get("capacity")
        return cls(Totals.from_json(data), _shown(data.get("direct_sessions")) or 0,
                   _shown(data.get("safety_events")) or 0,
                   None if capacity is None else ShownCapacity.from_json(capacity))


class CommitteeReport(Record):
    """A committee report of a period: weekly aggregates only, with what a reader needs.

    `sealed` is set once the weeks' seals are in (carelog.core.exporting.record.add_seals);
    `meal_break_min` only for a workload report.
    """

    first: date
    last: date
    contributor: str
    display_name: str | None
    weeks: list[CommitteeWeek]
    totals: CommitteeTotals
    exported_at: str
    timezone: str
    contract: TargetRule | None
    timeliness: str
    amendments: str | None
    verification: str
    privacy: str
    title: str | None = None
    sealed: bool = False
    meal_break_min: int | None = None

    def same_as(self, other: CommitteeReport) -> bool:
        """Whether the two reports would write the same file but for when they were made."""
        return self.replaced(exported_at="").to_json() == \
            other.replaced(exported_at="").to_json()

    def to_json(self) -> Json:
        """The committee JSON: the summary JSON of DESIGN §4.2 and what a committee needs."""
        contract = self.contract
        out: Json = {
            "format": "carelog-summary", "version": SUMMARY_VERSION,
            "contributor": self.contributor, "display_name": self.display_name,
            "from": self.first.isoformat(), "to": self.last.isoformat(),
            "weeks": [w.to_json(self.sealed) for w in self.weeks],
            "totals": self.totals.to_json(), "exported_at": self.exported_at,
            "timezone": self.timezone,
            "contract": None if contract is None else {
                **contract.model_dump(exclude_none=True), "description": contract.describe()},
            "timeliness": self.timeliness, "amendments": self.amendments,
            "verification": self.verification, "privacy": self.privacy}
        if self.title is not None:
            out["title"] = self.title
        if self.meal_break_min is not None:
            out["report"] = "workload"
            out["meal_break_min"] = self.meal_break_min
        return out

    @classmethod
    def from_json(cls, data: Json) -> CommitteeReport:
        """A committee JSON read back (fields it lacks are empty)."""
        # The contract's model loads pydantic, which writing a report never needs.
        from carelog.core.domain.schedule import TargetRule  # noqa: PLC0415

        contract = data.get("contract")
        weeks = [CommitteeWeek.from_json(w) for w in data.get("weeks") or ()]
        first = data.get("from") or (weeks[0].record.start.isoformat() if weeks else None)
        last = data.get("to") or first
        amendments = data.get("amendments")
        title = data.get("title")
        meal = data.get("meal_break_min")
        return cls(
            first=date.fromisoformat(str(first)), last=date.fromisoformat(str(last)),
            contributor=str(data.get("contributor") or ""),
            display_name=data.get("display_name") or None, weeks=weeks,
            totals=CommitteeTotals.from_json(data.get("totals") or {}),
            exported_at=str(data.get("exported_at") or ""),
            timezone=str(data.get("timezone") or ""),
            contract=None if not contract else TargetRule.model_validate(
                {k: v for k, v in contract.items() if k != "description"}),
            timeliness=str(data.get("timeliness") or ""),
            amendments=None if amendments is None else str(amendments),
            verification=str(data.get("verification") or ""),
            privacy=str(data.get("privacy") or ""),
            title=None if title is None else str(title),
            sealed=any("seal" in w for w in data.get("weeks") or ()),
            meal_break_min=None if meal is None else int(meal))
