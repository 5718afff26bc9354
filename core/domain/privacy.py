"""Warnings for notes that look like they hold a patient identifier.

Notes are private and never exported, but they should still not name patients; these patterns are
deliberately cautious and only warn — they never block saving.
"""

from __future__ import annotations

import re

PRIVACY_STATEMENT = ("No patient information, no notes, no individual entries; counts from 1 "
                     "to 10 shown as <11.")

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "an email address"),
    (re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"), "a phone number"),
    (re.compile(r"\d{6,}"), "a long number (like a record number)"),
    (re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b"), "a name (two capitalised words)"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "a date (like a birth date)"),
)


def identifier_warnings(note: str) -> list[str]:
    """Describe each kind of identifier-like text found in a note, in reading order."""
    found: list[str] = []
    for pattern, what in _PATTERNS:
        if pattern.search(note or "") and what not in found:
            found.append(what)
    return found


def warning_sentence(note: str) -> str | None:
    """One sentence warning about identifier-like text, or None when the note looks clean."""
    found = identifier_warnings(note)
    if not found:
        return None
    return ("This note seems to contain " + ", ".join(found)
            + "; keep patient identifiers out of Carelog.")
