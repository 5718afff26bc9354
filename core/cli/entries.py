"""`carelog add | edit | delete | undo | redo | list`: the log itself."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from carelog.core.cli.common import entry_line, out, warn_note, write
from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Via, parse_reason
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import (
    day_start_utc,
    end_after,
    now_instant,
    parse_date,
    parse_local,
)
from carelog.core.exporting import personal
from carelog.core.store.database import Store


def _span(store: Store, start: str, end: str | None, minutes: int | None) -> tuple[int, int]:
    a = parse_local(start, store.tz, "start")
    if end is not None and minutes is not None:
        raise BadInput("Give either --end or --minutes, not both.", field="end")
    if end is not None:
        return a, parse_local(end, store.tz, "end")
    if minutes is None:
        raise BadInput("Give --end or --minutes.", field="end")
    return a, end_after(a, minutes)


def cmd_add(store: Store, a: argparse.Namespace) -> int:
    """Log one entry."""
    category = store.categories.resolve(a.category) or a.category
    start, end = _span(store, a.start, a.end, a.minutes)
    warn_note(a.note)
    added = store.add_entry(category, start, end, note=a.note or "", trim=a.trim, via=Via.CLI,
                            reason=parse_reason(a.reason))
    for e in added:
        out(f"Added {entry_line(store, e)}")
    return 0


def cmd_edit(store: Store, a: argparse.Namespace) -> int:
    """Change an entry; unspecified fields stay as they are."""
    old = store.get_entry(a.id)
    if all(v is None for v in (a.category, a.start, a.end, a.minutes, a.note)):
        raise BadInput("Nothing to change: give --category, --start, --end, --minutes or "
                       "--note.", field="id")
    category = None
    if a.category:
        category = store.categories.resolve(a.category) or a.category
    start = parse_local(a.start, store.tz, "start") if a.start else None
    end = parse_local(a.end, store.tz, "end") if a.end else None
    if a.minutes is not None:
        if end is not None:
            raise BadInput("Give either --end or --minutes, not both.", field="end")
        end = end_after(start if start is not None else old.start, a.minutes)
    warn_note(a.note)
    new = store.edit_entry(a.id, category=category, start=start, end=end, note=a.note,
                           via=Via.CLI, reason=parse_reason(a.reason))
    out(f"Changed {entry_line(store, new)}")
    return 0


def cmd_delete(store: Store, a: argparse.Namespace) -> int:
    """Delete an entry."""
    gone = store.delete_entry(a.id, via=Via.CLI, reason=parse_reason(a.reason))
    out(f"Deleted {entry_line(store, gone)} (carelog undo brings it back)")
    return 0


def cmd_undo(store: Store, a: argparse.Namespace) -> int:
    """Reverse the newest change."""
    out(f"Undid: {store.undo().label}")
    return 0


def cmd_redo(store: Store, a: argparse.Namespace) -> int:
    """Re-apply the change undo reversed."""
    out(f"Redid: {store.redo().label}")
    return 0


def _printable(text: str) -> str:
    """A note on one table line: line breaks shown as ⏎, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    return "".join(ch for ch in text if ch.isprintable())


def entry_rows(store: Store, entries: Sequence[Entry],
               now: int | None = None) -> list[dict[str, Any]]:
    """Entries as the dicts `list --format json|csv` writes (local times)."""
    return personal.entry_rows(entries, store.tz, now_instant() if now is None else now)


def cmd_list(store: Store, a: argparse.Namespace) -> int:
    """Show entries in a date range (personal: includes notes)."""
    tz = store.tz
    if a.from_date or a.to_date:
        first = parse_date(a.from_date, "from date") if a.from_date else None
        last = parse_date(a.to_date, "to date") if a.to_date else None
        if first and last and last < first:
            raise BadInput(f"The to date {last} is before the from date {first}.", field="to")
        lo = day_start_utc(first, tz) if first else -(2**62)
        hi = day_start_utc(last + timedelta(days=1), tz) if last else 2**62
        entries = [e for e in store.entries_between(lo, hi) if e.start >= lo]
    else:
        entries = store.all_entries()
    rows = entry_rows(store, entries)
    if a.format == "json":
        out(json.dumps({"entries": rows}, ensure_ascii=False, indent=1))
    elif a.format == "csv":
        write(personal.entries_csv(entries, store.tz, now_instant()))
    else:
        if not rows:
            out("No entries.")
            return 0
        out(f"{'ID':>6}  {'Start':16}  {'End':5}  {'Min':>4}  {'Category':20}  Note")
        for r in rows:
            end = r["end"][11:] if r["end"][:10] == r["start"][:10] else r["end"]
            out(f"{r['id']:>6}  {r['start']:16}  {end:5}  {r['minutes']:>4}  "
                f"{r['category']:20}  {'planned · ' if r['planned'] else ''}"
                f"{_printable(r['note'])}")
    return 0
