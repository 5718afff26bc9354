"""Rules both front ends share, remedies in the command line's words, SQLite codes, lazy CLI.

Also: one formatter for durations and statuses, and entries whose source is the enum.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from carelog.core.cli.main import COMMANDS, Command, build_parser
from carelog.core.cli.remedies import cli_sentence, in_cli_words
from carelog.core.domain.errors import BadInput, CarelogError, Remedy
from carelog.core.domain.formatting import clock, fmt_minutes, hm, percent, status_word
from carelog.core.domain.history import Via
from carelog.core.domain.models import Entry, Leave, Source, leave_minutes
from carelog.core.domain.schedule import ScheduleSet, check_block, standard_week
from carelog.core.domain.target_rules import PRESETS
from carelog.core.domain.timeutil import end_after, period_from_args
from carelog.core.domain.timeutil import fmt_minutes as old_fmt_minutes
from carelog.core.ledger.week import DEFAULT_PARTLY_MET_AT, status_of
from carelog.core.store.connection import Failure, classify
from carelog.core.store.database import Store

MONDAY = date(2026, 11, 16)


# ----------------------------------------------------------------------------- shared rules

def test_an_entrys_end_is_its_start_plus_positive_minutes() -> None:
    assert end_after(600, 5) == 900
    for bad in (0, -5):
        with pytest.raises(BadInput) as err:
            end_after(600, bad)
        assert err.value.field == "minutes"
        assert err.value.message == f"The minutes must be a positive number, not {bad}."


def test_leave_hours_become_minutes_within_a_day() -> None:
    assert leave_minutes(None) is None
    assert leave_minutes(4) == 240
    assert leave_minutes(24) == 1440
    for bad, words in ((0, "more than 0"), (-3, "more than 0"), (24.5, "at most 24"),
                       (0.001, "at least one minute")):
        with pytest.raises(BadInput, match=words) as err:
            leave_minutes(bad)
        assert err.value.field == "hours"


def test_a_block_must_be_scheduled_and_not_on_leave_to_be_tagged() -> None:
    week = standard_week(MONDAY, "America/Los_Angeles", PRESETS[0].rule)
    schedules = ScheduleSet([week])
    start = week.blocks(MONDAY.weekday())[0].span.start
    check_block(schedules, MONDAY, start, on_leave=False, tagging=True)
    check_block(schedules, MONDAY, start, on_leave=True, tagging=False)  # an old tag may go
    with pytest.raises(BadInput, match="is a day of leave") as err:
        check_block(schedules, MONDAY, start, on_leave=True, tagging=True)
    assert err.value.field == "date"
    with pytest.raises(BadInput) as err:
        check_block(schedules, MONDAY, start + 1, on_leave=False, tagging=True)
    assert err.value.message == (f"There is no protected block starting at {clock(start + 1)} "
                                 "on 2026-11-16 (Monday) in the schedule.")


def test_the_store_checks_blocks_against_its_schedule_and_leave(store: Store) -> None:
    week = standard_week(MONDAY, "America/Los_Angeles", PRESETS[0].rule)
    store.save_schedule(week)
    start = week.blocks(MONDAY.weekday())[0].span.start
    store.check_block(MONDAY, start, tagging=True)
    store.add_leave(Leave(day=MONDAY))
    with pytest.raises(BadInput, match="day of leave"):
        store.check_block(MONDAY, start, tagging=True)
    store.check_block(MONDAY, start, tagging=False)


# ----------------------------------------------------------------------------- words and numbers

def test_one_formatter_for_durations_percentages_and_statuses() -> None:
    assert fmt_minutes(450) == "7 h 30 m" and fmt_minutes(45) == "45 m"
    assert fmt_minutes(-90) == "-1 h 30 m"
    assert old_fmt_minutes is fmt_minutes
    assert hm(450) == "7:30" and hm(5) == "0:05"
    assert clock(570) == "09:30"
    assert percent(None) == "—" and percent(0.666) == "67 %"
    assert status_word("partly_met") == "partly met"
    assert status_of(0.8, DEFAULT_PARTLY_MET_AT) == "partly_met"


def test_entries_carry_their_source_as_the_enum(store: Store) -> None:
    store.add_entry("messages", 1794848400, 1794848400 + 600, via=Via.CLI)
    (e,) = store.all_entries()
    assert e.source is Source.MANUAL
    assert store.conn.execute("SELECT source FROM entries").fetchone()[0] == "manual"
    assert Entry(category="messages", start=0, end=60, source="timer").source is Source.TIMER


# ----------------------------------------------------------------------------- remedies

def test_core_says_what_is_wrong_and_the_command_line_adds_the_remedy(store: Store) -> None:
    with pytest.raises(BadInput) as err:
        store.add_entry("therapy", 1794848400, 1794848400 + 600, via=Via.CLI)
    assert err.value.message == "Unknown category 'therapy'."
    assert err.value.remedy is Remedy.LIST_CATEGORIES
    assert cli_sentence(err.value) == \
        "Unknown category 'therapy'; see 'carelog categories' for the list."
    with pytest.raises(BadInput) as err:
        period_from_args(week="2026-W47", month="2026-11")
    assert "--" not in err.value.message and err.value.remedy is Remedy.ONE_PERIOD
    assert cli_sentence(err.value) == \
        "Give exactly one period: --week, --month, --quarter, --year, or --from with --to."
    with pytest.raises(BadInput) as err:
        period_from_args(start="2026-11-01")
    assert "--" not in err.value.message
    assert cli_sentence(err.value) == "Give both --from and --to."


def test_a_timer_left_for_days_names_its_remedy(store: Store) -> None:
    store.timer_start("messages", at=1794848400)
    with pytest.raises(BadInput) as err:
        store.timer_stop(at=1794848400 + 3 * 86400)
    assert "carelog" not in err.value.message and err.value.remedy is Remedy.DISCARD_TIMER
    assert cli_sentence(err.value).endswith(
        "; log the real time by hand and discard the timer (carelog timer cancel).")


def test_wording_a_remedy_keeps_the_error_and_its_status() -> None:
    exc = BadInput("The database already holds entries or a schedule; demo data goes only into "
                   "an empty database.", field="db", remedy=Remedy.EMPTY_DATABASE)
    worded = in_cli_words(exc)
    assert isinstance(worded, BadInput) and worded.exit_status == 2 and worded.field == "db"
    assert worded.message.endswith("empty database (use --db with a new file).")
    assert worded.remedy is None and exc.remedy is Remedy.EMPTY_DATABASE
    plain = CarelogError("Nothing to say.")
    assert in_cli_words(plain) is plain and cli_sentence(plain) == "Nothing to say."


def test_every_remedy_has_words_on_the_command_line() -> None:
    for remedy in Remedy:
        exc = BadInput("Something is wrong.", remedy=remedy, about=("start",))
        assert cli_sentence(exc), remedy


# ----------------------------------------------------------------------------- SQLite codes

def test_failures_are_told_apart_by_sqlite_code_not_by_message(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = sqlite3.connect(db, isolation_level=None)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(db, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as busy:
        second.execute("BEGIN IMMEDIATE")
    assert classify(busy.value) is Failure.BUSY
    first.execute("ROLLBACK")
    first.close()
    second.close()
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as read_only:
        ro.execute("INSERT INTO t VALUES (1)")
    assert classify(read_only.value) is Failure.READ_ONLY
    ro.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 200)
    bad = sqlite3.connect(junk)
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        bad.execute("SELECT * FROM sqlite_master")
    assert classify(damaged.value) is Failure.DAMAGE
    bad.close()
    # The words alone decide nothing: a message that says "locked" is not a busy database.
    assert classify(sqlite3.OperationalError("the drawer is locked")) is Failure.OTHER
    assert classify(ValueError("busy")) is Failure.OTHER


# ----------------------------------------------------------------------------- the command line

def test_every_command_names_a_handler_that_exists() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, sp in sub.choices.items():  # type: ignore[union-attr]
        handler = sp.get_default("handler")
        assert isinstance(handler, Command), name
        assert callable(handler.resolve()), name


def test_the_command_line_loads_no_command_group_until_one_runs() -> None:
    code = ("import sys; import carelog.core.cli.main as m; m.build_parser(); "
            "print(sorted(n for n in sys.modules if n.startswith('carelog.core.') and "
            "n.split('.')[2] in ('cli', 'exporting', 'importing', 'ledger')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "['carelog.core.cli', 'carelog.core.cli.main', " \
                               "'carelog.core.cli.remedies']"


def test_no_sentence_below_the_command_line_names_a_command() -> None:
    """Sentences from the domain, the store, the ledger and importing reach the window too.

    (The committee exports may name `carelog verify`: it is how a committee checks them.)
    """
    import ast

    command = re.compile(r"\bcarelog (?:" + "|".join(COMMANDS) + r")\b|--[a-z]")
    core = Path(__file__).resolve().parents[2] / "core"
    found = []
    for path in sorted(p for part in ("domain", "store", "ledger", "importing")
                       for p in (core / part).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs and command.search(node.value)):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]}")
    assert found == []
