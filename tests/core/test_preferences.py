"""Preferences round-trip through the database and refuse bad values in a sentence."""

from __future__ import annotations

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.store.database import Store
from carelog.core.store.preferences import Preferences, load_preferences, save_preferences


def test_defaults_and_round_trip(store: Store) -> None:
    prefs = load_preferences(store)
    assert (prefs.reminder_enabled, prefs.reminder_time, prefs.display_name) == \
        (True, "17:15", "")
    save_preferences(store, prefs.model_copy(update={
        "reminder_enabled": False, "reminder_time": "16:45", "display_name": " Dr. R. ",
        "welcome_done": True}))
    again = load_preferences(store)
    assert (again.reminder_enabled, again.reminder_time, again.display_name,
            again.welcome_done) == (False, "16:45", "Dr. R.", True)
    assert store.setting("display_name") == "Dr. R."


def test_bad_reminder_time_is_one_sentence(store: Store) -> None:
    with pytest.raises(BadInput) as err:
        save_preferences(store, Preferences.model_construct(
            reminder_enabled=True, reminder_time="25:00", display_name="", welcome_done=False,
            quick_presets=(5,)))
    assert err.value.message == "The reminder time '25:00' is not a time; write it as HH:MM."
    assert store.setting("reminder_time") is None
