"""The calendar mapping rules as an editable table: text in the title → category (or skip).

The rows are the rules of a `carelog.core.importing.rules.RuleSet`, in order (the first match
wins). The
model checks each edit the way `ImportRule` does and says so with `edited`; the dialog saves the
rules through core and plans again. It never reads or writes the database itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carelog.core.importing.rules import SKIP, ImportRule, RuleSet
from carelog.gui.models.row_table_model import Index, RowTableModel
from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal

COL_PATTERN, COL_CATEGORY = range(2)
SKIP_LABEL = "Skip (not imported)"

_HEADERS = ("Title contains", "Category")
_HEADER_TIPS = (
    "Text to look for at the start of a word of the event's title, ignoring case: 'intake' "
    "matches 'Intake – new patient' and 'Intakes' but not 'reintake'. Double-click to edit.",
    "The category an event whose title matches is logged as, or Skip for events that are not "
    "logged work. The first matching rule wins.",
)


class ImportRulesModel(RowTableModel[ImportRule]):
    """Ordered (pattern, category) rules plus the fallback; every change emits `edited`."""

    edited = Signal()
    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fallback = "individual"
        self._labels: dict[str, str] = {SKIP: SKIP_LABEL}

    def set_categories(self, choices: Sequence[tuple[str, str]]) -> None:
        """The (code, label) pairs a rule may name; `skip` is always one of them."""
        self._labels = {SKIP: SKIP_LABEL, **dict(choices)}
        self.column_changed(COL_CATEGORY)

    def choices(self) -> list[tuple[str, str]]:
        """Every (code, label) a rule may name, skip first."""
        return list(self._labels.items())

    def label_of(self, code: str) -> str:
        """How a category code is shown."""
        return self._labels.get(code, code)

    def set_rules(self, rules: RuleSet) -> None:
        """Replace every row (no `edited`: nothing was changed by the person)."""
        self._fallback = rules.fallback
        self.replace_rows(rules.rules)

    def rules(self) -> RuleSet:
        """The rules as they are now."""
        return RuleSet(rules=tuple(self._rows), fallback=self._fallback)

    def rule_at(self, row: int) -> ImportRule:
        """The rule in a row."""
        return self.row_at(row)

    def row_of(self, pattern: str) -> int | None:
        """The first row whose pattern is this text (ignoring case), or None."""
        wanted = pattern.strip().casefold()
        return self.find_row(lambda rule: rule.pattern.casefold() == wanted)

    @property
    def fallback(self) -> str:
        """The category of a timed event no rule matches, in working hours (or skip)."""
        return self._fallback

    def set_fallback(self, code: str) -> None:
        """Change the fallback category."""
        if code != self._fallback:
            self._fallback = code
            self.edited.emit()

    def insert_rule(self, row: int, pattern: str, category: str) -> bool:
        """Insert a rule before `row`; False (and nothing changes) when the text is empty."""
        try:
            rule = ImportRule(pattern=pattern, category=category)
        except ValidationError:
            return False
        self.insert_row(row, rule)
        self.edited.emit()
        return True

    def remove_rule(self, row: int) -> None:
        """Remove the rule in a row."""
        if self.remove_row(row):
            self.edited.emit()

    def cell(self, rule: ImportRule, col: int, role: int) -> Any:
        """The pattern and the category's label; the category's code to edit."""
        if role == Qt.ItemDataRole.DisplayRole:
            return rule.pattern if col == COL_PATTERN else self.label_of(rule.category)
        if role == Qt.ItemDataRole.EditRole:
            return rule.pattern if col == COL_PATTERN else rule.category
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_PATTERN:
            return f"Matches titles with a word starting '{rule.pattern}'."
        return None

    # ------------------------------------------------------------------ Qt overrides

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a cell shows; the category's tip numbers the rule."""
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() \
                and index.column() == COL_CATEGORY and 0 <= index.row() < len(self._rows):
            # The tip numbers the rule, which only the row can tell (two rules may be alike).
            rule = self._rows[index.row()]
            fate = "skipped" if rule.category == SKIP else \
                f"logged as {self.label_of(rule.category)}"
            return f"Rule {index.row() + 1}: titles with '{rule.pattern}' are {fate}."
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell can be edited."""
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Take an edited pattern or category; False when ImportRule refuses it."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or not 0 <= index.row() < len(self._rows):
            return False
        old = self._rows[index.row()]
        text = str(value)
        if index.column() == COL_CATEGORY and text not in self._labels:
            return False
        fields = {"pattern": text} if index.column() == COL_PATTERN else {"category": text}
        try:
            new = ImportRule(**{"pattern": old.pattern, "category": old.category, **fields})
        except ValidationError:
            return False
        if new == old:
            return True
        self._rows[index.row()] = new
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True
