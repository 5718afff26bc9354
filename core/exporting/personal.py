"""The personal list of entries (`carelog list --format json|csv`, the log's CSV export).

Personal: it holds the notes, so it is never a committee export. The command line and the
window write the same bytes for the same entries through `entries_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.csv_cells import csv_safe
from carelog.core.domain.models import Entry
from carelog.core.domain.timeutil import format_local

ENTRY_COLUMNS = ["id", "category", "start", "end", "minutes", "note", "source"]


def entry_rows(entries: Sequence[Entry], tz: ZoneInfo, now: int) -> list[dict[str, Any]]:
    """Entries as the dicts `list --format json|csv` writes (local times).

    `planned` is true for an entry whose time has not fully passed yet (DESIGN §2.3.1); the CSV
    leaves it out, since it follows from the end time and older files have no such column.
    """
    return [{"id": e.id, "category": e.category, "start": format_local(e.start, tz),
             "end": format_local(e.end, tz), "minutes": e.minutes, "note": e.note,
             "source": str(e.source), "planned": e.planned(now)} for e in entries]


def entries_csv(entries: Sequence[Entry], tz: ZoneInfo, now: int) -> str:
    """The personal CSV of entries, in the order given."""
    buf = io.StringIO()
    # CRLF rows, so a note holding a bare carriage return is quoted and reads back intact.
    writer = csv.DictWriter(buf, fieldnames=ENTRY_COLUMNS, lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    # Text that a spreadsheet would run as a formula is escaped; import csv undoes it.
    writer.writerows({k: csv_safe(v) for k, v in r.items()} for r in entry_rows(entries, tz, now))
    return buf.getvalue()
