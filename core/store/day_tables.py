"""The Store's tables kept per date: leave, block tags, access, capacity, escalations, schedules."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from carelog.core.domain.codes import (
    DEFAULT_MEAL_BREAK_MIN,
    EscalationResponse,
)
from carelog.core.domain.timeutil import now_instant
from carelog.core.store import settings as kv
from carelog.core.store.lazy import calendar_days, escalations, models, schedule_rules, schedules
from carelog.core.store.settings import Setting
from carelog.core.store.store_base import StoreBase

if TYPE_CHECKING:
    from carelog.core.domain.models import (
        AccessObservation,
        BlockTag,
        CapacityObservation,
        Escalation,
        Leave,
    )
    from carelog.core.domain.schedule import ScheduleSet, ScheduleVersion


class DayTables(StoreBase):
    """Leave, block tags, access and capacity counts, escalations and schedule versions."""

    # ----------------------------------------------------------------- leave, tags, access

    def add_leave(self, leave: Leave) -> Leave:
        """Record leave on a date; a date already on leave is refused."""
        with self.transaction() as c:
            calendar_days.add_leave(c, leave)
        return leave

    def remove_leave(self, day: date) -> None:
        """Remove the leave on a date."""
        with self.transaction() as c:
            calendar_days.remove_leave(c, day)

    def leave_between(self, first: date, last: date) -> list[Leave]:
        """Leave on dates from first to last inclusive."""
        return calendar_days.leave_between(self.conn, first, last, self.skipped)

    def check_block(self, day: date, start_minute: int, *, tagging: bool,
                    shown_time: str | None = None) -> None:
        """Refuse a block that is not in the schedule, or (when tagging) is on a day of leave."""
        schedule_rules.check_block(self.schedules(), day, start_minute, tagging=tagging,
                    on_leave=tagging and bool(self.leave_between(day, day)),
                    shown_time=shown_time)

    def save_block_tag(self, tag: BlockTag, escalation: Escalation | None = None,
                       now: int | None = None) -> Escalation | None:
        """Record (or replace) the erosion reason of one block occurrence.

        With `escalation` (the shortcut `block tag … --escalated`), the escalation is recorded
        in the same change unless the block already has one; returns the escalation recorded,
        or None.
        """
        if escalation is not None:
            self.check_escalation(escalation, now)
        with self.transaction() as c:
            calendar_days.save_block_tag(c, tag)
            if escalation is None or escalations.for_block(c, tag.day, tag.start_minute):
                return None
            return escalations.add(c, escalation)

    def remove_block_tag(self, day: date, start_minute: int) -> None:
        """Remove the tag of one block occurrence."""
        with self.transaction() as c:
            calendar_days.remove_block_tag(c, day, start_minute)

    def block_tags_between(self, first: date, last: date) -> list[BlockTag]:
        """Tags on dates from first to last inclusive."""
        return calendar_days.block_tags_between(self.conn, first, last, self.skipped)

    def log_access(self, obs: AccessObservation) -> AccessObservation:
        """Record (or replace) the access observation of a date."""
        with self.transaction() as c:
            calendar_days.log_access(c, obs)
        return obs

    def access_between(self, first: date, last: date) -> list[AccessObservation]:
        """Access observations on dates from first to last inclusive."""
        return calendar_days.access_between(self.conn, first, last, self.skipped)

    def log_capacity(self, obs: CapacityObservation) -> CapacityObservation:
        """Record (or replace) the capacity counts of a date."""
        with self.transaction() as c:
            calendar_days.log_capacity(c, obs)
        return obs

    def capacity_between(self, first: date, last: date) -> list[CapacityObservation]:
        """Capacity counts on dates from first to last inclusive."""
        return calendar_days.capacity_between(self.conn, first, last, self.skipped)

    @property
    def meal_break_min(self) -> int:
        """The shortest break that counts as a meal break (minutes)."""
        text = kv.get(self.conn, Setting.MEAL_BREAK_MIN)
        return int(text) if text is not None and text.isdigit() else DEFAULT_MEAL_BREAK_MIN

    # ----------------------------------------------------------------- escalations

    def check_escalation(self, esc: Escalation, now: int | None = None) -> None:
        """Refuse an escalation that cannot be true: BadInput naming the field.

        Its block must be scheduled and not on leave; it cannot be dated before the day it
        concerns or in the future, nor answered before it was made.
        """
        if esc.start_minute is not None:
            self.check_block(esc.day, esc.start_minute, tagging=True)
        models.check_escalation(esc, now_instant() if now is None else now, self.tz)

    def add_escalation(self, esc: Escalation, now: int | None = None) -> Escalation:
        """Record an escalation (checked first); returns it with its id."""
        self.check_escalation(esc, now)
        with self.transaction() as c:
            return escalations.add(c, esc)

    def respond_escalation(self, escalation_id: int, response: EscalationResponse,
                           on: date, resolved: bool, now: int | None = None) -> Escalation:
        """Record the manager's response to an escalation, its date and whether it is resolved."""
        with self.transaction() as c:
            esc = escalations.get(c, escalation_id).model_copy(
                update={"response": response, "response_on": on,
                        "resolved": resolved})
            models.check_escalation(esc, now_instant() if now is None else now, self.tz)
            escalations.update_response(c, esc)
        return esc

    def get_escalation(self, escalation_id: int) -> Escalation:
        """The escalation with this id, or BadInput."""
        return escalations.get(self.conn, escalation_id)

    def escalations_between(self, first: date, last: date) -> list[Escalation]:
        """Escalations about dates from first to last inclusive."""
        return escalations.between(self.conn, first, last, self.skipped)

    def escalations_for_block(self, day: date, start_minute: int) -> list[Escalation]:
        """The escalations about one protected block occurrence."""
        return escalations.for_block(self.conn, day, start_minute, self.skipped)

    # ----------------------------------------------------------------- schedules

    def schedules(self) -> ScheduleSet:
        """Every schedule version, oldest first (unreadable ones left out, said)."""
        return schedules.all_versions(self.conn, self.skipped)

    def save_schedule(self, version: ScheduleVersion) -> None:
        """Store a schedule version (replacing one with the same date).

        Weeks before its effective date keep the version that was in force then. The newest
        version's zone becomes the user's zone.
        """
        with self.transaction() as c:
            if schedules.save(c, version):
                kv.put(c, Setting.TIMEZONE, version.timezone)
        self._tz = None

    def delete_schedule(self, effective_from: date) -> None:
        """Remove one schedule version."""
        with self.transaction() as c:
            schedules.delete(c, effective_from)
