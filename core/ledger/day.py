"""One day at a glance: working hours, protected blocks, entries and the gaps between them.

Positions are wall-clock minutes after local midnight (0–1440), which is what a timeline draws;
an entry crossing midnight is clipped to the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import BREAK_CODE, CategoryClass, CategoryRegistry
from carelog.core.domain.formatting import fmt_minutes
from carelog.core.domain.models import Entry, Leave
from carelog.core.domain.schedule import ScheduleSet
from carelog.core.domain.timeutil import MINUTE, day_start_utc, to_local, zone


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """An entry as the timeline draws it."""

    entry: Entry
    start_min: int
    end_min: int
    cls: CategoryClass
    is_break: bool


@dataclass(slots=True)
class DayLayout:
    """Everything the day timeline shows."""

    day: date
    working: list[tuple[int, int]] = field(default_factory=list)
    blocks: list[tuple[int, int, str]] = field(default_factory=list)
    items: list[TimelineItem] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    leave: Leave | None = None
    tz: ZoneInfo | None = None
    scheduled: bool = False  # a schedule version is in force on this day

    @property
    def blocks_count(self) -> bool:
        """Whether the day's protected blocks count in the ledger (not on a day of leave)."""
        return self.leave is None

    @property
    def unlogged_working_min(self) -> int:
        """Minutes of working hours with nothing logged."""
        return sum(b - a for a, b in self.gaps)


def wall_minute(instant: int, day: date, tz: ZoneInfo) -> int:
    """Wall-clock minutes after the local midnight of `day` (negative before, >1440 after)."""
    local = to_local(instant, tz)
    days = (local.date() - day).days
    return days * 1440 + local.hour * 60 + local.minute


def day_bounds(day: date, tz: ZoneInfo) -> tuple[int, int]:
    """UTC instants of the start of the day and of the next."""
    return day_start_utc(day, tz), day_start_utc(day + timedelta(days=1), tz)


def day_layout(day: date, entries: list[Entry], schedules: ScheduleSet,
               leave: Leave | None, registry: CategoryRegistry, default_tz: ZoneInfo,
               now: int | None = None) -> DayLayout:
    """Lay out one local day for the timeline.

    With `now`, only working time that has passed can be a gap: minutes after now are not
    unlogged yet (DESIGN §2.3.1).
    """
    version = schedules.on(day)
    tz = zone(version.timezone) if version else default_tz
    out = DayLayout(day=day, leave=leave, tz=tz, scheduled=version is not None)
    if version:
        out.working = [(r.start, r.end) for r in version.ranges(day.weekday())]
        out.blocks = [(b.span.start, b.span.end, b.label) for b in version.blocks(day.weekday())]
    for e in sorted(entries, key=lambda x: x.start):
        a = max(0, wall_minute(e.start, day, tz))
        b = min(1440, wall_minute(e.end, day, tz))
        if b <= a:
            continue
        out.items.append(TimelineItem(e, a, b, registry.class_of(e.category),
                                      not registry.get(e.category).is_work
                                      if e.category in registry else False))
    if leave is None or not leave.whole_day:
        for ws, we in out.working:
            cursor = ws
            for it in out.items:
                if it.end_min <= cursor or it.start_min >= we:
                    continue
                if it.start_min > cursor:
                    out.gaps.append((cursor, min(it.start_min, we)))
                cursor = max(cursor, it.end_min)
            if cursor < we:
                out.gaps.append((cursor, we))
    if now is not None:
        cut = wall_minute(now, day, tz)
        out.gaps = [(a, min(b, cut)) for a, b in out.gaps if a < cut]
    return out


def minute_to_instant(day: date, minute: int, tz: ZoneInfo) -> int:
    """The UTC instant of a wall-clock minute of a day (the timeline's drag positions)."""
    naive = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    return int(naive.replace(tzinfo=tz).timestamp())


def minutes_by_class(entries: list[Entry], registry: CategoryRegistry, start: int,
                     end: int) -> dict[str, int]:
    """Minutes of each class inside [start, end), with break apart from other work."""
    out = {"ipc": 0, "direct": 0, "other": 0, "break": 0}
    for e in entries:
        seconds = min(e.end, end) - max(e.start, start)
        if seconds <= 0:
            continue
        key = "break" if e.category == BREAK_CODE else registry.class_of(e.category).value
        out[key] += seconds // MINUTE
    return out


def day_total_sentence(by_class: dict[str, int]) -> str:
    """'Logged 6 h 10 m: IPC 1 h 20 m, direct 4 h 0 m, other 50 m'."""
    total = sum(by_class.values())
    if not total:
        return "Nothing logged on this day yet."
    parts = [f"IPC {fmt_minutes(by_class['ipc'])}", f"direct {fmt_minutes(by_class['direct'])}",
             f"other {fmt_minutes(by_class['other'])}"]
    if by_class["break"]:
        parts.append(f"break {fmt_minutes(by_class['break'])}")
    return f"Logged {fmt_minutes(total)}: " + ", ".join(parts)
