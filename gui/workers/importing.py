"""Reading, planning and applying an import off the GUI thread, as `carelog import` does.

A worker never uses the window's Store connection: planning and applying open a connection of
their own to the same database file (SQLite's write-ahead log lets it read while the window's
connection stays on the GUI thread), and close it before they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Entry
from carelog.core.importing.calendar import CalendarFile, plan_ics, read_calendar
from carelog.core.importing.csv_plan import plan_csv
from carelog.core.importing.csv_table import ColumnMapping, CsvTable, DateOrder, read_table
from carelog.core.importing.plan import ImportPlan, ImportResult, OnConflict, apply_plan
from carelog.core.importing.rules import RuleSet
from carelog.core.store.database import Store

ImportKind = Literal["ics", "csv"]
Source = CalendarFile | CsvTable


def kind_of(path: Path) -> ImportKind | None:
    """'ics' for a calendar, 'csv' for a spreadsheet (told by the name), else None."""
    suffix = path.suffix.lower()
    if suffix in (".ics", ".ical", ".icalendar"):
        return "ics"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return None


@dataclass(frozen=True)
class Planned:
    """A plan worked out on a worker, with the log entries its rows overlap."""

    plan: ImportPlan
    clashing: dict[int, Entry]


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan needs besides the database, captured on the GUI thread."""

    kind: ImportKind
    source: Source
    first: date | None = None
    last: date | None = None
    rules: RuleSet | None = None
    mapping: ColumnMapping | None = None
    date_order: DateOrder | None = None


def read_source(path: Path, kind: ImportKind) -> Source:
    """Read and check the file (no database is needed)."""
    return read_calendar(path) if kind == "ics" else read_table(path)


def plan_on_own_connection(db_path: Path, request: PlanRequest) -> Planned:
    """Work out the plan over a connection opened (and closed) on this thread."""
    store = Store.open_for_worker(db_path)
    try:
        if request.kind == "ics":
            assert isinstance(request.source, CalendarFile)
            plan = plan_ics(store, request.source, request.first, request.last,
                            rules=request.rules)
        else:
            assert isinstance(request.source, CsvTable)
            plan = plan_csv(store, request.source, request.mapping, request.date_order)
        clashing: dict[int, Entry] = {}
        for entry_id in sorted({i for r in plan.rows for i in r.clashes}):
            try:
                clashing[entry_id] = store.get_entry(entry_id)
            except BadInput:
                continue
        return Planned(plan, clashing)
    finally:
        store.close()


def apply_on_own_connection(db_path: Path, plan: ImportPlan, on_conflict: OnConflict,
                            exclude: frozenset[int]) -> ImportResult:
    """Apply the plan (one transaction, one undo step) over a connection of this thread."""
    store = Store.open_for_worker(db_path)
    try:
        return apply_plan(store, plan, on_conflict=on_conflict, exclude=exclude)
    finally:
        store.close()
