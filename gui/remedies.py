"""Core's remedies in the window's words: a place to look, a field to fill, a button to press.

Core says what is wrong and attaches a `Remedy`; `window_sentence` is the one place the window
turns it into words (the command line has its own, carelog.core.cli.remedies).
"""

from __future__ import annotations

from carelog.core.domain.errors import CarelogError, Remedy

_FIELD_WORDS = {"start": "the start", "end": "the end", "minutes": "the minutes",
                "category": "the category", "date": "the date", "note": "the note"}


def window_sentence(exc: CarelogError) -> str:
    """The error's sentence, with what the person can do about it in the window's words."""
    remedy = exc.remedy
    base = exc.message.removesuffix(".")
    if remedy is None:
        return exc.message
    if remedy is Remedy.DATE_ORDER:
        return f"{base}; say which under Date order."
    if remedy is Remedy.NAME_COLUMN:
        return f"{base}; choose {'it' if len(exc.about) <= 1 else 'one'} under Columns."
    if remedy is Remedy.SHORTER_PERIOD:
        return f"{base}; choose a shorter period."
    if remedy is Remedy.RESTORE_BACKUP:
        return f"{base}; Restore newest backup puts it back."
    if remedy is Remedy.TRIM:
        return f"{base}; change the times so they do not overlap."
    if remedy is Remedy.LIST_CATEGORIES:
        return f"{base}; choose one from the list of categories."
    if remedy is Remedy.ADD_CATEGORY:
        return f"{base}; add it under Settings ▸ Categories, or change the row."
    if remedy is Remedy.DISCARD_TIMER:
        return f"{base}; log the real time by hand, then discard the timer."
    if remedy is Remedy.GIVE_REASON:
        return f"{base}; say why in the box that asks for a reason."
    if remedy is Remedy.EMPTY_DATABASE:
        return f"{base}; open a new, empty database."
    if remedy is Remedy.INCLUDE_CURRENT:
        return f"{exc.message} Choose the weeks so far to include the week in progress."
    return exc.message


def field_words(field: str) -> str:
    """A field named the way the window labels it."""
    return _FIELD_WORDS.get(field, field.replace("_", " "))
