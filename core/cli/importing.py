"""`carelog import ics|csv FILE` and `carelog demo`: the command-line face of core.importing.

`--dry-run` prints the preview table (without event titles) and changes nothing; otherwise the
import is applied as one change and one line says what it did. The parser of `import` lives
with the others in carelog.core.cli.main (`add_import_parser`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carelog.core.cli.common import out
from carelog.core.cli.main import IMPORT_FIELDS
from carelog.core.cli.main import add_import_parser as add_import_parser
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import parse_date
from carelog.core.importing.calendar import plan_ics
from carelog.core.importing.csv_plan import plan_csv
from carelog.core.importing.csv_table import ColumnMapping, CsvTable, read_table
from carelog.core.importing.demo import fill_demo
from carelog.core.importing.plan import ImportPlan, ImportResult, apply_plan, preview_lines
from carelog.core.store.database import Store


def _mapping(a: argparse.Namespace, table: CsvTable) -> ColumnMapping:
    """The detected column mapping with the --column choices applied."""
    mapping = table.detected_mapping()
    changes: dict[str, str] = {}
    for item in getattr(a, "column", None) or []:
        fld, sep, header = item.partition("=")
        fld = fld.strip().lower()
        if not sep or fld not in IMPORT_FIELDS or not header.strip():
            raise BadInput(f"The column choice '{item}' must look like start=HEADER, with one of "
                           f"{', '.join(IMPORT_FIELDS)}.", field="column")
        changes[fld] = header.strip()
    return mapping.model_copy(update=changes) if changes else mapping


def build_plan(store: Store, a: argparse.Namespace) -> ImportPlan:
    """The plan the arguments ask for (reads the file; writes nothing)."""
    path = Path(a.file).expanduser()
    if a.kind == "ics":
        first = parse_date(a.from_date, "from date") if getattr(a, "from_date", None) else None
        last = parse_date(a.to_date, "to date") if getattr(a, "to_date", None) else None
        return plan_ics(store, path, first, last)
    table = read_table(path)
    return plan_csv(store, table, _mapping(a, table), getattr(a, "date_order", None),
                    preview=bool(getattr(a, "dry_run", True)))


def result_sentence(result: ImportResult, file_name: str) -> str:
    """One line saying what an applied import did."""
    skipped = f"{result.skipped} skipped"
    if result.overlapping_skipped:
        skipped += f" ({result.overlapping_skipped} overlapping)"
    if result.label is None:
        return f"Nothing imported from {file_name}: {skipped}, nothing new or changed."
    trimmed = f", {result.trimmed} trimmed to fit" if result.trimmed else ""
    removed = (f", {result.removed} planned entr{'y' if result.removed == 1 else 'ies'} "
               "removed (cancelled or gone from the calendar)" if result.removed else "")
    return (f"Imported {file_name}: {result.added} added, {result.updated} updated, {skipped}"
            f"{trimmed}{removed}; carelog undo reverses the whole import.")


def cmd_import(store: Store, a: argparse.Namespace) -> int:
    """Import a calendar or a spreadsheet (or, with --dry-run, show what it would do)."""
    plan = build_plan(store, a)
    for warning in plan.warnings:
        sys.stderr.write(f"carelog: warning: {warning}\n")
    if a.dry_run:
        period = f", {plan.first} to {plan.last}" if plan.first and plan.last else ""
        out(f"{plan.file_name}{period}: {plan.summary()}.")
        for line in preview_lines(store, plan):
            out(line)
        days = plan.leave_days
        if days:
            out(f"All-day events on {len(days)} days are leave candidates, not work; record "
                "leave with carelog leave add DATE.")
        how = "trimmed to the free time" if a.on_conflict == "trim" else "skipped"
        out(f"Nothing was changed (dry run); overlapping rows would be {how}.")
        return 0
    result = apply_plan(store, plan, on_conflict=a.on_conflict)
    out(result_sentence(result, plan.file_name))
    return 0


def cmd_demo(store: Store, a: argparse.Namespace) -> int:
    """Fill an empty database with sample weeks."""
    n = fill_demo(store, weeks=a.weeks)
    out(f"Wrote {n} sample entries over {a.weeks} weeks, with a schedule, leave, block tags "
        f"and access observations, into {store.path}.")
    return 0
