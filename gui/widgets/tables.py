"""How Carelog's tables look and sort: rows selected whole, compact, alternating colours."""

from __future__ import annotations

from collections.abc import Iterable

from carelog.gui.models.row_table_model import SORT_ROLE
from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView


def read_only_table(name: str, model: QAbstractItemModel | None = None, *,
                    select_rows: bool = True, padding: int = 10) -> QTableView:
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
    if model is not None:
        table.setModel(model)
    return table


def sorting_proxy(model: QAbstractItemModel, parent: QObject) -> QSortFilterProxyModel:
    """A proxy that sorts a model's rows by its sort role (numbers and instants, not text)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def sorted_table(name: str, proxy: QSortFilterProxyModel, column: int,
                 order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> QTableView:
    """A read-only table of a sorting proxy, sorted by one column until the person clicks."""
    table = read_only_table(name, proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(column, order)
    return table


def size_columns(table: QTableView, fit: Iterable[int] = (), stretch: Iterable[int] = ()) -> None:
    """Columns as wide as their contents, and columns that share the rest of the width."""
    header = table.horizontalHeader()
    for col in fit:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    for col in stretch:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)


def fit_columns(table: QTableView, cols: Iterable[int]) -> None:
    """Make columns as wide as their header and their widest text, measured in one pass.

    What ResizeToContents does, without asking the delegate for each cell's size (a dozen
    roles per cell) every time the rows change; for a table filled again at every step through
    the days, that was most of the step. The person can still widen a column.
    """
    header = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    pad = 2 * (margin + 1) + 2
    rows = range(model.rowCount())
    for col in cols:
        if header.sectionResizeMode(col) is not QHeaderView.ResizeMode.Interactive:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        text = max((metrics.horizontalAdvance(str(model.index(row, col).data() or ""))
                    for row in rows), default=0)
        header.resizeSection(col, max(header.sectionSizeHint(col), text + pad))
