"""Saving the log's filtered entries as the personal CSV, on a connection of its own."""

from __future__ import annotations

from pathlib import Path

from carelog.core.domain.log_filter import LogFilter
from carelog.core.exporting.personal import entries_csv
from carelog.core.store.database import Store
from carelog.core.store.files import write_private_atomic


def save_log_csv(db_path: Path, flt: LogFilter, path: Path, now: int) -> int:
    """Write the entries the filter finds, oldest first, as the personal CSV; return how many."""
    with Store.open_for_worker(db_path) as store:
        found = store.search_entries(flt, limit=None)[::-1]
        write_private_atomic(path, entries_csv(found, store.tz, now).encode("utf-8"))
    return len(found)
