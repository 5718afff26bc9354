"""What the import dialog says: the result, leave days, and when core asks for the date order.

Core's refusals are put in the window's words by carelog.gui.remedies.
"""

from __future__ import annotations

from datetime import date

from carelog.core.domain.errors import DateOrderNeeded
from carelog.core.importing.plan import ImportResult

UNDO_HINT = "Edit ▸ Undo reverses the whole import"


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
