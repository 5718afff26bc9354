"""What the command groups share: writing a line, and showing an entry on one line."""

from __future__ import annotations

import sys

from carelog.core.domain.errors import EnvironmentFailure
from carelog.core.domain.models import Entry
from carelog.core.domain.privacy import warning_sentence
from carelog.core.domain.timeutil import format_local
from carelog.core.store.database import Store


def out(text: str = "") -> None:
    """Write one line to standard output."""
    write(text + "\n")


def write(text: str) -> None:
    """Write text to standard output; a failure (a full disk under a redirect) is one sentence.

    Every command saves before it prints, so the sentence can say that nothing was lost. A
    reader that stopped reading (a closed pipe) is left to carelog.core.cli.main.
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise EnvironmentFailure(f"The output could not be written ({reason}); whatever the "
                                 "command changed was saved before it printed.") from exc


def warn(text: str) -> None:
    """Write one warning line to standard error."""
    sys.stderr.write(f"carelog: warning: {text}\n")


def warn_note(note: str | None) -> None:
    """Warn when a note looks like it names a patient (it is saved all the same)."""
    if note:
        warning = warning_sentence(note)
        if warning:
            warn(warning)


def entry_line(store: Store, e: Entry) -> str:
    """'12: Charting 2026-11-16 10:00–10:10 (10 m)'."""
    tz = store.tz
    end = format_local(e.end, tz)
    start = format_local(e.start, tz)
    end_text = end[11:] if end[:10] == start[:10] else end
    return f"{e.id}: {store.describe(e).rsplit(',', 1)[0]}–{end_text} ({e.minutes} m)"
