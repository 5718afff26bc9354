"""Warnings for text that looks like it holds a patient identifier.

Notes, and an escalation's role and request, are checked. Notes are private and never
exported, but they should still not name patients; these patterns are deliberately cautious and
only warn — they never block saving.
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


# Words of job titles: a capitalised pair made only of these ("Clinic Manager") is a role, not
# a person's name.
ROLE_WORDS = frozenset({
    "manager", "supervisor", "director", "administrator", "lead", "chief", "head", "clinic",
    "clinical", "department", "team", "program", "service", "services", "area", "regional",
    "medical", "assistant", "associate", "deputy", "senior", "coordinator", "scheduler",
    "scheduling", "office", "operations", "unit", "charge", "nurse", "steward", "union",
    "committee", "chair", "practice", "behavioral", "health", "mental", "psychiatry", "hr",
})


def _is_role_pair(text: str) -> bool:
    return all(word.lower() in ROLE_WORDS for word in text.split())


def identifier_warnings(note: str, *, roles_allowed: bool = False) -> list[str]:
    """Describe each kind of identifier-like text found in a note, in reading order.

    With `roles_allowed`, a capitalised pair of job-title words ("Clinic Manager") is not taken
    for a name: the escalation's role field holds such words by design.
    """
    found: list[str] = []
    for pattern, what in _PATTERNS:
        matches = [m.group(0) for m in pattern.finditer(note or "")]
        if roles_allowed and what.startswith("a name"):
            matches = [m for m in matches if not _is_role_pair(m)]
        if matches and what not in found:
            found.append(what)
    return found


def identifier_texts(note: str) -> list[str]:
    """The pieces of a note that look like identifiers, in reading order (each once).

    What a window offers to remove everywhere (`carelog scrub`) when it warns about a note.
    """
    found: list[tuple[int, str]] = []
    for pattern, _ in _PATTERNS:
        found.extend((m.start(), m.group(0)) for m in pattern.finditer(note or ""))
    out: list[str] = []
    for _, text in sorted(found):
        if text not in out:
            out.append(text)
    return out


def warning_sentence(note: str, subject: str = "This note", *,
                     roles_allowed: bool = False) -> str | None:
    """One sentence warning about identifier-like text, or None when the text looks clean.

    `subject` names what is warned about ("The role", "What was asked").
    """
    found = identifier_warnings(note, roles_allowed=roles_allowed)
    if not found:
        return None
    return (f"{subject} seems to contain " + ", ".join(found)
            + "; keep patient identifiers out of Carelog.")


def escalation_warnings(role: str, asked: str, note: str = "") -> list[str]:
    """The warnings an escalation's free text earns: its role, its request and its note."""
    found = [warning_sentence(role, "The role", roles_allowed=True),
             warning_sentence(asked, "What was asked"),
             warning_sentence(note)]
    return [w for w in found if w]
