"""Tables whose rows are set whole and found again by what identifies them.

Most of Carelog's lists (backups, categories, leave, block occurrences) are set from one list
and later asked "which row shows this path, this code, this date?". `KeyedTableModel` writes that
once: a subclass says how to order the rows (`in_order`, optional) and what identifies one row
(`key`), and gets `set_rows` and `row_of`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from carelog.gui.models.row_table_model import Row, RowTableModel

Key = TypeVar("Key", bound=Hashable)


class KeyedTableModel(RowTableModel[Row], Generic[Row, Key]):
    """A table of rows set at once and found again by a key; subclasses implement `key`."""

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row (in the subclass's order)."""
        self.replace_rows(self.in_order(rows))

    def in_order(self, rows: Iterable[Row]) -> list[Row]:
        """The rows in the order shown: as given, unless a subclass sorts them."""
        return list(rows)

    def key(self, item: Row) -> Key:
        """What identifies a row's object (a path, a code, a date)."""
        raise NotImplementedError

    def row_of(self, key: Key) -> int | None:
        """The row whose object has this key, or None."""
        return self.find_row(lambda item: self.key(item) == key)
