"""The words and numbers Carelog shows, written once: durations, percentages and status words.

The command line, the text summary, the PDF and the window all format through these functions,
so a week reads the same wherever it is shown.
"""

from __future__ import annotations

# The week statuses as short words (tables) and as the start of a sentence (headlines).
STATUS_WORDS: dict[str, str] = {
    "met": "met",
    "partly_met": "partly met",
    "not_met": "not met",
    "no_target": "no target",
    "in_progress": "so far",
    "upcoming": "not begun",
}
STATUS_SENTENCES: dict[str, str] = {
    "met": "Protected time met",
    "partly_met": "Protected time partly met",
    "not_met": "Protected time not met",
    "no_target": "No target this week",
    "in_progress": "Week in progress",
    "upcoming": "Week not begun",
}
NO_VALUE = "—"


def num(x: float) -> str:
    """A number as a schedule file writes it: 7.5, 40, 0.2 (no trailing zeros)."""
    return f"{x:g}"


def fmt_minutes(minutes: int) -> str:
    """Minutes as '7 h 30 m' (or '45 m'), the way the app shows durations."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    if h == 0:
        return f"{sign}{m} m"
    return f"{sign}{h} h {m} m"


def hm(minutes: int) -> str:
    """Minutes as h:mm, e.g. 450 -> '7:30'."""
    h, m = divmod(int(minutes), 60)
    return f"{h}:{m:02d}"


def clock(minute_of_day: int) -> str:
    """Minutes after midnight as a wall-clock 'HH:MM', e.g. 570 -> '09:30'."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def percent(ratio: float | None) -> str:
    """A ratio as a whole percentage, '75 %', or a dash when there is none."""
    return NO_VALUE if ratio is None else f"{round(ratio * 100)} %"


def status_word(code: str) -> str:
    """The short word of a week status, e.g. 'partly met'."""
    return STATUS_WORDS[code]


def plural(n: int, word: str) -> str:
    """'1 week', '3 weeks'."""
    return f"{n} {word}" + ("" if n == 1 else "s")
