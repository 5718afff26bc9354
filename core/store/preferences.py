"""The therapist's preferences, kept in the database's settings table and validated on the way.

Kept apart from the schedule: these change how the app behaves, never a number in the ledger.
"""

from __future__ import annotations

import re

from carelog.core.domain.forgiving_timer import DEFAULT_TIMER_LIMIT_MIN
from carelog.core.domain.models import DEFAULT_MEAL_BREAK_MIN, plain_error
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Preferences(BaseModel):
    """What the Settings dialog edits besides the schedule."""

    model_config = ConfigDict(validate_assignment=True, defer_build=True)

    reminder_enabled: bool = True
    reminder_time: str = Field(default="17:15", description="local HH:MM")
    display_name: str = Field(default="", max_length=80,
                              description="shown in committee exports only when not empty")
    welcome_done: bool = False
    quick_presets: tuple[int, ...] = (5, 10, 15, 30, 50)
    meal_break_min: int = Field(default=DEFAULT_MEAL_BREAK_MIN, ge=10, le=120,
                                description="the shortest break that counts as a meal break")
    timer_limit_min: int = Field(default=DEFAULT_TIMER_LIMIT_MIN, ge=15, le=24 * 60,
                                 description="a timer running longer asks whether it is wanted")

    @field_validator("reminder_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"The reminder time '{value}' is not a time; write it as HH:MM.")
        return value

    @field_validator("display_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


_KEYS = {"reminder_enabled": Setting.REMINDER_ENABLED, "reminder_time": Setting.REMINDER_TIME,
         "display_name": Setting.DISPLAY_NAME, "welcome_done": Setting.WELCOME_DONE,
         "quick_presets": Setting.QUICK_PRESETS, "meal_break_min": Setting.MEAL_BREAK_MIN,
         "timer_limit_min": Setting.TIMER_LIMIT_MIN}


def load_preferences(store: Store) -> Preferences:
    """Read the preferences (defaults for anything never set)."""
    raw: dict[str, object] = {}
    for field, key in _KEYS.items():
        value = store.setting(key)
        if value is None:
            continue
        if field in ("reminder_enabled", "welcome_done"):
            raw[field] = value == "1"
        elif field == "quick_presets":
            raw[field] = tuple(int(x) for x in value.split(",") if x.strip().isdigit())
        elif field == "meal_break_min":
            raw[field] = int(value) if value.isdigit() else DEFAULT_MEAL_BREAK_MIN
        elif field == "timer_limit_min":
            raw[field] = int(value) if value.isdigit() else DEFAULT_TIMER_LIMIT_MIN
        else:
            raw[field] = value
    try:
        return Preferences(**raw)
    except ValidationError:
        return Preferences()


def save_preferences(store: Store, prefs: Preferences) -> None:
    """Validate and write every preference."""
    try:
        prefs = Preferences.model_validate(prefs.model_dump())
    except ValidationError as exc:
        raise plain_error(exc) from None
    for field, key in _KEYS.items():
        value = getattr(prefs, field)
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        store.set_setting(key, text)
