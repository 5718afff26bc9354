"""`carelog export`: the committee export of one therapist (`merge` has a module of its own)."""

from __future__ import annotations

import argparse
from pathlib import Path

from carelog.core.cli.common import out
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import period_from_args
from carelog.core.exporting.committee import (
    PRIVACY_STATEMENT,
    check_destination,
    committee_data,
    infer_format,
    write_export,
)
from carelog.core.exporting.workload import workload_data, write_workload
from carelog.core.store.database import Store


def cmd_export(store: Store, a: argparse.Namespace) -> int:
    """Write the committee export (weekly aggregates only) as PDF, CSV or JSON."""
    target = Path(a.out)
    fmt = infer_format(target, a.format)
    period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
    check_destination(target)
    if a.report == "workload":
        if fmt != "pdf":
            raise BadInput(f"The workload report is a PDF, not {fmt.upper()}; use --format pdf "
                           "or a file name ending in .pdf.", field="format")
        report, ledger = workload_data(store, period, include_current=a.include_current)
        written = write_workload(store, report, ledger, target)
        sealed = sum(1 for w in ledger.weeks if w.complete)
        out(f"Wrote {written} (workload report, {len(report.weeks)} weeks, one page each, "
            f"{sealed} sealed). It holds: {PRIVACY_STATEMENT}")
        return 0
    report, ledger = committee_data(store, period, include_current=a.include_current)
    written = write_export(store, report, ledger, fmt, target, period.title)
    sealed = sum(1 for w in ledger.weeks if w.complete)
    out(f"Wrote {written} ({fmt.upper()}, {len(ledger.weeks)} weeks, {sealed} sealed). It "
        f"holds: {PRIVACY_STATEMENT}")
    return 0
