"""Schedule versions: working hours, protected blocks and the target rule, from a date onward.

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
from datetime import date
from typing import Any, Literal

from carelog.core.domain.errors import BadInput
from carelog.core.domain.formatting import clock, fmt_minutes
from carelog.core.domain.timeutil import WEEKDAYS, parse_date, parse_hhmm_minutes, zone
from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_NOTE = "example — check your own contract"


class TimeRange(BaseModel):
    """A range of the day in minutes after midnight, end exclusive (24:00 allowed as end)."""

    model_config = ConfigDict(frozen=True)

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

    model_config = ConfigDict(frozen=True)

    day: str
    span: TimeRange
    label: str = "IPC"


class TargetRule(BaseModel):
    """How a week's protected-time target is computed from its expected minutes."""

    model_config = ConfigDict(frozen=True)

    rule: Literal["hours", "percent"]
    hours: float | None = None
    rate: float | None = None
    meeting_allowance_h: float = 0.0
    full_time_h: float = 40.0
    partly_met_at: float = 0.75

    def day_target(self, expected_min: float) -> float:
        """The unrounded target minutes for a day with this many expected minutes."""
        if self.rule == "hours":
            return (self.hours or 0.0) * expected_min / self.full_time_h
        share = 1.0 - self.meeting_allowance_h / self.full_time_h
        return (self.rate or 0.0) * expected_min * share

    def describe(self) -> str:
        """The rule in words, e.g. '20 % of expected hours after a 2.5 h meeting allowance'."""
        if self.rule == "hours":
            hours, full = _num(self.hours or 0), _num(self.full_time_h)
            return f"{hours} h of protected time per {full} h week"
        text = f"{_num((self.rate or 0) * 100)} % of expected hours"
        if self.meeting_allowance_h:
            text += (f" after a {_num(self.meeting_allowance_h)} h meeting allowance per "
                     f"{_num(self.full_time_h)} h")
        return text

    def preview(self, weekly_hours: float | None = None) -> str:
        """'For a 40-hour week this means 7 h 30 m.'"""
        hours = self.full_time_h if weekly_hours is None else weekly_hours
        minutes = round(self.day_target(round(hours * 60)))
        return f"For a {_num(hours)}-hour week this means {fmt_minutes(minutes)}."


class ScheduleVersion(BaseModel):
    """Everything that decides the ledger from effective_from until the next version."""

    model_config = ConfigDict(frozen=True)

    effective_from: date
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
        t = self.target
        out += ["", "[target]", f'rule = "{t.rule}"']
        if t.rule == "hours":
            out.append(f"hours = {_num(t.hours or 0)}")
        else:
            out.append(f"rate = {_num(t.rate or 0)}")
        out += [f"meeting_allowance_h = {_num(t.meeting_allowance_h)}",
                f"full_time_h = {_num(t.full_time_h)}",
                f"partly_met_at = {_num(t.partly_met_at)}"]
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


def _num(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------------- presets

@dataclass(frozen=True, slots=True)
class Preset:
    """A named target rule, always shown as an example to check against one's own contract."""

    key: str
    name: str
    rule: TargetRule
    source: str

    @property
    def label(self) -> str:
        """The name with its caution, as every screen shows it."""
        return f"{self.name} ({EXAMPLE_NOTE})"


PRESETS: tuple[Preset, ...] = (
    Preset("kaiser-norcal-2022", "Kaiser NorCal 2022 example",
           TargetRule(rule="percent", rate=0.20, meeting_allowance_h=2.5, full_time_h=40),
           "Kaiser's October 2022 worked example: 7.5 h of IPC in a 40-hour week."),
    Preset("7h-per-40h", "About 7 h per 40 h",
           TargetRule(rule="hours", hours=7.0, full_time_h=40),
           "NUHW describes Northern California clinicians as averaging about 7 hours."),
    Preset("kaiser-socal-2024", "Kaiser SoCal Sept 2024 offer",
           TargetRule(rule="hours", hours=5.0, full_time_h=40),
           "Kaiser's September 2024 Southern California offer: 5 hours per 40-hour week."),
)

PRESETS_BY_KEY = {p.key: p for p in PRESETS}


def preset(key: str) -> Preset:
    """Look up a preset by key, naming the valid keys when it is unknown."""
    if key not in PRESETS_BY_KEY:
        raise BadInput(f"Unknown preset '{key}'; choose one of "
                       f"{', '.join(PRESETS_BY_KEY)}.", field="preset")
    return PRESETS_BY_KEY[key]


def standard_week(effective_from: date, timezone: str, rule: TargetRule,
                  weekly_hours: float = 40.0) -> ScheduleVersion:
    """A Monday–Friday template with one protected hour a day, to start from at first run.

    Hours are 08:30–12:30 and 13:00–17:00, shortened for part time; the protected hour is in
    the afternoon.
    """
    per_day = round(weekly_hours * 60 / 5)
    morning = min(per_day, 240)
    afternoon = per_day - morning
    day = [TimeRange(start=510, end=510 + morning)]
    if afternoon:
        day.append(TimeRange(start=780, end=780 + afternoon))
    hours = {d: tuple(day) for d in WEEKDAYS[:5]}
    last = day[-1]
    blocks = tuple(ProtectedBlock(day=d, span=TimeRange(start=max(last.start, last.end - 60),
                                                        end=last.end)) for d in WEEKDAYS[:5])
    return ScheduleVersion(effective_from=effective_from, timezone=timezone, hours=hours,
                           protected=blocks, target=rule)


# ------------------------------------------------------------------------- parsing

_TOP_KEYS = {"effective_from", "timezone", "hours", "protected", "target"}
_TARGET_KEYS = {"rule", "hours", "rate", "meeting_allowance_h", "full_time_h", "partly_met_at",
                "preset"}


def _fail(key: str, value: object, why: str) -> BadInput:
    shown = json.dumps(value) if not isinstance(value, str) else f"'{value}'"
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
        raise _fail(key, value, f"must be {'above' if low_open else 'at least'} {_num(low)}")
    if x > high:
        raise _fail(key, value, f"must be at most {_num(high)}")
    return x


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
        base = preset(str(raw["preset"])).rule.model_dump()
        base.update({k: v for k, v in raw.items() if k != "preset"})
        raw = base
    rule = raw.get("rule")
    if rule not in ("hours", "percent"):
        raise _fail("target.rule", rule, "must be \"hours\" or \"percent\"")
    full = _number("target.full_time_h", raw.get("full_time_h", 40), 0, 80, low_open=True)
    allowance = _number("target.meeting_allowance_h", raw.get("meeting_allowance_h", 0), 0, full)
    if allowance >= full:
        raise _fail("target.meeting_allowance_h", raw.get("meeting_allowance_h"),
                    "must be less than full_time_h")
    partly = _number("target.partly_met_at", raw.get("partly_met_at", 0.75), 0, 1, low_open=True)
    if rule == "hours":
        if raw.get("hours") is None:
            raise BadInput("The key target.hours is missing; rule \"hours\" needs it.",
                           field="target.hours")
        hours = _number("target.hours", raw["hours"], 0, full)
        return TargetRule(rule="hours", hours=hours, meeting_allowance_h=allowance,
                          full_time_h=full, partly_met_at=partly)
    if raw.get("rate") is None:
        raise BadInput("The key target.rate is missing; rule \"percent\" needs it.",
                       field="target.rate")
    rate = _number("target.rate", raw["rate"], 0, 1)
    return TargetRule(rule="percent", rate=rate, meeting_allowance_h=allowance,
                      full_time_h=full, partly_met_at=partly)


def parse_schedule(data: dict[str, Any]) -> ScheduleVersion:
    """Validate the whole schedule mapping; raise BadInput naming the first bad key."""
    for k in data:
        if k not in _TOP_KEYS:
            raise _fail(k, data[k], "is not a known key")
    if "effective_from" not in data:
        raise BadInput("The key effective_from is missing; give the first date this schedule "
                       "applies to.", field="effective_from")
    eff = data["effective_from"]
    if isinstance(eff, date):
        effective_from = eff
    else:
        try:
            effective_from = parse_date(str(eff), "effective_from")
        except BadInput:
            raise _fail("effective_from", eff, "is not a date like \"2026-01-05\"") from None
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


def parse_schedule_toml(text: str) -> ScheduleVersion:
    """Parse and validate schedule TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"The schedule file is not valid TOML: {exc}.", field="file") from exc
    return parse_schedule(data)


def from_json(body: str) -> ScheduleVersion:
    """Rebuild a stored version (kept in the TOML-file shape as JSON)."""
    return parse_schedule(json.loads(body))


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
