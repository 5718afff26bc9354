"""`carelog summary`: the weekly ledger of a period as a text table or the summary JSON.

Kept apart from the committee files (carelog.core.cli.committee) so that the command people run
most often loads only the ledger.
"""

from __future__ import annotations

import argparse
import json

from carelog.core.cli.common import out
from carelog.core.domain.timeutil import period_from_args
from carelog.core.exporting.text import summary_text
from carelog.core.ledger.load import summary
from carelog.core.store.database import Store


def cmd_summary(store: Store, a: argparse.Namespace) -> int:
    """The weekly ledger of a period, as text or as the summary JSON."""
    period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
    data = summary(store, period)
    if a.format == "json":
        out(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        out(summary_text(data, store.timezone_name))
    return 0
