"""Modules imported when one of their names is first used, not when the Store is.

The Store's parts import these names from here rather than the modules themselves.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any


class OnFirstUse:
    """A module imported when one of its names is first used, not when the Store is.

    The table groups below build the domain's pydantic models, which take longer to import
    than a report read from the stored weeks takes altogether; such a report opens the Store
    and never touches them. Importing is thread-safe (importlib's module locks).
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


# The modules the Store's parts use, each declared once. Type checkers see the modules
# themselves; at run time each name is imported when first used.
if TYPE_CHECKING:
    from carelog.core.domain import forgiving_timer as forgiving
    from carelog.core.domain import history as history_codes
    from carelog.core.domain import models
    from carelog.core.domain import schedule as schedule_rules
    from carelog.core.store import (
        calendar_days,
        entries,
        escalations,
        history,
        journal,
        schedules,
        seals,
        timer,
    )
    from carelog.core.store import categories as category_rows
    from carelog.core.store import check as checks
    from carelog.core.store import restore as restoring
    from carelog.core.store import scrub as scrubbing
else:
    forgiving = OnFirstUse("carelog.core.domain.forgiving_timer")
    history_codes = OnFirstUse("carelog.core.domain.history")
    models = OnFirstUse("carelog.core.domain.models")
    schedule_rules = OnFirstUse("carelog.core.domain.schedule")
    calendar_days = OnFirstUse("carelog.core.store.calendar_days")
    category_rows = OnFirstUse("carelog.core.store.categories")
    checks = OnFirstUse("carelog.core.store.check")
    entries = OnFirstUse("carelog.core.store.entries")
    escalations = OnFirstUse("carelog.core.store.escalations")
    history = OnFirstUse("carelog.core.store.history")
    journal = OnFirstUse("carelog.core.store.journal")
    restoring = OnFirstUse("carelog.core.store.restore")
    schedules = OnFirstUse("carelog.core.store.schedules")
    scrubbing = OnFirstUse("carelog.core.store.scrub")
    seals = OnFirstUse("carelog.core.store.seals")
    timer = OnFirstUse("carelog.core.store.timer")

__all__ = ["OnFirstUse", "calendar_days", "category_rows", "checks", "entries", "escalations",
           "forgiving", "history", "history_codes", "journal", "models", "restoring",
           "schedule_rules", "schedules", "scrubbing", "seals", "timer"]
