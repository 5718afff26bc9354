"""Rules that turn a calendar event's title into a Carelog category, and where they are kept.

A rule is a piece of text and a category: it matches when the text appears in the event's title
at the start of a word, ignoring case ("intake" matches "Intake – new patient" and "Intakes",
not "reintake"). The first matching rule wins, so specific rules go before general ones
("group prep" before "group"). The category may be `skip`, for events that are not logged work.
A timed event no rule matches is given the fallback category when it falls in working hours,
and skipped otherwise.

Titles are only matched in memory; neither the titles nor anything else from the calendar is
stored (see docs/import.md).
"""

from __future__ import annotations

import re
from functools import cached_property

from carelog.core.domain.errors import BadInput
from carelog.core.store import imports as import_store
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting
from pydantic import BaseModel, ConfigDict, Field, field_validator

SKIP = "skip"
FALLBACK_SETTING = Setting.IMPORT_FALLBACK
DEFAULT_FALLBACK = "individual"

# The rules a new database starts with (also what "reset to defaults" restores). Order matters.
DEFAULT_RULE_PAIRS: tuple[tuple[str, str], ...] = (
    ("cancel", SKIP),                 # cancelled / canceled / cancellation: no time was given
    ("no show", SKIP),
    ("no-show", SKIP),
    ("out of office", SKIP),          # absences are leave, not work
    ("pto", SKIP),
    ("vacation", SKIP),
    ("ipc", SKIP),                    # a hold for indirect care says when it was planned,
    ("charting", SKIP),               # not how the time was used: log that as it happens
    ("documentation", SKIP),
    ("lunch", "break"),
    ("break", "break"),
    ("staff meeting", "meeting"),
    ("team meeting", "meeting"),
    ("huddle", "meeting"),
    ("meeting", "meeting"),
    ("group prep", "group_prep"),
    ("intake", "intake"),
    ("assessment", "intake"),
    ("group", "group"),
    ("urgent", "urgent"),
    ("crisis", "urgent"),
    ("same-day", "urgent"),
    ("same day", "urgent"),
    ("consult", "care_coordination"),
    ("training", "training"),
    ("supervision", "supervision_teaching"),
    ("committee", "committee"),
)

_SPACES = re.compile(r"\s+")


def normalise_title(title: str) -> str:
    """The title with runs of white space made single, as rules see it."""
    return _SPACES.sub(" ", title).strip()


class ImportRule(BaseModel):
    """Text to look for in an event's title, and the category (or `skip`) it means."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    pattern: str = Field(min_length=1, max_length=100)
    category: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _tidy_pattern(cls, value: str) -> str:
        tidy = normalise_title(value)
        if not tidy:
            raise ValueError("A rule needs some text to look for.")
        return tidy

    @field_validator("category")
    @classmethod
    def _tidy_category(cls, value: str) -> str:
        return value.strip().lower()

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)" + re.escape(self.pattern), re.IGNORECASE)

    def matches(self, title: str) -> bool:
        """True when the pattern starts a word of the (normalised) title, ignoring case."""
        return self._regex.search(title) is not None


class RuleChoice(BaseModel):
    """What the rules decided for one event: a category, or None to skip it, and why."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    category: str | None
    reason: str


class RuleSet(BaseModel):
    """The ordered rules and the fallback for timed events in working hours."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rules: tuple[ImportRule, ...] = ()
    fallback: str = DEFAULT_FALLBACK

    @field_validator("fallback")
    @classmethod
    def _tidy_fallback(cls, value: str) -> str:
        return value.strip().lower() or SKIP

    def choose(self, title: str, in_hours: bool | None) -> RuleChoice:
        """Apply the rules to a title: the first match wins, then the fallback in hours.

        `in_hours` is None when no schedule is in force on the event's day: the fallback
        applies, since there are no working hours it could be outside of.
        """
        text = normalise_title(title)
        for rule in self.rules:
            if rule.matches(text):
                if rule.category == SKIP:
                    return RuleChoice(category=None, reason=f"rule '{rule.pattern}' skips it")
                return RuleChoice(category=rule.category, reason=f"rule '{rule.pattern}'")
        if in_hours is False:
            return RuleChoice(category=None,
                              reason="outside working hours and no rule matched")
        if self.fallback == SKIP:
            return RuleChoice(category=None, reason="no rule matched")
        where = "in working hours" if in_hours else "no working hours are set for that day"
        return RuleChoice(category=self.fallback, reason=f"no rule matched; {where}")

    def check(self, known: set[str]) -> None:
        """Raise BadInput naming the first rule whose category Carelog does not know."""
        for n, rule in enumerate(self.rules, start=1):
            if rule.category != SKIP and rule.category not in known:
                raise BadInput(f"Rule {n} ('{rule.pattern}') names the category "
                               f"'{rule.category}', which Carelog does not know.",
                               field="category")
        if self.fallback != SKIP and self.fallback not in known:
            raise BadInput(f"The fallback category '{self.fallback}' is not a Carelog "
                           "category.", field="fallback")


def default_rules() -> RuleSet:
    """The rule set a new database starts with."""
    return RuleSet(rules=tuple(ImportRule(pattern=p, category=c) for p, c in DEFAULT_RULE_PAIRS),
                   fallback=DEFAULT_FALLBACK)


def load_rules(store: Store) -> RuleSet:
    """The rules saved in the database (a new database holds the defaults)."""
    pairs = import_store.read_rules(store)
    fallback = store.setting(FALLBACK_SETTING, DEFAULT_FALLBACK) or DEFAULT_FALLBACK
    return RuleSet(rules=tuple(ImportRule(pattern=p, category=c) for p, c in pairs),
                   fallback=fallback)


def save_rules(store: Store, rules: RuleSet) -> None:
    """Replace the saved rules (checked against the categories first) in one transaction."""
    rules.check({c.code for c in store.categories.all()})
    import_store.write_rules(store, [(r.pattern, r.category) for r in rules.rules],
                             rules.fallback)


def reset_rules(store: Store) -> RuleSet:
    """Put the default rules back and return them."""
    rules = default_rules()
    save_rules(store, rules)
    return rules
