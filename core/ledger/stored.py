"""The ledger of complete weeks, kept in the database so that a report reads instead of computing.

A complete week never changes unless its data does, and every change to its data removes its
stored record in the same transaction (the triggers of migration m006, on every table the ledger
reads). So a report reads a complete week's record back when it is stored, and computes only the
week in progress, the weeks not begun and the complete weeks not stored yet, storing the
complete ones among them. The stored record is the computed one, field for field: the numbers
are the same either way, and tests hold every stored week to a fresh computation after random
changes of every kind.

This module loads neither the domain models nor the computation, so a report whose weeks are
all stored never imports pydantic; computing goes through carelog.core.ledger.load, imported
only when a week has to be computed.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from carelog.core.domain.codes import DEFAULT_PARTLY_MET_AT
from carelog.core.domain.timeutil import Period, now_instant
from carelog.core.ledger.week import (
    STORED_VERSION,
    Ledger,
    Summary,
    WeekRecord,
    totals_of,
)
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting
from carelog.core.store.week_records import WeekRow

if TYPE_CHECKING:
    from carelog.core.domain.schedule import NamedRule


def stored_records(store: Store, period: Period, now: int) -> dict[date, WeekRecord]:
    """The period's weeks that are stored and complete at the instant now, by Monday.

    Read inside `store.reading()` together with whatever else the caller needs, so that all of
    it comes from one state of the database. Leave days and escalation records are left empty
    (carelog.core.ledger.load adds them for the window).
    """
    out: dict[date, WeekRecord] = {}
    for w in store.stored_weeks(period.first, period.last, STORED_VERSION):
        if w.end <= now and w.body.get("complete") is True:
            try:
                week = WeekRecord.from_stored(w.body, w.start, w.end)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                continue  # changed by another program: the week is computed again
            if week.start == w.monday:
                out[w.monday] = week
    return out


def remember(store: Store, weeks: list[WeekRecord], now: int) -> bool:
    """Store the complete weeks among these (computed inside `store.reading()`)."""
    rows = [WeekRow(w.start, w.week, w.starts_at, w.ends_at, w.to_stored())
            for w in weeks if w.complete and w.ends_at <= now]
    return store.remember_weeks(rows, STORED_VERSION)


def contributor_id(store: Store) -> str:
    """The anonymous contributor id of this database: random, never from a name or a machine.

    A database that has none stored uses a keyed hash of its own random secret (made when the
    database was created), so reading a summary never needs to write: the id is the same every
    time, whoever asks.
    """
    cid = store.setting(Setting.CONTRIBUTOR)
    if cid is not None:
        return cid
    secret = store.setting(Setting.IMPORT_KEY)
    if secret:
        # Only a database without a stored id needs the hash; a report read from the stored
        # weeks does not load hashlib for it.
        import hashlib  # noqa: PLC0415
        import hmac  # noqa: PLC0415

        try:
            key = bytes.fromhex(secret)
        except ValueError:
            key = secret.encode("utf-8")
        cid = hmac.new(key, b"contributor", hashlib.sha256).hexdigest()[:16]
        # Kept if the log can be written now, so the next report need not work it out.
        store.remember_setting(Setting.CONTRIBUTOR, cid)
        return cid
    cid = os.urandom(8).hex()  # what secrets.token_hex(8) does, without its imports
    store.set_setting(Setting.CONTRIBUTOR, cid)
    return cid


def summary(store: Store, period: Period, now: int | None = None,
            compare: NamedRule | None = None) -> Summary:
    """The summary of a period for this database, as of now.

    From the stored weeks alone when every week of the period is complete and stored; else
    computed (carelog.core.ledger.load.computed_summary), which also stores the weeks it
    completes. With `compare`, a `compare` block holds the same weeks under that rule (a
    what-if), always computed.
    """
    now = now_instant() if now is None else now
    if compare is None:
        mondays = period.weeks
        with store.reading():
            weeks = stored_records(store, period, now)
            try:
                partly = store.partly_met_at_on(period.last)
            except ValueError:  # a stored schedule that cannot be read: computing says so
                weeks = {}
            if all(m in weeks for m in mondays):
                store.note_zone_known()
        if all(m in weeks for m in mondays):
            ordered = [weeks[m] for m in mondays]
            partly = DEFAULT_PARTLY_MET_AT if partly is None else partly
            ledger = Ledger(period.first, period.last, ordered, totals_of(ordered, partly),
                            partly)
            return Summary(ledger, contributor_id(store),
                           store.setting(Setting.DISPLAY_NAME) or None)
    # Computing loads the domain models (pydantic) and the ledger's computation: only now.
    from carelog.core.ledger.load import computed_summary  # noqa: PLC0415

    return computed_summary(store, period, now, compare)
