"""Core's remedies in the command line's words: a flag to add, or a command to run.

Core says what is wrong and attaches a `Remedy`; `cli_sentence` is the one place that turns it
into the flag or command a person types, so `carelog` prints the sentence and the hint together.
"""

from __future__ import annotations

from carelog.core.domain.errors import CarelogError, Remedy


def cli_sentence(exc: CarelogError) -> str:
    """The error's sentence with its remedy worded as a flag or a command."""
    remedy = exc.remedy
    base = exc.message.removesuffix(".")
    if remedy is None:
        return exc.message
    if remedy is Remedy.RESTORE_BACKUP and exc.about:
        return f"{base}; restore it with: carelog restore {exc.about[0]}"
    if remedy is Remedy.DATE_ORDER:
        return f"{base}; say which with --date-order dmy or --date-order mdy."
    if remedy is Remedy.NAME_COLUMN and exc.about:
        named = " or ".join(f"--column {field}=HEADER" for field in exc.about)
        return f"{base}; name {'it' if len(exc.about) == 1 else 'one'} with {named}."
    if remedy is Remedy.SHORTER_PERIOD:
        return f"{base}; choose a shorter one with --from and --to."
    if remedy is Remedy.TRIM:
        entry = f" (entry {exc.about[0]})" if exc.about else ""
        return f"{base}{entry}; change the times or add --trim to fit it around."
    if remedy is Remedy.LIST_CATEGORIES:
        return f"{base}; see 'carelog categories' for the list."
    if remedy is Remedy.ADD_CATEGORY:
        return f"{base}; add it with carelog categories add, or change the row."
    if remedy is Remedy.DISCARD_TIMER:
        return (f"{base}; log the real time by hand and discard the timer "
                "(carelog timer cancel).")
    if remedy is Remedy.ONE_PERIOD:
        return f"{base}: --week, --month, --quarter, --year, or --from with --to."
    if remedy is Remedy.BOTH_DATES:
        return "Give both --from and --to."
    if remedy is Remedy.INCLUDE_CURRENT:
        return (f"{exc.message} Export up to that week, or add --include-current to export the "
                "weeks so far, marked as in progress.")
    if remedy is Remedy.GIVE_REASON:
        return (f"{base}; give one with --reason, e.g. --reason \"correction: wrong end "
                "time\" (correction, missed, mistaken or other; the words after the colon "
                "stay private).")
    if remedy is Remedy.EMPTY_DATABASE:
        return f"{base} (use --db with a new file)."
    return exc.message


def in_cli_words(exc: CarelogError) -> CarelogError:
    """A copy of the error whose message carries the remedy in the command line's words."""
    if exc.remedy is None:
        return exc
    # Needed only when an error is worded, not on every start.
    import copy  # noqa: PLC0415

    worded = copy.copy(exc)
    worded.message = cli_sentence(exc)
    worded.args = (worded.message,)
    worded.remedy = None
    return worded
