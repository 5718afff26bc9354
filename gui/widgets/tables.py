"""How Carelog's read-only tables look: rows selected whole, compact, alternating colours."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def read_only_table(name: str, select_rows: bool = True, padding: int = 10) -> QTableView:
    """A table view that shows a model without editing it, named for screen readers."""
    table = QTableView()
    table.setAccessibleName(name)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + padding)
    return table
