"""The vocabulary of an entry's history (DESIGN §2.6): how a change came, what it was, and why.

Every change to an entry appends one event; nothing in the history is ever rewritten. An event
holds the entry's category and times after the change (none after a delete), whether the note
changed (never the note itself), how the change came (`Via`), what it was (`Action`), and for a
change to a week that a committee export sealed, the reason given (`Reason`): a category that
exports may count, and free text that stays on this machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import format_local


class Via(StrEnum):
    """How a change reached the log: the front end, or the machinery that made it."""

    WINDOW = "window"
    """The entry form of the window (and its Delete)."""
    QUICK = "quick"
    """The quick-log keys and buttons, and the quick line."""
    TIMER = "timer"
    """A timer stopped, in the window or on the command line."""
    TIMELINE = "timeline"
    """An entry's edge dragged on the day's timeline."""
    CLI = "cli"
    """The carelog command."""
    CALENDAR = "calendar"
    """The week calendar: an entry drawn, moved or resized there."""
    LOG = "log"
    """The searchable log: several entries changed or deleted at once."""
    IMPORT = "import"
    """A calendar or spreadsheet import."""
    UNDO = "undo"
    REDO = "redo"
    DEMO = "demo"
    """Sample data written by `carelog demo`."""
    SCRUB = "scrub"
    """Text removed from notes everywhere (`carelog scrub`, or the window's action)."""
    UNKNOWN = "unknown"
    """An entry recorded before history was kept: how it came is not known."""


VIA_WORDS: dict[Via, str] = {
    Via.WINDOW: "window form",
    Via.QUICK: "quick log",
    Via.TIMER: "timer",
    Via.TIMELINE: "timeline drag",
    Via.CLI: "command line",
    Via.CALENDAR: "week calendar",
    Via.LOG: "log of all entries",
    Via.IMPORT: "import",
    Via.UNDO: "undo",
    Via.REDO: "redo",
    Via.DEMO: "sample data",
    Via.SCRUB: "text removed everywhere",
    Via.UNKNOWN: "not known",
}


class Action(StrEnum):
    """What an event did to the entry."""

    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"
    IMPORT = "import"
    UNDO = "undo"
    REDO = "redo"
    BEFORE_HISTORY = "before_history"
    """The first event of an entry that was in the log before history was kept."""


ACTION_WORDS: dict[Action, str] = {
    Action.ADD: "added",
    Action.EDIT: "changed",
    Action.DELETE: "deleted",
    Action.IMPORT: "imported",
    Action.UNDO: "undo",
    Action.REDO: "redo",
    Action.BEFORE_HISTORY: "recorded before history was kept",
}


class ReasonCode(StrEnum):
    """Why a sealed week was changed: the category an export may count (never the text)."""

    CORRECTION = "correction"
    MISSED = "missed"
    MISTAKEN = "mistaken"
    OTHER = "other"
    CALENDAR_IMPORT = "calendar_import"
    SPREADSHEET_IMPORT = "spreadsheet_import"
    UNDO = "undo"
    REDO = "redo"


REASON_WORDS: dict[ReasonCode, str] = {
    ReasonCode.CORRECTION: "Correction of times or category",
    ReasonCode.MISSED: "Time that had not been logged",
    ReasonCode.MISTAKEN: "Entry logged by mistake, removed",
    ReasonCode.OTHER: "Other reason",
    ReasonCode.CALENDAR_IMPORT: "Calendar import",
    ReasonCode.SPREADSHEET_IMPORT: "Spreadsheet import",
    ReasonCode.UNDO: "Undo of an earlier change",
    ReasonCode.REDO: "Redo of an undone change",
}

CHOSEN_REASONS: tuple[ReasonCode, ...] = (
    ReasonCode.CORRECTION, ReasonCode.MISSED, ReasonCode.MISTAKEN, ReasonCode.OTHER)
"""The reasons a person chooses from; the others are given by the machinery that changed it."""

MAX_REASON_TEXT = 500


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a sealed week was changed: a category, and free text that never leaves the machine."""

    code: ReasonCode
    text: str = ""

    def __str__(self) -> str:
        return f"{self.code.value}: {self.text}" if self.text else self.code.value


def parse_reason(text: str | None) -> Reason | None:
    """Read a reason as typed on the command line: 'correction', 'missed: Friday's calls'.

    Text that does not start with one of the chosen categories is kept whole as the free text of
    an 'other' reason. An empty text is refused naming the field; None stays None.
    """
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if not cleaned:
        raise BadInput("The reason is empty; say in a few words why the sealed week changes.",
                       field="reason")
    if len(cleaned) > MAX_REASON_TEXT:
        raise BadInput(f"The reason is longer than {MAX_REASON_TEXT} characters; shorten it.",
                       field="reason")
    head, sep, rest = cleaned.partition(":")
    for code in CHOSEN_REASONS:
        if head.strip().lower() == code.value:
            return Reason(code, rest.strip() if sep else "")
    return Reason(ReasonCode.OTHER, cleaned)


@dataclass(frozen=True, slots=True)
class EntryState:
    """An entry's category and times (UTC seconds) as one event left it."""

    category: str
    start: int
    end: int

    @property
    def minutes(self) -> int:
        """Length in whole minutes."""
        return (self.end - self.start) // 60


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One event of an entry's history, as stored.

    `state` is the entry after the event (None when the event removed it from the log); `at` is
    the UTC instant in epoch seconds.
    """

    id: int
    entry_id: int
    at: int
    action: Action
    via: Via
    state: EntryState | None
    note_changed: bool
    reason: Reason | None = None


FIELDS = ("category", "start", "end")


def changes_of(previous: EntryState | None, event: HistoryEvent,
               tz: ZoneInfo) -> dict[str, dict[str, str | None] | str]:
    """What an event changed, field by field: {"end": {"old": …, "new": …}, "note": "changed"}.

    Times are local 'YYYY-MM-DD HH:MM' in tz. A note is never shown, only that it changed.
    """
    old = previous
    new = event.state
    out: dict[str, dict[str, str | None] | str] = {}
    for name in FIELDS:
        a = _field(old, name, tz)
        b = _field(new, name, tz)
        if a != b:
            out[name] = {"old": a, "new": b}
    if event.note_changed:
        out["note"] = "changed"
    return out


def _field(state: EntryState | None, name: str, tz: ZoneInfo) -> str | None:
    if state is None:
        return None
    if name == "category":
        return state.category
    return format_local(state.start if name == "start" else state.end, tz)


def changes_text(changes: dict[str, dict[str, str | None] | str],
                 label_of: Callable[[str], str] | None = None) -> str:
    """The changes in words: 'end 2026-11-16 09:50 → 10:20; note changed'.

    With `label_of`, categories are named by their labels rather than their codes.
    """
    parts = []
    for name, change in changes.items():
        if isinstance(change, str):
            parts.append(f"{name} {change}")
            continue
        old, new = change["old"], change["new"]
        if name == "category" and label_of is not None:
            old = None if old is None else label_of(old)
            new = None if new is None else label_of(new)
        if old is not None and new is not None and old[:10] == new[:10] and name != "category":
            new = new[11:]
        if old is None:
            parts.append(f"{name} {new}")
        elif new is None:
            parts.append(f"{name} was {old}")
        else:
            parts.append(f"{name} {old} → {new}")
    return "; ".join(parts)


def with_changes(events: list[HistoryEvent],
                 tz: ZoneInfo) -> list[tuple[HistoryEvent, dict[str, dict[str, str | None] | str]]]:
    """Each event with what it changed from the state the event before it left."""
    out = []
    previous: EntryState | None = None
    for ev in events:
        out.append((ev, changes_of(previous, ev, tz)))
        previous = ev.state
    return out
