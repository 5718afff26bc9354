"""Error classes that separate what the therapist typed wrong from what the machine did wrong.

Every message is one plain sentence naming the field, the row or the file; the command line
prints it as it is and exits with the matching status.
"""

from __future__ import annotations


class CarelogError(Exception):
    """Base class of every error Carelog reports to a person."""

    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(CarelogError):
    """Something the user supplied is wrong: a date, a time, a category, a file's contents."""

    exit_status = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class DateOrderNeeded(BadInput):
    """A file's dates could be day-first or month-first; the user must say which."""


class OverlapError(BadInput):
    """A new or edited entry would overlap one already in the log."""


class EnvironmentFailure(CarelogError):
    """The machine failed us: disk full, file locked, permissions, a damaged database."""


class DatabaseBusy(EnvironmentFailure):
    """Another program held the database lock for longer than we wait."""


class DamagedDatabase(EnvironmentFailure):
    """The database file failed its integrity check or is not a database at all."""

    def __init__(self, message: str, kept_as: str | None = None, backup: str | None = None) -> None:
        super().__init__(message)
        self.kept_as = kept_as
        self.backup = backup


class NewerDatabase(EnvironmentFailure):
    """The database was written by a newer Carelog than this one."""


class NothingToUndo(CarelogError):
    """Undo or redo was asked for with nothing on the stack."""
