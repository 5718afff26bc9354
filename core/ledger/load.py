"""Glue between the store and the pure ledger: load a period's inputs, compute, summarise.

Complete weeks already stored are read back instead (carelog.core.ledger.stored).
"""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.formatting import clock, fmt_minutes
from carelog.core.domain.models import Entry
from carelog.core.domain.schedule import NamedRule, ScheduleSet, TargetRule
from carelog.core.domain.seal import SealedWeek
from carelog.core.domain.timeutil import Period, day_start_utc, now_instant, to_local
from carelog.core.ledger.compute import WeekExtras, compute_ledger
from carelog.core.ledger.day import DayLayout, day_bounds, day_layout, wall_minute
from carelog.core.ledger.record import (
    EntryRecord,
    RecordInputs,
    RecordMark,
    entry_record,
    record_mark,
)
from carelog.core.ledger.stored import contributor_id as contributor_id
from carelog.core.ledger.stored import remember, stored_records
from carelog.core.ledger.week import (
    DEFAULT_PARTLY_MET_AT,
    Ledger,
    Summary,
    WeekRecord,
    WhatIf,
    totals_of,
)
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting


def load_ledger(store: Store, period: Period, now: int | None = None,
                rule: TargetRule | None = None) -> Ledger:
    """The ledger of a period as of now: stored weeks read back, the others computed.

    `now` defaults to the clock every front end shares (timeutil.now_instant). Complete weeks
    that are stored (carelog.core.ledger.stored) are read back with their leave days and
    escalation records; the span of the weeks that are not is read from the store and computed,
    and the complete weeks among them are stored. With `rule`, every week is computed as if each
    schedule version had that target rule (a what-if), and nothing is stored.
    """
    now = now_instant() if now is None else now
    skips = store.skips
    with store.reading():
        schedules = store.schedules()
        weeks = {} if rule is not None else stored_records(store, period, now)
        stored = set(weeks)
        missing = [m for m in period.weeks if m not in stored]
        if missing:
            part = Period(missing[0], missing[-1] + timedelta(days=6))
            computed = compute_period(store, part, now, schedules, rule)
            weeks.update((w.start, w) for w in computed.weeks)
            stored -= {w.start for w in computed.weeks}
            # Weeks computed while a stored value had to be skipped are not stored: each
            # report then computes them again and says what it skipped.
            if rule is None and store.skips == skips:
                remember(store, [w for w in computed.weeks if w.start in missing], now)
        if stored:
            _add_detail(store, [weeks[m] for m in sorted(stored)])
    ordered = [weeks[m] for m in period.weeks]
    latest = schedules.on(period.last) or schedules.latest
    partly = latest.target.partly_met_at if latest else DEFAULT_PARTLY_MET_AT
    return Ledger(first=period.first, last=period.last, weeks=ordered,
                  totals=totals_of(ordered, partly), partly_met_at=partly)


def compute_period(store: Store, period: Period, now: int, schedules: ScheduleSet,
                   rule: TargetRule | None = None) -> Ledger:
    """Read only what the period needs from the store and compute every week of it."""
    tz = store.tz
    start = day_start_utc(period.first, tz) - 86_400
    end = day_start_utc(period.last + timedelta(days=1), tz) + 86_400
    if rule is not None:
        schedules = schedules.with_target(rule)
    extras = WeekExtras(escalations=tuple(store.escalations_between(period.first, period.last)),
                        capacity=tuple(store.capacity_between(period.first, period.last)),
                        meal_break_min=store.meal_break_min)
    return compute_ledger(
        period,
        store.entries_between(start, end),
        schedules,
        store.leave_between(period.first, period.last),
        store.block_tags_between(period.first, period.last),
        store.access_between(period.first, period.last),
        store.categories,
        tz,
        now,
        record_inputs(store, start, end),
        extras,
    )


def _add_detail(store: Store, weeks: list[WeekRecord]) -> None:
    """Give stored weeks the leave days and escalation records a computed week carries."""
    first, last = weeks[0].start, weeks[-1].start + timedelta(days=6)
    leave = {lv.day: lv for lv in store.leave_between(first, last)}
    escalations = store.escalations_between(first, last)
    for w in weeks:
        days = [w.start + timedelta(days=i) for i in range(7)]
        w.leave_days = [leave[d] for d in days if d in leave]
        w.escalation_records = [x for x in escalations if days[0] <= x.day <= days[-1]]


def record_inputs(store: Store, start: int, end: int) -> RecordInputs:
    """What the ledger needs from the history and the seals for entries in [start, end)."""
    records: dict[int, EntryRecord] = {}
    for entry_id, events in store.history_between(start, end).items():
        found = entry_record(events)
        if found is not None:
            records[entry_id] = found
    sealed: dict[str, SealedWeek] = {}
    reasons: dict[str, dict[str, int]] = {}
    for week, seal in store.first_seals_between(start, end).items():
        sealed[week] = SealedWeek(seal, tuple(store.sealed_entries(seal.id)))
        reasons[week] = store.amendment_reasons(week)
    return RecordInputs(records, sealed, reasons)


def computed_summary(store: Store, period: Period, now: int | None = None,
                     compare: NamedRule | None = None) -> Summary:
    """The summary of a period, its weeks computed where they are not stored.

    carelog.core.ledger.stored.summary, which reads a period whose weeks are all stored, comes
    here for the rest. With `compare`, the summary holds the same weeks under that rule too (a
    what-if).
    """
    now = now_instant() if now is None else now
    ledger = load_ledger(store, period, now)
    name = store.setting(Setting.DISPLAY_NAME) or None
    what_if = None if compare is None \
        else WhatIf(named=compare, ledger=load_ledger(store, period, now, compare.rule))
    return Summary(ledger, contributor_id(store), name, what_if)


def record_marks(store: Store, entries: list[Entry]) -> dict[int, RecordMark]:
    """For each entry, whether it was recorded late or changed after its day (by id)."""
    tz = store.tz
    events = store.history_of_entries([int(e.id or 0) for e in entries])
    marks: dict[int, RecordMark] = {}
    for e in entries:
        first = to_local(e.start, tz).date()
        last = to_local(e.end - 1, tz).date()
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        spans = [(day_start_utc(d, tz), day_start_utc(d + timedelta(days=1), tz)) for d in days]
        marks[int(e.id or 0)] = record_mark(e, entry_record(events.get(int(e.id or 0), [])),
                                            spans)
    return marks


def load_day(store: Store, day: date, now: int | None = None) -> DayLayout:
    """The timeline layout of one local day (with `now`, gaps only in time that has passed)."""
    tz = store.tz
    a, b = day_bounds(day, tz)
    leave = store.leave_between(day, day)
    return day_layout(day, store.entries_between(a, b), store.schedules(),
                      leave[0] if leave else None, store.categories, tz, now)


def load_days(store: Store, first: date, count: int = 7,
              now: int | None = None) -> list[DayLayout]:
    """The timeline layouts of `count` days from `first` (a week calendar), read at once."""
    tz = store.tz
    last = first + timedelta(days=count - 1)
    a, _ = day_bounds(first, tz)
    _, b = day_bounds(last, tz)
    every = store.entries_between(a, b)
    leave = {lv.day: lv for lv in store.leave_between(first, last)}
    schedules, registry = store.schedules(), store.categories
    out = []
    for i in range(count):
        day = first + timedelta(days=i)
        lo, hi = day_bounds(day, tz)
        out.append(day_layout(day, [e for e in every if e.start < hi and e.end > lo],
                              schedules, leave.get(day), registry, tz, now))
    return out


def reminder(store: Store, day: date, now: int) -> str | None:
    """The end-of-day reminder, or None when all is logged.

    Reminds when nothing was logged on a working day, or when a protected block of the day has
    unlogged minutes.
    """
    layout = load_day(store, day)
    if layout.leave is not None and layout.leave.whole_day:
        return None
    if not layout.working:
        return None
    if not layout.items:
        return "Nothing is logged for today yet; a minute now saves reconstructing it later."
    week = load_ledger(store, Period.covering(day, day), now).weeks[0]
    missing = [o for o in week.occurrences if o.day == day and o.unlogged_min > 0
               and (o.end_minute <= wall_minute(now, day, store.tz))]
    if not missing:
        return None
    o = missing[0]
    span = f"{clock(o.start_minute)}–{clock(o.end_minute)}"
    return (f"Today's protected block {span} has {fmt_minutes(o.unlogged_min)} unlogged; "
            "log what it was used for, or tag why it was lost.")
