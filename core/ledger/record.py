"""How the log was kept (DESIGN §2.6): when each logged minute was recorded, and amendments.

Timeliness. Every logged minute is put in one of three classes by the moment its entry was
first recorded (the first event of its history): the same day (recorded before the end of the
local day the minute is on), within 7 days (before the end of the seventh day after), or later.
An entry recorded before it happened, such as a planned block or a calendar appointment
imported ahead, was not reconstructed afterwards: its minutes count as recorded the same day.
A change of times or category made more than 7 days after the day of the minutes it brings
into the entry makes those minutes late; changes within 7 days keep the class of the first
recording. An undo or a redo that puts back an earlier version puts back that version's
classes, so taking back a mistake is never counted against the record.

Amendments. A week sealed by a committee export is compared with the entries its first seal
covered (carelog.core.domain.seal.compare_week): `amended` counts the entries and minutes that
are no longer as they were handed in, and the reasons recorded for the changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.history import Action, EntryState, HistoryEvent
from carelog.core.domain.seal import SealedEntry, SealedWeek, WeekChange, compare_week
from carelog.core.domain.timeutil import DAY_SECONDS, instant_of_stamp
from carelog.core.ledger.week_parts import Amended as Amended
from carelog.core.ledger.week_parts import Recorded as Recorded
from carelog.core.ledger.week_parts import amended_sentence as amended_sentence
from carelog.core.ledger.week_parts import timeliness_sentence as timeliness_sentence
from carelog.core.ledger.week_parts import timeliness_shares as timeliness_shares

if TYPE_CHECKING:
    from carelog.core.domain.models import Entry

LATE_AFTER_DAYS = 7


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of an entry's current time; `moved` is when a change last brought it in."""

    start: int
    end: int
    moved: int | None = None


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """When an entry was first recorded, and which stretches of it later changes brought in.

    `state` is the version the history ends in (None when its last event removed the entry);
    `changed` when its times or category last changed after it was first recorded.
    """

    first: int
    pieces: tuple[Piece, ...]
    state: EntryState | None = None
    changed: int | None = None


@dataclass(slots=True)
class RecordInputs:
    """What the ledger needs beyond the entries to say how the log was kept.

    `entries`: each entry's record by id (from its history); `sealed`: each sealed week's
    first seal and the entries it covered, by week label; `reasons`: the reason categories of
    the changes that amended each sealed week.
    """

    entries: Mapping[int, EntryRecord] = field(default_factory=dict)
    sealed: Mapping[str, SealedWeek] = field(default_factory=dict)
    reasons: Mapping[str, dict[str, int]] = field(default_factory=dict)


def _clip(pieces: Iterable[Piece], start: int, end: int) -> list[Piece]:
    return [Piece(max(p.start, start), min(p.end, end), p.moved) for p in pieces
            if min(p.end, end) > max(p.start, start)]


def _reshaped(pieces: tuple[Piece, ...], old: EntryState, new: EntryState,
              at: int) -> tuple[Piece, ...]:
    """The pieces after a change from old to new made at `at`."""
    if old.category != new.category:
        return (Piece(new.start, new.end, at),)
    kept = _clip(pieces, new.start, new.end)
    brought = []
    if new.start < old.start:
        brought.append(Piece(new.start, min(old.start, new.end), at))
    if new.end > old.end:
        brought.append(Piece(max(old.end, new.start), new.end, at))
    return tuple(sorted([*kept, *brought], key=lambda p: p.start))


def entry_record(events: list[HistoryEvent]) -> EntryRecord | None:
    """Replay an entry's history into its record (None for an entry without history)."""
    if not events:
        return None
    first = events[0].at
    versions: list[tuple[EntryState, tuple[Piece, ...]]] = []
    state: EntryState | None = None
    pieces: tuple[Piece, ...] = ()
    changed: int | None = None
    for ev in events:
        new = ev.state
        if new is None:
            state, pieces = None, ()
            continue
        if new == state:
            continue
        if ev is not events[0]:
            changed = ev.at
        earlier = None
        if ev.action in (Action.UNDO, Action.REDO):
            earlier = next((p for s, p in reversed(versions) if s == new), None)
        if earlier is not None:
            pieces = earlier
        elif state is None:
            pieces = (Piece(new.start, new.end, None if ev is events[0] else ev.at),)
        else:
            pieces = _reshaped(pieces, state, new, ev.at)
        state = new
        versions.append((new, pieces))
    return EntryRecord(first, pieces, state, changed)


def record_of(entry: Entry, records: Mapping[int, EntryRecord]) -> EntryRecord | None:
    """The record of an entry: from its history, else from its created stamp, else None."""
    found = records.get(int(entry.id or 0))
    if found is not None and found.state == EntryState(entry.category, entry.start, entry.end):
        return found
    # No history (or one that does not end in this entry, which `carelog check` reports):
    # the entry's own created stamp is all there is to go on.
    if not entry.created:
        return None
    return EntryRecord(instant_of_stamp(entry.created), (Piece(entry.start, entry.end),))


def classify(first: int, moved: int | None, day_end: int) -> int:
    """0 recorded the same day, 1 within 7 days, 2 later, for minutes of a day ending day_end."""
    late = day_end + LATE_AFTER_DAYS * DAY_SECONDS
    if moved is not None and moved > late:
        return 2
    if first <= day_end:
        return 0
    return 1 if first <= late else 2


def add_timeliness(into: list[int], record: EntryRecord, start: int, end: int,
                   day_ends: list[tuple[int, int]]) -> None:
    """Count the minutes of [start, end) of an entry into `into`, split by the local days.

    `into` holds the minutes recorded the same day, within 7 days and later (a plain list: a
    year's ledger adds to it thousands of times). `day_ends` lists the (first instant, instant
    after the last) of each local day.
    """
    for p in record.pieces:
        p0, p1 = max(p.start, start), min(p.end, end)
        if p1 <= p0:
            continue
        for d0, d1 in day_ends:
            a, b = max(p0, d0), min(p1, d1)
            if b > a:
                into[classify(record.first, p.moved, d1)] += (b - a) // 60


def amended_week(sealed: SealedWeek, current: Iterable[Entry], registry: CategoryRegistry,
                 reasons: dict[str, int]) -> tuple[Amended, WeekChange]:
    """A sealed week's amendments: how its entries now differ from its first seal's."""
    now = [SealedEntry(e.start, e.end, e.category, int(e.id or 0)) for e in current]
    change = compare_week(sealed.entries, now, sealed.seal.start, sealed.seal.end, registry)
    return Amended(entries=change.entries, minutes=change.minutes,
                   reasons=dict(reasons) if change.entries else {}), change


@dataclass(frozen=True, slots=True)
class RecordMark:
    """How an entry shows in the day's table: recorded late, changed after its day, or both."""

    late: bool = False
    changed_later: bool = False

    @property
    def text(self) -> str:
        """'late', 'changed', 'late, changed' or ''."""
        return ", ".join(m for m, on in (("late", self.late), ("changed", self.changed_later))
                         if on)

    @property
    def tip(self) -> str:
        """The marks in words."""
        parts = []
        if self.late:
            parts.append("Late: recorded after the day it happened.")
        if self.changed_later:
            parts.append("Changed: its times or category were changed after its day.")
        return " ".join(parts)


def record_mark(entry: Entry, record: EntryRecord | None,
                day_ends: list[tuple[int, int]]) -> RecordMark:
    """The marks of an entry, given the local days (start, end) its time falls on."""
    if record is None or record.state != EntryState(entry.category, entry.start, entry.end):
        return RecordMark()
    counts = [0, 0, 0]
    add_timeliness(counts, record, entry.start, entry.end, day_ends)
    last_day_end = max((d1 for d0, d1 in day_ends if d0 < entry.end), default=entry.end)
    changed = record.changed is not None and record.changed > last_day_end
    return RecordMark(late=bool(counts[1] or counts[2]), changed_later=changed)
