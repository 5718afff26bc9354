"""The weekly ledger (DESIGN §2.3): is the protected non-appointment time being received?

`compute_ledger` is a pure function from entries, schedule versions, leave, block tags, access
observations, escalations and capacity counts to one record per ISO week. The window, the command
line and every export call it; no other code computes these numbers. The records and their
totals are in carelog.core.ledger.week (imported from here too); a complete week, once computed,
is kept in the database (carelog.core.ledger.stored) until a change touches it.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import BREAK_CODE, Category, CategoryClass, CategoryRegistry
from carelog.core.domain.models import ACCESS_STANDARD_DAYS as ACCESS_STANDARD_DAYS
from carelog.core.domain.models import (
    DEFAULT_MEAL_BREAK_MIN,
    AccessObservation,
    BlockTag,
    CapacityObservation,
    Entry,
    Escalation,
    Leave,
)
from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion
from carelog.core.domain.timeutil import MINUTE, Period, week_label, zone
from carelog.core.ledger.record import RecordInputs, add_timeliness, amended_week, record_of
from carelog.core.ledger.week import DEFAULT_PARTLY_MET_AT as DEFAULT_PARTLY_MET_AT
from carelog.core.ledger.week import Ledger as Ledger
from carelog.core.ledger.week import WeekRecord as WeekRecord
from carelog.core.ledger.week import phase_of as phase_of
from carelog.core.ledger.week import progress_sentence as progress_sentence
from carelog.core.ledger.week import status_of as status_of
from carelog.core.ledger.week import totals_of as totals_of
from carelog.core.ledger.week_parts import BlockOccurrence as BlockOccurrence
from carelog.core.ledger.week_parts import Capacity as Capacity
from carelog.core.ledger.week_parts import Flexible as Flexible
from carelog.core.ledger.week_parts import Recorded as Recorded

SAFETY_CODE = Category.SAFETY_MANDATED.value
INTAKE_CODE = Category.INTAKE.value


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


@dataclass(slots=True)
class _Day:
    """One local date of a week, resolved to UTC intervals."""

    day: date
    version: ScheduleVersion | None
    tz: ZoneInfo
    start: int
    end: int
    ranges: list[tuple[int, int]] = field(default_factory=list)
    leave: Leave | None = None

    @property
    def scheduled(self) -> int:
        return sum(b - a for a, b in self.ranges) // MINUTE


def _instant(d: date, minute: int, tz: ZoneInfo) -> int:
    """Local date + minute of day to UTC; a time skipped by DST maps past the gap."""
    naive = datetime.combine(d, time(0)) + timedelta(minutes=minute)
    return int(naive.replace(tzinfo=tz).timestamp())


def _resolve_day(d: date, schedules: ScheduleSet, default_tz: ZoneInfo,
                 leave: Leave | None) -> _Day:
    version = schedules.on(d)
    tz = zone(version.timezone) if version else default_tz
    out = _Day(d, version, tz, _instant(d, 0, tz), _instant(d + timedelta(days=1), 0, tz),
               leave=leave)
    if version:
        out.ranges = [(_instant(d, r.start, tz), _instant(d, r.end, tz))
                      for r in version.ranges(d.weekday())]
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _inside_seconds(start: int, end: int, intervals: list[tuple[int, int]],
                    starts: list[int]) -> int:
    """Seconds of [start, end) inside sorted, disjoint intervals (starts = their starts)."""
    i = max(0, bisect.bisect_right(starts, start) - 1)
    total = 0
    while i < len(intervals) and intervals[i][0] < end:
        a, b = intervals[i]
        if b > start:
            total += min(b, end) - max(a, start)
        i += 1
    return total


def _elapsed_seconds(ranges: list[tuple[int, int]], now: int) -> int:
    """Seconds of the working ranges that lie before now."""
    return sum(max(0, min(b, now) - a) for a, b in ranges)


@dataclass(frozen=True, slots=True)
class WeekExtras:
    """What a week needs besides entries, schedule, leave, tags and access."""

    escalations: tuple[Escalation, ...] = ()
    capacity: tuple[CapacityObservation, ...] = ()
    meal_break_min: int = DEFAULT_MEAL_BREAK_MIN


def _day_index(instant: int, day_starts: list[int]) -> int:
    """The index (0–6) of the week's day holding an instant inside the week."""
    return bisect.bisect_right(day_starts, instant) - 1


def _longest_run(pieces: list[tuple[int, int]]) -> int:
    """The longest stretch, in seconds, of intervals joined where they touch or overlap."""
    longest = 0
    run_start = run_end = None
    for a, b in sorted(pieces):
        if run_end is None or a > run_end:
            run_start, run_end = a, b
        else:
            run_end = max(run_end, b)
        assert run_start is not None
        longest = max(longest, run_end - run_start)
    return longest


def _share_out(displaced: int, direct: int, other: int) -> tuple[int, int, int]:
    """Displaced flexible minutes as (direct, other, unlogged).

    Shared between direct care and other work in proportion to their minutes in paid hours;
    what those minutes cannot cover is unlogged.
    """
    pool = direct + other
    if displaced <= 0:
        return 0, 0, 0
    if pool < displaced:
        return direct, other, displaced - pool
    by_direct = _round_half_up(displaced * direct / pool)
    return by_direct, displaced - by_direct, 0


def compute_week(monday: date, entries: Iterable[Entry], schedules: ScheduleSet,
                 leave: dict[date, Leave], tags: dict[tuple[date, int], BlockTag],
                 access: list[AccessObservation], registry: CategoryRegistry,
                 default_tz: ZoneInfo, now: int, record: RecordInputs | None = None,
                 extras: WeekExtras | None = None) -> WeekRecord:
    """The ledger record of the ISO week starting on monday, as it stands at the instant now.

    Minutes after now count nowhere (DESIGN §2.3.1): an entry planned for later is clipped at
    now, a block not yet reached is upcoming, and only a week whose last minute has passed gets
    a verdict. A week under way is measured against the target due by now: each day's expected
    minutes pro-rated by the share of its working hours that has passed, and under a
    per-appointment rule the appointments held so far.

    An appointment held is a direct-care entry whose start has passed; it counts once, on the
    day it starts. The week's whole target (`target_min`) of a week under way also counts the
    appointments planned for later in it.

    `record` (from the history and the seals) says when each minute was recorded and what
    changed after the week was sealed (carelog.core.ledger.record); without it, each entry's
    created stamp stands for its first recording and nothing counts as amended. `extras` holds
    the escalations, capacity counts and meal-break length.
    """
    inputs = record or RecordInputs()
    extras = extras or WeekExtras()
    days = [_resolve_day(monday + timedelta(days=i), schedules, default_tz,
                         leave.get(monday + timedelta(days=i))) for i in range(7)]
    week_start, week_end = days[0].start, days[-1].end
    day_starts = [d.start for d in days]
    phase = phase_of(week_start, week_end, now)
    rec = WeekRecord(week=week_label(monday), start=monday, complete=phase == "complete",
                     starts_at=week_start, ends_at=week_end)
    entries = list(entries)

    # Appointments per day: every direct-care entry starting that day, and those held by now.
    booked = [0] * 7
    held = [0] * 7
    for e in entries:
        if week_start <= e.start < week_end and registry.class_of(e.category) \
                is CategoryClass.DIRECT:
            i = _day_index(e.start, day_starts)
            booked[i] += 1
            held[i] += e.start < now

    # Scheduled, leave, expected and target, day by day; and what of them is due by now.
    target = 0.0
    target_so_far = 0.0
    flexible = 0.0
    flexible_so_far = 0.0
    expected_so_far = 0.0
    paid: list[tuple[int, int]] = []  # in-hours intervals: working ranges of non-leave days
    partly_met_at = DEFAULT_PARTLY_MET_AT
    for i, d in enumerate(days):
        s = d.scheduled
        lv = 0
        if d.leave is not None:
            lv = s if d.leave.whole_day else min(d.leave.minutes or 0, s)
            rec.leave_days.append(d.leave)
        expected = s - lv
        if d.end <= now:
            due: float = expected
        elif d.start >= now or not s:
            due = 0.0
        else:
            due = expected * _elapsed_seconds(d.ranges, now) / (s * MINUTE)
        rec.scheduled_min += s
        rec.leave_min += lv
        rec.expected_min += expected
        expected_so_far += due
        if d.version is not None:
            rule = d.version.target
            target += rule.day_target(expected, booked[i])
            target_so_far += rule.day_target(due, held[i])
            flexible += rule.day_flexible(expected)
            flexible_so_far += rule.day_flexible(due)
            partly_met_at = rule.partly_met_at
        if d.leave is None or not d.leave.whole_day:
            paid.extend(d.ranges)
    paid.sort()
    paid_starts = [a for a, _ in paid]
    rec.target_min = _round_half_up(target)
    rec.expected_so_far_min = _round_half_up(expected_so_far)
    rec.target_so_far_min = _round_half_up(target_so_far)
    rec.flexible_min = _round_half_up(flexible)

    # Every logged minute before now lands in exactly one class bucket; IPC is split in/after
    # hours.
    horizon = min(week_end, now)
    by_cat: dict[str, int] = defaultdict(int)
    clipped: list[tuple[int, int, str, CategoryClass]] = []
    day_spans = [(d.start, d.end) for d in days]
    recorded = [0, 0, 0]
    # Counted in plain integers and written to the record once (a pydantic model's attribute
    # writes are slow in a loop over every entry).
    n = Counter[str]()
    for e in entries:
        a, b = max(e.start, week_start), min(e.end, horizon)
        if b <= a:
            continue
        entry_record = record_of(e, inputs.entries)
        if entry_record is not None:
            add_timeliness(recorded, entry_record, a, b, day_spans)
        minutes = (b - a) // MINUTE
        cls = registry.class_of(e.category)
        if e.start >= week_start:
            n["direct_sessions"] += cls is CategoryClass.DIRECT
            n["intake_sessions"] += e.category == INTAKE_CODE
            n["safety_events"] += e.category == SAFETY_CODE
        clipped.append((a, b, e.category, cls))
        by_cat[e.category] += minutes
        inside = _inside_seconds(a, b, paid, paid_starts) // MINUTE
        outside = minutes - inside
        if e.category == BREAK_CODE:
            n["break_min"] += minutes
            continue
        n["after_hours_min"] += outside
        if cls is CategoryClass.IPC:
            n["ipc_in_hours_min"] += inside
            n["ipc_after_hours_min"] += outside
        elif cls is CategoryClass.DIRECT:
            n["direct_min"] += minutes
            n["direct_in_hours"] += inside
        else:
            n["other_min"] += minutes
            n["other_in_hours"] += inside
    for name in ("direct_sessions", "intake_sessions", "safety_events", "break_min",
                 "after_hours_min", "ipc_in_hours_min", "ipc_after_hours_min", "direct_min",
                 "other_min"):
        setattr(rec, name, n[name])
    direct_in_hours, other_in_hours = n["direct_in_hours"], n["other_in_hours"]
    rec.by_category_min = dict(sorted(by_cat.items()))
    rec.recorded = Recorded(same_day_min=recorded[0], within_7_days_min=recorded[1],
                            later_min=recorded[2])

    if phase == "complete":
        if rec.target_min > 0:
            ratio = rec.ipc_in_hours_min / rec.target_min
            rec.attainment = round(ratio, 3)
            rec.status = status_of(ratio, partly_met_at)
            rec.shortfall_min = max(0, rec.target_min - rec.ipc_in_hours_min)
    elif phase == "in_progress":
        rec.status = "in_progress"
        if rec.target_so_far_min > 0:
            rec.attainment = round(rec.ipc_in_hours_min / rec.target_so_far_min, 3)
            rec.shortfall_min = max(0, rec.target_so_far_min - rec.ipc_in_hours_min)
    else:
        rec.status = "upcoming"

    # The flexible part of a floor rule: IPC beyond the protected part fills it, the rest was
    # displaced. A week under way is measured against what is due by now, like its target.
    if phase != "upcoming" and flexible > 0:
        complete = phase == "complete"
        due_flex = rec.flexible_min if complete else _round_half_up(flexible_so_far)
        due_protected = rec.target_min if complete else rec.target_so_far_min
        ipc = min(due_flex, max(0, rec.ipc_in_hours_min - due_protected))
        direct, other, unlogged = _share_out(due_flex - ipc, direct_in_hours, other_in_hours)
        rec.flexible = Flexible(so_far_min=due_flex, ipc_min=ipc, direct_min=direct,
                                other_min=other, unlogged_min=unlogged)

    # Meal breaks: a working day that is over, with work logged and no break of the minimum
    # length (break entries that touch are one break).
    worked = [False] * 7
    breaks: list[list[tuple[int, int]]] = [[] for _ in days]
    for a, b, code, _ in clipped:
        i = _day_index(a, day_starts)
        while i < 7 and days[i].start < b:
            lo, hi = max(a, days[i].start), min(b, days[i].end)
            if code == BREAK_CODE:
                breaks[i].append((lo, hi))
            else:
                worked[i] = True
            i += 1
    for i, d in enumerate(days):
        if not d.scheduled or (d.leave is not None and d.leave.whole_day) or d.end > now:
            continue
        if worked[i] and _longest_run(breaks[i]) < extras.meal_break_min * MINUTE:
            rec.dates_without_break.append(d.day)
    rec.days_without_break = len(rec.dates_without_break)

    # Escalations about the week's blocks and days.
    sunday = monday + timedelta(days=6)
    rec.escalation_records = [x for x in extras.escalations if monday <= x.day <= sunday]
    for x in rec.escalation_records:
        rec.escalations.count += 1
        rec.escalations.responded += x.responded
        rec.escalations.resolved += x.resolved
    escalated_blocks = {(x.day, x.start_minute) for x in rec.escalation_records
                        if x.start_minute is not None}

    # Protected blocks on days without leave; the minutes not reached yet are upcoming.
    for d in days:
        if d.version is None or d.leave is not None:
            continue
        for block in d.version.blocks(d.day.weekday()):
            bs = _instant(d.day, block.span.start, d.tz)
            be = _instant(d.day, block.span.end, d.tz)
            split = {"honored": 0, "booked_over": 0, "diverted": 0, "break": 0}
            for a, b, code, cls in clipped:
                sec = _overlap(a, b, bs, be)
                if not sec:
                    continue
                if code == BREAK_CODE:
                    split["break"] += sec
                elif cls is CategoryClass.IPC:
                    split["honored"] += sec
                elif cls is CategoryClass.DIRECT:
                    split["booked_over"] += sec
                else:
                    split["diverted"] += sec
            total = (be - bs) // MINUTE
            upcoming = max(0, be - max(bs, now)) // MINUTE
            mins = {k: v // MINUTE for k, v in split.items()}
            tag = tags.get((d.day, block.span.start))
            escalated = bool(tag and tag.escalated) \
                or (d.day, block.span.start) in escalated_blocks
            occ = BlockOccurrence(
                day=d.day, start_minute=block.span.start, end_minute=block.span.end,
                label=block.label, honored_min=mins["honored"],
                booked_over_min=mins["booked_over"], diverted_min=mins["diverted"],
                break_min=mins["break"], unlogged_min=total - upcoming - sum(mins.values()),
                upcoming_min=upcoming, reason=tag.reason if tag else None,
                escalated=escalated)
            rec.occurrences.append(occ)
            bl = rec.blocks
            bl.count += 1
            bl.scheduled_min += total
            bl.honored_min += occ.honored_min
            bl.booked_over_min += occ.booked_over_min
            bl.diverted_min += occ.diverted_min
            bl.break_min += occ.break_min
            bl.unlogged_min += occ.unlogged_min
            bl.upcoming_min += occ.upcoming_min
            bl.escalated += int(escalated)
            if tag:
                bl.reasons[tag.reason.value] = bl.reasons.get(tag.reason.value, 0) + 1
    rec.blocks.reasons = dict(sorted(rec.blocks.reasons.items()))

    in_week = [a for a in access if monday <= a.day <= sunday]
    if in_week:
        rec.access_days = max(in_week, key=lambda a: a.day).days
    sealed = inputs.sealed.get(rec.week)
    if sealed is not None:
        rec.amended, _ = amended_week(sealed, entries, registry,
                                      inputs.reasons.get(rec.week, {}))

    counts = [c for c in extras.capacity if monday <= c.day <= sunday]
    if counts:
        given = [c.return_not_offered for c in counts if c.return_not_offered is not None]
        rec.capacity = Capacity(
            caseload=max(counts, key=lambda c: c.day).caseload,
            return_not_offered=sum(given) if given else None,
            new_visits=rec.intake_sessions,
            return_visits=rec.direct_sessions - rec.intake_sessions)
    return rec


def compute_ledger(period: Period, entries: Iterable[Entry], schedules: ScheduleSet,
                   leave: Iterable[Leave], tags: Iterable[BlockTag],
                   access: Iterable[AccessObservation], registry: CategoryRegistry,
                   default_tz: ZoneInfo, now: int, record: RecordInputs | None = None,
                   extras: WeekExtras | None = None) -> Ledger:
    """The ledger of every ISO week in the period, as it stands at the instant now.

    The one function behind every number; see compute_week for what "now" changes.
    """
    leave_by_day = {lv.day: lv for lv in leave}
    tags_by_key = {(t.day, t.start_minute): t for t in tags}
    access_list = list(access)
    mondays = period.weeks
    ordered = sorted(entries, key=lambda e: e.start)
    starts = [e.start for e in ordered]
    weeks = []
    for monday in mondays:
        # Only the entries that can touch this week (an entry lasts at most 24 hours).
        lo_day = _resolve_day(monday, schedules, default_tz, None)
        hi_day = _resolve_day(monday + timedelta(days=6), schedules, default_tz, None)
        lo = bisect.bisect_left(starts, lo_day.start - 86_400)
        hi = bisect.bisect_left(starts, hi_day.end)
        weeks.append(compute_week(monday, ordered[lo:hi], schedules, leave_by_day, tags_by_key,
                                  access_list, registry, default_tz, now, record,
                                  extras))
    latest = schedules.on(period.last) or schedules.latest
    partly = latest.target.partly_met_at if latest else DEFAULT_PARTLY_MET_AT
    return Ledger(first=period.first, last=period.last, weeks=weeks,
                  totals=totals_of(weeks, partly), partly_met_at=partly)
