"""`carelog import ics|csv FILE`: the command-line face of carelog.core.importing.plan.

`--dry-run` prints the preview table (without event titles) and changes nothing; otherwise the
import is applied as one change and one line says what it did.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carelog.core.importing.csv_table import ColumnMapping, CsvTable
    from carelog.core.importing.plan import ImportPlan
    from carelog.core.store.database import Store

_MAPPABLE = ("date", "start", "end", "minutes", "category")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def add_import_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    """Add `import ics|csv` to the subparsers of the carelog parser and return its parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "import", help="import an appointment calendar (.ics) or a spreadsheet (.csv)",
        description="Import an appointment calendar (.ics) or a spreadsheet (.csv), all or "
                    "nothing, as one change that carelog undo reverses.")
    p.set_defaults(handler=cmd_import)
    kinds = p.add_subparsers(dest="kind", metavar="KIND", parser_class=type(p))
    kinds.required = True

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("file")
        sp.add_argument("--dry-run", action="store_true",
                        help="show what would be added, updated and skipped; change nothing")
        sp.add_argument("--on-conflict", choices=["skip", "trim"], default="skip",
                        help="for rows that overlap entries in the log: skip them (default) or "
                             "trim them to the free time")

    ics = kinds.add_parser("ics", help="an appointment calendar exported as .ics",
                           description="Import an appointment calendar. Recurring events are "
                           "expanded only inside the period (default: the last 8 weeks and the "
                           "next 2). Titles pick the category and are never stored.")
    common(ics)
    ics.add_argument("--from", dest="from_date", help="first date, YYYY-MM-DD")
    ics.add_argument("--to", dest="to_date", help="last date, YYYY-MM-DD")

    csv_p = kinds.add_parser("csv", help="a spreadsheet of logged time (.csv)",
                             description="Import a spreadsheet with date, start, end or "
                             "minutes, and category columns (or a file carelog list --format csv "
                             "wrote). Other columns are dropped.")
    common(csv_p)
    csv_p.add_argument("--date-order", choices=["dmy", "mdy"],
                       help="how dates like 03/04/2026 are written: day first or month first")
    csv_p.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                       help="which column holds a field (date, start, end, minutes, category)")
    return p


def _mapping(a: argparse.Namespace, table: CsvTable) -> ColumnMapping:
    """The detected column mapping with the --column choices applied."""
    from carelog.core.domain.errors import BadInput

    mapping = table.detected_mapping()
    changes: dict[str, str] = {}
    for item in getattr(a, "column", None) or []:
        fld, sep, header = item.partition("=")
        fld = fld.strip().lower()
        if not sep or fld not in _MAPPABLE or not header.strip():
            raise BadInput(f"The column choice '{item}' must look like start=HEADER, with one of "
                           f"{', '.join(_MAPPABLE)}.", field="column")
        changes[fld] = header.strip()
    return mapping.model_copy(update=changes) if changes else mapping


def build_plan(store: Store, a: argparse.Namespace) -> ImportPlan:
    """The plan the arguments ask for (reads the file; writes nothing)."""
    path = Path(a.file).expanduser()
    if a.kind == "ics":
        from carelog.core.domain.timeutil import parse_date
        from carelog.core.importing.calendar import plan_ics

        first = parse_date(a.from_date, "from date") if getattr(a, "from_date", None) else None
        last = parse_date(a.to_date, "to date") if getattr(a, "to_date", None) else None
        return plan_ics(store, path, first, last)
    from carelog.core.importing.csv_table import plan_csv, read_table

    table = read_table(path)
    return plan_csv(store, table, _mapping(a, table), getattr(a, "date_order", None))


def cmd_import(store: Store, a: argparse.Namespace) -> int:
    """Import a calendar or a spreadsheet (or, with --dry-run, show what it would do)."""
    from carelog.core.importing.plan import apply_plan, preview_lines

    plan = build_plan(store, a)
    for warning in plan.warnings:
        sys.stderr.write(f"carelog: warning: {warning}\n")
    if a.dry_run:
        period = f", {plan.first} to {plan.last}" if plan.first and plan.last else ""
        _out(f"{plan.file_name}{period}: {plan.summary()}.")
        for line in preview_lines(store, plan):
            _out(line)
        days = plan.leave_days
        if days:
            _out(f"All-day events on {len(days)} days are leave candidates, not work; record "
                 "leave with carelog leave add DATE.")
        how = "trimmed to the free time" if a.on_conflict == "trim" else "skipped"
        _out(f"Nothing was changed (dry run); overlapping rows would be {how}.")
        return 0
    result = apply_plan(store, plan, on_conflict=a.on_conflict)
    _out(result.sentence(plan.file_name))
    return 0
