"""Reading an appointment calendar (iCalendar, .ics) into import drafts.

The file is first checked line by line (structure, sizes, recurrence rules that would explode)
so that a bad file is refused with the line that is wrong before any parsing library sees it.
Then icalendar parses it and recurring-ical-events expands recurrences, only inside the period
asked for. Times are read as the calendar gives them: in a VTIMEZONE (Windows names such as
"Pacific Standard Time" included), in UTC, or floating (read in the calendar's X-WR-TIMEZONE when
it has one, else in the user's zone). All-day events are leave candidates, never work.

Titles are used in memory to choose a category (carelog.core.importing.rules) and are never stored.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from carelog.core.domain.errors import BadInput, Remedy
from carelog.core.domain.models import MAX_ENTRY_MINUTES, Source
from carelog.core.domain.schedule import ScheduleSet
from carelog.core.domain.timeutil import (
    DAY_SECONDS,
    MINUTE,
    day_start_utc,
    to_local,
    utc_now,
    zone,
)
from carelog.core.importing.plan import (
    Draft,
    ImportPlan,
    event_key,
    make_plan,
    planned_removals,
    resolve,
)
from carelog.core.importing.rules import RuleSet, load_rules
from carelog.core.importing.text_files import bulk_work, decode_text, read_file_bytes
from carelog.core.store.database import Store
from carelog.core.store.imports import uid_key

if TYPE_CHECKING:
    from icalendar import Calendar

MAX_ALARMS_PER_EVENT = 50
MAX_OCCURRENCES = 50_000
MAX_EXPANSION_SECONDS = 15.0
MAX_INTERVAL = 1000
MAX_PERIOD_DAYS = 5 * 366
DEFAULT_WEEKS_BACK = 8

_LINE_END = re.compile(r"\r\n|\n|\r")
_CONTENT_LINE = re.compile(
    r'^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:')
_SUB_DAILY = {"SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour"}
_FREQS = frozenset({"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


@dataclass
class _Scan:
    """What the line-by-line check learnt: where each top-level event begins."""

    event_lines: list[int] = field(default_factory=list)


@dataclass
class CalendarFile:
    """A calendar file read and checked, ready to be planned against the log."""

    name: str
    calendar: Calendar
    event_lines: list[int]
    zone_hint: ZoneInfo | None
    warnings: list[str]


def default_period(today: date) -> tuple[date, date]:
    """The period imported when none is given: the last 8 weeks, up to the end of today.

    Appointments after today come in only when asked for (--to); they are then planned entries,
    which count once their time has passed.
    """
    return today - timedelta(weeks=DEFAULT_WEEKS_BACK), today


def check_period(first: date, last: date) -> None:
    """Refuse a period that ends before it starts or is longer than five years."""
    if last < first:
        raise BadInput(f"The to date {last} is before the from date {first}.", field="to")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise BadInput("The period is longer than five years.", field="to",
                       remedy=Remedy.SHORTER_PERIOD)


# ----------------------------------------------------------------------------- line check

def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each begins on."""
    current: str | None = None
    begins = 0
    for number, raw in enumerate(_LINE_END.split(text), start=1):
        if current is not None and raw[:1] in (" ", "\t"):
            current += raw[1:]
            continue
        if current is not None:
            yield begins, current
        current, begins = raw, number
    if current is not None:
        yield begins, current


def _check_rrule(value: str, line: int, name: str, in_zone: bool = False) -> None:
    """Refuse a repeat rule that never ends, repeats more than daily, or is not a rule.

    Every rule anywhere in the file is checked: an event's, and a time zone's (which must
    change its clocks at most once a year, as real zones do).
    """
    parts = dict(p.split("=", 1) for p in value.upper().split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq is None:
        raise BadInput(f"Line {line} of {name} has a repeat rule (RRULE) without FREQ.",
                       field="file")
    if freq not in _FREQS:
        raise BadInput(f"Line {line} of {name} has a repeat rule with the unknown frequency "
                       f"'{freq[:20]}'.", field="file")
    if in_zone and freq != "YEARLY":
        raise BadInput(f"Line {line} of {name} makes a time zone change its clocks more often "
                       "than once a year; Carelog reads time zones that change at most yearly.",
                       field="file")
    for key, low, high in (("INTERVAL", 1, MAX_INTERVAL), ("COUNT", 1, 10**9)):
        text = parts.get(key)
        if text is not None and not (text.isdigit() and low <= int(text) <= high):
            raise BadInput(f"Line {line} of {name} has a repeat rule with {key}={text[:20]}; "
                           f"it must be a whole number from {low} to {high}.", field="file")
    if freq in _SUB_DAILY:
        raise BadInput(f"Line {line} of {name} makes an event repeat {_SUB_DAILY[freq]}; "
                       "Carelog imports appointments that repeat at most once a day.",
                       field="file")
    for by in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if "," in parts.get(by, ""):
            raise BadInput(f"Line {line} of {name} makes an event repeat several times a day "
                           f"({by}); Carelog imports appointments that repeat at most once a "
                           "day.", field="file")


def scan_lines(text: str, name: str) -> _Scan:
    """Check the structure line by line; BadInput names the first line that is wrong."""
    scan = _Scan()
    stack: list[tuple[str, int]] = []
    alarms = 0
    finished = False
    for line, content in _logical_lines(text):
        if not content.strip():
            continue
        if finished:
            raise BadInput(f"Line {line} of {name} comes after the end of the calendar "
                           "(END:VCALENDAR).", field="file")
        if not stack and content.strip().upper() != "BEGIN:VCALENDAR":
            raise BadInput(f"The file {name} is not a calendar: line {line} should read "
                           "BEGIN:VCALENDAR.", field="file")
        if not _CONTENT_LINE.match(content):
            raise BadInput(f"Line {line} of {name} is not an iCalendar line (NAME:value).",
                           field="file")
        prop, _, value = content.partition(":")
        prop = prop.split(";", 1)[0].upper()
        value = value.strip()
        if prop == "BEGIN":
            comp = value.upper()
            if comp == "VEVENT" and len(stack) == 1:
                scan.event_lines.append(line)
                alarms = 0
            if comp == "VALARM" and any(c == "VEVENT" for c, _ in stack):
                alarms += 1
                if alarms > MAX_ALARMS_PER_EVENT:
                    raise BadInput(f"The event on line {stack[-1][1]} of {name} has more than "
                                   f"{MAX_ALARMS_PER_EVENT} alarms (line {line}); a calendar "
                                   "this unusual is not imported.", field="file")
            stack.append((comp, line))
        elif prop == "END":
            comp = value.upper()
            if not stack or stack[-1][0] != comp:
                opened = f"{stack[-1][0]} from line {stack[-1][1]}" if stack else "nothing"
                raise BadInput(f"Line {line} of {name} ends {comp} but {opened} is open.",
                               field="file")
            stack.pop()
            finished = not stack
        elif prop in ("RRULE", "EXRULE") and stack:
            _check_rrule(value, line, name, in_zone=any(c == "VTIMEZONE" for c, _ in stack))
    if stack:
        comp, line = stack[-1]
        what = "event" if comp == "VEVENT" else comp
        raise BadInput(f"The calendar {name} is cut short: the {what} that begins on line "
                       f"{line} never ends.", field="file")
    return scan


# ----------------------------------------------------------------------------- reading

def read_calendar(path: Path) -> CalendarFile:
    """Read and check a calendar file (nothing about the log is needed yet)."""
    name = path.name
    text, _ = decode_text(read_file_bytes(path), name, "calendar")
    return parse_calendar(text, name)


def parse_calendar(text: str, name: str) -> CalendarFile:
    """Check and parse calendar text."""
    # icalendar takes a while to import; only an actual calendar import needs it.
    import icalendar  # noqa: PLC0415

    scan = scan_lines(text, name)
    messages: list[str] = []
    try:
        with _library_warnings(messages):
            cal = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise BadInput(f"The calendar {name} could not be read; it does not follow the "
                       "iCalendar format.", field="file") from exc
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    for ev, line in zip(events, scan.event_lines, strict=False):
        if ev.errors:
            prop = ev.errors[0][0] or "a property"
            raise BadInput(f"The event on line {line} of {name} has a {prop} that cannot be "
                           "read.", field="file")
        if "DTSTART" not in ev:
            raise BadInput(f"The event on line {line} of {name} has no start (DTSTART).",
                           field="file")
    messages.extend(_unknown_zones(events, scan.event_lines, name))
    hint: ZoneInfo | None = None
    wr = cal.get("X-WR-TIMEZONE")
    if wr is not None:
        try:
            hint = zone(str(wr))
        except BadInput:
            del cal["X-WR-TIMEZONE"]
            messages.append(f"The calendar names the unknown time zone '{wr}'; its times without "
                            "a zone were read in your zone.")
    return CalendarFile(name, cal, scan.event_lines, hint, messages)


def _unknown_zones(events: list[Any], lines: list[int], name: str) -> list[str]:
    """A warning for each time zone an event names that neither the file nor Carelog knows.

    The calendar library reads such a time as floating (in the user's zone) without a word.
    """
    found: dict[str, int] = {}
    for ev, line in zip(events, lines, strict=False):
        for prop in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            value = ev.get(prop)
            tzid = value.params.get("TZID") if value is not None else None
            dt = getattr(value, "dt", None)
            if tzid and isinstance(dt, datetime) and dt.tzinfo is None:
                found.setdefault(str(tzid), line)
    return [f"Line {line} of {name} names the time zone '{tzid[:60]}', which neither the file "
            "nor Carelog knows; its times were read in your zone." for tzid, line in found.items()]


# ----------------------------------------------------------------------------- planning

def _as_aware(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0), tzinfo=tz)


def _occurrence_text(value: Any, tz: ZoneInfo) -> str:
    """A recurrence id as text that does not depend on how the file wrote its zone."""
    if isinstance(value, datetime):
        return str(int(_as_aware(value, tz).timestamp()))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _in_hours(start: int, end: int, schedules: ScheduleSet, tz: ZoneInfo) -> bool | None:
    """True when [start, end) overlaps the working hours of the schedule in force.

    None when no schedule is in force on its day (none yet, or before the first one begins):
    there are no working hours to be outside of.
    """
    if not schedules or schedules.on(to_local(start, tz).date()) is None:
        return None
    day = to_local(start, tz).date() - timedelta(days=1)
    last = to_local(end, tz).date()
    while day <= last:
        version = schedules.on(day)
        if version is not None:
            midnight = datetime.combine(day, time(0), tzinfo=zone(version.timezone))
            for r in version.ranges(day.weekday()):
                a = int((midnight + timedelta(minutes=r.start)).timestamp())
                b = int((midnight + timedelta(minutes=r.end)).timestamp())
                if a < end and b > start:
                    return True
        day += timedelta(days=1)
    return False


def _lines_by_event(cf: CalendarFile, tz: ZoneInfo) -> tuple[dict[tuple[str, str | None], int],
                                                              set[str]]:
    """Where each (UID, recurrence) begins in the file, and the UIDs that recur."""
    lines: dict[tuple[str, str | None], int] = {}
    recurring: set[str] = set()
    events = [c for c in cf.calendar.subcomponents if c.name == "VEVENT"]
    for ev, line in zip(events, cf.event_lines, strict=False):
        uid = str(ev.get("UID", ""))
        rid = ev.get("RECURRENCE-ID")
        if rid is not None or "RRULE" in ev or "RDATE" in ev:
            recurring.add(uid)
        occurrence = _occurrence_text(rid.dt, tz) if rid is not None else None
        lines.setdefault((uid, occurrence), line)
        lines.setdefault((uid, None), line)
    return lines, recurring


@dataclass
class _Context:
    """Everything turning one occurrence into a draft needs."""

    name: str
    tz: ZoneInfo
    floating: ZoneInfo
    first: date
    last: date
    lines: dict[tuple[str, str | None], int]
    recurring: set[str]
    secret: bytes
    rules: RuleSet
    schedules: ScheduleSet
    backwards: set[str]
    working_on: int = 0  # the line of the event being expanded


def _ending_before_start(cf: CalendarFile) -> set[str]:
    """UIDs of events whose DTEND comes before their DTSTART, as written in the file."""
    found: set[str] = set()
    for event in cf.calendar.walk("VEVENT"):
        raw_start, raw_end = event.get("DTSTART"), event.get("DTEND")
        duration = getattr(event.get("DURATION"), "dt", None)
        if isinstance(duration, timedelta) and duration < timedelta(0):
            found.add(str(event.get("UID", "")))  # a negative DURATION: the end comes first
            continue
        if raw_start is None or raw_end is None:
            continue
        a, b = raw_start.dt, raw_end.dt
        try:
            if b < a:
                found.add(str(event.get("UID", "")))
        except TypeError:  # a date against a date-time, or naive against aware
            continue
    return found


def plan_ics(store: Store, source: Path | CalendarFile, first: date | None = None,
             last: date | None = None, rules: RuleSet | None = None,
             today: date | None = None) -> ImportPlan:
    """What importing this calendar over the period would do (nothing is written).

    The period defaults to the last 8 weeks up to the end of today (the user's today by
    default); recurrences are expanded only inside it. Planned entries (not over yet) inside the
    period whose events were cancelled or are gone from the file are listed for removal.
    """
    # Heavy like icalendar (it imports it): loaded only when a calendar is planned.
    import recurring_ical_events  # type: ignore[import-untyped]  # noqa: PLC0415

    cf = source if isinstance(source, CalendarFile) else read_calendar(source)
    tz = store.tz
    default_first, default_last = default_period(today or to_local(utc_now(), tz).date())
    if first is None:
        first = min(default_first, last) if last is not None else default_first
    if last is None:
        last = max(default_last, first)
    check_period(first, last)
    rules = rules or load_rules(store)
    schedules = store.schedules()
    floating = cf.zone_hint or tz
    lines, recurring = _lines_by_event(cf, floating)
    ctx = _Context(cf.name, tz, floating, first, last, lines, recurring, uid_key(store), rules,
                   schedules, _ending_before_start(cf))
    messages = list(cf.warnings)
    if not schedules:
        messages.append("No schedule is set, so every timed event no rule matches is taken as "
                        f"'{rules.fallback}'.")
    with _library_warnings(messages), bulk_work():
        try:
            query = recurring_ical_events.of(cf.calendar, keep_recurrence_attributes=True)
        except Exception as exc:  # the library raises several kinds for a bad series
            raise BadInput(f"The calendar {cf.name} has an event whose repeats cannot be worked "
                           "out.", field="file") from exc
        drafts = _expand_within_budget(query, ctx)
        rows = resolve(store, drafts)
        removals = planned_removals(store, drafts, first, last)
    return make_plan(store, "ics", cf.name, rows, messages, first, last, removals)


class _OutOfTime(Exception):
    """Raised inside the expansion when its time is up."""


def _expand_within_budget(query: Any, ctx: _Context) -> list[Draft]:
    """_expand with a hard budget of time, naming the event it was working out when time ran out.

    A repeat rule can be valid and still find no day for thousands of years (February the 30th,
    every day); the calendar library then searches until the year 9999. The expansion runs on a
    thread of its own and is stopped (an exception raised in that thread) once its time is up.
    """
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["drafts"] = _expand(query, ctx)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="calendar-expansion", daemon=True)
    worker.start()
    worker.join(MAX_EXPANSION_SECONDS)
    if worker.is_alive() and worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident),
                                                   ctypes.py_object(_OutOfTime))
        worker.join(5.0)
        box.pop("error", None)
        raise BadInput(f"The event on line {ctx.working_on} of {ctx.name} repeats in a way that "
                       f"takes too long to work out (more than {MAX_EXPANSION_SECONDS:g} s); "
                       "remove its repeat rule or import a shorter period.", field="file",
                       remedy=Remedy.SHORTER_PERIOD)
    if "error" in box:
        raise box["error"]
    drafts: list[Draft] = box["drafts"]
    return drafts


def _expand(query: Any, ctx: _Context) -> list[Draft]:
    """Every occurrence inside the period as a draft, in time order (then file order)."""
    lo = day_start_utc(ctx.first, ctx.tz)
    hi = day_start_utc(ctx.last + timedelta(days=1), ctx.tz)
    found: list[tuple[int, int, Draft]] = []
    count = 0
    for series in query.series:
        ctx.working_on = ctx.lines.get((str(series.uid), None), 0)
        try:
            for occ in series.between(ctx.first - timedelta(days=2),
                                      ctx.last + timedelta(days=3)):
                count += 1
                if count > MAX_OCCURRENCES:
                    raise BadInput(f"The calendar {ctx.name} has more than {MAX_OCCURRENCES:,} "
                                   "events in the period.", field="file",
                                   remedy=Remedy.SHORTER_PERIOD)
                made = _draft(occ, ctx)
                if made is None:
                    continue
                line, draft = made
                if draft.leave_days:
                    when = day_start_utc(draft.leave_days[0], ctx.tz)
                elif draft.start is not None and lo <= draft.start < hi:
                    when = draft.start
                else:
                    continue
                found.append((when, line, draft))
        except BadInput:
            raise
        except Exception as exc:  # dateutil and the library raise many kinds for odd rules
            line = ctx.lines.get((str(series.uid), None), 0)
            raise BadInput(f"The event on line {line} of {ctx.name} repeats in a way that cannot "
                           "be worked out.", field="file") from exc
    found.sort(key=lambda x: (x[0], x[1]))
    return [d for _, _, d in found]


@contextlib.contextmanager
def _library_warnings(into: list[str]) -> Iterator[None]:
    """Collect the calendar libraries' warnings as plan warnings instead of printing them.

    Only zone guesses are repeated word for word (they hold a zone name and nothing else);
    other warnings could quote the file, so they are summed up in a sentence.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if w.category.__name__ == "GloballyUniqueTZIDGuessed":
            text = f"{w.message}".split(" by stripping")[0].rstrip(".") + "."
        else:
            text = "Part of the calendar was unusual and was read as well as it could be."
        if text not in into:
            into.append(text)


def _leave_days(start: date, end: Any, ctx: _Context) -> tuple[date, ...]:
    """The days of an all-day event (its end is exclusive) that fall in the period."""
    stop = end.date() if isinstance(end, datetime) else end if isinstance(end, date) else start
    stop = max(stop, start + timedelta(days=1))
    a = max(start, ctx.first)
    b = min(stop, ctx.last + timedelta(days=1))
    return tuple(a + timedelta(days=n) for n in range(max(0, (b - a).days)))


def _draft(occ: Any, ctx: _Context) -> tuple[int, Draft] | None:
    """One occurrence as (line, draft); None for an all-day event outside the period."""
    comp = occ.as_component(True)
    uid = str(comp.get("UID", ""))
    rid = comp.get("RECURRENCE-ID")
    occurrence = _occurrence_text(rid.dt, ctx.floating) if rid is not None else None
    line = ctx.lines.get((uid, occurrence)) or ctx.lines.get((uid, None)) or 0
    title = str(comp.get("SUMMARY", ""))
    key = None
    if uid:
        key = event_key(ctx.secret, uid, occurrence if uid in ctx.recurring else None)
    base: dict[str, Any] = {"where": f"line {line}", "title": title, "key": key,
                            "source": Source.IMPORT_ICS}
    start_value, end_value = occ.start, occ.end
    if isinstance(end_value, timedelta):
        end_value = start_value + end_value
    if not isinstance(start_value, datetime):
        days = _leave_days(start_value, end_value, ctx)
        if not days:
            return None
        return line, Draft(skip=True, leave_days=days,
                           reason="all-day event: a leave candidate, not work", **base)
    start = int(_as_aware(start_value, ctx.floating).timestamp())
    end = int(_as_aware(end_value, ctx.floating).timestamp())
    start -= start % MINUTE
    end -= end % MINUTE
    if uid in ctx.backwards:
        # The calendar library quietly swaps such times; the event itself is wrong.
        return line, Draft(skip=True, start=start, end=end,
                           reason="ends before it starts in the calendar", **base)
    if str(comp.get("STATUS", "")).upper() == "CANCELLED":
        return line, Draft(skip=True, cancelled=True, start=start, end=max(end, start),
                           reason="cancelled in the calendar", **base)
    if end <= start:
        return line, Draft(skip=True, start=start, reason="has no length", **base)
    if end - start > MAX_ENTRY_MINUTES * MINUTE:
        return line, Draft(skip=True, start=start, end=min(end, start + DAY_SECONDS),
                           reason="lasts more than 24 hours; log its days yourself or record "
                                  "leave", **base)
    choice = ctx.rules.choose(title, _in_hours(start, end, ctx.schedules, ctx.tz))
    if choice.category is None:
        return line, Draft(skip=True, start=start, end=end, reason=choice.reason, **base)
    return line, Draft(start=start, end=end, category=choice.category, reason=choice.reason,
                       **base)
