"""carelog scrub TEXT: a name written in a note is erased from every place the log keeps it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from carelog.core.store import backup as backups

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[2]
NAME = "Jonah Whitfield"


def _holds(path: Path, text: str = NAME) -> bool:
    return re.search(re.escape(text.encode()), path.read_bytes(), re.IGNORECASE) is not None


def _files_of(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(db.name) and p.is_file()]


def test_scrub_erases_a_name_from_notes_undo_and_free_pages_and_names_old_backups(
        cli: Cli, db_path: Path) -> None:
    assert cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "10",
               "--note", f"call {NAME} back about forms").status == 0
    assert cli("add", "documentation", "--start", "2026-11-16 10:00", "--minutes", "20",
               "--note", f"{NAME.lower()}: chart").status == 0
    assert cli("add", "admin", "--start", "2026-11-16 11:00", "--minutes", "5",
               "--note", f"note about {NAME}").status == 0
    old = Path(cli("backup").out.split(": ", 1)[1].strip())
    assert _holds(old)
    # The therapist corrects one note and deletes an entry: the text lives on in the undo
    # journal, in freed pages and in the backup.
    assert cli("edit", "1", "--note", "call back about forms").status == 0
    assert cli("delete", "3").status == 0
    assert cli("timer", "start", "messages", "--note", f"for {NAME}").status == 0

    r = cli("scrub", NAME.upper())
    assert r.status == 0, r.err
    assert NAME.lower() not in (r.out + r.err).lower()
    assert "1 note," in r.out and "undo record" in r.out and "1 other place" in r.out
    assert str(old) in r.out and "rm" in r.out

    for f in _files_of(db_path):
        assert not _holds(f), f.name
    fresh = Path(r.out.split("written and verified: ", 1)[1].split("\n", 1)[0])
    assert not _holds(fresh) and backups.verify_file(fresh) == "ok"
    daily = [b.path for b in backups.list_backups(db_path) if b.kind == "daily"]
    assert all(str(p) in r.out for p in daily if _holds(p))  # every older copy is named
    notes = [e["note"] for e in json.loads(cli("list", "--format", "json").out)["entries"]]
    assert notes == ["call back about forms", ": chart"]
    assert "Timer running: messages" in cli("timer", "status").out  # kept, note scrubbed
    assert cli("undo").status == 0  # the delete comes back, without the name
    assert cli("undo").status == 0  # the edit too
    notes = [e["note"] for e in json.loads(cli("list", "--format", "json").out)["entries"]]
    assert all(NAME.lower() not in n.lower() for n in notes) and len(notes) == 3
    history = cli("history", "2").out
    assert "note changed" in history and NAME.lower() not in history.lower()


def test_scrub_asks_for_enough_text_to_be_safe(cli: Cli) -> None:
    for text in ("", "  ", "Jo"):
        r = cli("scrub", text)
        assert r.status == 2 and r.err.count("\n") == 1


def test_scrub_of_text_found_nowhere_still_clears_free_pages(cli: Cli, db_path: Path) -> None:
    assert cli("add", "admin", "--start", "2026-11-16 11:00", "--minutes", "5",
               "--note", f"about {NAME}").status == 0
    # Deleted and then dropped from the undo journal by a newer change: only freed pages and
    # the write-ahead log still hold it.
    assert cli("delete", "1").status == 0
    assert cli("undo").status == 0
    assert cli("edit", "1", "--note", "about someone").status == 0
    r = cli("scrub", NAME)
    assert r.status == 0
    for f in _files_of(db_path):
        assert not _holds(f), f.name


_WINDOW = r"""
import sys
from pathlib import Path
from carelog.core.store.lock import Holder, WriterLock
lock = WriterLock.take(Path(sys.argv[1]), Holder.WINDOW)
print("holding", flush=True)
sys.stdin.read()
"""


def test_scrub_refuses_while_the_window_is_open(cli: Cli, db_path: Path) -> None:
    assert cli("add", "admin", "--start", "2026-11-16 11:00", "--minutes", "5",
               "--note", f"about {NAME}").status == 0
    window = subprocess.Popen([sys.executable, "-c", _WINDOW, str(db_path)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert window.stdout is not None and window.stdin is not None
    try:
        assert window.stdout.readline().strip() == "holding"
        r = cli("scrub", NAME)
    finally:
        window.stdin.close()
        window.wait(timeout=30)
        window.stdout.close()
    assert r.status == 1 and "window is open" in r.err
    assert NAME.lower() not in r.err.lower()


def test_scrub_reaches_the_free_text_of_escalations(cli: Cli, db_path: Path,
                                                    tmp_path: Path) -> None:
    from tests.conftest import STANDARD_TOML

    schedule = tmp_path / "s.toml"
    schedule.write_text(STANDARD_TOML)
    assert cli("schedule", "set", str(schedule)).status == 0
    r = cli("escalation", "add", "2026-11-17", "--to", "clinic manager", "--how", "email",
            "--asked", f"move {NAME}'s booking", "--at", "2026-11-17 17:00",
            "--note", f"{NAME} again")
    assert r.status == 0, r.err
    assert cli("scrub", NAME).status == 0
    listed = cli("escalation", "list", "--from", "2026-11-16", "--to", "2026-11-22").out
    assert NAME.lower() not in listed.lower() and "booking" in listed
    for f in _files_of(db_path):
        assert not _holds(f), f.name
