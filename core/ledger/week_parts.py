"""The parts of a week's record: its blocks, flexible time, escalations, capacity, timeliness.

Plain typed records like the week's own (carelog.core.ledger.week), each with the JSON it
gives in the summary (DESIGN §4.2) and, where the window needs more, what a stored week keeps.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Self

from carelog.core.domain.codes import ErosionReason
from carelog.core.domain.datatypes import Record, field

if TYPE_CHECKING:
    pass

Json = dict[str, Any]


def _ints(data: Json, names: tuple[str, ...]) -> dict[str, int]:
    return {n: int(data.get(n) or 0) for n in names}


def _counts(data: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in (data or {}).items()}


def _add_up(into: Record, other: Record, names: tuple[str, ...]) -> None:
    """Add other's named counts into into's."""
    for n in names:
        setattr(into, n, getattr(into, n) + getattr(other, n))


class _Counts(Record):
    """Whole numbers added up week by week; the JSON holds each under its name, in order."""

    _FIELDS: ClassVar[tuple[str, ...]] = ()

    def add(self, other: Self) -> None:
        """Add another week's numbers into these."""
        _add_up(self, other, self._FIELDS)

    def to_json(self) -> Json:
        """The numbers as the summary JSON writes them."""
        return {n: getattr(self, n) for n in self._FIELDS}

    @classmethod
    def from_json(cls, data: Json) -> Self:
        """The numbers read back from their JSON (missing ones are 0)."""
        return cls(**_ints(data, cls._FIELDS))


def _merged(mine: dict[str, int], theirs: dict[str, int]) -> dict[str, int]:
    """Two counts by reason added together, in the order of the reasons' codes."""
    merged = Counter(mine)
    merged.update(theirs)
    return dict(sorted(merged.items()))


class BlockSummary(Record):
    """What happened to the protected blocks of a week, in minutes and counts."""

    count: int = 0
    scheduled_min: int = 0
    honored_min: int = 0
    booked_over_min: int = 0
    diverted_min: int = 0
    break_min: int = 0
    unlogged_min: int = 0
    upcoming_min: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    escalated: int = 0

    _MINUTES = ("count", "scheduled_min", "honored_min", "booked_over_min", "diverted_min",
                "break_min", "unlogged_min", "upcoming_min", "escalated")

    def add(self, other: BlockSummary) -> None:
        """Add another summary into this one."""
        _add_up(self, other, self._MINUTES)
        self.reasons = _merged(self.reasons, other.reasons)

    def to_json(self) -> Json:
        """The summary JSON's `blocks`."""
        return {"count": self.count, "scheduled_min": self.scheduled_min,
                "honored_min": self.honored_min, "booked_over_min": self.booked_over_min,
                "diverted_min": self.diverted_min, "break_min": self.break_min,
                "unlogged_min": self.unlogged_min, "upcoming_min": self.upcoming_min,
                "reasons": dict(self.reasons), "escalated": self.escalated}

    @classmethod
    def from_json(cls, data: Json) -> BlockSummary:
        """The summary read back from its JSON."""
        return cls(**_ints(data, cls._MINUTES), reasons=_counts(data.get("reasons")))


class Flexible(_Counts):
    """Where the flexible (unprotected) part of a `floor` rule went, in minutes.

    The parts add up to what was due: the whole week's flexible minutes, or for a week under
    way the part due by now (`so_far_min`). Indirect patient care in paid hours beyond the
    protected target fills it first (`ipc_min`); the rest was displaced, shared out between the
    direct care and the other work done in paid hours in proportion to their minutes, and what
    those cannot account for is `unlogged_min`.
    """

    so_far_min: int = 0
    ipc_min: int = 0
    direct_min: int = 0
    other_min: int = 0
    unlogged_min: int = 0

    _FIELDS = ("so_far_min", "ipc_min", "direct_min", "other_min", "unlogged_min")

    @property
    def displaced_min(self) -> int:
        """Flexible minutes that did not go to indirect patient care."""
        return self.direct_min + self.other_min + self.unlogged_min


class EscalationCounts(_Counts):
    """How many escalations a week's blocks and days had, were answered, were resolved."""

    count: int = 0
    responded: int = 0
    resolved: int = 0

    _FIELDS = ("count", "responded", "resolved")


class Capacity(Record):
    """A week's capacity counts: the latest caseload, returns not offered, new and return visits.

    `new_visits` are the intakes held that week and `return_visits` the other direct-care
    appointments held; `return_not_offered` adds up the week's dates (None when none counted
    it). Committee exports show each count from 1 to 10 as "<11".
    """

    caseload: int
    return_not_offered: int | None = None
    new_visits: int = 0
    return_visits: int = 0

    def to_json(self) -> Json:
        """The summary JSON's `capacity`."""
        return {"caseload": self.caseload, "return_not_offered": self.return_not_offered,
                "new_visits": self.new_visits, "return_visits": self.return_visits}

    @classmethod
    def from_json(cls, data: Json) -> Capacity:
        """The counts read back from their JSON."""
        not_offered = data.get("return_not_offered")
        return cls(caseload=int(data["caseload"]),
                   return_not_offered=None if not_offered is None else int(not_offered),
                   new_visits=int(data.get("new_visits") or 0),
                   return_visits=int(data.get("return_visits") or 0))


class CapacityTotals(Capacity):
    """Capacity over the weeks that recorded it: the latest caseload, the counts summed."""

    weeks: int = 0

    def to_json(self) -> Json:
        """The totals' `capacity`: a week's fields and how many weeks recorded them."""
        return {"caseload": self.caseload, "return_not_offered": self.return_not_offered,
                "new_visits": self.new_visits, "return_visits": self.return_visits,
                "weeks": self.weeks}


class BlockOccurrence(Record, frozen=True):
    """One protected block on one date, split by what overlapped it."""

    day: date
    start_minute: int
    end_minute: int
    label: str
    honored_min: int
    booked_over_min: int
    diverted_min: int
    break_min: int
    unlogged_min: int
    upcoming_min: int = 0
    reason: ErosionReason | None = None
    escalated: bool = False

    @property
    def scheduled_min(self) -> int:
        """Length of the block in minutes."""
        return (self.honored_min + self.booked_over_min + self.diverted_min + self.break_min
                + self.unlogged_min + self.upcoming_min)

    @property
    def outcome(self) -> str:
        """The block's fate in words, e.g. 'honored' or 'booked over 60 m'."""
        parts = [(self.honored_min, "honored"), (self.booked_over_min, "booked over"),
                 (self.diverted_min, "diverted"), (self.break_min, "break"),
                 (self.unlogged_min, "unlogged"), (self.upcoming_min, "upcoming")]
        present = [(m, w) for m, w in parts if m]
        if len(present) == 1:
            return present[0][1]
        return ", ".join(f"{w} {m} m" for m, w in present)

    def to_stored(self) -> list[Any]:
        """The occurrence as a stored week keeps it (a short list, in field order)."""
        return [self.day.isoformat(), self.start_minute, self.end_minute, self.label,
                self.honored_min, self.booked_over_min, self.diverted_min, self.break_min,
                self.unlogged_min, self.upcoming_min,
                None if self.reason is None else self.reason.value, self.escalated]

    @classmethod
    def from_stored(cls, row: list[Any]) -> BlockOccurrence:
        """The occurrence read back from a stored week."""
        reason = row[10]
        return cls(date.fromisoformat(row[0]), int(row[1]), int(row[2]), str(row[3]),
                   int(row[4]), int(row[5]), int(row[6]), int(row[7]), int(row[8]),
                   int(row[9]), None if reason is None else ErosionReason(reason),
                   bool(row[11]))


class Recorded(_Counts):
    """A week's logged minutes by when they were recorded."""

    same_day_min: int = 0
    within_7_days_min: int = 0
    later_min: int = 0

    _FIELDS = ("same_day_min", "within_7_days_min", "later_min")

    @property
    def total(self) -> int:
        """Every minute counted."""
        return self.same_day_min + self.within_7_days_min + self.later_min


class Amended(Record):
    """What changed in a week after it was sealed: entries, minutes, and the reasons' counts."""

    entries: int = 0
    minutes: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, other: Amended) -> None:
        """Add another week's amendments into these."""
        self.entries += other.entries
        self.minutes += other.minutes
        self.reasons = _merged(self.reasons, other.reasons)

    def to_json(self) -> Json:
        """The summary JSON's `amended`."""
        return {"entries": self.entries, "minutes": self.minutes, "reasons": dict(self.reasons)}

    @classmethod
    def from_json(cls, data: Json) -> Amended:
        """The amendments read back from their JSON (missing ones are 0)."""
        return cls(**_ints(data, ("entries", "minutes")), reasons=_counts(data.get("reasons")))


def timeliness_shares(recorded: Recorded) -> tuple[int, int, int] | None:
    """The three classes as whole percentages that add up to 100 (largest remainder)."""
    total = recorded.total
    if total == 0:
        return None
    parts = [recorded.same_day_min, recorded.within_7_days_min, recorded.later_min]
    exact = [100 * p / total for p in parts]
    shares = [int(x) for x in exact]
    order = sorted(range(3), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[:100 - sum(shares)]:
        shares[i] += 1
    return shares[0], shares[1], shares[2]


def timeliness_sentence(recorded: Recorded) -> str:
    """'94 % of logged minutes were recorded the same day, 4 % within a week, 2 % later.'"""
    shares = timeliness_shares(recorded)
    if shares is None:
        return "No minutes were logged, so there is no record of when they were recorded."
    same, week, later = shares
    return (f"{same} % of logged minutes were recorded the same day, {week} % within a week, "
            f"{later} % later.")


def amended_sentence(amended: Amended) -> str | None:
    """'Amended after sealing: 2 entries, 35 min.' or None when nothing was amended."""
    if not amended.entries:
        return None
    word = "entry" if amended.entries == 1 else "entries"
    return f"Amended after sealing: {amended.entries} {word}, {amended.minutes} min."


# The minute fields a week shares with the totals, in the summary JSON's order.
