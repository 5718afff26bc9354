"""Glue between the store and the pure ledger: load a period's inputs, compute, summarise."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from core.ledger import Ledger, compute_ledger, summary_dict
from core.store import Store
from core.timeutil import Period, day_start_utc


def load_ledger(store: Store, period: Period) -> Ledger:
    """Read only what the period needs from the store and compute its ledger."""
    tz = store.tz
    start = day_start_utc(period.first, tz) - 86_400
    end = day_start_utc(period.last + timedelta(days=1), tz) + 86_400
    return compute_ledger(
        period,
        store.entries_between(start, end),
        store.schedules(),
        store.leave_between(period.first, period.last),
        store.block_tags_between(period.first, period.last),
        store.access_between(period.first, period.last),
        store.categories,
        tz,
    )


def contributor_id(store: Store) -> str:
    """The anonymous contributor id of this database: random, made once, never derived."""
    cid = store.setting("contributor")
    if cid is None:
        cid = secrets.token_hex(8)
        store.set_setting("contributor", cid)
    return cid


def summary(store: Store, period: Period) -> dict[str, Any]:
    """The summary JSON of a period for this database."""
    ledger = load_ledger(store, period)
    name = store.setting("display_name") or None
    return summary_dict(ledger, contributor_id(store), name)
