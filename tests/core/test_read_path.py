"""The read path: what a report loads, the check at open, the grammar and the light records."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from carelog.core.cli.main import COMMANDS, build_parser, command_named
from carelog.core.domain import schedule, seal
from carelog.core.domain.datatypes import Record, field
from carelog.core.domain.errors import DamagedDatabase
from carelog.core.domain.history import Via
from carelog.core.ledger import compute, record, week, week_parts
from carelog.core.store import connection, known_good
from carelog.core.store.database import Store

from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- what is loaded

def _modules_after(db: Path, *args: str) -> set[str]:
    code = ("import sys, io, contextlib\n"
            "from carelog.core.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    status = main(['--db', {str(db)!r}, *{list(args)!r}])\n"
            "assert status == 0, status\n"
            "print(' '.join(sorted(sys.modules)))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       cwd=ROOT)
    return set(r.stdout.split())


HEAVY = {"pydantic", "pydantic_core", "carelog.core.domain.models", "carelog.core.domain.schedule",
         "carelog.core.ledger.compute", "carelog.core.store.entries", "sqlite_utils",
         "dataclasses", "inspect", "shutil", "platformdirs", "hashlib", "zoneinfo"}


def test_a_summary_of_stored_weeks_loads_no_model_and_no_computation(
        scheduled_store: Store, db_path: Path, cli: Callable[..., CliResult]) -> None:
    assert cli("add", "messages", "--start", "2026-11-17 10:00", "--minutes", "20").status == 0
    assert cli("summary", "--month", "2026-11").status == 0  # computes and stores the weeks
    for fmt in ("text", "json"):
        loaded = _modules_after(db_path, "summary", "--month", "2026-11", "--format", fmt)
        assert loaded & HEAVY == set()
    # A week under way is computed, which needs the models.
    loaded = _modules_after(db_path, "summary", "--week", "2026-W49")
    assert "carelog.core.ledger.compute" in loaded


# ----------------------------------------------------------------------------- the check at open

@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files quick_check ran on, in order."""
    ran: list[Path] = []
    real = connection.quick_check

    def counted(conn: object, path: Path) -> None:
        ran.append(path)
        real(conn, path)  # type: ignore[arg-type]

    monkeypatch.setattr(connection, "quick_check", counted)
    return ran


def test_an_unchanged_file_is_not_checked_twice_in_a_day(db_path: Path,
                                                         checks: list[Path]) -> None:
    with Store.open(db_path) as s:
        s.set_timezone("America/Los_Angeles")
        s.add_entry("admin", 1794848400, 1794848400 + 600, via=Via.CLI)
    assert checks == []  # a new file has nothing to check
    Store.open(db_path).close()
    Store.open(db_path).close()
    assert checks == [db_path]
    # A program's own changes leave the file as sound as it found it.
    with Store.open(db_path) as s:
        s.add_entry("admin", 1794848400 + 600, 1794848400 + 1200, via=Via.CLI)
    Store.open(db_path).close()
    assert checks == [db_path]
    assert known_good.unchanged_since_check(db_path)
    assert not known_good.unchanged_since_check(db_path, date.today() + timedelta(days=1))


def test_a_change_by_another_program_means_a_check(db_path: Path, checks: list[Path]) -> None:
    with Store.open(db_path) as s:
        s.add_entry("admin", 1794848400, 1794848400 + 600, via=Via.CLI)
    Store.open(db_path).close()
    assert checks == [db_path]
    other = sqlite3.connect(db_path)
    with other:
        other.execute("UPDATE entries SET note = 'changed elsewhere'")
    other.close()
    Store.open(db_path).close()
    assert checks == [db_path, db_path]
    # Two Carelog programs change the file while both have it open: each can vouch for its own
    # changes only, so the one that closes last, having seen the other's, leaves no note.
    first = Store.open(db_path)
    with Store.open(db_path) as second:
        second.add_entry("admin", 1794848400 + 600, 1794848400 + 1200, via=Via.CLI)
    first.add_entry("admin", 1794848400 + 1200, 1794848400 + 1800, via=Via.CLI)
    first.close()
    Store.open(db_path).close()
    assert checks == [db_path, db_path, db_path]


def test_the_note_of_a_check_holds_only_the_path_and_numbers(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.add_entry("admin", 1794848400, 1794848400 + 600, note="private words", via=Via.CLI)
    Store.open(db_path).close()
    note = known_good.note_path(db_path)
    assert note.parent == db_path.parent
    body = json.loads(note.read_text())
    assert set(body) == {"path", "state", "day"}
    assert all(isinstance(n, int) for n in body["state"])
    assert "private" not in note.read_text()
    assert note.stat().st_mode & 0o077 == 0
    # The backup folder holds backups only.
    assert list(db_path.parent.glob("*-backups/*.checked")) == []


def test_a_note_that_is_a_link_or_not_a_file_is_never_read(db_path: Path,
                                                           checks: list[Path]) -> None:
    with Store.open(db_path) as s:
        s.add_entry("admin", 1794848400, 1794848400 + 600, via=Via.CLI)
    Store.open(db_path).close()
    note = known_good.note_path(db_path)
    real = note.with_name("elsewhere.json")
    note.rename(real)
    note.symlink_to(real)
    Store.open(db_path).close()
    assert checks == [db_path, db_path]
    note.unlink()
    os.mkfifo(note)
    Store.open(db_path).close()  # a pipe is not waited on
    assert checks == [db_path, db_path, db_path]


def test_a_file_restored_under_an_open_store_is_not_noted_as_checked(
        db_path: Path, tmp_path: Path, checks: list[Path]) -> None:
    with Store.open(db_path) as s:
        s.add_entry("admin", 1794848400, 1794848400 + 600, via=Via.CLI)
        copy = s.backup(tmp_path / "copy.db")
    older = Store.open(db_path)
    assert checks == [db_path]
    # Another file takes the log's place while a store still has the old one open.
    known_good.note_path(db_path).unlink()
    db_path.with_name(db_path.name + "-wal").unlink(missing_ok=True)
    os.replace(copy, db_path)
    older.close()
    assert not known_good.note_path(db_path).exists()
    Store.open(db_path).close()
    assert checks == [db_path, db_path]


def test_damage_after_a_passing_check_is_still_found(db_path: Path) -> None:
    with Store.open(db_path) as s:
        for i in range(200):
            s.add_entry("messages", 1794848400 + i * 600, 1794848400 + i * 600 + 300,
                        note="x" * 50, via=Via.CLI)
    Store.open(db_path).close()
    assert known_good.unchanged_since_check(db_path)
    data = bytearray(db_path.read_bytes())
    data[int.from_bytes(data[16:18], "big")] ^= 0xFF  # the second page's type byte
    db_path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        Store.open(db_path)


# ----------------------------------------------------------------------------- the grammar

def test_the_command_names_are_the_grammars() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert tuple(sub.choices) == COMMANDS  # type: ignore[arg-type]


@pytest.mark.parametrize("argv, command", [
    (["summary", "--week", "2026-W47"], "summary"),
    (["--db", "x.db", "list"], "list"),
    (["--db=x.db", "add", "admin"], "add"),
    (["--d", "summary", "list"], "list"),  # argparse takes --d for --db
    (["-h"], None), (["--db"], None), (["nonsense"], None), ([], None),
])
def test_the_command_is_told_before_parsing(argv: list[str], command: str | None) -> None:
    assert command_named(argv) == command


@pytest.mark.parametrize("argv", [
    ["summary", "--month", "2026-11", "--format", "json"],
    ["--db", "x.db", "escalation", "add", "2026-11-17", "16:00", "--to", "manager", "--how",
     "phone", "--asked", "restore_block"],
    ["import", "csv", "f.csv", "--column", "date=Day", "--date-order", "dmy"],
    ["block", "tag", "2026-11-17", "16:00", "--reason", "meeting", "--escalated"],
    ["merge", "a.json", "b.json", "--out", "c.pdf"],
])
def test_one_commands_grammar_parses_as_the_whole_one(argv: list[str]) -> None:
    def parsed(only: str | None) -> dict[str, object]:
        a = vars(build_parser(only).parse_args(argv))
        return {k: getattr(v, "target", v) for k, v in a.items()}

    assert parsed(command_named(argv)) == parsed(None)


# ----------------------------------------------------------------------------- stored weeks

# What the stored weeks were computed with. A week stored by one version of this code is read
# back by the next only if nothing here changed; when it did, raise week.STORED_VERSION (so
# every stored week is computed again once) and add the new version's digest below.
SHAPING = [compute.compute_week, compute.compute_ledger, compute._resolve_day,
           compute._instant, compute._inside_seconds, compute._elapsed_seconds,
           compute._longest_run, compute._share_out, compute._round_half_up,
           record.entry_record, record._reshaped, record._clip, record.record_of,
           record.classify, record.add_timeliness, record.amended_week, seal.compare_week,
           seal.class_key, schedule.TargetRule.day_target, schedule.TargetRule.day_flexible,
           week.WeekRecord.to_json, week.WeekRecord.to_stored, week.WeekRecord.from_stored,
           week_parts.BlockOccurrence.to_stored, week_parts.BlockOccurrence.from_stored]
DIGESTS = {1: "25feb068a36cb583"}


def test_a_change_to_how_a_week_is_computed_raises_the_stored_version() -> None:
    text = "\n".join(inspect.getsource(f) for f in SHAPING)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    assert DIGESTS.get(week.STORED_VERSION) == digest, (
        "The code a stored week comes from changed: raise STORED_VERSION in "
        f"carelog.core.ledger.week and add {{{week.STORED_VERSION + 1}: {digest!r}}} here.")


# ----------------------------------------------------------------------------- light records

class _Point(Record):
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    label: str = field(default="", compare=False)


class _Pin(Record, frozen=True):
    x: int


def test_records_behave_like_dataclasses() -> None:
    a, b = _Point(1), _Point(1, tags=[])
    assert (a.x, a.y, a.tags, a.label) == (1, 0, [], "")
    assert a == b and a.tags is not b.tags
    assert _Point(1, label="a") == _Point(1, label="b")
    assert _Point(1, 2) != _Point(1, 3)
    assert repr(_Point(1)) == "_Point(x=1, y=0, tags=[], label='')"
    assert a.replaced(y=5) == _Point(1, 5)
    with pytest.raises(TypeError):
        _Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Point(1, z=2)  # type: ignore[call-arg]
    pin = _Pin(3)
    assert hash(pin) == hash(_Pin(3)) and {pin, _Pin(3)} == {pin}
    with pytest.raises(AttributeError):
        pin.x = 4  # type: ignore[misc]
