"""Quick logging as commands: the quick bar, the Log menu and the tray all log through here.

Every command calls core (carelog.core.domain.quick for what a line or a preset means,
the store for adding with trimming and for the timer) and reports what was actually written,
in one sentence that ends with how to undo it. Nothing here decides a time or a total on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from carelog.core.domain.categories import CategoryInfo
from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.history import Via
from carelog.core.domain.models import MAX_ENTRY_MINUTES, Entry, TimerState
from carelog.core.domain.quick import QuickEntry, last_minutes, parse_quick
from carelog.core.domain.timeutil import MINUTE, fmt_minutes, format_local, to_local
from carelog.gui.remedies import window_sentence
from carelog.gui.state import AppState
from PySide6.QtCore import QObject, Signal

T = TypeVar("T")
UNDO_HINT = " — Undo (Ctrl+Z)"
DEFAULT_PRESETS = (5, 10, 15, 30, 50)
MAX_PRESETS = 9

# The categories with a one-key shortcut (Alt+letter); the letters avoid the menu bar's
# mnemonics (F, E, V, L, H) and the entry form's (G, A, R, N, I, O).
QUICK_KEYS: dict[str, str] = {
    "messages": "M",
    "documentation": "D",
    "treatment_planning": "T",
    "care_coordination": "C",
    "individual": "S",
    "break": "B",
}

# What the tray's Quick log menu offers: the small stretches a therapist logs between sessions.
TRAY_QUICK: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("messages", (5, 10, 15)),
    ("documentation", (10, 15, 30)),
    ("treatment_planning", (10, 15, 30)),
    ("care_coordination", (10, 15)),
)


@dataclass(frozen=True, slots=True)
class Logged:
    """What a quick command wrote, and the sentence that says so."""

    entries: list[Entry]
    sentence: str


def shortcut_text(code: str) -> str:
    """'Alt+M' for a category with a quick key, '' otherwise."""
    letter = QUICK_KEYS.get(code)
    return f"Alt+{letter}" if letter else ""


class QuickCommands(QObject):
    """Log the last few minutes, a quick line, or a timer, as one undo step each."""

    logged = Signal(object)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state

    # ------------------------------------------------------------------ reading

    def categories(self) -> list[CategoryInfo]:
        """Every category, IPC first, then direct care, then other work (user ones included)."""
        return self.state.store.categories.all()

    def label(self, code: str) -> str:
        """The label of a category code."""
        registry = self.state.store.categories
        return registry.get(code).label if code in registry else code

    def preview(self, line: str) -> QuickEntry:
        """What a quick line would log now; BadInput says what could not be read."""
        store = self.state.store
        return parse_quick(line, store.categories, store.tz, self.state.now_minute())

    # ------------------------------------------------------------------ logging

    def log_line(self, line: str) -> Logged:
        """Log a quick line ("msg 10", "4 x msg 3 # note"), fitted around what is logged."""
        quick = self.preview(line)
        return self._add(quick.drafts, f"quick {quick.summary}", quick.summary)

    def log_last(self, code: str, minutes: int, count: int = 1) -> Logged:
        """Log `count` stretches of `minutes` laid end to end, ending now."""
        if count > 1:
            # The batch form of the quick line lays the entries out; the code is a valid word.
            quick = self.preview(f"{count} x {code} {minutes}")
            return self._add(quick.drafts, f"quick {quick.summary}", quick.summary)
        draft = last_minutes(code, minutes, self.state.now_minute())
        return self._add([draft], f"add {self.state.store.describe(draft)}", None)

    def _add(self, drafts: list[Entry], label: str, summary: str | None) -> Logged:
        store = self.state.store
        added = store.add_entries(drafts, trim=True, label=label, via=Via.QUICK)
        sentence = "Logged " + self.describe(drafts, added, summary) + UNDO_HINT
        self._after_change(added, sentence)
        return Logged(added, sentence)

    def _after_change(self, added: Sequence[Entry], sentence: str) -> None:
        self.state.notify_changed()
        if added:
            first = to_local(added[0].start, self.state.store.tz).date()
            self.state.set_day(first)
        self.state.say(sentence)
        self.logged.emit(list(added))

    def describe(self, drafts: Sequence[Entry], added: Sequence[Entry],
                 summary: str | None = None) -> str:
        """'Messages 10 m, 14:50–15:00', saying so when trimming kept only part of it."""
        asked = sum(d.minutes for d in drafts)
        got = sum(a.minutes for a in added)
        if got == asked and len(added) == len(drafts) and summary:
            return summary
        labels = sorted({self.label(a.category) for a in added})
        what = " and ".join(labels)
        if len(drafts) == 1 and len(added) > 1:
            what += f" {fmt_minutes(got)} in {len(added)} pieces"
        elif len(drafts) > 1:
            what = f"{len(added)} × {what}, {fmt_minutes(got)} in all"
        else:
            what += f" {fmt_minutes(got)}"
        text = f"{what}, {self._span(added)}"
        if got < asked:
            text += f" ({fmt_minutes(asked - got)} of that time was already logged)"
        return text

    def _span(self, entries: Sequence[Entry]) -> str:
        tz = self.state.store.tz
        a = format_local(min(e.start for e in entries), tz)
        b = format_local(max(e.end for e in entries), tz)
        return f"{a[11:]}–{b[11:]}" if a[:10] == b[:10] else f"{a[11:]}–{b}"

    # ------------------------------------------------------------------ the timer

    def start_timer(self, code: str) -> str:
        """Start the timer for a category (it lives in the database); return the sentence."""
        state = self.state
        running = state.store.timer_start(code, at=state.now_minute())
        return self._started(running, lambda since: f"Timer started: {self.label(code)} since "
                             f"{since}. It keeps running if you close Carelog.")

    def continue_last(self) -> str:
        """Start the timer again for the category and note of the last entry (one key)."""
        state = self.state
        last = state.store.last_entry(state.now_minute() + MINUTE)
        if last is None:
            raise BadInput("Nothing is logged yet, so there is no entry to continue.",
                           field="timer")
        running = state.store.timer_start(last.category, note=last.note,
                                          at=state.now_minute())
        return self._started(running, lambda since: f"Timer started: "
                             f"{self.label(last.category)} again since {since}, continuing the "
                             "last entry.")

    def _started(self, running: TimerState, sentence: Callable[[str], str]) -> str:
        """Show the timer just started and say the sentence made with its clock time."""
        self.state.reload_timer()
        said = sentence(format_local(running.started, self.state.store.tz)[11:])
        self.state.say(said)
        return said

    def set_timer_start(self, started: int) -> str:
        """Move the running timer's start; return the sentence."""
        state = self.state
        moved = state.store.timer_set_start(started, now=state.now())
        state.reload_timer()
        sentence = (f"The timer for {self.label(moved.category)} now runs since "
                    f"{format_local(moved.started, state.store.tz)[11:]}.")
        state.say(sentence)
        return sentence

    def stop_timer(self) -> Logged:
        """Stop the timer and log its time, fitted around anything logged meanwhile."""
        state = self.state
        running = state.store.timer()
        if running is None:
            state.reload_timer()
            raise BadInput("No timer is running.", field="timer")
        end = state.now_minute()
        added = state.store.timer_stop(at=end)
        if not added:
            sentence = "The timer ran for less than a minute, so nothing was logged."
            state.notify_changed()
            state.say(sentence)
            return Logged([], sentence)
        longest = running.started + MAX_ENTRY_MINUTES * MINUTE
        end = min(max(end, running.started + MINUTE), longest)
        draft = Entry(category=running.category, start=running.started, end=end)
        sentence = ("Logged " + self.describe([draft], added) + " from the timer" + UNDO_HINT)
        self._after_change(added, sentence)
        return Logged(added, sentence)

    def cancel_timer(self) -> str:
        """Discard the running timer without logging anything."""
        state = self.state
        running = state.store.timer()
        state.store.timer_cancel()
        state.reload_timer()
        sentence = ("Timer discarded; nothing was logged." if running is not None
                    else "No timer is running.")
        state.say(sentence)
        return sentence

    def elapsed_seconds(self) -> int | None:
        """Seconds the running timer has run, or None."""
        running = self.state.timer
        if running is None:
            return None
        return max(0, self.state.now() - running.started)

    def timer_text(self) -> str:
        """'Timer: Charting 12 m', or 'No timer running'."""
        running = self.state.timer
        seconds = self.elapsed_seconds()
        if running is None or seconds is None:
            return "No timer running"
        return f"Timer: {self.label(running.category)} {fmt_minutes(seconds // 60)}"

    def attempt(self, fn: Callable[[], T]) -> T | None:
        """Run a command for a menu or the tray: a refusal becomes the status message."""
        try:
            return fn()
        except CarelogError as exc:
            self.state.say(window_sentence(exc))
            return None
