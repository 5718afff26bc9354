"""Pydantic models for everything Carelog stores: entries, leave, block tags, access, the timer."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import MINUTE, format_local
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MAX_ENTRY_MINUTES = 24 * 60
_MIN_INSTANT = -2_208_988_800  # 1900-01-01 UTC
_MAX_INSTANT = 7_258_118_400  # 2200-01-01 UTC
ACCESS_STANDARD_DAYS = 10
"""California's standard for a non-urgent return appointment, in business days."""


class Source(StrEnum):
    """Where an entry came from."""

    MANUAL = "manual"
    QUICK = "quick"
    TIMER = "timer"
    IMPORT_ICS = "import-ics"
    IMPORT_CSV = "import-csv"
    DEMO = "demo"


class LeaveType(StrEnum):
    """Kinds of leave; all of them lower the week's expected minutes the same way."""

    PTO = "pto"
    SICK = "sick"
    HOLIDAY = "holiday"
    EDUCATION = "education"
    OTHER = "other"


class ErosionReason(StrEnum):
    """Why a protected block was not used for indirect patient care."""

    BOOKED_ROUTINE = "booked_routine"
    URGENT_OVERFLOW = "urgent_overflow"
    MEETING = "meeting"
    TRAINING_ADMIN = "training_admin"
    COVERAGE = "coverage"
    SESSION_OVERRUN = "session_overrun"
    TEMPLATE_CUT = "template_cut"
    OTHER = "other"


REASON_LABELS: dict[ErosionReason, str] = {
    ErosionReason.BOOKED_ROUTINE: "Routine appointment booked into it",
    ErosionReason.URGENT_OVERFLOW: "Urgent or crisis patient placed in it",
    ErosionReason.MEETING: "Taken by a meeting",
    ErosionReason.TRAINING_ADMIN: "Used for training or admin",
    ErosionReason.COVERAGE: "Covering for a colleague or triage",
    ErosionReason.SESSION_OVERRUN: "A session ran over into it",
    ErosionReason.TEMPLATE_CUT: "Removed from the schedule template",
    ErosionReason.OTHER: "Other",
}


class Entry(BaseModel):
    """One logged stretch of time: a category between two UTC instants (epoch seconds)."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    category: str = Field(min_length=1)
    start: int = Field(description="UTC instant, seconds since the epoch, whole minute")
    end: int = Field(description="UTC instant, seconds since the epoch, whole minute")
    note: str = ""
    source: Source = Source.MANUAL
    created: str = ""
    updated: str = ""

    @model_validator(mode="after")
    def _check_span(self) -> Entry:
        if not (self.start >= _MIN_INSTANT and self.end <= _MAX_INSTANT):
            raise ValueError("Carelog handles times from 1900 to 2199 only.")
        if self.start % MINUTE or self.end % MINUTE:
            raise ValueError("Times are kept to the whole minute; drop the seconds.")
        if self.end <= self.start:
            raise ValueError("The end must be after the start.")
        if self.end - self.start > MAX_ENTRY_MINUTES * MINUTE:
            hours = (self.end - self.start) / 3600
            raise ValueError(f"An entry can last at most 24 hours; this one lasts {hours:g} hours.")
        return self

    @property
    def minutes(self) -> int:
        """Length in whole minutes."""
        return (self.end - self.start) // MINUTE

    def planned(self, now: int) -> bool:
        """True while the entry's time has not fully passed: it counts once it has."""
        return self.end > now


def describe_entry(e: Entry, categories: CategoryRegistry, tz: ZoneInfo) -> str:
    """A short human description of an entry, e.g. 'Charting 2026-11-16 10:00, 10 m'."""
    return f"{categories.label_of(e.category)} {format_local(e.start, tz)}, {e.minutes} m"


def fit_between(e: Entry, clashes: list[Entry]) -> list[Entry]:
    """The pieces of e that fit in the gaps between the entries it overlaps (trimming)."""
    pieces: list[Entry] = []
    cursor = e.start
    for c in sorted(clashes, key=lambda x: x.start):
        if c.start > cursor:
            pieces.append(e.model_copy(update={"start": cursor, "end": min(c.start, e.end)}))
        cursor = max(cursor, c.end)
        if cursor >= e.end:
            break
    if cursor < e.end:
        pieces.append(e.model_copy(update={"start": cursor, "end": e.end}))
    return pieces


def make_entry(**fields: Any) -> Entry:
    """Build an Entry, turning pydantic's report into one plain sentence."""
    try:
        return Entry(**fields)
    except ValidationError as exc:
        raise plain_error(exc) from None


def plain_error(exc: ValidationError) -> BadInput:
    """The first problem of a pydantic validation error as a BadInput sentence."""
    err = exc.errors()[0]
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
    if err.get("type") not in ("value_error", "assertion_error") and loc:
        msg = f"The {loc} is not valid: {msg[0].lower()}{msg[1:]}."
        msg = msg.replace("..", ".")
    field = loc or ("end" if "end" in msg else None)
    return BadInput(msg, field=field)


class Leave(BaseModel):
    """Leave on one date: the whole day (minutes None) or some hours of it."""

    model_config = ConfigDict(frozen=True)

    day: date
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    type: LeaveType = LeaveType.PTO

    @property
    def whole_day(self) -> bool:
        """True when the leave covers the whole day."""
        return self.minutes is None


def leave_minutes(hours: float | None) -> int | None:
    """The minutes of leave for a number of hours (None: the whole day), or BadInput.

    Hours must be more than 0 and at most 24, and come to at least one minute.
    """
    if hours is None:
        return None
    if not (0 < hours <= 24):
        raise BadInput(f"The hours must be more than 0 and at most 24, not {hours:g}.",
                       field="hours")
    minutes = round(hours * 60)
    if minutes < 1:
        raise BadInput(f"The hours must come to at least one minute, not {hours:g}.",
                       field="hours")
    return minutes


class BlockTag(BaseModel):
    """The therapist's contemporaneous record of why a protected block was eroded."""

    model_config = ConfigDict(frozen=True)

    day: date
    start_minute: int = Field(ge=0, lt=24 * 60, description="block start, minutes after midnight")
    reason: ErosionReason
    escalated: bool = False


class AccessObservation(BaseModel):
    """The next available return appointment, in business days, as seen on one date."""

    model_config = ConfigDict(frozen=True)

    day: date
    days: int = Field(ge=0, le=365)

    @property
    def within_standard(self) -> bool:
        """True when the wait is within the access standard (ACCESS_STANDARD_DAYS)."""
        return self.days <= ACCESS_STANDARD_DAYS


class TimerState(BaseModel):
    """A running timer: it lives in the database, so it survives closing the app."""

    model_config = ConfigDict(frozen=True)

    category: str
    started: int
    note: str = ""
