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
from datetime import date, datetime, time
from typing import Any, Literal

from carelog.core.domain.codes import DEFAULT_PARTLY_MET_AT
from carelog.core.domain.errors import BadInput, one_line
from carelog.core.domain.fields import CarelogDate
from carelog.core.domain.formatting import clock, fmt_minutes
from carelog.core.domain.timeutil import (
    WEEKDAYS,
    YEARS_TEXT,
    in_years,
    parse_date,
    parse_hhmm_minutes,
    zone,
)
from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_NOTE = "example — check your own contract"


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


RuleShape = Literal["hours", "percent", "floor", "per_appointment"]
RULE_SHAPES: tuple[str, ...] = ("hours", "percent", "floor", "per_appointment")
EXAMPLE_APPOINTMENTS = 30
"""Appointments in the example week a per-appointment rule is previewed with (Kaiser's October
2022 example of a 40-hour week had 30 patients)."""


class TargetRule(BaseModel):
    """How a week's protected-time target is computed (DESIGN §2.4.1).

    - `hours`: H hours per full-time week, prorated by the day's expected minutes;
    - `percent`: rate × expected × (1 − meeting allowance / full time);
    - `floor`: H hours of which `protected_hours` P are protected; the target is the protected
      part, prorated like `hours`, and the rest (H − P) is the flexible part;
    - `per_appointment`: `minutes_per_appointment` for every direct-care appointment held.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: RuleShape
    hours: float | None = None
    rate: float | None = None
    protected_hours: float | None = None
    minutes_per_appointment: float | None = None
    meeting_allowance_h: float = 0.0
    full_time_h: float = 40.0
    partly_met_at: float = DEFAULT_PARTLY_MET_AT

    def day_target(self, expected_min: float, appointments: int = 0) -> float:
        """The unrounded target minutes of a day with these expected minutes and appointments.

        `appointments` matters only to `per_appointment`; the other shapes read only the
        expected minutes.
        """
        if self.rule == "hours":
            return (self.hours or 0.0) * expected_min / self.full_time_h
        if self.rule == "floor":
            return (self.protected_hours or 0.0) * expected_min / self.full_time_h
        if self.rule == "per_appointment":
            return (self.minutes_per_appointment or 0.0) * appointments
        share = 1.0 - self.meeting_allowance_h / self.full_time_h
        return (self.rate or 0.0) * expected_min * share

    def day_flexible(self, expected_min: float) -> float:
        """The unrounded flexible minutes of a day (the unprotected part of a `floor`)."""
        if self.rule != "floor":
            return 0.0
        flexible = (self.hours or 0.0) - (self.protected_hours or 0.0)
        return flexible * expected_min / self.full_time_h

    def describe(self) -> str:
        """The rule in words, e.g. '20 % of expected hours after a 2.5 h meeting allowance'."""
        full = _num(self.full_time_h)
        if self.rule == "hours":
            return f"{_num(self.hours or 0)} h of protected time per {full} h week"
        if self.rule == "floor":
            return (f"{_num(self.hours or 0)} h per {full} h week, of which "
                    f"{_num(self.protected_hours or 0)} h protected")
        if self.rule == "per_appointment":
            return (f"{_num(self.minutes_per_appointment or 0)} min of protected time for each "
                    "direct-care appointment held")
        text = f"{_num((self.rate or 0) * 100)} % of expected hours"
        if self.meeting_allowance_h:
            text += (f" after a {_num(self.meeting_allowance_h)} h meeting allowance per "
                     f"{full} h")
        return text

    def preview(self, weekly_hours: float | None = None) -> str:
        """'For a 40-hour week this means 7 h 30 m.' (per appointment: for 30 appointments)."""
        if self.rule == "per_appointment":
            minutes = round(self.day_target(0, EXAMPLE_APPOINTMENTS))
            return (f"For {EXAMPLE_APPOINTMENTS} appointments in a week this means "
                    f"{fmt_minutes(minutes)}.")
        hours = self.full_time_h if weekly_hours is None else weekly_hours
        expected = round(hours * 60)
        minutes = round(self.day_target(expected))
        if self.rule == "floor":
            flexible = round(self.day_flexible(expected))
            return (f"For a {_num(hours)}-hour week this means {fmt_minutes(minutes)} protected "
                    f"and {fmt_minutes(flexible)} flexible.")
        return f"For a {_num(hours)}-hour week this means {fmt_minutes(minutes)}."

    def toml_lines(self) -> list[str]:
        """The [target] table's lines, with the keys this shape uses."""
        out = [f'rule = "{self.rule}"']
        if self.rule in ("hours", "floor"):
            out.append(f"hours = {_num(self.hours or 0)}")
        if self.rule == "floor":
            out.append(f"protected_hours = {_num(self.protected_hours or 0)}")
        if self.rule == "per_appointment":
            out.append(f"minutes_per_appointment = {_num(self.minutes_per_appointment or 0)}")
        if self.rule == "percent":
            out.append(f"rate = {_num(self.rate or 0)}")
        out += [f"meeting_allowance_h = {_num(self.meeting_allowance_h)}",
                f"full_time_h = {_num(self.full_time_h)}",
                f"partly_met_at = {_num(self.partly_met_at)}"]
        return out


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


def _num(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------------- presets

@dataclass(frozen=True, slots=True)
class Preset:
    """A named target rule, always shown as an example to check against one's own contract.

    `key` is permanent (schedule files name it as `preset = "…"`): a preset may be relabelled,
    but a key never comes to mean another rule. `source` says in words where the numbers come
    from and `links` are the public pages that say so.
    """

    key: str
    name: str
    rule: TargetRule
    source: str
    links: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name with its caution, as every screen shows it."""
        return f"{self.name} ({EXAMPLE_NOTE})"

    @property
    def tooltip(self) -> str:
        """What the window shows on hovering a preset: the rule, where it comes from, links."""
        lines = [f"{self.rule.describe()}. {self.rule.preview()}", self.source,
                 *(f"Source: {link}" for link in self.links),
                 f"This is an {EXAMPLE_NOTE}."]
        return "\n".join(lines)


PRESETS: tuple[Preset, ...] = (
    Preset("kaiser-norcal-2022", "Kaiser NorCal 2021–2025 contract (expired Sept 2025)",
           TargetRule(rule="percent", rate=0.20, meeting_allowance_h=2.5, full_time_h=40),
           "Kaiser's October 2022 worked example for the Northern California contract: 20 % "
           "of a 40-hour week after 2.5 h of meetings, 7.5 h of indirect patient care. That "
           "contract ran from 2021 and expired at the end of September 2025; its successor "
           "was still being bargained.",
           ("https://fortherecord.kaiserpermanente.org/kp-nuhw-bargaining-update-week-of-oct-10",
            "https://about.kaiserpermanente.org/who-we-are/labor-relations/nuhw-bargaining/"
            "nuhw-bargaining-begins-in-northern-california")),
    Preset("7h-per-40h", "About 7 h per 40 h",
           TargetRule(rule="hours", hours=7.0, full_time_h=40),
           "The union describes Northern California clinicians as averaging about 7 hours a "
           "week that management cannot book into.",
           ("https://nuhw.org/clinicians-continue-fight-to-preserve-patient-management-time/",)),
    # This key named Kaiser's September 2024 SoCal offer (also 5 h per 40 h); the contract
    # ratified in May 2025 kept the same number, so the key keeps its rule under a new label.
    Preset("kaiser-socal-2024", "Kaiser SoCal 2024–2028 contract: 5 h guaranteed",
           TargetRule(rule="hours", hours=5.0, full_time_h=40),
           "Southern California's contract, ratified in May 2025 and running from September "
           "2024 to 2028, guarantees full-time therapists five hours of Patient Management "
           "Time a week. Whether management may book into them, and how part time is "
           "prorated, was not found in public sources; prorating by hours is assumed.",
           ("https://home.nuhw.org/2025/05/08/"
            "kaiser-mental-health-workers-ratify-contract-after-196-day-strike",
            "https://www.kpbs.org/news/health/2025/05/08/"
            "kaiser-mental-health-workers-return-after-historic-strike-citing-gains-and-gaps")),
    Preset("kaiser-socal-oct-2024-offer", "Kaiser SoCal Oct 2024 offer: 6 h, 4 protected",
           TargetRule(rule="floor", hours=6.0, protected_hours=4.0, full_time_h=40),
           "Kaiser's October 2024 offer in Southern California: 6 hours a week for planning, "
           "preparation and care coordination, of which 4 protected. It was not the contract "
           "signed; it shows a rule with a protected and a flexible part.",
           ("https://about.kaiserpermanente.org/who-we-are/labor-relations/nuhw-bargaining/"
            "we-continue-good-faith-efforts-to-reach-a-new-agreement",)),
)

PRESETS_BY_KEY = {p.key: p for p in PRESETS}


def preset(key: str) -> Preset:
    """Look up a preset by key, naming the valid keys when it is unknown."""
    if key not in PRESETS_BY_KEY:
        raise BadInput(f"Unknown preset '{key}'; choose one of "
                       f"{', '.join(PRESETS_BY_KEY)}.", field="preset")
    return PRESETS_BY_KEY[key]


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


def preset_of(rule: TargetRule) -> Preset | None:
    """The preset whose rule this is, or None for a rule of one's own."""
    return next((p for p in PRESETS if p.rule == rule), None)


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
        raise _fail(key, value, f"must be {'above' if low_open else 'at least'} {_num(low)}")
    if x > high:
        raise _fail(key, value, f"must be at most {_num(high)}")
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
                        f"is more than target.hours ({_num(hours)}); the protected part "
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
