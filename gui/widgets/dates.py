"""Dates between Python and Qt: one way each, for every form with a date field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def qdate(d: date) -> QDate:
    """A date as a QDate."""
    return QDate(d.year, d.month, d.day)


def py_date(d: QDate) -> date:
    """A QDate as a date."""
    return date(d.year(), d.month(), d.day())
