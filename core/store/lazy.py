"""Modules imported when one of their names is first used, not when the Store is."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


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
