"""The therapist's desk in core: changing many entries at once, searching the log, the personal
CSV, and the forgiving timer's decisions."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from carelog.core.cli.remedies import cli_sentence
from carelog.core.domain.categories import CategoryClass
from carelog.core.domain.errors import OverlapError, ReasonNeeded, Remedy
from carelog.core.domain.forgiving_timer import (
    GapAnswer,
    answer_gap,
    check_timer_start,
    overdue_at,
    stop_at,
    was_away,
)
from carelog.core.domain.history import Reason, ReasonCode, Via
from carelog.core.domain.log_filter import LogFilter
from carelog.core.domain.models import Source, TimerState
from carelog.core.domain.timeutil import parse_local
from carelog.core.exporting.personal import entries_csv
from carelog.core.store.database import Store

from tests.conftest import python


def t(store: Store, text: str) -> int:
    return parse_local(text, store.tz)


def _add(store: Store, category: str, start: str, end: str, note: str = "") -> int:
    return int(store.add_entry(category, t(store, start), t(store, f"{start[:10]} {end}"),
                               note=note, via=Via.CLI)[0].id or 0)


# ----------------------------------------------------------------------------- many at once

def test_moving_many_entries_is_one_undo_step_with_history(scheduled_store: Store) -> None:
    s = scheduled_store
    a = _add(s, "documentation", "2026-11-16 09:00", "09:30")
    b = _add(s, "messages", "2026-11-16 09:30", "10:00")
    moved = s.change_entries([a, b], shift_min=15, via=Via.LOG)
    assert [(e.start, e.end) for e in moved] == [
        (t(s, "2026-11-16 09:15"), t(s, "2026-11-16 09:45")),
        (t(s, "2026-11-16 09:45"), t(s, "2026-11-16 10:15"))]
    assert s.undo_label() == "move 2 entries 15 min later"
    assert [e.via for e in s.history(a)][-1] is Via.LOG
    s.undo()
    assert [e.start for e in s.all_entries()] == [t(s, "2026-11-16 09:00"),
                                                  t(s, "2026-11-16 09:30")]


def test_a_category_change_and_a_move_together(scheduled_store: Store) -> None:
    s = scheduled_store
    a = _add(s, "documentation", "2026-11-16 09:00", "09:30")
    [changed] = s.change_entries([a], category="messages", shift_min=-30, via=Via.LOG)
    assert changed.category == "messages" and changed.start == t(s, "2026-11-16 08:30")
    assert s.undo_label() == "change 1 entry to Messages, move them 30 min earlier"


def test_a_move_onto_another_entry_is_refused_and_nothing_moves(scheduled_store: Store) -> None:
    s = scheduled_store
    a = _add(s, "documentation", "2026-11-16 09:00", "09:30")
    _add(s, "individual", "2026-11-16 10:00", "10:50")
    with pytest.raises(OverlapError) as err:
        s.change_entries([a], shift_min=45, via=Via.LOG)
    assert err.value.message == "2026-11-16 09:45–10:15 overlaps Session 10:00–10:50."
    assert s.get_entry(a).start == t(s, "2026-11-16 09:00")


def test_a_sealed_week_needs_a_reason_for_a_batch_change(scheduled_store: Store) -> None:
    s = scheduled_store
    a = _add(s, "documentation", "2026-11-16 09:00", "09:30")
    s.seal_weeks([("2026-W47", t(s, "2026-11-16 00:00"), t(s, "2026-11-23 00:00"))])
    with pytest.raises(ReasonNeeded):
        s.change_entries([a], category="messages", via=Via.LOG)
    s.change_entries([a], category="messages", via=Via.LOG,
                     reason=Reason(ReasonCode.CORRECTION, "wrong category"))
    assert s.amendment_reasons("2026-W47") == {"correction": 1}


# ----------------------------------------------------------------------------- searching

def test_search_pages_newest_first_and_filters(scheduled_store: Store) -> None:
    s = scheduled_store
    for day in range(16, 21):
        _add(s, "documentation", f"2026-11-{day} 09:00", "09:30", note=f"day {day}")
        _add(s, "individual", f"2026-11-{day} 10:00", "10:50")
    everything = LogFilter()
    first = s.search_entries(everything, limit=4)
    assert [e.start for e in first] == sorted((e.start for e in first), reverse=True)
    rest = s.search_entries(everything, before=(first[-1].start, int(first[-1].id or 0)))
    assert len(first) + len(rest) == 10 and not {e.id for e in first} & {e.id for e in rest}
    assert s.count_matching(everything) == (10, 5 * 80)
    ipc = LogFilter(classes=frozenset({CategoryClass.IPC}))
    assert {e.category for e in s.search_entries(ipc)} == {"documentation"}
    period = LogFilter(first=date(2026, 11, 17), last=date(2026, 11, 18))
    assert s.count_matching(period)[0] == 4
    assert [e.note for e in s.search_entries(LogFilter(text="DAY 19"))] == ["day 19"]
    imported = LogFilter(sources=frozenset({Source.IMPORT_ICS}))
    assert s.search_entries(imported) == []
    none = LogFilter(categories=frozenset({"individual"}),
                     classes=frozenset({CategoryClass.IPC}))
    assert s.count_matching(none) == (0, 0)


def test_the_personal_csv_is_what_carelog_list_writes(scheduled_store: Store,
                                                      db_path: Path) -> None:
    s = scheduled_store
    _add(s, "documentation", "2026-11-16 09:00", "09:30", note='a "quoted"\nnote')
    _add(s, "individual", "2026-11-16 10:00", "10:50")
    listed = subprocess.run([python(), "-m", "carelog.core.cli", "--db", str(db_path), "list",
                             "--format", "csv"], capture_output=True, check=True).stdout
    written = entries_csv(s.search_entries(LogFilter(), limit=None)[::-1], s.tz, 0)
    assert written.encode() == listed


# ----------------------------------------------------------------------------- the timer

def test_a_timer_is_overdue_at_the_end_of_the_working_day_or_the_limit(
        scheduled_store: Store) -> None:
    s = scheduled_store
    charting = TimerState(category="documentation", started=t(s, "2026-11-16 15:30"))
    assert overdue_at(charting, s.schedules(), s.tz) == t(s, "2026-11-16 17:00")
    early = TimerState(category="documentation", started=t(s, "2026-11-16 09:00"))
    assert overdue_at(early, s.schedules(), s.tz) == t(s, "2026-11-16 12:00")
    evening = TimerState(category="documentation", started=t(s, "2026-11-16 19:00"))
    assert overdue_at(evening, s.schedules(), s.tz, limit_min=60) == t(s, "2026-11-16 20:00")


def test_stopping_an_overdue_timer_at_the_end_of_the_day(scheduled_store: Store) -> None:
    s = scheduled_store
    timer = TimerState(category="documentation", started=t(s, "2026-11-16 15:30"), note="x")
    out = stop_at(timer, t(s, "2026-11-16 17:00"), now=t(s, "2026-11-16 21:00"))
    [e] = out.entries
    assert (e.start, e.end, e.note, e.source) == (timer.started, t(s, "2026-11-16 17:00"),
                                                  "x", Source.TIMER)
    assert out.timer is None


@pytest.mark.parametrize(("answer", "category"), [(GapAnswer.SESSION, "individual"),
                                                  (GapAnswer.MEETING, "meeting"),
                                                  (GapAnswer.BREAK, "break")])
def test_a_time_away_is_logged_as_the_answer_and_the_timer_goes_on(
        scheduled_store: Store, answer: GapAnswer, category: str) -> None:
    s = scheduled_store
    timer = TimerState(category="documentation", started=t(s, "2026-11-16 09:00"))
    away, back = t(s, "2026-11-16 09:20"), t(s, "2026-11-16 10:10")
    out = answer_gap(timer, away, back, answer)
    assert [(e.category, e.start, e.end) for e in out.entries] == [
        ("documentation", timer.started, away), (category, away, back)]
    assert out.timer == timer.model_copy(update={"started": back})
    s.timer_start("documentation", at=timer.started)
    s.apply_timer_outcome(out, label="time away")
    assert s.timer() == out.timer and s.count_entries() == 2
    s.undo()
    assert s.count_entries() == 0


def test_keeping_the_timer_logs_nothing(scheduled_store: Store) -> None:
    s = scheduled_store
    timer = TimerState(category="documentation", started=t(s, "2026-11-16 09:00"))
    out = answer_gap(timer, t(s, "2026-11-16 09:20"), t(s, "2026-11-16 10:10"), GapAnswer.KEEP)
    assert out.entries == [] and out.timer == timer
    assert was_away(0, 15 * 60) and not was_away(0, 14 * 60)


def test_the_running_timer_start_can_be_moved(scheduled_store: Store) -> None:
    s = scheduled_store
    s.timer_start("documentation", at=t(s, "2026-11-16 09:30"))
    moved = s.timer_set_start(t(s, "2026-11-16 09:10"), now=t(s, "2026-11-16 10:00"))
    assert s.timer() == moved and moved.started == t(s, "2026-11-16 09:10")
    with pytest.raises(Exception, match="future"):
        check_timer_start(moved, t(s, "2026-11-16 11:00"), t(s, "2026-11-16 10:00"))


def test_the_last_entry_is_the_one_that_began_last_before_now(scheduled_store: Store) -> None:
    s = scheduled_store
    _add(s, "documentation", "2026-11-16 09:00", "09:30")
    later = _add(s, "messages", "2026-11-16 10:00", "10:10")
    _add(s, "individual", "2026-11-16 15:00", "15:50")  # planned: after now
    found = s.last_entry(t(s, "2026-11-16 11:00"))
    assert found is not None and found.id == later


# ----------------------------------------------------------------------------- words

def test_the_remaining_hints_are_remedies_worded_by_each_front_end() -> None:
    from carelog.core.domain.errors import BadInput

    column = BadInput("The file a.csv has no column for the end or the minutes.",
                      remedy=Remedy.NAME_COLUMN, about=("end", "minutes"))
    assert cli_sentence(column).endswith(
        "name one with --column end=HEADER or --column minutes=HEADER.")
    assert "--" not in column.message


def test_part_time_is_split_in_whole_quarter_hours() -> None:
    from carelog.core.domain.schedule import protected_sentence, standard_week
    from carelog.core.domain.target_rules import PRESETS

    week = standard_week(date(2026, 11, 16), "UTC", PRESETS[0].rule, 32.0)
    ends = [week.ranges(i)[-1].end for i in range(5)]
    assert all(end % 15 == 0 for end in ends) and week.weekly_minutes == 32 * 60
    assert protected_sentence(week).startswith("Your protected blocks add up to 5 h 0 m a week")


def test_an_export_file_is_named_by_its_period() -> None:
    from carelog.core.domain.timeutil import Period
    from carelog.core.exporting.committee import export_file_name

    october = Period.of_month(date(2026, 10, 1), date(2026, 10, 31), "October 2026")
    assert export_file_name(october, "pdf") == "Protected time — October 2026.pdf"
    weeks = Period(date(2026, 11, 16), date(2026, 11, 29))
    assert export_file_name(weeks, "csv") == "Protected time — 16–29 Nov 2026.csv"
