"""The one-line quick entry: "msg 10", "doc 14:10-14:40", "group 50", "4 x msg 3".

A therapist between sessions types a short line; this module turns it into entries (or one
plain sentence saying what it could not read). Forms understood, case-insensitive:

- ``CATEGORY N``            the last N minutes, ending now        ("msg 10", "doc 25m")
- ``CATEGORY HH:MM-HH:MM``  that range today                      ("doc 14:10-14:40")
- ``CATEGORY HH:MM N``      N minutes from HH:MM today            ("coord 13:50 10")
- ``K x CATEGORY N``        K entries of N minutes laid end to end, ending now ("4 x msg 3")
- anything after ``#`` is the note                                ("msg 5 # returned 2 calls")

Durations may be written 10, 10m, 10 min, 1h, 1h30, 1:30 (for an hour and a half).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Entry, make_entry
from carelog.core.domain.timeutil import MINUTE, fmt_minutes, format_local, local_to_utc, to_local

_DURATION = re.compile(r"^(?:(\d+)h(?:(\d+)m?)?|(\d+)(?:m|min|mins|minutes)?|(\d+):(\d\d))$")
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_COUNT = re.compile(r"^(\d+)\s*[x×*]$|^[x×*]$")
MAX_BATCH = 50


@dataclass(frozen=True, slots=True)
class QuickEntry:
    """What a quick line means: entries to add, and a sentence saying so."""

    drafts: list[Entry]
    summary: str


def parse_duration(text: str) -> int | None:
    """Minutes from '10', '10m', '1h', '1h30', '1:30'; None when it is not a duration."""
    m = _DURATION.match(text.strip().lower())
    if not m:
        return None
    if m[1] is not None:
        return int(m[1]) * 60 + int(m[2] or 0)
    if m[3] is not None:
        return int(m[3])
    return int(m[4]) * 60 + int(m[5])


def _clock(hh: str, mm: str, what: str) -> int:
    h, m = int(hh), int(mm)
    if h > 23 or m > 59:
        raise BadInput(f"{hh}:{mm} is not a time of day; write the {what} as HH:MM.",
                       field="line")
    return h * 60 + m


def parse_quick(line: str, registry: CategoryRegistry, tz: ZoneInfo, now: int,
                source: str = "quick") -> QuickEntry:
    """Read one quick-entry line; `now` is the current UTC instant (whole minute)."""
    text, _, note = line.partition("#")
    note = note.strip()
    words = text.replace("×", " x ").split()
    if not words:
        raise BadInput("Type a category and a time, e.g. 'msg 10' or 'doc 14:10-14:40'.",
                       field="line")
    count = 1
    if len(words) >= 2 and words[0].isdigit() and words[1].lower() in ("x", "*"):
        count, words = int(words[0]), words[2:]
    elif words and re.fullmatch(r"\d+[x*]", words[0].lower()):
        count, words = int(words[0][:-1]), words[1:]
    if not words:
        raise BadInput("Say which category to log after the count, e.g. '4 x msg 3'.",
                       field="line")
    code = registry.resolve(words[0])
    if code is None:
        raise BadInput(f"'{words[0]}' is not a category; try msg, doc, tx, coord, session, "
                       "mtg or a full category name.", field="category")
    rest = [w for w in words[1:] if w.lower() not in ("min", "mins", "minutes", "each")]
    today = to_local(now, tz).date()
    label = registry.get(code).label
    if count < 1 or count > MAX_BATCH:
        raise BadInput(f"A batch can hold 1 to {MAX_BATCH} entries, not {count}.", field="line")

    if count > 1:
        if len(rest) != 1 or parse_duration(rest[0]) is None:
            raise BadInput("Write a batch as 'K x CATEGORY MINUTES', e.g. '4 x msg 3'.",
                           field="line")
        each = _positive(parse_duration(rest[0]))
        start = now - count * each * MINUTE
        drafts = [make_entry(category=code, start=start + i * each * MINUTE,
                             end=start + (i + 1) * each * MINUTE, note=note, source=source)
                  for i in range(count)]
        return QuickEntry(drafts, f"{count} × {label}, {each} m each, "
                                  f"{_span(drafts[0].start, drafts[-1].end, tz)}")

    if len(rest) == 1 and (m := _RANGE.match(rest[0])):
        a = _clock(m[1], m[2], "start")
        b = _clock(m[3], m[4], "end")
        start = local_to_utc(today, a, tz, "start")
        end_day = today if b > a else today + timedelta(days=1)
        end = local_to_utc(end_day, b, tz, "end")
        return _one(code, label, start, end, note, source, tz)
    if len(rest) == 2 and (m := _TIME.match(rest[0])) and parse_duration(rest[1]) is not None:
        start = local_to_utc(today, _clock(m[1], m[2], "start"), tz, "start")
        end = start + _positive(parse_duration(rest[1])) * MINUTE
        return _one(code, label, start, end, note, source, tz)
    if len(rest) == 1 and parse_duration(rest[0]) is not None:
        minutes = _positive(parse_duration(rest[0]))
        return _one(code, label, now - minutes * MINUTE, now, note, source, tz)
    if not rest:
        raise BadInput(f"How long was the {label.lower()}? Add minutes, e.g. "
                       f"'{words[0]} 10'.", field="line")
    raise BadInput(f"I could not read '{' '.join(rest)}' as a time; use minutes (10), a range "
                   "(14:10-14:40) or a start and minutes (14:10 30).", field="line")


def _positive(minutes: int | None) -> int:
    if not minutes or minutes <= 0:
        raise BadInput("The minutes must be more than zero.", field="line")
    if minutes > 24 * 60:
        raise BadInput("An entry can last at most 24 hours.", field="line")
    return minutes


def _span(start: int, end: int, tz: ZoneInfo) -> str:
    a, b = format_local(start, tz), format_local(end, tz)
    return f"{a[11:]}–{b[11:]}" if a[:10] == b[:10] else f"{a[11:]}–{b}"


def _one(code: str, label: str, start: int, end: int, note: str, source: str,
         tz: ZoneInfo) -> QuickEntry:
    e = make_entry(category=code, start=start, end=end, note=note, source=source)
    return QuickEntry([e], f"{label} {fmt_minutes(e.minutes)}, {_span(start, end, tz)}")


def last_minutes(code: str, minutes: int, now: int, note: str = "",
                 source: str = "quick") -> Entry:
    """An entry of `minutes` ending now (the duration preset buttons)."""
    minutes = _positive(minutes)
    return make_entry(category=code, start=now - minutes * MINUTE, end=now, note=note,
                      source=source)


def day_of(now: int, tz: ZoneInfo) -> date:
    """The local date of an instant."""
    return to_local(now, tz).date()
