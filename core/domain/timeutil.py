"""Time arithmetic: local wall-clock text to UTC instants and back, days, ISO weeks, periods.

Instants are kept as integer seconds since the Unix epoch (UTC); every value Carelog stores is a
whole minute. The user's IANA zone decides what a "day" and a "week" are.
"""

from __future__ import annotations

import os
import re
import time as time_module
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carelog.core.domain.errors import BadInput, Remedy

# Durations are formatted in carelog.core.domain.formatting; the name stays importable here.
from carelog.core.domain.formatting import fmt_minutes as fmt_minutes

MINUTE = 60
DAY_SECONDS = 86_400
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

FIRST_YEAR, LAST_YEAR = 1900, 2199
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DATETIME_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*$")
_HHMM_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_WEEK_RE = re.compile(r"^\s*(\d{4})-W(\d{1,2})\s*$", re.IGNORECASE)
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone with this name, or raise BadInput naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise BadInput(f"Unknown time zone '{name}'; use an IANA name such as "
                       "America/Los_Angeles.", field="timezone") from exc


def system_zone_name() -> str:
    """The computer's own IANA zone name, or UTC when it cannot be told."""
    try:
        # tzlocal takes about 13 ms to import and is needed only when a database is created.
        import tzlocal  # noqa: PLC0415

        name = str(tzlocal.get_localzone_name() or "")
    except Exception:  # tzlocal raises several kinds of errors on odd systems
        name = ""
    try:
        ZoneInfo(name)
    except Exception:
        return "UTC"
    return name


def parse_date(text: str, field: str = "date") -> date:
    """Parse YYYY-MM-DD, naming the field and the value when it is not a real date."""
    m = _DATE_RE.match(text or "")
    if not m:
        raise BadInput(f"The {field} '{text}' is not a date; write it as YYYY-MM-DD.", field=field)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise BadInput(f"The {field} '{text}' does not exist on the calendar.",
                       field=field) from exc
    return check_year(d, text, field)


def check_year(d: date, text: str, field: str) -> date:
    """Refuse dates outside the years Carelog handles, naming the field."""
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise BadInput(f"The {field} '{text}' is outside the years Carelog handles "
                       f"({FIRST_YEAR}–{LAST_YEAR}).", field=field)
    return d


def parse_hhmm(text: str, field: str = "time") -> time:
    """Parse HH:MM (00:00–23:59), or 24:00 as the end of a day is not accepted here."""
    m = _HHMM_RE.match(text or "")
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise BadInput(f"The {field} '{text}' is not a time; write it as HH:MM.", field=field)
    return time(int(m[1]), int(m[2]))


def parse_hhmm_minutes(text: str, field: str = "time", allow_24: bool = False) -> int:
    """Parse HH:MM to minutes after midnight; 24:00 is allowed as an end when asked."""
    m = _HHMM_RE.match(text or "")
    if m and allow_24 and int(m[1]) == 24 and int(m[2]) == 0:
        return 1440
    t = parse_hhmm(text, field)
    return t.hour * 60 + t.minute


def local_to_utc(d: date, minutes: int, tz: ZoneInfo, field: str = "time") -> int:
    """Return the UTC instant (epoch seconds) of a local date and minute of day.

    A wall-clock time skipped by a daylight-saving change is refused; a repeated one (the hour
    clocks go back) means its first occurrence.
    """
    day_start = datetime.combine(d, time(0, 0))
    naive = day_start + timedelta(minutes=minutes)
    aware = naive.replace(tzinfo=tz, fold=0)
    instant = int(aware.timestamp())
    back = datetime.fromtimestamp(instant, tz).replace(tzinfo=None)
    if back != naive:
        raise BadInput(f"The {field} {naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: clocks "
                       "skip that hour for daylight saving.", field=field)
    return instant


def day_start_utc(d: date, tz: ZoneInfo) -> int:
    """The instant a local day begins (midnight, or the first minute that exists)."""
    aware = datetime.combine(d, time(0, 0)).replace(tzinfo=tz)
    return int(aware.timestamp())


def parse_local(text: str, tz: ZoneInfo, field: str = "start") -> int:
    """Parse 'YYYY-MM-DD HH:MM' in the user's zone to a UTC instant (epoch seconds)."""
    m = _DATETIME_RE.match(text or "")
    if not m:
        raise BadInput(f"The {field} '{text}' is not a date and time; write it as "
                       "YYYY-MM-DD HH:MM.", field=field)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise BadInput(f"The {field} '{text}' does not exist on the calendar.",
                       field=field) from exc
    check_year(d, text, field)
    hh, mm = int(m[4]), int(m[5])
    if hh > 23 or mm > 59:
        raise BadInput(f"The {field} '{text}' has no such time of day.", field=field)
    return local_to_utc(d, hh * 60 + mm, tz, field)


def to_local(instant: int, tz: ZoneInfo) -> datetime:
    """The local wall-clock datetime (aware) of a UTC instant."""
    return datetime.fromtimestamp(instant, tz)


def format_local(instant: int, tz: ZoneInfo) -> str:
    """Format a UTC instant as local 'YYYY-MM-DD HH:MM'."""
    return to_local(instant, tz).strftime(LOCAL_FORMAT)


NOW_ENV = "CARELOG_NOW"


def now_instant() -> int:
    """The current UTC instant in epoch seconds: the one place Carelog asks what time it is.

    The window, the command line and every export take "now" from here, so they agree on which
    weeks are over. `$CARELOG_NOW` (an ISO 8601 instant with its offset, such as
    2026-11-25T12:00-08:00) pins it, for tests and for re-running a report as of a moment.
    """
    text = os.environ.get(NOW_ENV)
    if not text:
        return int(time_module.time())
    try:
        pinned = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        pinned = None
    if pinned is None or pinned.tzinfo is None:
        raise BadInput(f"{NOW_ENV} '{text}' is not an instant with an offset, such as "
                       "2026-11-25T12:00-08:00.", field=NOW_ENV)
    return int(pinned.timestamp())


def utc_now() -> int:
    """The current instant, rounded down to the whole minute."""
    now = now_instant()
    return now - now % MINUTE


def iso_now() -> str:
    """The current instant as ISO-8601 UTC text, for created/updated stamps."""
    return datetime.fromtimestamp(now_instant(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def week_monday(d: date) -> date:
    """The Monday of the ISO week holding d."""
    return d - timedelta(days=d.weekday())


def week_label(d: date) -> str:
    """The ISO week label, e.g. '2026-W47', of the week holding d."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def parse_week(text: str) -> date:
    """Parse '2026-W47' to that week's Monday."""
    m = _WEEK_RE.match(text or "")
    if not m:
        raise BadInput(f"The week '{text}' is not an ISO week; write it as 2026-W47.",
                       field="week")
    try:
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError as exc:
        raise BadInput(f"The week '{text}' does not exist in {m[1]}.", field="week") from exc
    return check_year(monday, text, "week")


def parse_month(text: str) -> tuple[date, date]:
    """Parse '2026-11' to the first and last day of that month."""
    m = _MONTH_RE.match(text or "")
    if not m or not 1 <= int(m[2]) <= 12:
        raise BadInput(f"The month '{text}' is not a month; write it as 2026-11.", field="month")
    first = check_year(date(int(m[1]), int(m[2]), 1), text, "month")
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A run of whole ISO weeks, Monday `first` to Sunday `last`: what the ledger reports on."""

    first: date
    last: date

    @property
    def weeks(self) -> list[date]:
        """The Mondays of the weeks in the period."""
        out = []
        monday = week_monday(self.first)
        while monday <= self.last:
            out.append(monday)
            monday += timedelta(days=7)
        return out

    @classmethod
    def covering(cls, a: date, b: date) -> Period:
        """Every ISO week that touches the dates a to b."""
        return cls(week_monday(a), week_monday(b) + timedelta(days=6))

    @classmethod
    def of_month(cls, first: date, last: date) -> Period:
        """The ISO weeks whose Thursday falls in the month, so months never share a week."""
        monday = week_monday(first)
        if monday + timedelta(days=3) < first:
            monday += timedelta(days=7)
        end = week_monday(last)
        if end + timedelta(days=3) > last:
            end -= timedelta(days=7)
        return cls(monday, end + timedelta(days=6))


def period_from_args(week: str | None = None, month: str | None = None,
                     start: str | None = None, end: str | None = None) -> Period:
    """Build the period asked for as a week, a month, or a first and a last date.

    A week is that ISO week; a month is the weeks whose Thursday lies in the month (the ISO
    rule, so each week belongs to exactly one month); first and last dates give every week they
    touch.
    """
    given = sum(x is not None for x in (week, month)) + (start is not None or end is not None)
    if given != 1:
        raise BadInput("Give exactly one period.", field="period", remedy=Remedy.ONE_PERIOD)
    if week is not None:
        monday = parse_week(week)
        return Period(monday, monday + timedelta(days=6))
    if month is not None:
        return Period.of_month(*parse_month(month))
    if start is None or end is None:
        raise BadInput("Give both the first and the last date of the period.",
                       field="from" if start is None else "to", remedy=Remedy.BOTH_DATES)
    a, b = parse_date(start, "from date"), parse_date(end, "to date")
    if b < a:
        raise BadInput(f"The to date {b} is before the from date {a}.", field="to")
    if (b - a).days > 366 * 20:
        raise BadInput("The period is longer than twenty years; choose a shorter one.",
                       field="to")
    return Period.covering(a, b)


def end_after(start: int, minutes: int) -> int:
    """The end of an entry that starts at `start` and lasts `minutes` (a positive number)."""
    if minutes <= 0:
        raise BadInput(f"The minutes must be a positive number, not {minutes}.", field="minutes")
    return start + minutes * MINUTE


def span_from_form(day: date, start_text: str, end_text: str | None,
                   minutes_text: str | None, tz: ZoneInfo) -> tuple[int, int]:
    """The UTC span a form describes: a date, a start time, and an end time or minutes.

    An end earlier than the start means the next day (an entry across midnight). Errors name
    the field: start, end or minutes.
    """
    if not start_text.strip():
        raise BadInput("Give the start time, as HH:MM.", field="start")
    start_min = parse_hhmm_minutes(start_text, "start")
    start = local_to_utc(day, start_min, tz, "start")
    if minutes_text is not None:
        text = minutes_text.strip()
        if not text:
            raise BadInput("Give the minutes or an end time.", field="minutes")
        if not text.isdigit():
            raise BadInput(f"The minutes '{text}' are not a whole number.", field="minutes")
        return start, end_after(start, int(text))
    if end_text is None or not end_text.strip():
        raise BadInput("Give an end time or the minutes.", field="end")
    end_min = parse_hhmm_minutes(end_text, "end")
    end_day = day + timedelta(days=1) if end_min < start_min else day
    return start, local_to_utc(end_day, end_min, tz, "end")
