"""How the window writes dates, times of day and category classes."""

from __future__ import annotations

from datetime import date

from carelog.core.domain.categories import CategoryClass, CategoryInfo

CLASS_WORDS: dict[CategoryClass, str] = {
    CategoryClass.IPC: "IPC",
    CategoryClass.DIRECT: "Direct care",
    CategoryClass.OTHER: "Other work",
}

CLASS_TIPS: dict[CategoryClass, str] = {
    CategoryClass.IPC: "Indirect patient care: counts toward protected time when done inside "
                       "scheduled hours.",
    CategoryClass.DIRECT: "Direct patient care: never counts as protected time.",
    CategoryClass.OTHER: "Other work (meetings, training, admin): logged, never counted as IPC.",
}

BREAK_TIP = "A break is logged and shown, but it is not work and counts toward nothing."


def class_text(info: CategoryInfo | None, cls: CategoryClass) -> str:
    """What a category counts as, in a word or two ('IPC', 'Direct care', 'Break')."""
    if info is not None and not info.is_work:
        return "Break"
    return CLASS_WORDS[cls]


def class_tip(info: CategoryInfo | None, cls: CategoryClass) -> str:
    """One sentence on what a category counts toward."""
    if info is not None and not info.is_work:
        return BREAK_TIP
    return CLASS_TIPS[cls]


def hhmm(minute_of_day: int) -> str:
    """Minutes after midnight as 'HH:MM' (1440 is '24:00')."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def long_day(d: date) -> str:
    """'Tuesday 17 November 2026'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(d: date) -> str:
    """'Tue 17 Nov'."""
    return f"{d:%a} {d.day} {d:%b}"


def week_span(monday: date, sunday: date) -> str:
    """'16–22 November 2026', or '30 November – 6 December 2026' across months."""
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B %Y}"
    if monday.year == sunday.year:
        return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B %Y}"
    return f"{monday.day} {monday:%B %Y} – {sunday.day} {sunday:%B %Y}"


def escape_mnemonic(text: str) -> str:
    """Text for a menu item, with '&' shown as itself rather than as a shortcut marker."""
    return text.replace("&", "&&")


def zone_words(key: str) -> str:
    """A time zone as a person reads it: 'America/Los Angeles' for 'America/Los_Angeles'."""
    return key.replace("_", " ")


def zone_key(words: str) -> str:
    """The zone's name from what a person typed or chose ('America/Los Angeles' or the name)."""
    return words.strip().replace(" ", "_")
