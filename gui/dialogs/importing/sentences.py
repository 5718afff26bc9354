"""What the import dialog says: core's refusals in the window's words, the result, leave days.

Core still words three of its remedies for the command line inside the sentence (the date
order, a column to name, a shorter period); until it leaves that to each front end, the window
puts those hints in its own words here, and nowhere else.
"""

from __future__ import annotations

import re
from datetime import date

from carelog.core.domain.errors import DateOrderNeeded
from carelog.core.importing.plan import ImportResult

UNDO_HINT = "Edit ▸ Undo reverses the whole import"

# The command line's hints inside core's sentences, in the window's words.
_WINDOW_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"say which with --date-order dmy or --date-order mdy\."),
     "say which under Date order."),
    (re.compile(r"name it with --column \w+=HEADER\."), "choose it under Columns."),
    (re.compile(r"name one with --column \w+=HEADER or --column \w+=HEADER\."),
     "choose one under Columns."),
    (re.compile(r"choose a shorter one with --from and --to\."), "choose a shorter period."),
)


def window_sentence(message: str) -> str:
    """Core's sentence with the command line's hints put in the window's words."""
    for pattern, words in _WINDOW_HINTS:
        message = pattern.sub(words, message)
    return message


def asks_for_date_order(exc: BaseException) -> bool:
    """True when core stopped to ask whether the file's dates are day or month first."""
    return isinstance(exc, DateOrderNeeded)


def result_sentence(result: ImportResult) -> str:
    """'Added 7, updated 1, skipped 3 — Edit ▸ Undo reverses the whole import'."""
    if result.label is None:
        return (f"Nothing was imported: skipped {result.skipped}, nothing new or changed "
                "in the log.")
    added = f"Added {result.added}"
    if result.trimmed:
        added += f" ({result.trimmed} trimmed to fit)"
    removed = f", removed {result.removed} planned" if result.removed else ""
    return (f"{added}, updated {result.updated}, skipped {result.skipped}{removed} — "
            f"{UNDO_HINT}")


def leave_sentence(days: list[date]) -> str:
    """What the window says about all-day events (leave candidates)."""
    shown = [f"{d:%a} {d.day} {d:%b}" for d in days[:6]]
    more = f" and {len(days) - 6} more" if len(days) > 6 else ""
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return (f"All-day events on {listed}{more} are not imported: they may be leave, not work. "
            "Record leave for those days if you took it.")
