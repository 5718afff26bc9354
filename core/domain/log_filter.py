"""Which entries the searchable log shows: a period, categories, classes, sources, note text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from carelog.core.domain.categories import CategoryClass, CategoryRegistry
from carelog.core.domain.models import Source


@dataclass(frozen=True, slots=True)
class LogFilter:
    """A filter over the whole log; empty sets mean 'any'.

    `first` and `last` are local dates (inclusive) of the entries' start; `text` is looked for
    in the notes, ignoring case.
    """

    first: date | None = None
    last: date | None = None
    categories: frozenset[str] = field(default_factory=frozenset)
    classes: frozenset[CategoryClass] = field(default_factory=frozenset)
    sources: frozenset[Source] = field(default_factory=frozenset)
    text: str = ""

    def category_codes(self, registry: CategoryRegistry) -> frozenset[str] | None:
        """The category codes an entry may have to match (None: any category).

        A class narrows to its categories; with both, an entry must match both.
        """
        codes: set[str] | None = set(self.categories) if self.categories else None
        if self.classes:
            of_class = {c.code for c in registry.all() if registry.class_of(c.code)
                        in self.classes}
            codes = of_class if codes is None else codes & of_class
        return None if codes is None else frozenset(codes)

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every entry through."""
        return self == LogFilter()
