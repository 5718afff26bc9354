"""The codes Carelog stores and the command line offers, apart from the models that check them.

Enums and constants only, so that the command line's grammar and a report read from the stored
weeks load them without pydantic; carelog.core.domain.models builds its models on them.
"""

from __future__ import annotations

from enum import StrEnum

MAX_ENTRY_MINUTES = 24 * 60
ACCESS_STANDARD_DAYS = 10
"""California's standard for a non-urgent return appointment, in business days."""
DEFAULT_MEAL_BREAK_MIN = 30
"""The shortest break that counts as a meal break, unless the therapist sets another."""
LOG_PAGE = 200
"""How many entries the searchable log reads at a time."""
DEFAULT_PARTLY_MET_AT = 0.75
"""The attainment from which a week with a target counts as partly met, unless the rule says."""


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
