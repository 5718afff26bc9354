"""Stored rows read into models, a row that cannot be read skipped and told, never fatal."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import ValidationError

Skip = Callable[[str], None]
"""Told one sentence for each stored row that was skipped."""

T = TypeVar("T")


def ignore(sentence: str) -> None:
    """A skip that tells no one (the caller does not report skipped rows)."""


def readable(rows: Iterable[Any], make: Callable[[Any], T], what: str, skip: Skip) -> list[T]:
    """Each row made into a model; a row that cannot be (a bad stored value) is skipped."""
    out: list[T] = []
    for r in rows:
        try:
            out.append(make(r))
        except (ValueError, TypeError, ValidationError):
            skip(f"A stored {what} ({str(r[0])[:20]}) cannot be read and was skipped (a check of "
                 "the database lists such rows).")
    return out
