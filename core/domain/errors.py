"""Error classes that separate what the therapist typed wrong from what the machine did wrong.

Every message is one plain sentence naming the field, the row or the file, and says what is
wrong in words that suit any front end. What the person can do about it travels beside the
sentence as a `Remedy` (with what the remedy is about, such as the fields of a column choice or
the path of a backup); the command line words a remedy as a flag or a command, the window as a
button or a place to look.
"""

from __future__ import annotations

from enum import StrEnum


class Remedy(StrEnum):
    """What the person can do about an error, for each front end to put in its own words."""

    LIST_CATEGORIES = "list_categories"
    """See which categories exist."""
    ADD_CATEGORY = "add_category"
    """Add the category the row names, or change the row."""
    DISCARD_TIMER = "discard_timer"
    """Log the real time by hand and discard the running timer."""
    RESTORE_BACKUP = "restore_backup"
    """Restore the backup whose path is `about[0]`."""
    DATE_ORDER = "date_order"
    """Say whether the file's dates are written day first or month first."""
    NAME_COLUMN = "name_column"
    """Say which column holds the field(s) in `about` (one of them, when there are two)."""
    SHORTER_PERIOD = "shorter_period"
    """Choose a shorter period (its first and last date)."""
    ONE_PERIOD = "one_period"
    """Give the period one way only: a week, a month, a quarter, a year, or two dates."""
    BOTH_DATES = "both_dates"
    """Give both the first and the last date of the period."""
    EMPTY_DATABASE = "empty_database"
    """Use a new, empty database."""
    INCLUDE_CURRENT = "include_current"
    """Report up to the last complete week, or ask for the weeks so far (marked in progress)."""
    GIVE_REASON = "give_reason"
    """Say why a sealed week changes (the weeks are in `about`)."""
    TRIM = "trim"
    """Change the times, or fit the new entry around the one it overlaps (its id in `about`)."""


def one_line(text: str) -> str:
    """Text on one line: line breaks shown as ⏎ and other control characters as �.

    A message quotes values from files (a cell, a key); whatever they hold, the message stays
    one line, and nothing in a file can send escape codes to a terminal.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" ⏎ " if ch == "\n" else ch if ch.isprintable() else "\ufffd"
                   for ch in text)


class CarelogError(Exception):
    """Base class of every error Carelog reports to a person (always one line)."""

    exit_status = 1

    def __init__(self, message: str, *, remedy: Remedy | None = None,
                 about: tuple[str, ...] = ()) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.remedy = remedy
        self.about = about

    def __str__(self) -> str:
        return self.message


class BadInput(CarelogError):
    """Something the user supplied is wrong: a date, a time, a category, a file's contents."""

    exit_status = 2

    def __init__(self, message: str, field: str | None = None, *, remedy: Remedy | None = None,
                 about: tuple[str, ...] = ()) -> None:
        super().__init__(message, remedy=remedy, about=about)
        self.field = field


class IncompletePeriod(BadInput):
    """A committee report was asked for a period that is not over; the weeks so far may be."""


class ReasonNeeded(BadInput):
    """A change to a week that a committee export sealed was asked for without a reason."""


class DateOrderNeeded(BadInput):
    """A file's dates could be day-first or month-first; the user must say which."""


class OverlapError(BadInput):
    """A new or edited entry would overlap one already in the log."""


class EnvironmentFailure(CarelogError):
    """The machine failed us: disk full, file locked, permissions, a damaged database."""


class DatabaseBusy(EnvironmentFailure):
    """Another program held the database lock for longer than we wait."""


class DiskProblem(EnvironmentFailure):
    """The disk failed us, not the log: full, read-only, permission refused, an I/O error.

    `kind` is one of "full", "read-only", "permission", "io".
    """

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class LogReplaced(EnvironmentFailure):
    """The file this connection opened was replaced (a restore) while it was open."""


class DamagedDatabase(EnvironmentFailure):
    """The database file failed its integrity check or is not a database at all.

    `kept_as` is the copy the damaged file was kept as; `backup` the newest good backup, also
    carried as the remedy RESTORE_BACKUP.
    """

    def __init__(self, message: str, kept_as: str | None = None, backup: str | None = None) -> None:
        super().__init__(message, remedy=Remedy.RESTORE_BACKUP if backup else None,
                         about=(backup,) if backup else ())
        self.kept_as = kept_as
        self.backup = backup


class MissingDatabase(DamagedDatabase):
    """The log is missing or empty while its backups folder holds backups: a loss, not a start."""


class NewerDatabase(EnvironmentFailure):
    """The database was written by a newer Carelog than this one."""


class NothingToUndo(CarelogError):
    """Undo or redo was asked for with nothing on the stack."""
