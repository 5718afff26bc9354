"""Hand-computed weeks, checked field by field against the ledger (DESIGN §2.3)."""

from __future__ import annotations

from datetime import date

from carelog.core.domain.models import BlockTag, ErosionReason, Leave, LeaveType
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.domain.timeutil import Period, parse_week
from carelog.core.ledger.load import load_ledger
from carelog.core.ledger.week import WeekRecord
from carelog.core.store.database import Store

from tests.conftest import STANDARD_TOML, Add


def week(store: Store, label: str) -> WeekRecord:
    monday = parse_week(label)
    return load_ledger(store, Period.covering(monday, monday)).weeks[0]


def fields(w: WeekRecord) -> dict[str, object]:
    return w.to_json()


def kaiser_week(add: Add) -> None:
    """2026-W47 for a 40-hour therapist (Mon 2026-11-16)."""
    add("individual", "2026-11-16 09:00", "11:50")        # 170 direct
    add("documentation", "2026-11-16 12:00", "12:30")     # 30 IPC in hours
    add("break", "2026-11-16 12:30", "13:00")             # 30 break
    add("messages", "2026-11-16 13:00", "14:00")          # 60 IPC in hours
    add("documentation", "2026-11-17 16:00", "17:00")     # 60 IPC in the protected block
    add("treatment_planning", "2026-11-18 08:30", "09:30")  # 60 IPC in hours
    add("meeting", "2026-11-18 10:00", "11:00")           # 60 other
    add("documentation", "2026-11-19 19:00", "20:30")     # 90 IPC after hours


def test_kaiser_published_example_week(scheduled_store: Store, add: Add) -> None:
    kaiser_week(add)
    w = week(scheduled_store, "2026-W47")
    assert fields(w) == {
        "week": "2026-W47", "start": "2026-11-16", "complete": True,
        "scheduled_min": 2400, "leave_min": 0, "expected_min": 2400, "target_min": 450,
        "expected_so_far_min": 2400, "target_so_far_min": 450,
        "ipc_in_hours_min": 210, "ipc_after_hours_min": 90, "after_hours_min": 90,
        "direct_min": 170, "other_min": 60, "break_min": 30,
        "attainment": 0.467, "shortfall_min": 240, "status": "not_met",
        "by_category_min": {"break": 30, "documentation": 180, "individual": 170,
                            "meeting": 60, "messages": 60, "treatment_planning": 60},
        "blocks": {"count": 1, "scheduled_min": 60, "honored_min": 60, "booked_over_min": 0,
                   "diverted_min": 0, "break_min": 0, "unlogged_min": 0, "upcoming_min": 0,
                   "reasons": {}, "escalated": 0},
        "access_days": None,
        # Logged on 1 December (the tests' now), more than 7 days after each day of W47.
        "recorded": {"same_day_min": 0, "within_7_days_min": 0, "later_min": 560},
        "amended": {"entries": 0, "minutes": 0, "reasons": {}},
        # Not a floor rule: nothing flexible.
        "flexible_min": 0,
        "flexible": {"so_far_min": 0, "ipc_min": 0, "direct_min": 0, "other_min": 0,
                     "unlogged_min": 0},
        # Monday's 30-minute lunch is a meal break; Tuesday, Wednesday and Thursday had work
        # and no break; Friday had nothing logged.
        "days_without_break": 3,
        "escalations": {"count": 0, "responded": 0, "resolved": 0},
        "capacity": None,
    }
    assert w.dates_without_break == [date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)]
    assert w.status_sentence() == "Protected time not met: 3 h 30 m of 7 h 30 m, 47 %"


def test_same_week_with_one_8_hour_pto_day(scheduled_store: Store, add: Add) -> None:
    kaiser_week(add)
    scheduled_store.add_leave(Leave(day=date(2026, 11, 20), minutes=480, type=LeaveType.PTO))
    w = week(scheduled_store, "2026-W47")
    assert (w.scheduled_min, w.leave_min, w.expected_min, w.target_min) == (2400, 480, 1920, 360)
    assert (w.ipc_in_hours_min, w.attainment, w.shortfall_min, w.status) == \
        (210, 0.583, 150, "not_met")


def test_whole_day_leave_makes_that_days_work_after_hours(scheduled_store: Store,
                                                          add: Add) -> None:
    scheduled_store.add_leave(Leave(day=date(2026, 11, 17), type=LeaveType.SICK))
    add("messages", "2026-11-17 10:00", "10:30")
    add("messages", "2026-11-16 10:00", "10:30")
    w = week(scheduled_store, "2026-W47")
    assert (w.leave_min, w.expected_min, w.target_min) == (480, 1920, 360)
    assert (w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min) == (30, 30, 30)
    # The Tuesday block fell on leave: not counted at all.
    assert w.blocks.count == 0


def test_partial_leave_only_lowers_expected(scheduled_store: Store, add: Add) -> None:
    scheduled_store.add_leave(Leave(day=date(2026, 11, 16), minutes=240))
    add("messages", "2026-11-16 14:00", "14:30")
    w = week(scheduled_store, "2026-W47")
    assert (w.leave_min, w.expected_min, w.target_min) == (240, 2160, 405)
    assert (w.ipc_in_hours_min, w.after_hours_min) == (30, 0)


def test_point_eight_fte_template(store: Store, add: Add) -> None:
    toml = STANDARD_TOML.replace('fri = ["08:30-12:30", "13:00-17:00"]\n', "")
    store.save_schedule(parse_schedule_toml(toml))
    add("documentation", "2026-11-20 09:00", "10:00")  # Friday is not a working day
    w = week(store, "2026-W47")
    assert (w.scheduled_min, w.expected_min, w.target_min) == (1920, 1920, 360)
    assert (w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min) == (0, 60, 60)
    hours_rule = toml.replace('rule = "percent"', 'rule = "hours"\nhours = 7.0') \
        .replace("rate = 0.20\n", "")
    store.save_schedule(parse_schedule_toml(hours_rule))
    assert week(store, "2026-W47").target_min == 336  # 7 h × 32 / 40


def test_week_fully_on_leave_has_no_target(scheduled_store: Store, add: Add) -> None:
    for day in range(16, 21):
        scheduled_store.add_leave(Leave(day=date(2026, 11, day), type=LeaveType.HOLIDAY))
    add("messages", "2026-11-18 09:00", "09:20")
    w = week(scheduled_store, "2026-W47")
    assert (w.scheduled_min, w.leave_min, w.expected_min, w.target_min) == (2400, 2400, 0, 0)
    assert (w.status, w.attainment, w.shortfall_min) == ("no_target", None, 0)
    assert (w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min) == (0, 20, 20)
    assert w.status_sentence().startswith("No protected-time target")


def test_block_booked_over_and_ipc_moved_to_the_evening(scheduled_store: Store,
                                                        add: Add) -> None:
    add("urgent", "2026-11-17 16:00", "16:50")
    add("messages", "2026-11-17 19:00", "20:00")
    scheduled_store.save_block_tag(BlockTag(day=date(2026, 11, 17), start_minute=960,
                                            reason=ErosionReason.URGENT_OVERFLOW,
                                            escalated=True))
    w = week(scheduled_store, "2026-W47")
    assert w.blocks.to_json() == {
        "count": 1, "scheduled_min": 60, "honored_min": 0, "booked_over_min": 50,
        "diverted_min": 0, "break_min": 0, "unlogged_min": 10, "upcoming_min": 0,
        "reasons": {"urgent_overflow": 1}, "escalated": 1}
    assert (w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min) == (0, 60, 60)
    [occ] = w.occurrences
    assert occ.outcome == "booked over 50 m, unlogged 10 m"
    assert occ.reason is ErosionReason.URGENT_OVERFLOW and occ.escalated


def test_block_diverted_and_break(scheduled_store: Store, add: Add) -> None:
    add("meeting", "2026-11-17 16:00", "16:30")
    add("break", "2026-11-17 16:30", "16:45")
    add("documentation", "2026-11-17 16:45", "17:00")
    b = week(scheduled_store, "2026-W47").blocks
    assert (b.honored_min, b.diverted_min, b.break_min, b.unlogged_min) == (15, 30, 15, 0)


def test_charting_across_midnight(scheduled_store: Store, add: Add) -> None:
    add("documentation", "2026-11-16 23:30", "2026-11-17 00:30")
    w = week(scheduled_store, "2026-W47")
    assert (w.ipc_after_hours_min, w.after_hours_min, w.by_category_min) == \
        (60, 60, {"documentation": 60})


def test_entry_across_the_week_edge_is_split(scheduled_store: Store, add: Add) -> None:
    add("documentation", "2026-11-22 23:30", "2026-11-23 08:45")
    w47, w48 = load_ledger(scheduled_store, Period.covering(date(2026, 11, 22),
                                                            date(2026, 11, 23))).weeks
    assert (w47.ipc_after_hours_min, w47.ipc_in_hours_min) == (30, 0)
    # Monday 00:00–08:30 after hours (510), 08:30–08:45 in hours (15).
    assert (w48.ipc_after_hours_min, w48.ipc_in_hours_min) == (510, 15)


def test_spring_forward_week_has_real_minutes(scheduled_store: Store, add: Add) -> None:
    # Saturday 23:00 to Sunday 04:00 across 2026-03-08's skipped hour: four real hours.
    add("documentation", "2026-03-07 23:00", "2026-03-08 04:00")
    w = week(scheduled_store, "2026-W10")
    assert (w.scheduled_min, w.target_min) == (2400, 450)
    assert w.ipc_after_hours_min == 240


def test_fall_back_week_has_real_minutes(scheduled_store: Store, add: Add) -> None:
    # 00:30 to 02:30 on 2026-11-01 spans the repeated hour: three real hours.
    add("documentation", "2026-11-01 00:30", "2026-11-01 02:30")
    assert week(scheduled_store, "2026-W44").ipc_after_hours_min == 180


def test_working_hours_across_fall_back_count_the_repeated_hour(store: Store) -> None:
    toml = STANDARD_TOML.replace('[[protected]]', 'sun = ["00:30-02:30"]\n[[protected]]', 1)
    toml = toml.replace('[hours]\nmon', '[hours]\nmon', 1)
    store.save_schedule(parse_schedule_toml(toml))
    assert week(store, "2026-W44").scheduled_min == 2400 + 180
    assert week(store, "2026-W45").scheduled_min == 2400 + 120


def test_schedule_change_in_the_middle_of_a_week(store: Store, add: Add) -> None:
    store.save_schedule(parse_schedule_toml(STANDARD_TOML))
    part_time = (STANDARD_TOML.replace('"2026-01-05"', '"2026-11-18"')
                 .replace('fri = ["08:30-12:30", "13:00-17:00"]\n', "")
                 .replace('rule = "percent"', 'rule = "hours"\nhours = 7.0')
                 .replace("rate = 0.20\n", ""))
    store.save_schedule(parse_schedule_toml(part_time))
    add("documentation", "2026-11-20 10:00", "11:00")  # Friday: no longer a working day
    w = week(store, "2026-W47")
    # Mon+Tue: 960 min at 20 % × 37.5/40 = 180; Wed+Thu: 960 min at 7 h/40 h = 168.
    assert (w.scheduled_min, w.expected_min, w.target_min) == (1920, 1920, 348)
    assert w.ipc_after_hours_min == 60
    # The week before is untouched by the new version.
    assert week(store, "2026-W46").scheduled_min == 2400


def test_lunch_skipped_for_messages_is_work_outside_paid_hours(scheduled_store: Store,
                                                               add: Add) -> None:
    add("messages", "2026-11-16 12:30", "13:00")
    w = week(scheduled_store, "2026-W47")
    assert (w.ipc_in_hours_min, w.ipc_after_hours_min, w.after_hours_min, w.break_min) == \
        (0, 30, 30, 0)


def test_breaks_are_never_work(scheduled_store: Store, add: Add) -> None:
    add("break", "2026-11-16 18:00", "18:30")
    w = week(scheduled_store, "2026-W47")
    assert (w.break_min, w.after_hours_min, w.other_min) == (30, 0, 0)


def test_status_thresholds(scheduled_store: Store, add: Add) -> None:
    add("documentation", "2026-11-16 08:30", "12:30")  # 240
    add("documentation", "2026-11-17 08:30", "10:30")  # 120 -> 360 of 450 = 0.8
    assert week(scheduled_store, "2026-W47").status == "partly_met"
    add("documentation", "2026-11-18 08:30", "10:00")  # 450 of 450
    w = week(scheduled_store, "2026-W47")
    assert (w.status, w.attainment, w.shortfall_min) == ("met", 1.0, 0)


def test_access_days_is_the_latest_observation_of_the_week(scheduled_store: Store) -> None:
    from carelog.core.domain.models import AccessObservation

    scheduled_store.log_access(AccessObservation(day=date(2026, 11, 16), days=21))
    scheduled_store.log_access(AccessObservation(day=date(2026, 11, 19), days=14))
    assert week(scheduled_store, "2026-W47").access_days == 14


def test_no_schedule_means_no_target_and_everything_after_hours(store: Store, add: Add) -> None:
    add("documentation", "2026-11-16 10:00", "11:00")
    w = week(store, "2026-W47")
    assert (w.scheduled_min, w.target_min, w.status, w.after_hours_min) == \
        (0, 0, "no_target", 60)


def test_totals_are_sums_with_attainment_recomputed(scheduled_store: Store, add: Add) -> None:
    kaiser_week(add)
    add("documentation", "2026-11-09 09:00", "16:30")  # W46: 7 h 30 in hours (lunch gap excl.)
    ledger = load_ledger(scheduled_store, Period.covering(date(2026, 11, 9), date(2026, 11, 22)))
    w46, w47 = ledger.weeks
    assert w46.ipc_in_hours_min == 420 and w46.ipc_after_hours_min == 30
    t = ledger.totals
    assert t.target_min == 900
    assert t.ipc_in_hours_min == 630
    assert t.attainment == 0.7
    assert t.shortfall_min == w46.shortfall_min + w47.shortfall_min
    assert (t.weeks, t.weeks_with_target, t.weeks_met) == (2, 2, 0)


# ----------------------------------------------------------------------------- rule shapes

FLOOR_TOML = STANDARD_TOML.replace(
    'rule = "percent"\nrate = 0.20\nmeeting_allowance_h = 2.5',
    'rule = "floor"\nhours = 6.0\nprotected_hours = 4.0')
PER_APPOINTMENT_TOML = STANDARD_TOML.replace(
    'rule = "percent"\nrate = 0.20\nmeeting_allowance_h = 2.5',
    'rule = "per_appointment"\nminutes_per_appointment = 10')


def test_floor_week_judged_on_the_protected_part(store: Store, add: Add) -> None:
    """Kaiser's SoCal Oct 2024 offer shape: 6 h per 40 h, of which 4 h protected."""
    store.save_schedule(parse_schedule_toml(FLOOR_TOML))
    kaiser_week(add)
    add("documentation", "2026-11-20 08:30", "10:00")    # 90 more IPC in hours (Friday)
    w = week(store, "2026-W47")
    # Protected part 4 h × 2400 / 2400 = 240; flexible part (6 − 4) h × 2400 / 2400 = 120.
    assert (w.target_min, w.flexible_min) == (240, 120)
    # IPC in paid hours: 30 + 60 + 60 + 60 + 90 = 300 of 240 → met, 125 %.
    assert (w.ipc_in_hours_min, w.attainment, w.status, w.shortfall_min) == \
        (300, 1.25, "met", 0)
    # The 60 minutes beyond the protected part went to the flexible part; the other 60 were
    # displaced. In paid hours there were 170 min of direct care (Monday's session) and 60 of
    # other work (Wednesday's meeting): 60 × 170 / 230 = 44.3 → 44 direct, 16 other.
    assert w.flexible.to_json() == {"so_far_min": 120, "ipc_min": 60, "direct_min": 44,
                                       "other_min": 16, "unlogged_min": 0}
    assert w.flexible.displaced_min == 60


def test_floor_week_short_of_the_protected_part(store: Store, add: Add) -> None:
    store.save_schedule(parse_schedule_toml(FLOOR_TOML))
    kaiser_week(add)
    w = week(store, "2026-W47")
    # 210 of 240: partly met (87.5 %); nothing left over for the flexible part, which was all
    # displaced: 120 × 170 / 230 = 88.7 → 89 direct, 31 other.
    assert (w.attainment, w.status, w.shortfall_min) == (0.875, "partly_met", 30)
    assert w.flexible.to_json() == {"so_far_min": 120, "ipc_min": 0, "direct_min": 89,
                                       "other_min": 31, "unlogged_min": 0}


def test_floor_with_little_logged_leaves_the_flexible_part_unlogged(store: Store,
                                                                    add: Add) -> None:
    store.save_schedule(parse_schedule_toml(FLOOR_TOML))
    store.add_leave(Leave(day=date(2026, 11, 20), minutes=480, type=LeaveType.PTO))
    add("individual", "2026-11-16 09:00", "09:50")       # 50 direct in hours
    add("admin", "2026-11-16 10:00", "10:20")            # 20 other in hours
    w = week(store, "2026-W47")
    # Expected 1920: protected 4 × 1920 / 2400 = 192, flexible 2 × 1920 / 2400 = 96; only 70
    # minutes of other work to account for the 96 displaced, so 26 are unlogged.
    assert (w.target_min, w.flexible_min, w.status) == (192, 96, "not_met")
    assert w.flexible.to_json() == {"so_far_min": 96, "ipc_min": 0, "direct_min": 50,
                                       "other_min": 20, "unlogged_min": 26}


def per_appointment_week(add: Add) -> None:
    """2026-W47: six appointments held, one of them on Saturday, and 50 minutes of IPC."""
    add("individual", "2026-11-16 09:00", "09:50")
    add("documentation", "2026-11-16 09:50", "10:00")     # 10 IPC in hours
    add("individual", "2026-11-16 10:00", "10:50")
    add("documentation", "2026-11-16 10:50", "11:00")     # 10 IPC in hours
    add("intake", "2026-11-16 11:00", "11:50")
    add("group", "2026-11-18 13:00", "14:30")
    add("urgent", "2026-11-19 15:00", "15:30")
    add("messages", "2026-11-19 16:00", "16:30")          # 30 IPC in hours
    add("urgent", "2026-11-21 10:00", "10:30")            # Saturday: held, after hours


def test_per_appointment_week(store: Store, add: Add) -> None:
    """10 minutes of protected time for each direct-care appointment held."""
    store.save_schedule(parse_schedule_toml(PER_APPOINTMENT_TOML))
    per_appointment_week(add)
    w = week(store, "2026-W47")
    # Six appointments held × 10 = 60; 50 received in paid hours: 83 %, partly met.
    assert w.direct_sessions == 6
    assert (w.target_min, w.target_so_far_min) == (60, 60)
    assert (w.ipc_in_hours_min, w.attainment, w.status, w.shortfall_min) == \
        (50, 0.833, "partly_met", 10)
    # The expected hours play no part in this rule.
    store.add_leave(Leave(day=date(2026, 11, 17), type=LeaveType.PTO))
    assert week(store, "2026-W47").target_min == 60


def test_per_appointment_week_in_progress_counts_appointments_held_so_far(
        store: Store, add: Add) -> None:
    # Now is Tuesday 1 December 2026, noon (W49).
    store.save_schedule(parse_schedule_toml(PER_APPOINTMENT_TOML))
    add("individual", "2026-11-30 09:00", "09:50")
    add("documentation", "2026-11-30 09:50", "10:00")     # 10 IPC
    add("individual", "2026-11-30 10:00", "10:50")
    add("individual", "2026-12-01 09:00", "09:50")
    add("messages", "2026-12-01 10:00", "10:20")          # 20 IPC
    add("individual", "2026-12-01 11:30", "12:20")        # started before noon: held
    add("individual", "2026-12-01 14:00", "14:50")        # planned for the afternoon
    w = week(store, "2026-W49")
    # Held by now: 4 → 40 due; the week's whole target counts the planned one too: 50.
    assert (w.status, w.direct_sessions) == ("in_progress", 4)
    assert (w.target_min, w.target_so_far_min) == (50, 40)
    assert (w.ipc_in_hours_min, w.attainment, w.shortfall_min) == (30, 0.75, 10)


def test_floor_week_in_progress_prorates_both_parts(store: Store, add: Add) -> None:
    # Now is Tuesday 1 December 2026, noon: Monday's 480 minutes and 210 of Tuesday's are due.
    store.save_schedule(parse_schedule_toml(FLOOR_TOML))
    add("documentation", "2026-11-30 09:00", "10:00")     # 60 IPC
    add("individual", "2026-11-30 10:00", "10:50")        # 50 direct
    add("messages", "2026-12-01 08:30", "08:45")          # 15 IPC
    w = week(store, "2026-W49")
    # Due by now: protected 4 × 690 / 2400 h = 69, flexible 2 × 690 / 2400 h = 34.5 → 35.
    assert (w.expected_so_far_min, w.target_so_far_min) == (690, 69)
    assert (w.target_min, w.flexible_min) == (240, 120)
    assert (w.ipc_in_hours_min, w.attainment, w.shortfall_min) == (75, 1.087, 0)
    # 6 minutes beyond the protected part so far; 29 displaced, all by the 50 of direct care.
    assert w.flexible.to_json() == {"so_far_min": 35, "ipc_min": 6, "direct_min": 29,
                                       "other_min": 0, "unlogged_min": 0}


def test_totals_add_the_flexible_parts(store: Store, add: Add) -> None:
    store.save_schedule(parse_schedule_toml(FLOOR_TOML))
    kaiser_week(add)
    ledger = load_ledger(store, Period.covering(date(2026, 11, 9), date(2026, 11, 22)))
    t = ledger.totals
    # W46 logged nothing: its 120 flexible minutes are all unlogged; W47 as above.
    assert t.flexible_min == 240
    assert t.flexible.to_json() == {"so_far_min": 240, "ipc_min": 0, "direct_min": 89,
                                       "other_min": 31, "unlogged_min": 120}
