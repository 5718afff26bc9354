"""Spreadsheet cells that never run as formulas and read back exactly.

A spreadsheet runs a cell that starts with = + - @ (or a tab or a carriage return) as a
formula; a note such as "=HYPERLINK(…)" or "-call back" must not be. Every CSV Carelog writes
(the committee export and `carelog list --format csv`) passes text through `csv_safe`, and the
import of Carelog's own CSV undoes it with `csv_unescape`, so a round trip changes nothing.
"""

from __future__ import annotations

CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def csv_safe(value: object) -> str:
    """A cell that a spreadsheet will never run as a formula, and that reads back exactly.

    Text starting with = + - @ tab or carriage return (or with the escape mark itself) gets a
    leading apostrophe; `csv_unescape` removes it again. Numbers are written as they are.
    """
    text = "" if value is None else str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text
    if text.startswith((*CSV_TRIGGERS, ESCAPE)):
        return ESCAPE + text
    return text


def csv_unescape(cell: str) -> str:
    """Undo csv_safe for a text cell."""
    return cell[1:] if cell.startswith(ESCAPE) else cell
