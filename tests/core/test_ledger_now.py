"""The present and the future (DESIGN §2.3.1): hand-computed weeks seen from a pinned "now"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from carelog.core.domain.models import Leave
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.domain.timeutil import Period, parse_local, parse_week
from carelog.core.ledger.load import load_ledger
from carelog.core.ledger.week import WeekRecord
from carelog.core.store.database import Store

from tests.conftest import STANDARD_TOML, Add

# The standard 40-hour week (Mon–Fri 08:30–12:30 and 13:00–17:00) with three protected blocks:
# Tuesday afternoon (over by Wednesday noon), Wednesday 11:30–12:30 (half over at noon) and
# Thursday afternoon (not reached yet). Kaiser's percent rule: 450 minutes for a full week.
# (TOML lets the list of protected blocks go on after the target table.)
THREE_BLOCKS_TOML = STANDARD_TOML + """
[[protected]]
day = "wed"
time = "11:30-12:30"
[[protected]]
day = "thu"
time = "16:00-17:00"
"""


@pytest.fixture
def three_blocks(store: Store) -> Store:
    store.save_schedule(parse_schedule_toml(THREE_BLOCKS_TOML))
    return store


def at(store: Store, text: str) -> int:
    return parse_local(text, store.tz)


def week_at(store: Store, label: str, now: str) -> WeekRecord:
    monday = parse_week(label)
    return load_ledger(store, Period(monday, monday + timedelta(days=6)), at(store, now)).weeks[0]


def wednesday_noon_week(add: Add) -> None:
    add("documentation", "2026-11-16 10:00", "11:00")   # Mon: 60 IPC in hours
    add("individual", "2026-11-17 16:00", "16:50")      # Tue: the block booked over
    add("documentation", "2026-11-18 09:00", "10:00")   # Wed: 60 IPC in hours
    add("documentation", "2026-11-18 11:30", "11:45")   # Wed block: 15 honored
    add("messages", "2026-11-18 11:50", "12:10")        # straddles noon: 10 m count so far
    add("individual", "2026-11-18 14:00", "14:50")      # planned: a session this afternoon
    add("documentation", "2026-11-19 16:00", "17:00")   # planned: Thursday's block


def test_wednesday_noon_measures_the_target_due_by_now(three_blocks: Store, add: Add) -> None:
    wednesday_noon_week(add)
    w = week_at(three_blocks, "2026-W47", "2026-11-18 12:00")
    # Due by now: Monday 480 + Tuesday 480 + Wednesday 08:30–12:00 = 210 expected minutes;
    # 0.20 × 1170 × (1 − 2.5/40) = 219.375 -> 219 minutes of protected time due.
    assert (w.complete, w.status) == (False, "in_progress")
    assert (w.expected_min, w.target_min) == (2400, 450)
    assert (w.expected_so_far_min, w.target_so_far_min) == (1170, 219)
    # Received so far: 60 + 60 + 15 + 10; the afternoon's session and Thursday's charting are
    # planned and count nowhere yet.
    assert w.ipc_in_hours_min == 145
    assert (w.direct_min, w.direct_sessions) == (50, 1)
    assert w.by_category_min == {"documentation": 135, "individual": 50, "messages": 10}
    assert (w.attainment, w.shortfall_min) == (round(145 / 219, 3), 74)
    assert w.status_sentence() == ("So far this week: 2 h 25 m of 3 h 39 m due by now — behind "
                                   "by 1 h 14 m")


def test_blocks_not_reached_are_upcoming_never_unlogged(three_blocks: Store, add: Add) -> None:
    wednesday_noon_week(add)
    w = week_at(three_blocks, "2026-W47", "2026-11-18 12:00")
    tue, wed, thu = w.occurrences
    assert (tue.booked_over_min, tue.unlogged_min, tue.upcoming_min) == (50, 10, 0)
    # 11:30–12:00 has passed: 15 + 10 honored, 5 unlogged; 12:00–12:30 is still to come.
    assert (wed.honored_min, wed.unlogged_min, wed.upcoming_min) == (25, 5, 30)
    assert (thu.honored_min, thu.unlogged_min, thu.upcoming_min) == (0, 0, 60)
    assert thu.outcome == "upcoming"
    b = w.blocks
    assert (b.count, b.scheduled_min, b.honored_min, b.booked_over_min, b.unlogged_min,
            b.upcoming_min) == (3, 180, 25, 50, 15, 90)


def test_on_track_when_received_covers_what_is_due(three_blocks: Store, add: Add) -> None:
    add("documentation", "2026-11-16 08:30", "12:30")   # 240 in hours on Monday
    w = week_at(three_blocks, "2026-W47", "2026-11-18 12:00")
    assert w.status_sentence() == ("So far this week: 4 h 0 m of 3 h 39 m due by now — on "
                                   "track")
    assert (w.attainment, w.shortfall_min) == (round(240 / 219, 3), 0)


def test_a_partial_day_of_leave_is_pro_rated_by_the_hours_passed(three_blocks: Store,
                                                                  add: Add) -> None:
    three_blocks.add_leave(Leave(day=date(2026, 11, 18), minutes=240))
    w = week_at(three_blocks, "2026-W47", "2026-11-18 12:00")
    # Wednesday expects 240 of its 480 minutes; 210 of 480 scheduled minutes have passed, so
    # 105 are due: 480 + 480 + 105 = 1065 expected by now, 0.1875 × 1065 = 199.7 -> 200.
    assert (w.expected_min, w.target_min) == (2160, 405)
    assert (w.expected_so_far_min, w.target_so_far_min) == (1065, 200)


def test_a_week_not_begun_is_upcoming_with_nothing_counted(three_blocks: Store,
                                                           add: Add) -> None:
    wednesday_noon_week(add)
    add("individual", "2026-11-23 09:00", "09:50")
    w = week_at(three_blocks, "2026-W48", "2026-11-18 12:00")
    assert (w.complete, w.status, w.attainment, w.shortfall_min) == (False, "upcoming", None, 0)
    assert (w.expected_min, w.target_min, w.expected_so_far_min, w.target_so_far_min) == \
        (2400, 450, 0, 0)
    assert (w.direct_min, w.logged_min, w.direct_sessions) == (0, 0, 0)
    assert (w.blocks.upcoming_min, w.blocks.unlogged_min) == (180, 0)
    assert w.status_sentence() == "This week has not begun; nothing is due yet."


def test_future_appointments_count_once_their_time_has_passed(three_blocks: Store,
                                                              add: Add) -> None:
    for day in range(16, 21):
        add("individual", f"2026-11-{day} 09:00", "09:50")
    before = week_at(three_blocks, "2026-W47", "2026-11-16 08:00")
    assert (before.direct_min, before.direct_sessions, before.after_hours_min) == (0, 0, 0)
    tuesday = week_at(three_blocks, "2026-W47", "2026-11-17 09:30")
    assert (tuesday.direct_min, tuesday.direct_sessions) == (80, 2)
    after = week_at(three_blocks, "2026-W47", "2026-11-23 00:00")
    assert (after.complete, after.direct_min, after.direct_sessions) == (True, 250, 5)
    assert after.status == "not_met"


def test_totals_cover_complete_weeks_and_say_how_many_were_left_out(three_blocks: Store,
                                                                    add: Add) -> None:
    add("documentation", "2026-11-10 09:00", "16:30")   # W46: 420 in hours (12:30–13:00 is not)
    wednesday_noon_week(add)
    now = at(three_blocks, "2026-11-18 12:00")
    ledger = load_ledger(three_blocks, Period(date(2026, 11, 9), date(2026, 11, 29)), now)
    assert [w.status for w in ledger.weeks] == ["partly_met", "in_progress", "upcoming"]
    t = ledger.totals
    assert (t.weeks, t.weeks_left_out, t.weeks_with_target) == (1, 2, 1)
    assert (t.ipc_in_hours_min, t.target_min, t.attainment) == (420, 450, round(420 / 450, 3))
    assert t.blocks.upcoming_min == 0


def test_a_week_is_complete_from_its_last_minute(three_blocks: Store, add: Add) -> None:
    wednesday_noon_week(add)
    last = week_at(three_blocks, "2026-W47", "2026-11-22 23:59")
    done = week_at(three_blocks, "2026-W47", "2026-11-23 00:00")
    assert (last.status, done.status) == ("in_progress", "not_met")
    assert (done.ipc_in_hours_min, done.target_so_far_min) == (60 + 60 + 15 + 20 + 60, 450)
