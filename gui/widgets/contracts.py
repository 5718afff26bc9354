"""Choosing a target-rule preset: the list of presets, and the row that compares with one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carelog.core.domain.target_rules import EXAMPLE_NOTE, PRESETS, Preset
from carelog.gui.widgets.controls import named
from carelog.gui.widgets.labels import wrapped_label
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

NO_COMPARISON = "—"


def add_presets(combo: QComboBox, first: str, text: Callable[[Preset], str]) -> None:
    """Offer `first` (no preset) and then every preset, each explained in its tooltip."""
    combo.addItem(first, "")
    for p in PRESETS:
        combo.addItem(text(p), p.key)
        combo.setItemData(combo.count() - 1, p.tooltip, Qt.ItemDataRole.ToolTipRole)


def chosen_preset(combo: QComboBox) -> Preset | None:
    """The preset chosen in a list made by `add_presets`, or None."""
    key = combo.currentData()
    return next((p for p in PRESETS if p.key == key), None)


@dataclass(frozen=True, slots=True)
class CompareRow:
    """'Compare with:' a preset, and the line that says what the weeks would be under it."""

    combo: QComboBox
    label: QLabel
    layout: QHBoxLayout


def compare_row(what: str) -> CompareRow:
    """The row that shows `what` (the weeks, the log) under another contract's rule."""
    combo = named(QComboBox(), "Compare with another contract",
                  f"{what} under another contract rule: the same hours, blocks and entries, "
                  f"only the target differs. Every preset is an {EXAMPLE_NOTE}.")
    add_presets(combo, NO_COMPARISON, lambda p: p.name)
    label = wrapped_label("Under another contract")
    row = QHBoxLayout()
    row.addWidget(QLabel("Compare with:"))
    row.addWidget(combo)
    row.addWidget(label, 1)
    return CompareRow(combo, label, row)
