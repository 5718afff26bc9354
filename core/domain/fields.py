"""Field types the pydantic models share: a date in the years Carelog handles.

Apart from carelog.core.domain.timeutil, whose arithmetic a report read from the stored weeks
uses without loading pydantic; every model that takes a date builds on these.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from carelog.core.domain.timeutil import YEARS_TEXT, in_years
from pydantic import AfterValidator


def _in_years(d: date) -> date:
    if isinstance(d, datetime):
        raise ValueError("a date is wanted here, not a date and time")
    if not in_years(d):
        raise ValueError(f"{d.isoformat()} is outside {YEARS_TEXT}")
    return d


CarelogDate = Annotated[date, AfterValidator(_in_years)]
"""A date in the years Carelog handles: the one range check every model's dates go through."""
