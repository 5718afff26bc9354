"""Working hours as typed on the Schedule page: '08:30 - 12:30, 13:00–17:00' for one weekday.

The text is only tidied here (commas or semicolons between ranges, spaces and dashes evened
out); whether a range is valid is decided by core's schedule parser, which names a bad one as
hours.<day>.
"""

from __future__ import annotations

import re

from carelog.core.domain.schedule import TimeRange, parse_schedule


def split_ranges(text: str) -> list[str]:
    """'08:30 - 12:30, 13:00–17:00' as ['08:30-12:30', '13:00-17:00'] (spaces and dashes tidied)."""
    parts = (p.strip() for p in re.split(r"[,;]", text))
    return [re.sub(r"\s+", "", p).replace("–", "-").replace("—", "-") for p in parts if p]


def day_ranges(day: str, ranges: list[str]) -> tuple[TimeRange, ...]:
    """One weekday's ranges validated by the schedule parser (BadInput names hours.<day>).

    Core has no parser for one day's hours alone, so they are checked as the only working day
    of a schedule that is otherwise complete.
    """
    probe = {"effective_from": "2000-01-03", "timezone": "UTC", "hours": {day: ranges},
             "target": {"rule": "hours", "hours": 0}}
    return parse_schedule(probe).hours.get(day, ())


def day_minutes(day: str, text: str) -> int:
    """Working minutes of one weekday's typed hours (BadInput when they cannot be read)."""
    return sum(r.minutes for r in day_ranges(day, split_ranges(text)))
