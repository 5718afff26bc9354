"""Schedule versions: working hours, protected blocks and the target rule, from a date onward.

The rule's shapes and their presets are in `target_rules.py`; this module holds the version
that carries one, the set of versions over time, and the checks of a protected block.

A version is read from (and written back to) the TOML file of DESIGN §4.1. Validation reads the
whole file and names the first bad key and its value in one sentence; nothing is saved unless
the whole file is good.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from carelog.core.domain.errors import BadInput, one_line
from carelog.core.domain.fields import CarelogDate
from carelog.core.domain.formatting import clock, fmt_minutes, num
from carelog.core.domain.target_rules import RULE_SHAPES, preset
from carelog.core.domain.target_rules import TargetRule as TargetRule  # also read from here
from carelog.core.domain.timeutil import (
    WEEKDAYS,
    YEARS_TEXT,
    in_years,
    parse_date,
    parse_hhmm_minutes,
    zone,
)
from pydantic import BaseModel, ConfigDict, Field


class TimeRange(BaseModel):
    """A range of the day in minutes after midnight, end exclusive (24:00 allowed as end)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    start: int = Field(ge=0, lt=1440)
    end: int = Field(gt=0, le=1440)

    @property
    def minutes(self) -> int:
        """Length in minutes (on an ordinary day)."""
        return self.end - self.start

    def text(self) -> str:
        """'HH:MM-HH:MM'."""
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


class ProtectedBlock(BaseModel):
    """A weekly protected non-appointment block, e.g. Tue 16:00–17:00."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    day: str
    span: TimeRange
    label: str = "IPC"


class ScheduleVersion(BaseModel):
    """Everything that decides the ledger from effective_from until the next version."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    effective_from: CarelogDate
    timezone: str
    hours: dict[str, tuple[TimeRange, ...]]
    protected: tuple[ProtectedBlock, ...] = ()
    target: TargetRule

    def ranges(self, weekday: int) -> tuple[TimeRange, ...]:
        """Working ranges of a weekday (0 = Monday)."""
        return self.hours.get(WEEKDAYS[weekday], ())

    def blocks(self, weekday: int) -> list[ProtectedBlock]:
        """Protected blocks on a weekday (0 = Monday), in time order."""
        name = WEEKDAYS[weekday]
        return sorted((b for b in self.protected if b.day == name), key=lambda b: b.span.start)

    @property
    def weekly_minutes(self) -> int:
        """Template minutes in an ordinary week."""
        return sum(r.minutes for day in self.hours.values() for r in day)

    def to_toml(self) -> str:
        """The version as the TOML file `schedule set` reads."""
        out = [f'effective_from = "{self.effective_from.isoformat()}"',
               f'timezone = "{self.timezone}"', "", "[hours]"]
        for name in WEEKDAYS:
            if self.hours.get(name):
                items = ", ".join(f'"{r.text()}"' for r in self.hours[name])
                out.append(f"{name} = [{items}]")
        for b in self.protected:
            out += ["", "[[protected]]", f'day = "{b.day}"', f'time = "{b.span.text()}"']
            if b.label != "IPC":
                out.append(f"label = {json.dumps(b.label)}")
        out += ["", "[target]", *self.target.toml_lines()]
        return "\n".join(out) + "\n"

    def to_json_dict(self) -> dict[str, Any]:
        """The version in the same shape as the TOML file, for `schedule show --format json`."""
        return {
            "effective_from": self.effective_from.isoformat(),
            "timezone": self.timezone,
            "hours": {d: [r.text() for r in self.hours[d]] for d in WEEKDAYS if self.hours.get(d)},
            "protected": [{"day": b.day, "time": b.span.text(), "label": b.label}
                          for b in self.protected],
            "target": self.target.model_dump(exclude_none=True),
        }


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ------------------------------------------------------------------------- starting points

@dataclass(frozen=True, slots=True)
class NamedRule:
    """A rule to compare the log against, with the name it is shown under."""

    name: str
    rule: TargetRule

    @classmethod
    def of_preset(cls, key: str) -> NamedRule:
        """The preset with this key (BadInput naming the presets when there is none)."""
        p = preset(key)
        return cls(p.name, p.rule)


def standard_week(effective_from: date, timezone: str, rule: TargetRule,
                  weekly_hours: float = 40.0) -> ScheduleVersion:
    """A Monday–Friday template with one protected hour a day, to start from at first run.

    Hours are 08:30–12:30 and 13:00–17:00, shortened for part time in whole quarter hours
    (32 hours: three days to 15:30 and two to 15:15, never 15:24); the protected hour ends
    each day.
    """
    quarters = round(weekly_hours * 4)
    hours: dict[str, tuple[TimeRange, ...]] = {}
    blocks: list[ProtectedBlock] = []
    for i, d in enumerate(WEEKDAYS[:5]):
        per_day = (quarters // 5 + (1 if i < quarters % 5 else 0)) * 15
        morning = min(per_day, 240)
        afternoon = per_day - morning
        day = [TimeRange(start=510, end=510 + morning)]
        if afternoon:
            day.append(TimeRange(start=780, end=780 + afternoon))
        hours[d] = tuple(day)
        last = day[-1]
        blocks.append(ProtectedBlock(day=d, span=TimeRange(start=max(last.start, last.end - 60),
                                                           end=last.end)))
    return ScheduleVersion(effective_from=effective_from, timezone=timezone, hours=hours,
                           protected=tuple(blocks), target=rule)


def protected_against_target(version: ScheduleVersion) -> tuple[int, int | None]:
    """Minutes of protected blocks in an ordinary week, and the target its hours give.

    The target is None for a rule that depends on appointments held (per appointment).
    """
    blocks = sum(b.span.minutes for b in version.protected)
    if version.target.rule == "per_appointment":
        return blocks, None
    return blocks, round(version.target.day_target(version.weekly_minutes))


def protected_sentence(version: ScheduleVersion) -> str:
    """The blocks beside the target, with the difference explained, in one or two sentences."""
    blocks, target = protected_against_target(version)
    have = f"Your protected blocks add up to {fmt_minutes(blocks)} a week"
    if target is None:
        return (f"{have}; the target depends on the appointments you hold "
                f"({version.target.describe()}).")
    need = (f"; the target for these hours is {fmt_minutes(target)} "
            f"({version.target.describe()}).")
    if blocks == target:
        return f"{have}{need} The blocks cover it exactly."
    if blocks > target:
        return (f"{have}{need} The blocks cover it with {fmt_minutes(blocks - target)} to "
                "spare.")
    return (f"{have}{need} The blocks are {fmt_minutes(target - blocks)} short of it: the rest "
            "has to come from time between appointments, or add blocks.")


# ------------------------------------------------------------------------- parsing

_TOP_KEYS = {"effective_from", "timezone", "hours", "protected", "target"}
_TARGET_KEYS = {"rule", "hours", "rate", "protected_hours", "minutes_per_appointment",
                "meeting_allowance_h", "full_time_h", "partly_met_at", "preset"}
MAX_MINUTES_PER_APPOINTMENT = 120


def _fail(key: str, value: object, why: str) -> BadInput:
    if isinstance(value, str):
        shown = f"'{one_line(value)}'"
    elif isinstance(value, date | time):  # TOML dates, date-times and times
        shown = value.isoformat()
    else:
        try:
            shown = json.dumps(value)
        except (TypeError, ValueError):
            shown = type(value).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return BadInput(f"The key {key} = {shown} {why}.", field=key)


def _parse_range(key: str, text: object) -> TimeRange:
    if not isinstance(text, str) or text.count("-") != 1:
        raise _fail(key, text, "is not a time range like \"08:30-12:30\"")
    a, b = text.split("-")
    try:
        start = parse_hhmm_minutes(a, key)
        end = parse_hhmm_minutes(b, key, allow_24=True)
    except BadInput:
        raise _fail(key, text, "is not a time range like \"08:30-12:30\"") from None
    if end <= start:
        raise _fail(key, text, "ends before it starts")
    return TimeRange(start=start, end=end)


def _number(key: str, value: object, low: float, high: float, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(key, value, "is not a number")
    x = float(value)
    if not math.isfinite(x):
        raise _fail(key, str(value), "is not a finite number")
    if x < 0 and low >= 0:
        raise _fail(key, value, "is negative")
    if x < low or (low_open and x <= low):
        raise _fail(key, value, f"must be {'above' if low_open else 'at least'} {num(low)}")
    if x > high:
        raise _fail(key, value, f"must be at most {num(high)}")
    return x


def _required(raw: dict[str, Any], key: str, rule: str) -> object:
    if raw.get(key) is None:
        raise BadInput(f"The key target.{key} is missing; rule \"{rule}\" needs it.",
                       field=f"target.{key}")
    return raw[key]


def parse_target(raw: object) -> TargetRule:
    """Validate a [target] table (or a preset name) into a TargetRule."""
    if raw is None:
        raise BadInput("The schedule has no [target] table; add one with rule = \"percent\" "
                       "or rule = \"hours\".", field="target")
    if not isinstance(raw, dict):
        raise _fail("target", raw, "must be a table")
    for k in raw:
        if k not in _TARGET_KEYS:
            raise _fail(f"target.{k}", raw[k], "is not a known key")
    if "preset" in raw:
        base = preset(str(raw["preset"])).rule.model_dump(exclude_none=True)
        base.update({k: v for k, v in raw.items() if k != "preset"})
        raw = base
    rule = raw.get("rule")
    if rule not in RULE_SHAPES:
        raise _fail("target.rule", rule, "must be \"hours\", \"percent\", \"floor\" or "
                    "\"per_appointment\"")
    full = _number("target.full_time_h", raw.get("full_time_h", 40), 0, 80, low_open=True)
    allowance = _number("target.meeting_allowance_h", raw.get("meeting_allowance_h", 0), 0, full)
    if allowance >= full:
        raise _fail("target.meeting_allowance_h", raw.get("meeting_allowance_h"),
                    "must be less than full_time_h")
    partly = _number("target.partly_met_at", raw.get("partly_met_at", 0.75), 0, 1, low_open=True)
    common: dict[str, Any] = {"meeting_allowance_h": allowance, "full_time_h": full,
                              "partly_met_at": partly}
    if rule == "hours":
        hours = _number("target.hours", _required(raw, "hours", rule), 0, full)
        return TargetRule(rule="hours", hours=hours, **common)
    if rule == "floor":
        hours = _number("target.hours", _required(raw, "hours", rule), 0, full)
        shown = _required(raw, "protected_hours", rule)
        protected = _number("target.protected_hours", shown, 0, full)
        if protected > hours:
            raise _fail("target.protected_hours", shown,
                        f"is more than target.hours ({num(hours)}); the protected part "
                        "cannot exceed the whole")
        return TargetRule(rule="floor", hours=hours, protected_hours=protected, **common)
    if rule == "per_appointment":
        minutes = _number("target.minutes_per_appointment",
                          _required(raw, "minutes_per_appointment", rule), 0,
                          MAX_MINUTES_PER_APPOINTMENT)
        return TargetRule(rule="per_appointment", minutes_per_appointment=minutes, **common)
    rate = _number("target.rate", _required(raw, "rate", rule), 0, 1)
    return TargetRule(rule="percent", rate=rate, **common)


def parse_target_toml(text: str) -> TargetRule:
    """A rule from TOML text: a [target] table (a whole schedule file will do) or its keys."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"The rule file is not valid TOML: {exc}.", field="rule") from exc
    return parse_target(data.get("target", data))


def parse_schedule(data: dict[str, Any]) -> ScheduleVersion:
    """Validate the whole schedule mapping; raise BadInput naming the first bad key."""
    for k in data:
        if k not in _TOP_KEYS:
            raise _fail(k, data[k], "is not a known key")
    if "effective_from" not in data:
        raise BadInput("The key effective_from is missing; give the first date this schedule "
                       "applies to.", field="effective_from")
    eff = data["effective_from"]
    if isinstance(eff, datetime | time) or not isinstance(eff, date | str):
        raise _fail("effective_from", eff, "is not a date like \"2026-01-05\"")
    if isinstance(eff, date):
        if not in_years(eff):
            raise _fail("effective_from", eff, f"is outside {YEARS_TEXT}")
        effective_from = eff
    else:
        try:
            effective_from = parse_date(eff, "effective_from")
        except BadInput as exc:
            why = (f"is outside {YEARS_TEXT}" if "outside" in exc.message
                   else "is not a date like \"2026-01-05\"")
            raise _fail("effective_from", eff, why) from None
    tzname = data.get("timezone")
    if not isinstance(tzname, str) or not tzname:
        raise BadInput("The key timezone is missing; use an IANA name such as "
                       "\"America/Los_Angeles\".", field="timezone")
    try:
        zone(tzname)
    except BadInput:
        raise _fail("timezone", tzname, "is not a known IANA time zone") from None
    raw_hours = data.get("hours")
    if not isinstance(raw_hours, dict) or not raw_hours:
        raise BadInput("The [hours] table is missing or empty; list the working hours of each "
                       "weekday, e.g. mon = [\"08:30-12:30\"].", field="hours")
    hours: dict[str, tuple[TimeRange, ...]] = {}
    for day, ranges in raw_hours.items():
        if day not in WEEKDAYS:
            raise _fail(f"hours.{day}", ranges, "names an unknown weekday (use mon … sun)")
        if not isinstance(ranges, list):
            raise _fail(f"hours.{day}", ranges, "must be a list of \"HH:MM-HH:MM\" ranges")
        parsed = sorted((_parse_range(f"hours.{day}", r) for r in ranges), key=lambda r: r.start)
        for a, b in itertools.pairwise(parsed):
            if b.start < a.end:
                raise _fail(f"hours.{day}", ranges, f"has overlapping ranges {a.text()} and "
                            f"{b.text()}")
        if parsed:
            hours[day] = tuple(parsed)
    raw_blocks = data.get("protected", [])
    if not isinstance(raw_blocks, list):
        raise _fail("protected", raw_blocks, "must be a list of [[protected]] tables")
    blocks: list[ProtectedBlock] = []
    for i, raw in enumerate(raw_blocks, start=1):
        key = f"protected[{i}]"
        if not isinstance(raw, dict):
            raise _fail(key, raw, "must be a table with day and time")
        for k in raw:
            if k not in ("day", "time", "label"):
                raise _fail(f"{key}.{k}", raw[k], "is not a known key")
        day = raw.get("day")
        if day not in WEEKDAYS:
            raise _fail(f"{key}.day", day, "names an unknown weekday (use mon … sun)")
        span = _parse_range(f"{key}.time", raw.get("time"))
        if not _inside(span, hours.get(str(day), ())):
            raise _fail(f"{key}.time", raw.get("time"),
                        f"is outside the working hours of {day}")
        for other in blocks:
            if other.day == day and span.start < other.span.end and other.span.start < span.end:
                raise _fail(f"{key}.time", raw.get("time"),
                            f"overlaps the other {day} block {other.span.text()}")
        blocks.append(ProtectedBlock(day=str(day), span=span,
                                     label=str(raw.get("label", "IPC"))))
    target = parse_target(data.get("target"))
    return ScheduleVersion(effective_from=effective_from, timezone=tzname, hours=hours,
                           protected=tuple(blocks), target=target)


def _inside(span: TimeRange, ranges: tuple[TimeRange, ...]) -> bool:
    """True when span lies within the union of ranges (adjacent ranges join)."""
    cursor = span.start
    for r in ranges:
        if r.start <= cursor < r.end:
            cursor = r.end
            if cursor >= span.end:
                return True
    return False


def parse_schedule_toml(text: str, name: str | None = None) -> ScheduleVersion:
    """Parse and validate schedule TOML text (from the file called name, when there is one)."""
    what = f"The schedule file {name}" if name else "The schedule file"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{what} is not valid TOML: {exc}.", field="file") from exc
    except RecursionError:
        raise BadInput(f"{what} is nested too deeply to be a schedule.", field="file") from None
    return parse_schedule(data)


def from_json(body: str) -> ScheduleVersion:
    """Rebuild a stored version (kept in the TOML-file shape as JSON); BadInput if it is bad."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise BadInput("The stored schedule is not readable JSON.", field="schedule") from None
    if not isinstance(data, dict):
        raise BadInput("The stored schedule is not a table of keys.", field="schedule")
    return parse_schedule(data)


class ScheduleSet:
    """All versions, answering 'which version is in force on this date?'."""

    def __init__(self, versions: list[ScheduleVersion]) -> None:
        self.versions = sorted(versions, key=lambda v: v.effective_from)
        self._starts = [v.effective_from for v in self.versions]

    def on(self, d: date) -> ScheduleVersion | None:
        """The version in force on d, or None before the first one."""
        i = bisect.bisect_right(self._starts, d) - 1
        return self.versions[i] if i >= 0 else None

    @property
    def latest(self) -> ScheduleVersion | None:
        """The newest version."""
        return self.versions[-1] if self.versions else None

    def __bool__(self) -> bool:
        return bool(self.versions)

    def with_target(self, rule: TargetRule) -> ScheduleSet:
        """The same versions (hours, blocks, zones) under another target rule: a what-if."""
        return ScheduleSet([v.model_copy(update={"target": rule}) for v in self.versions])


def block_exists(schedules: ScheduleSet, day: date, start_minute: int) -> bool:
    """True when the schedule in force on `day` has a protected block starting then."""
    version = schedules.on(day)
    return version is not None and any(b.span.start == start_minute
                                       for b in version.blocks(day.weekday()))


def check_block(schedules: ScheduleSet, day: date, start_minute: int, *, on_leave: bool,
                tagging: bool, shown_time: str | None = None) -> None:
    """Refuse a block that cannot be tagged (or untagged): BadInput naming the date or time.

    The schedule in force on `day` must have a protected block starting at `start_minute`; a
    block on a day of leave does not count, so it cannot be tagged (an old tag can be removed).
    `shown_time` is the time as the person wrote it, for the message (default HH:MM).
    """
    if not block_exists(schedules, day, start_minute):
        shown = shown_time if shown_time is not None else clock(start_minute)
        raise BadInput(f"There is no protected block starting at {shown} on {day} "
                       f"({day:%A}) in the schedule.", field="time")
    if tagging and on_leave:
        raise BadInput(f"{day} is a day of leave, so its protected blocks do not count and "
                       "cannot be tagged.", field="date")
