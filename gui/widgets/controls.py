"""Naming a control as it is made: what a screen reader says, and what its tooltip explains."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

Control = TypeVar("Control", bound=QWidget)


def named(control: Control, name: str, tip: str = "") -> Control:
    """The control, named for screen readers and, when `tip` is given, explained on hover."""
    control.setAccessibleName(name)
    if tip:
        control.setToolTip(tip)
    return control
