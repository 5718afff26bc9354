"""Timers that forgive: what to log when a timer ran on too long or the computer was away.

A timer left running past the end of the working day (or longer than a limit) asks "still
charting?"; coming back after the screen was locked or the computer slept asks what the gap
was. The window asks; these functions decide what is logged for each answer, so the same
decision holds wherever it is asked, and is tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Entry, Source, TimerState, make_entry
from carelog.core.domain.schedule import ScheduleSet
from carelog.core.domain.timeutil import MINUTE, day_start_utc, to_local

DEFAULT_TIMER_LIMIT_MIN = 180
"""A timer running longer than this asks whether it is still wanted (a setting)."""
AWAY_MIN = 15
"""A stretch this long without the window's clock ticking is a time away (lock, sleep)."""
MAX_TIMER_MIN = 24 * 60


class GapAnswer(StrEnum):
    """What a time away from the computer was, as the therapist says."""

    SESSION = "session"
    MEETING = "meeting"
    BREAK = "break"
    KEEP = "keep"
    """The timer's own work went on: keep it running, log nothing else."""


GAP_CATEGORY: dict[GapAnswer, str] = {
    GapAnswer.SESSION: "individual",
    GapAnswer.MEETING: "meeting",
    GapAnswer.BREAK: "break",
}

GAP_WORDS: dict[GapAnswer, str] = {
    GapAnswer.SESSION: "A session",
    GapAnswer.MEETING: "A meeting",
    GapAnswer.BREAK: "A break",
    GapAnswer.KEEP: "Keep the timer running",
}


@dataclass(frozen=True, slots=True)
class TimerOutcome:
    """What an answer does: the entries to log and the timer afterwards (None: stopped)."""

    entries: list[Entry] = field(default_factory=list)
    timer: TimerState | None = None


def _timer_entry(timer: TimerState, end: int) -> list[Entry]:
    end -= end % MINUTE
    if end - timer.started < MINUTE:
        return []
    return [make_entry(category=timer.category, start=timer.started, end=end, note=timer.note,
                       source=Source.TIMER)]


def overdue_at(timer: TimerState, schedules: ScheduleSet, tz: ZoneInfo,
               limit_min: int = DEFAULT_TIMER_LIMIT_MIN) -> int:
    """The instant a running timer should ask "still charting?".

    The earlier of: the end of the working day it was started on (when it was started inside
    working hours), and the limit after its start.
    """
    by_limit = timer.started + limit_min * MINUTE
    local = to_local(timer.started, tz)
    version = schedules.on(local.date())
    if version is None:
        return by_limit
    minute = local.hour * 60 + local.minute
    ends = [r.end for r in version.ranges(local.date().weekday()) if r.start <= minute < r.end]
    if not ends:
        return by_limit
    day_end = max(r.end for r in version.ranges(local.date().weekday()))
    midnight = day_start_utc(local.date(), tz)
    end_of_day = midnight + day_end * MINUTE
    # A working day whose clocks change keeps its wall-clock end.
    if to_local(end_of_day, tz).date() != local.date():
        end_of_day = day_start_utc(local.date() + timedelta(days=1), tz)
    return min(by_limit, end_of_day)


def stop_at(timer: TimerState, at: int, now: int) -> TimerOutcome:
    """Stop the timer at an earlier instant (the end of the day, or when the work stopped)."""
    if at > now:
        raise BadInput("The timer cannot stop in the future.", field="end")
    if at <= timer.started:
        raise BadInput("The timer must stop after it started.", field="end")
    if at - timer.started > MAX_TIMER_MIN * MINUTE:
        raise BadInput("An entry can last at most 24 hours; stop the timer earlier.",
                       field="end")
    return TimerOutcome(_timer_entry(timer, at), None)


def answer_gap(timer: TimerState | None, gap_start: int, gap_end: int,
               answer: GapAnswer) -> TimerOutcome:
    """What a time away from the computer logs, given what the therapist says it was.

    With a running timer: its work is logged up to the start of the gap, the gap is logged as
    the answer says, and the timer goes on from the end of the gap. KEEP logs nothing and
    keeps the timer as it is. Without a timer the gap alone is logged (KEEP logs nothing).
    """
    gap_start -= gap_start % MINUTE
    gap_end -= gap_end % MINUTE
    if gap_end <= gap_start:
        raise BadInput("The time away must end after it began.", field="end")
    if answer is GapAnswer.KEEP:
        return TimerOutcome([], timer)
    if timer is not None and gap_start < timer.started:
        gap_start = timer.started
    logged: list[Entry] = [] if timer is None else _timer_entry(timer, gap_start)
    if gap_end - gap_start >= MINUTE:
        logged.append(make_entry(category=GAP_CATEGORY[answer], start=gap_start, end=gap_end,
                                 source=Source.TIMER))
    after = None if timer is None else timer.model_copy(update={"started": gap_end})
    return TimerOutcome(logged, after)


def was_away(last_tick: int, now: int, away_min: int = AWAY_MIN) -> bool:
    """True when the clock jumped at least `away_min` minutes since the last tick."""
    return now - last_tick >= away_min * MINUTE


def check_timer_start(timer: TimerState, started: int, now: int) -> TimerState:
    """The timer with another start, refused when the start is in the future or too long ago."""
    started -= started % MINUTE
    if started > now:
        raise BadInput("The timer cannot start in the future.", field="start")
    if now - started > MAX_TIMER_MIN * MINUTE:
        raise BadInput("A timer can run at most 24 hours; choose a later start.", field="start")
    return timer.model_copy(update={"started": started})
