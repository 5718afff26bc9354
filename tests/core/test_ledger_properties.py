"""Properties of the ledger: no minute is lost or counted twice, and periods add up."""

from __future__ import annotations

from datetime import date, timedelta

from carelog.core.domain.categories import BUILTIN, CategoryRegistry
from carelog.core.domain.models import Entry, Leave
from carelog.core.domain.schedule import ScheduleSet, parse_schedule_toml
from carelog.core.domain.timeutil import Period, day_start_utc, zone
from carelog.core.ledger.compute import compute_ledger
from carelog.core.ledger.week import Ledger
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import STANDARD_TOML

LA = zone("America/Los_Angeles")
SCHEDULES = ScheduleSet([parse_schedule_toml(STANDARD_TOML)])
REGISTRY = CategoryRegistry()
CODES = [c.code for c in BUILTIN]
# Three weeks around the fall-back change, so DST days are in play.
FIRST = date(2026, 10, 19)
LAST = date(2026, 11, 8)
T0 = day_start_utc(FIRST, LA)
T1 = day_start_utc(LAST + timedelta(days=1), LA)


@st.composite
def logs(draw: st.DrawFn) -> list[Entry]:
    """Non-overlapping entries laid end to end with gaps, some crossing midnight."""
    entries: list[Entry] = []
    cursor = T0 - 12 * 3600 + draw(st.integers(0, 600)) * 60
    for _ in range(draw(st.integers(0, 40))):
        cursor += draw(st.integers(0, 24 * 60)) * 60
        length = draw(st.integers(1, 24 * 60)) * 60
        if cursor + length > T1 + 12 * 3600:
            break
        entries.append(Entry(id=len(entries) + 1, category=draw(st.sampled_from(CODES)),
                             start=cursor, end=cursor + length))
        cursor += length
    return entries


leaves = st.lists(st.builds(Leave, day=st.dates(FIRST, LAST),
                            minutes=st.one_of(st.none(), st.integers(1, 600))),
                  max_size=4, unique_by=lambda lv: lv.day)


# "Now" anywhere from before the period to after it: weeks over, under way and not begun.
nows = st.integers(T0 - 86_400, T1 + 86_400).map(lambda s: s - s % 60)


def ledger_of(period: Period, entries: list[Entry], leave: list[Leave], now: int) -> Ledger:
    """The ledger of the standard schedule, with no block tags or access counts."""
    return compute_ledger(period, entries, SCHEDULES, leave, [], [], REGISTRY, LA, now)


@settings(max_examples=60, deadline=None)
@given(logs(), leaves, nows)
def test_every_logged_minute_lands_in_exactly_one_bucket(entries: list[Entry],
                                                         leave: list[Leave], now: int) -> None:
    ledger = ledger_of(Period(FIRST, LAST), entries, leave, now)
    # Minutes after now count nowhere.
    horizon = min(T1, now)
    inside = sum(max(0, min(e.end, horizon) - max(e.start, T0)) // 60 for e in entries)
    for w in ledger.weeks:
        assert sum(w.by_category_min.values()) == w.logged_min
        assert w.after_hours_min <= w.logged_min - w.break_min
        assert w.ipc_after_hours_min <= w.after_hours_min
        assert w.expected_min == w.scheduled_min - w.leave_min >= 0
        b = w.blocks
        assert b.scheduled_min == (b.honored_min + b.booked_over_min + b.diverted_min
                                   + b.break_min + b.unlogged_min + b.upcoming_min)
        assert w.expected_so_far_min <= w.expected_min
        if w.complete:
            assert (w.expected_so_far_min, w.target_so_far_min, b.upcoming_min) == \
                (w.expected_min, w.target_min, 0)
            assert w.status in ("met", "partly_met", "not_met", "no_target")
        else:
            assert w.status in ("in_progress", "upcoming")
    assert sum(w.logged_min for w in ledger.weeks) == inside


@settings(max_examples=40, deadline=None)
@given(logs(), leaves, nows)
def test_the_ledger_of_a_period_equals_the_sum_of_its_weeks(entries: list[Entry],
                                                            leave: list[Leave], now: int) -> None:
    whole = ledger_of(Period(FIRST, LAST), entries, leave, now)
    singles = [ledger_of(Period(m, m + timedelta(days=6)), entries, leave, now).weeks[0]
               for m in Period(FIRST, LAST).weeks]
    done = [w for w in singles if w.complete]
    assert [w.to_json() for w in whole.weeks] == [w.to_json() for w in singles]
    t = whole.totals
    for name in ("scheduled_min", "leave_min", "expected_min", "target_min", "ipc_in_hours_min",
                 "ipc_after_hours_min", "after_hours_min", "direct_min", "other_min",
                 "break_min", "shortfall_min"):
        assert getattr(t, name) == sum(getattr(w, name) for w in done)
    assert (t.weeks, t.weeks_left_out) == (len(done), len(singles) - len(done))
    if t.target_min:
        assert t.attainment == round(t.ipc_in_hours_min / t.target_min, 3)
