"""Time arithmetic: local wall-clock text to UTC instants and back, days, ISO weeks, periods.

Instants are kept as integer seconds since the Unix epoch (UTC); every value Carelog stores is a
whole minute. The user's IANA zone decides what a "day" and a "week" are.
"""

from __future__ import annotations

import os
import re
import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from carelog.core.domain.datatypes import Record, field
from carelog.core.domain.errors import BadInput, Remedy

# Durations are formatted in carelog.core.domain.formatting; the name stays importable here.
from carelog.core.domain.formatting import fmt_minutes as fmt_minutes

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

MINUTE = 60
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY_SECONDS = 86_400
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

FIRST_YEAR, LAST_YEAR = 1900, 2199
# Compiled by `re` on first use (and kept in its cache): a command compiles only the ones it
# reads with, not all of them each time it starts.
_DATE_RE = r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$"
_DATETIME_RE = r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*$"
_HHMM_RE = r"^\s*(\d{1,2}):(\d{2})\s*$"
_WEEK_RE = r"(?i)^\s*(\d{4})-W(\d{1,2})\s*$"
_MONTH_RE = r"^\s*(\d{4})-(\d{1,2})\s*$"
_QUARTER_RE = r"(?i)^\s*(\d{4})-Q(\d)\s*$"
_YEAR_RE = r"^\s*(\d{4})\s*$"
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
QUARTER_NAMES = ("First", "Second", "Third", "Fourth")


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone with this name, or raise BadInput naming it."""
    # zoneinfo looks for the zone data through sysconfig when imported; a report read from the
    # stored weeks needs no zone, so it is imported here, on first use.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise BadInput(f"Unknown time zone '{name}'; use an IANA name such as "
                       "America/Los_Angeles.", field="timezone") from exc


UNKNOWN_ZONE_NOTE = ("This computer's time zone could not be told, so Carelog uses UTC for days "
                     "and weeks; set your own zone with your schedule.")


def system_zone() -> str | None:
    """The computer's own IANA zone name, or None when it cannot be told."""
    try:
        # tzlocal takes about 13 ms to import and is needed only when a database is created.
        import tzlocal  # noqa: PLC0415

        name = str(tzlocal.get_localzone_name() or "")
    except Exception:  # tzlocal raises several kinds of errors on odd systems
        name = ""
    try:
        zone(name)
    except Exception:
        return None
    return name


def system_zone_name() -> str:
    """The computer's own IANA zone name, or UTC when it cannot be told (see system_zone)."""
    return system_zone() or "UTC"


def parse_date(text: str, field: str = "date") -> date:
    """Parse YYYY-MM-DD, naming the field and the value when it is not a real date."""
    m = re.match(_DATE_RE, text or "")
    if not m:
        raise BadInput(f"The {field} '{text}' is not a date; write it as YYYY-MM-DD.", field=field)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise BadInput(f"The {field} '{text}' does not exist on the calendar.",
                       field=field) from exc
    return check_year(d, text, field)


def in_years(d: date) -> bool:
    """True when a date lies in the years Carelog handles (1900–2199)."""
    return FIRST_YEAR <= d.year <= LAST_YEAR


YEARS_TEXT = f"the years Carelog handles ({FIRST_YEAR}–{LAST_YEAR})"


def check_year(d: date, text: str, field: str) -> date:
    """Refuse dates outside the years Carelog handles, naming the field."""
    if not in_years(d):
        raise BadInput(f"The {field} '{text}' is outside {YEARS_TEXT}.", field=field)
    return d


def parse_hhmm(text: str, field: str = "time") -> time:
    """Parse HH:MM (00:00–23:59), or 24:00 as the end of a day is not accepted here."""
    m = re.match(_HHMM_RE, text or "")
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise BadInput(f"The {field} '{text}' is not a time; write it as HH:MM.", field=field)
    return time(int(m[1]), int(m[2]))


def parse_hhmm_minutes(text: str, field: str = "time", allow_24: bool = False) -> int:
    """Parse HH:MM to minutes after midnight; 24:00 is allowed as an end when asked."""
    m = re.match(_HHMM_RE, text or "")
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
    m = re.match(_DATETIME_RE, text or "")
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


def local_now() -> datetime:
    """Now on this computer's clock face (naming backups, the day's backup), from `now_instant`."""
    return datetime.fromtimestamp(now_instant())


def utc_now() -> int:
    """The current instant, rounded down to the whole minute."""
    now = now_instant()
    return now - now % MINUTE


def stamp_of(instant: int) -> str:
    """An instant as the ISO-8601 UTC text of created/updated stamps and the history."""
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_now() -> str:
    """The current instant as ISO-8601 UTC text, for created/updated stamps."""
    return stamp_of(now_instant())


def instant_of_stamp(stamp: str) -> int:
    """The epoch seconds of a stored UTC stamp such as 2026-11-16T17:00:00Z."""
    # The history holds one stamp per event and a year's ledger reads thousands: the stamps
    # Carelog writes are read by arithmetic, anything else by the ISO parser.
    if len(stamp) == 20 and stamp[4] == "-" and stamp[10] == "T" and stamp[19] == "Z":
        try:
            # calendar.timegm's arithmetic, without importing calendar (and locale) for it.
            days = date(int(stamp[0:4]), int(stamp[5:7]), 1).toordinal() - _EPOCH_ORDINAL \
                + int(stamp[8:10]) - 1
            return ((days * 24 + int(stamp[11:13])) * 60 + int(stamp[14:16])) * 60 \
                + int(stamp[17:19])
        except ValueError:
            pass
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def week_monday(d: date) -> date:
    """The Monday of the ISO week holding d."""
    return d - timedelta(days=d.weekday())


def week_label(d: date) -> str:
    """The ISO week label, e.g. '2026-W47', of the week holding d."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def parse_week(text: str) -> date:
    """Parse '2026-W47' to that week's Monday."""
    m = re.match(_WEEK_RE, text or "")
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
    m = re.match(_MONTH_RE, text or "")
    if not m or not 1 <= int(m[2]) <= 12:
        raise BadInput(f"The month '{text}' is not a month; write it as 2026-11.", field="month")
    first = check_year(date(int(m[1]), int(m[2]), 1), text, "month")
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def parse_quarter(text: str) -> tuple[date, date]:
    """Parse '2026-Q3' to the first and last day of that quarter."""
    m = re.match(_QUARTER_RE, text or "")
    if not m or not 1 <= int(m[2]) <= 4:
        raise BadInput(f"The quarter '{text}' is not a quarter; write it as 2026-Q3.",
                       field="quarter")
    first = check_year(date(int(m[1]), 3 * int(m[2]) - 2, 1), text, "quarter")
    last = parse_month(f"{first.year}-{first.month + 2}")[1]
    return first, last


def parse_year(text: str) -> tuple[date, date]:
    """Parse '2026' to its first and last day."""
    m = re.match(_YEAR_RE, text or "")
    if not m:
        raise BadInput(f"The year '{text}' is not a year; write it as 2026.", field="year")
    first = check_year(date(int(m[1]), 1, 1), text, "year")
    return first, date(first.year, 12, 31)


class Period(Record, frozen=True):
    """A run of whole ISO weeks, Monday `first` to Sunday `last`: what the ledger reports on.

    `name` says what the user asked for in words ("October 2026"), when it was a named span;
    it plays no part in equality.
    """

    first: date
    last: date
    name: str | None = field(default=None, compare=False)

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
    def of_month(cls, first: date, last: date, name: str | None = None) -> Period:
        """The ISO weeks whose Thursday falls in the span (a month, a quarter, a year).

        Each ISO week has one Thursday, so months (and quarters, and years) never share a week.
        """
        monday = week_monday(first)
        if monday + timedelta(days=3) < first:
            monday += timedelta(days=7)
        end = week_monday(last)
        if end + timedelta(days=3) > last:
            end -= timedelta(days=7)
        return cls(monday, end + timedelta(days=6), name)

    @property
    def title(self) -> str:
        """The period in words: 'October 2026 (weeks W40–W44, 28 Sep – 1 Nov)'."""
        mondays = self.weeks
        a, b = mondays[0], mondays[-1]
        if len(mondays) == 1:
            weeks = f"week {week_label(a)}" if self.name is None else ""
        elif a.isocalendar()[0] == b.isocalendar()[0] and self.name is not None:
            weeks = f"weeks W{a.isocalendar()[1]:02d}–W{b.isocalendar()[1]:02d}"
        else:
            weeks = f"weeks {week_label(a)}–{week_label(b)}"
        with_year = self.name is None or self.first.year != self.last.year
        span = day_span(self.first, self.last, with_year)
        if self.name is None:
            return f"{span} ({weeks})"
        return f"{self.name} ({weeks + ', ' if weeks else ''}{span})"


def day_span(first: date, last: date, with_year: bool = True) -> str:
    """'28 Sep – 1 Nov 2026' (or without the year), the short way a title names dates."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}" + (f" {last.year}" if with_year else "")
    left = f"{first.day} {first:%b}"
    if first.year != last.year:
        left += f" {first.year}"
    right = f"{last.day} {last:%b}" + (f" {last.year}" if with_year else "")
    return f"{left} – {right}"


def named_month(first: date) -> Period:
    """The ISO weeks of the month starting on `first`, named like 'October 2026'."""
    _, last = parse_month(f"{first.year}-{first.month:02d}")
    return Period.of_month(first, last, f"{MONTH_NAMES[first.month - 1]} {first.year}")


def last_complete_month(today: date) -> Period:
    """The newest month whose weeks are all over on `today` (the default committee period)."""
    first = date(today.year, today.month, 1)
    while True:
        period = named_month(first)
        if period.last < week_monday(today):
            return period
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def last_complete_quarter(today: date) -> Period:
    """The newest quarter whose weeks are all over on `today`."""
    year, q = today.year, (today.month - 1) // 3
    while True:
        first = date(year, 3 * q + 1, 1)
        last = parse_month(f"{year}-{3 * q + 3:02d}")[1]
        period = Period.of_month(first, last, f"{QUARTER_NAMES[q]} quarter of {year}")
        if period.last < week_monday(today):
            return period
        year, q = (year - 1, 3) if q == 0 else (year, q - 1)


def year_to_date(today: date) -> Period:
    """This year's ISO weeks from its first to the last one that is over (or the one under way).

    In the first week of a year nothing is over yet, so the period is that week alone; a
    report of it then needs the weeks so far.
    """
    year = today.isocalendar().year  # the ISO year: its weeks are whole
    whole = Period.of_month(date(year, 1, 1), date(year, 12, 31))
    end = max(week_monday(today) - timedelta(days=1), whole.first + timedelta(days=6))
    return Period(whole.first, end, f"{year} to date")


def last_weeks(today: date, n: int) -> Period:
    """The n weeks that are over before the week holding `today`."""
    monday = week_monday(today)
    return Period(monday - timedelta(weeks=n), monday - timedelta(days=1),
                  f"The last {n} weeks")


def period_from_args(week: str | None = None, month: str | None = None,
                     start: str | None = None, end: str | None = None,
                     quarter: str | None = None, year: str | None = None) -> Period:
    """Build the period asked for as a week, a month, a quarter, a year, or two dates.

    A week is that ISO week; a month, a quarter and a year are the weeks whose Thursday lies in
    them (the ISO rule, so each week belongs to exactly one month); first and last dates give
    every week they touch.
    """
    given = sum(x is not None for x in (week, month, quarter, year)) \
        + (start is not None or end is not None)
    if given != 1:
        raise BadInput("Give exactly one period.", field="period", remedy=Remedy.ONE_PERIOD)
    if week is not None:
        monday = parse_week(week)
        return Period(monday, monday + timedelta(days=6), f"Week {week_label(monday)}")
    if month is not None:
        first, last = parse_month(month)
        return Period.of_month(first, last, f"{MONTH_NAMES[first.month - 1]} {first.year}")
    if quarter is not None:
        first, last = parse_quarter(quarter)
        q = (first.month - 1) // 3
        return Period.of_month(first, last, f"{QUARTER_NAMES[q]} quarter of {first.year}")
    if year is not None:
        first, last = parse_year(year)
        return Period.of_month(first, last, str(first.year))
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
