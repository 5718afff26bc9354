"""Seals (DESIGN §2.6): a week's entries reduced to one SHA-256 digest, chained seal to seal.

The canonical form of a sealed week is UTF-8 text, one item per line, each line ending in a
line feed (docs/record.md shows an example with its digest, and a test pins it):

    carelog-seal-v1
    week 2026-W47
    span 2026-11-16T08:00:00Z 2026-11-23T08:00:00Z
    previous sha256:<64 hex digits of the seal before this one, or "none" for the first>
    entry 2026-11-16T17:00:00Z 2026-11-16T17:50:00Z individual
    …

`span` is the week's first instant and the instant after its last, in UTC (Monday 00:00 to the
next Monday 00:00 in the clinician's zone). There is one `entry` line for every entry that
overlaps the span, with its whole start and end in UTC and its category code, sorted by start,
end and category. Nothing else is in it: no note, no id, no source. The seal is
"sha256:" followed by the lowercase hex SHA-256 digest of those bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from carelog.core.domain.categories import BREAK_CODE, CategoryRegistry

SEAL_FORMAT = "carelog-seal-v1"
SEAL_PREFIX = "sha256:"
NO_PREVIOUS = "none"
CLASSES = ("direct", "ipc", "other", "break")


@dataclass(frozen=True, slots=True, order=True)
class SealedEntry:
    """One entry as a seal covers it: UTC start and end (epoch seconds), category, and its id."""

    start: int
    end: int
    category: str
    entry_id: int = field(default=0, compare=False)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc_text(instant: int) -> str:
    """An instant as the canonical form writes it: 2026-11-16T17:00:00Z."""
    # Formatted by hand: strftime is the slowest part of recomputing a year of seals.
    t = _EPOCH + timedelta(seconds=instant)
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:"
            f"{t.second:02d}Z")


def canonical_form(week: str, start: int, end: int, previous: str | None,
                   entries: Iterable[SealedEntry]) -> bytes:
    """The bytes a week's seal is the digest of (see the module's description)."""
    lines = [SEAL_FORMAT, f"week {week}", f"span {utc_text(start)} {utc_text(end)}",
             f"previous {previous or NO_PREVIOUS}"]
    for e in sorted(entries, key=lambda x: (x.start, x.end, x.category)):
        if e.end > start and e.start < end:
            lines.append(f"entry {utc_text(e.start)} {utc_text(e.end)} {e.category}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def seal_digest(week: str, start: int, end: int, previous: str | None,
                entries: Iterable[SealedEntry]) -> str:
    """'sha256:<hex>' of the week's canonical form."""
    body = canonical_form(week, start, end, previous, entries)
    return SEAL_PREFIX + hashlib.sha256(body).hexdigest()


def is_seal(text: object) -> bool:
    """True when text has the shape of a seal: 'sha256:' and 64 lowercase hex digits."""
    if not isinstance(text, str) or not text.startswith(SEAL_PREFIX):
        return False
    hexpart = text[len(SEAL_PREFIX):]
    return len(hexpart) == 64 and all(c in "0123456789abcdef" for c in hexpart)


# ----------------------------------------------------------------------------- what changed

@dataclass(frozen=True, slots=True)
class WeekChange:
    """How a week's entries differ from the ones a seal covered.

    `minutes` counts the minutes that are no longer logged as they were: for an added or
    removed entry its minutes in the week, for a moved one the larger of the minutes it left
    and the minutes it took up, for one whose category changed all of its minutes.
    `by_class` is the change of the week's minutes in each class (direct, ipc, other, break).
    """

    added: int = 0
    removed: int = 0
    moved: int = 0
    minutes: int = 0
    by_class: dict[str, int] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        """How many entries differ."""
        return self.added + self.removed + self.moved

    @property
    def unchanged(self) -> bool:
        """True when the week holds exactly what was sealed."""
        return self.entries == 0

    def sentence(self) -> str:
        """'1 entry changed, 1 added; 35 min moved (IPC +35 min, other work −35 min)'."""
        if self.unchanged:
            return "no change"
        counts = [(n, word) for n, word in ((self.moved, "changed"), (self.added, "added"),
                                            (self.removed, "removed")) if n]
        first_n, first_word = counts[0]
        parts = [f"{first_n} {'entry' if first_n == 1 else 'entries'} {first_word}"]
        parts += [f"{n} {word}" for n, word in counts[1:]]
        classes = ", ".join(f"{_CLASS_WORDS[c]} {'+' if d > 0 else '−'}{abs(d)} min"
                            for c, d in self.by_class.items() if d)
        text = ", ".join(parts) + f"; {self.minutes} min moved"
        return text + (f" ({classes})" if classes else "")


_CLASS_WORDS = {"direct": "direct care", "ipc": "IPC", "other": "other work", "break": "break"}


def class_key(category: str, registry: CategoryRegistry) -> str:
    """The class a category's minutes count in when a week is compared with its seal."""
    if category == BREAK_CODE:
        return "break"
    return registry.class_of(category).value


def _inside(a: int, b: int, start: int, end: int) -> int:
    return max(0, min(b, end) - max(a, start)) // 60


def compare_week(sealed: Iterable[SealedEntry], current: Iterable[SealedEntry], start: int,
                 end: int, registry: CategoryRegistry) -> WeekChange:
    """What changed in the week [start, end) between the sealed entries and the current ones.

    Entries are matched by id; only the part of each entry inside the week counts.
    """
    old = {e.entry_id: e for e in sealed if e.end > start and e.start < end}
    new = {e.entry_id: e for e in current if e.end > start and e.start < end}
    if old == new:
        return WeekChange()
    added = removed = moved = minutes = 0
    delta = dict.fromkeys(CLASSES, 0)
    for e in old.values():
        delta[class_key(e.category, registry)] -= _inside(e.start, e.end, start, end)
    for e in new.values():
        delta[class_key(e.category, registry)] += _inside(e.start, e.end, start, end)
    for entry_id, e in new.items():
        was = old.get(entry_id)
        now_min = _inside(e.start, e.end, start, end)
        if was is None:
            added += 1
            minutes += now_min
            continue
        if (was.start, was.end, was.category) == (e.start, e.end, e.category):
            continue
        moved += 1
        then_min = _inside(was.start, was.end, start, end)
        if was.category != e.category:
            minutes += max(then_min, now_min)
        else:
            common = _inside(max(was.start, e.start), min(was.end, e.end), start, end)
            minutes += max(then_min - common, now_min - common)
    for entry_id, e in old.items():
        if entry_id not in new:
            removed += 1
            minutes += _inside(e.start, e.end, start, end)
    return WeekChange(added, removed, moved, minutes, {c: d for c, d in delta.items() if d})


@dataclass(frozen=True, slots=True)
class Seal:
    """One seal in the chain: a week's span, when it was sealed, and the digests."""

    id: int
    week: str
    start: int
    end: int
    sealed_at: str
    previous: str
    digest: str

    def recompute(self, entries: Iterable[SealedEntry]) -> str:
        """The digest the week's canonical form has with these entries, on this seal's chain."""
        previous = None if self.previous == NO_PREVIOUS else self.previous
        return seal_digest(self.week, self.start, self.end, previous, entries)


@dataclass(frozen=True, slots=True)
class SealedWeek:
    """A week's first seal (the one handed in first) and the entries it covered."""

    seal: Seal
    entries: tuple[SealedEntry, ...]
