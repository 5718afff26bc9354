"""Pydantic models for everything Carelog stores.

Entries, leave, block tags, access, the timer, escalations and capacity counts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import MINUTE, CarelogDate, format_local
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MAX_ENTRY_MINUTES = 24 * 60
_MIN_INSTANT = -2_208_988_800  # 1900-01-01 UTC
_MAX_INSTANT = 7_258_118_400  # 2200-01-01 UTC
ACCESS_STANDARD_DAYS = 10
"""California's standard for a non-urgent return appointment, in business days."""
DEFAULT_MEAL_BREAK_MIN = 30
"""The shortest break that counts as a meal break, unless the therapist sets another."""


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

    day: CarelogDate
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

    day: CarelogDate
    start_minute: int = Field(ge=0, lt=24 * 60, description="block start, minutes after midnight")
    reason: ErosionReason
    escalated: bool = False


class AccessObservation(BaseModel):
    """The next available return appointment, in business days, as seen on one date."""

    model_config = ConfigDict(frozen=True)

    day: CarelogDate
    days: int = Field(ge=0, le=365)

    @property
    def within_standard(self) -> bool:
        """True when the wait is within the access standard (ACCESS_STANDARD_DAYS)."""
        return self.days <= ACCESS_STANDARD_DAYS


class TimerState(BaseModel):
    """A running timer: it lives in the database, so it survives closing the app."""

    model_config = ConfigDict(frozen=True)

    category: str
    started: int = Field(ge=_MIN_INSTANT, le=_MAX_INSTANT)
    note: str = ""


# ----------------------------------------------------------------------------- escalations

MAX_ROLE_CHARS = 80
MAX_ASKED_CHARS = 120
DEFAULT_ROLE = "manager"


class EscalationHow(StrEnum):
    """How the manager was told."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    MESSAGE = "message"
    FORM = "form"


class EscalationAsk(StrEnum):
    """What the therapist asked for (the asked field may also hold the therapist's own words)."""

    RESTORE_BLOCK = "restore_block"
    MOVE_BOOKING = "move_booking"
    COVERAGE = "coverage"
    FEWER_BOOKINGS = "fewer_bookings"
    OTHER = "other"


class EscalationResponse(StrEnum):
    """The manager's answer."""

    NONE = "none"
    GRANTED = "granted"
    PARTLY = "partly"
    REFUSED = "refused"


HOW_LABELS: dict[EscalationHow, str] = {
    EscalationHow.IN_PERSON: "in person",
    EscalationHow.PHONE: "by phone",
    EscalationHow.EMAIL: "by email",
    EscalationHow.MESSAGE: "by message",
    EscalationHow.FORM: "on a form",
}
ASK_LABELS: dict[EscalationAsk, str] = {
    EscalationAsk.RESTORE_BLOCK: "restore the block",
    EscalationAsk.MOVE_BOOKING: "move the booking",
    EscalationAsk.COVERAGE: "coverage",
    EscalationAsk.FEWER_BOOKINGS: "fewer bookings",
    EscalationAsk.OTHER: "other",
}
RESPONSE_LABELS: dict[EscalationResponse, str] = {
    EscalationResponse.NONE: "none yet",
    EscalationResponse.GRANTED: "granted",
    EscalationResponse.PARTLY: "partly granted",
    EscalationResponse.REFUSED: "refused",
}


def asked_code(text: str) -> str:
    """The asked field as stored: a known code (from its code or its words) or the words given."""
    cleaned = " ".join(text.split())
    for ask, words in ASK_LABELS.items():
        if cleaned.lower() in (ask.value, words, ask.value.replace("_", " ")):
            return ask.value
    return cleaned


def asked_words(asked: str) -> str:
    """The asked field in words: 'restore the block', or the therapist's own words."""
    try:
        return ASK_LABELS[EscalationAsk(asked)]
    except ValueError:
        return asked


class Escalation(BaseModel):
    """The record of telling a manager that protected time was lost (DESIGN §2.5).

    It concerns one protected block (`start_minute`) or a whole day (`start_minute` None). The
    note is private: it is never exported.
    """

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    day: CarelogDate
    start_minute: int | None = Field(default=None, ge=0, lt=24 * 60)
    told_at: int = Field(description="UTC instant the manager was told, whole minute")
    to_role: str = Field(min_length=1, max_length=MAX_ROLE_CHARS)
    how: EscalationHow | None = None  # None: not recorded (a block tagged "escalated")
    asked: str = Field(min_length=1, max_length=MAX_ASKED_CHARS)
    response: EscalationResponse = EscalationResponse.NONE
    response_on: CarelogDate | None = None
    resolved: bool = False
    note: str = ""

    @property
    def responded(self) -> bool:
        """True once the manager's answer is recorded."""
        return self.response is not EscalationResponse.NONE

    def how_words(self) -> str:
        """'in person', or 'not recorded'."""
        return "not recorded" if self.how is None else HOW_LABELS[self.how]

    def response_words(self) -> str:
        """'refused on 2026-11-20', 'none yet'."""
        words = RESPONSE_LABELS[self.response]
        if self.response_on is not None and self.responded:
            words += f" on {self.response_on}"
        return words


def new_escalation(day: date, start_minute: int | None, told_at: int, to_role: str,
                   how: EscalationHow | str | None, asked: str, note: str = "") -> Escalation:
    """Build an escalation from what a person typed, or BadInput naming the field.

    The role and the request are trimmed; a request in the words of a known one ("restore the
    block") is stored as its code.
    """
    role = " ".join(to_role.split())
    if not role:
        raise BadInput("Give the role of the person told, such as clinic manager.", field="to")
    if len(role) > MAX_ROLE_CHARS:
        raise BadInput(f"The role is {len(role)} characters long; keep it to "
                       f"{MAX_ROLE_CHARS}, a role rather than a story.", field="to")
    request = asked_code(asked)
    if not request:
        raise BadInput("Say what was asked, such as restore_block or move_booking.",
                       field="asked")
    if len(request) > MAX_ASKED_CHARS:
        raise BadInput(f"What was asked is {len(request)} characters long; keep it to "
                       f"{MAX_ASKED_CHARS} (the private note holds the rest).", field="asked")
    if isinstance(how, str):
        try:
            how = EscalationHow(how)
        except ValueError:
            raise BadInput(f"Unknown way '{how}'; choose one of "
                           f"{', '.join(h.value for h in EscalationHow)}.", field="how") from None
    if told_at % MINUTE:
        told_at -= told_at % MINUTE
    try:
        return Escalation(day=day, start_minute=start_minute, told_at=told_at, to_role=role,
                          how=how, asked=request, note=note)
    except ValidationError as exc:
        raise plain_error(exc) from None


def tag_escalation(tag: BlockTag, told_at: int, to_role: str | None = None,
                   how: EscalationHow | str | None = None) -> Escalation:
    """The escalation that tagging a block "escalated" records.

    It is told to a manager unless another role is given, and asks to restore the block (the
    tag holds the reason).
    """
    return new_escalation(tag.day, tag.start_minute, told_at, to_role or DEFAULT_ROLE, how,
                          EscalationAsk.RESTORE_BLOCK.value)


def check_escalation(esc: Escalation, now: int, tz: ZoneInfo) -> None:
    """Refuse an escalation whose dates cannot be true: BadInput naming the field.

    The manager cannot have been told before the day the record concerns, nor after now; a
    response cannot come before the escalation or after today.
    """
    told = datetime.fromtimestamp(esc.told_at, tz)
    shown = told.strftime("%Y-%m-%d %H:%M")
    if esc.told_at > now:
        raise BadInput(f"The escalation time {shown} is in the future.", field="at")
    if told.date() < esc.day:
        what = "block" if esc.start_minute is not None else "day"
        raise BadInput(f"The escalation time {shown} is before the {what} it concerns "
                       f"({esc.day}).", field="at")
    if esc.response_on is not None:
        today = datetime.fromtimestamp(now, tz).date()
        if esc.response_on < told.date():
            raise BadInput(f"The response date {esc.response_on} is before the escalation "
                           f"({told.date()}).", field="on")
        if esc.response_on > today:
            raise BadInput(f"The response date {esc.response_on} is in the future.", field="on")


# ----------------------------------------------------------------------------- capacity

MAX_CASELOAD = 2_000


class CapacityObservation(BaseModel):
    """The therapist's own capacity counts on one date: numbers only, nothing about a patient.

    `caseload` is the number of open patients; `return_not_offered` how many could not be
    offered a return within the clinically indicated interval, counted on that date (a week adds
    up its dates; None when not counted).
    """

    model_config = ConfigDict(frozen=True)

    day: CarelogDate
    caseload: int = Field(ge=0, le=MAX_CASELOAD)
    return_not_offered: int | None = Field(default=None, ge=0, le=MAX_CASELOAD)


def check_count(value: int | None, field: str) -> None:
    """Refuse a negative or absurd capacity count: one sentence naming the field."""
    if value is None:
        return
    if value < 0:
        raise BadInput(f"The {field.replace('_', ' ')} must be zero or more, not {value}.",
                       field=field)
    if value > MAX_CASELOAD:
        raise BadInput(f"The {field.replace('_', ' ')} must be at most {MAX_CASELOAD:,}, not "
                       f"{value:,}.", field=field)
