"""`carelog summary | export | merge`: the weekly ledger, committee files and clinic roll-ups."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from carelog.core.cli.common import out
from carelog.core.domain.timeutil import period_from_args
from carelog.core.exporting.committee import (
    PRIVACY_STATEMENT,
    check_destination,
    committee_data,
    infer_format,
    render,
    write_output,
)
from carelog.core.exporting.merge import clinic_format, merge, render_clinic, shown_sentence
from carelog.core.exporting.text import summary_text
from carelog.core.ledger.load import summary
from carelog.core.store.database import Store


def cmd_summary(store: Store, a: argparse.Namespace) -> int:
    """The weekly ledger of a period, as text or as the summary JSON."""
    period = period_from_args(a.week, a.month, a.from_date, a.to_date)
    data = summary(store, period)
    if a.format == "json":
        out(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        out(summary_text(data, store.timezone_name))
    return 0


def cmd_export(store: Store, a: argparse.Namespace) -> int:
    """Write the committee export (weekly aggregates only) as PDF, CSV or JSON."""
    target = Path(a.out)
    fmt = infer_format(target, a.format)
    period = period_from_args(a.week, a.month, a.from_date, a.to_date)
    check_destination(target)
    data, ledger = committee_data(store, period)
    written = write_output(target, render(data, fmt))
    out(f"Wrote {written} ({fmt.upper()}, {len(ledger.weeks)} weeks). It holds: "
        f"{PRIVACY_STATEMENT}")
    return 0


def cmd_merge(a: argparse.Namespace) -> int:
    """Merge clinicians' summary files into a clinic roll-up (no database needed)."""
    target = Path(a.out)
    fmt = clinic_format(target)
    check_destination(target)
    clinic = merge([Path(f).expanduser() for f in a.files], a.min_clinicians)
    write_output(target, render_clinic(clinic, fmt))
    out(f"Merged {len(a.files)} files from {clinic['clinicians']} clinicians into {target}: "
        f"{shown_sentence(clinic)}")
    for note in clinic["notes"]:
        out(note)
    return 0
