"""Activity categories as a table: code, label, what each counts as, built in or the user's."""

from __future__ import annotations

from typing import Any

from carelog.core.domain.categories import CategoryInfo, short_word
from carelog.gui.formatting import class_text, class_tip
from carelog.gui.models.keyed_table_model import KeyedTableModel
from carelog.gui.models.row_table_model import SORT_ROLE
from PySide6.QtCore import Qt

COL_CODE, COL_LABEL, COL_CLASS, COL_KIND = range(4)

BUILT_IN = "Built in"
YOURS = "Yours"

_HEADERS = ("Quick word", "Label", "Counts as", "Kind")
_HEADER_TIPS = (
    "The shortest word the quick line takes for the category, as in “coord 10”.",
    "The name shown in the window.",
    "What the category counts toward in the weekly ledger: IPC, direct care or other work.",
    "Built-in categories cannot be removed; your own can, while no entry uses them.",
)


class CategoryTableModel(KeyedTableModel[CategoryInfo, str]):
    """Whole rows of categories, set at once from the store's registry (in the order given)."""

    headers = _HEADERS
    header_tips = _HEADER_TIPS

    def key(self, item: CategoryInfo) -> str:
        """A category is found again by its code."""
        return item.code

    def cell(self, info: CategoryInfo, col: int, role: int) -> Any:
        """Code, label, what it counts as and whose it is; the code in UserRole."""
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            text = self._display(info, col)
            return text.casefold() if role == SORT_ROLE and text is not None else text
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CLASS:
                return class_tip(info, info.cls)
            if col == COL_KIND:
                return _HEADER_TIPS[COL_KIND]
            return info.meaning
        if role == Qt.ItemDataRole.UserRole:
            return info.code
        return None

    @staticmethod
    def _display(info: CategoryInfo, col: int) -> str | None:
        if col == COL_CODE:
            return short_word(info.code)
        if col == COL_LABEL:
            return info.label
        if col == COL_CLASS:
            return class_text(info, info.cls)
        if col == COL_KIND:
            return BUILT_IN if info.builtin else YOURS
        return None
