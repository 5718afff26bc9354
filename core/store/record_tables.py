"""The Store's record: history, seals, exports and the stored weeks."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TYPE_CHECKING

from carelog.core.domain.errors import BadInput
from carelog.core.store import connection, week_records
from carelog.core.store import settings as kv
from carelog.core.store.lazy import history, seals
from carelog.core.store.store_base import StoreBase
from carelog.core.store.week_records import StoredWeek, WeekRow

if TYPE_CHECKING:
    from carelog.core.domain.history import HistoryEvent
    from carelog.core.domain.seal import Seal, SealedEntry


class RecordTables(StoreBase):
    """History, seals and committee exports, and the stored ledger of complete weeks."""

    # ----------------------------------------------------------------- history and seals

    def history(self, entry_id: int) -> list[HistoryEvent]:
        """Every event of an entry, oldest first; BadInput for an id that never existed."""
        if not 0 < entry_id < 2**63:
            raise BadInput(f"There is no entry with id {entry_id}.", field="id")
        events = history.events_of(self.conn, entry_id)
        if not events:
            raise BadInput(f"There is no entry with id {entry_id}, now or in its history.",
                           field="id")
        return events

    def history_of_entries(self, ids: list[int]) -> dict[int, list[HistoryEvent]]:
        """The events of several entries, oldest first, by entry id."""
        return history.events_of_entries(self.conn, ids)

    def history_between(self, start: int, end: int) -> dict[int, list[HistoryEvent]]:
        """The events of every entry now overlapping [start, end), by entry id."""
        return history.events_between(self.conn, start, end)

    def amendment_reasons(self, week: str) -> dict[str, int]:
        """How many changes amended a sealed week, by reason category."""
        return history.amendment_reasons(self.conn, week)

    def first_seals_between(self, start: int, end: int) -> dict[str, Seal]:
        """The first seal of each week starting in [start, end), by week."""
        return seals.first_seals_between(self.conn, start, end)

    def sealed_weeks(self, *spans: tuple[int, int]) -> list[str]:
        """The sealed weeks any of the spans [start, end) touches (empty when none)."""
        return seals.weeks_touching(self.conn, spans)

    def seal_weeks(self, weeks: list[tuple[str, int, int]]) -> list[tuple[Seal, bool]]:
        """Seal weeks given as (label, start, end), all in one transaction.

        Each comes back with True when a new seal was made, False when its newest seal still
        matched and was kept.
        """
        with self.transaction() as c:
            return [seals.seal_week(c, week, a, b) for week, a, b in weeks]

    def seal_by_digest(self, digest: str) -> Seal | None:
        """The seal with this digest, when this log made it."""
        return seals.by_digest(self.conn, digest)

    def sealed_entries(self, seal_id: int) -> list[SealedEntry]:
        """The entries a seal covered when it was made."""
        return seals.entries_of(self.conn, seal_id)

    def current_sealable(self, start: int, end: int) -> list[SealedEntry]:
        """The log's entries overlapping [start, end), as a seal covers them."""
        return seals.current_entries(self.conn, start, end)

    def record_export(self, period: str, digest: str) -> None:
        """Remember the digest of a committee JSON as it was written."""
        with self.transaction() as c:
            seals.record_export(c, period, digest)

    def export_known(self, digest: str) -> bool:
        """True when this log wrote a committee JSON with this digest."""
        return seals.export_known(self.conn, digest)

    # ----------------------------------------------------------------- stored weeks

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """One read transaction: every read inside sees the same state of the database."""
        return week_records.snapshot(self.conn)

    def stored_weeks(self, first: date, last: date, version: int) -> list[StoredWeek]:
        """The complete weeks stored by this version of the ledger, Mondays first to last."""
        return week_records.read(self.conn, first, last, version)

    def remember_weeks(self, weeks: list[WeekRow], version: int) -> bool:
        """Store complete weeks computed inside `reading()`; False when they could not be."""
        return self._may_remember() and week_records.remember(self.conn, weeks, version)

    def remember_setting(self, key: str, value: str) -> bool:
        """Keep a setting worked out from others if the log can be written now, without waiting.

        For a value that is the same whoever works it out (so losing it costs nothing but the
        work); False when it was not kept.
        """
        return self._may_remember() and connection.write_if_free(self.conn, kv.PUT_SQL,
                                                                 [(str(key), value)])

    def _may_remember(self) -> bool:
        """True when what a reading command worked out may be kept in the log now.

        That is when the log can be written, and is still the file this store opened (a
        restore has not replaced it).
        """
        return self.read_only is None and connection.identity(self.path) == self.opened

    def partly_met_at_on(self, day: date) -> float | None:
        """The partly-met mark of the schedule in force on day (else the newest), or None."""
        return week_records.partly_met_at_on(self.conn, day)
