"""Odd and hostile input at the command line: one sentence, the right status, nothing changed."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import STANDARD_TOML, CliResult

Cli = Callable[..., CliResult]


def one_line(r: CliResult) -> str:
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("carelog: "), r.err
    assert "Traceback" not in r.err
    return lines[0]


def entries(cli: Cli) -> str:
    return cli("list", "--format", "json").out


@pytest.mark.parametrize("args", [
    ["add", "messages", "--start", "9999-12-31 23:30", "--minutes", "60"],
    ["add", "messages", "--start", "0001-01-01 00:00", "--minutes", "10"],
    ["summary", "--week", "9999-W52"],
    ["summary", "--month", "9999-12"],
    ["edit", "99999999999999999999999", "--minutes", "4"],
    ["delete", "99999999999999999999999"],
    ["leave", "add", "2026-11-18", "--hours", "0.001"],
    ["list", "--from", "2026-11-30", "--to", "2026-11-01"],
])
def test_refused_with_status_2_and_nothing_saved(cli: Cli, args: list[str]) -> None:
    before = entries(cli)
    r = cli(*args)
    assert r.status == 2
    one_line(r)
    assert entries(cli) == before
    assert cli("check").status == 0


def test_not_a_number_in_a_schedule_names_the_key(cli: Cli, tmp_path: Path) -> None:
    for key, bad in [("rate = 0.20", "rate = nan"), ("full_time_h = 40", "full_time_h = inf"),
                     ("partly_met_at = 0.75", "partly_met_at = nan")]:
        f = tmp_path / "s.toml"
        f.write_text(STANDARD_TOML.replace(key, bad), encoding="utf-8")
        r = cli("schedule", "set", str(f))
        assert r.status == 2
        assert "is not a finite number" in one_line(r)
    assert cli("schedule", "show").status == 2  # still no schedule


def test_restore_refuses_what_is_not_a_carelog_backup(cli: Cli, db_path: Path,
                                                      tmp_path: Path) -> None:
    cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "5")
    before = entries(cli)
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    r = cli("restore", str(foreign))
    assert r.status == 2 and "not a Carelog log" in one_line(r)
    r = cli("restore", str(db_path))
    assert r.status == 2 and "is the database itself" in one_line(r)
    newer = tmp_path / "newer.db"
    assert cli("backup", "--to", str(newer)).status == 0
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    r = cli("restore", str(newer))
    assert r.status == 2 and "newer Carelog" in one_line(r)
    r = cli("restore", str(tmp_path))
    assert r.status == 2 and "is a folder" in one_line(r)
    assert entries(cli) == before


def test_backup_onto_the_database_itself_is_refused(cli: Cli, db_path: Path) -> None:
    cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "5")
    r = cli("backup", "--to", str(db_path))
    assert r.status == 2 and "is the database itself" in one_line(r)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_export_never_replaces_a_special_file(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = cli("export", "--week", "2026-W47", "--format", "json", "--out", str(fifo))
    assert r.status == 2 and "not a regular file" in one_line(r)
    assert not fifo.is_file()


def test_export_format_and_file_name_must_agree(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    r = cli("export", "--week", "2026-W47", "--format", "csv", "--out", str(out))
    assert r.status == 2 and "make them agree" in one_line(r)
    assert not out.exists()


def test_database_paths_that_cannot_be(cli: Cli, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    r = cli("list", db=afile / "x.db")
    assert r.status == 1 and "could not be created" in one_line(r)
    r = cli("list", db=tmp_path)
    assert r.status == 2 and "is a folder" in one_line(r)
    from carelog.core.cli.main import main

    assert main(["--db", "", "list"]) == 2


def test_a_bad_busy_timeout_is_named(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOG_BUSY_TIMEOUT", "abc")
    r = cli("list")
    assert r.status == 2 and "CARELOG_BUSY_TIMEOUT" in one_line(r)


def test_a_user_category_cannot_shadow_a_short_word(cli: Cli) -> None:
    r = cli("categories", "add", "msg", "--class", "other")
    assert r.status == 2 and "short word for messages" in one_line(r)


def test_a_badly_damaged_database_is_still_one_sentence(cli: Cli, db_path: Path) -> None:
    for i in range(300):
        cli("add", "messages", "--start", f"2026-{1 + i // 28 % 12:02d}-{1 + i % 28:02d} "
            f"{8 + i % 9:02d}:00", "--minutes", "5", "--note", "n" * 200)
    data = bytearray(db_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for p in range(3, len(data) // page, 2):  # break every other page's cell pointers
        data[p * page + 8: p * page + 24] = b"\xff" * 16
    db_path.write_bytes(bytes(data))
    r = cli("list")
    assert r.status == 1
    line = one_line(r)
    assert "is damaged" in line and line.count("On tree page") <= 1


def test_notes_print_on_one_line_without_control_characters(cli: Cli) -> None:
    cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "5",
        "--note", "two\nlines \x1b[31mred")
    table = cli("list").out
    row = next(line for line in table.splitlines() if "messages" in line)
    assert "two ⏎ lines" in row and "\x1b" not in table


@pytest.fixture(autouse=True)
def _los_angeles(store: object) -> None:
    """A migrated store in Los Angeles time exists before each command."""


def test_do_nothing_commands_say_so(cli: Cli, tmp_path: Path) -> None:
    cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "5")
    r = cli("edit", "1")
    assert r.status == 2 and "Nothing to change" in one_line(r)
    f = tmp_path / "s.toml"
    f.write_text(STANDARD_TOML, encoding="utf-8")
    cli("schedule", "set", str(f))
    r = cli("block", "untag", "2026-11-17", "16:00")
    assert r.status == 2 and "has no tag to remove" in one_line(r)
    cli("leave", "add", "2026-11-17")
    r = cli("block", "tag", "2026-11-17", "16:00", "--reason", "meeting")
    assert r.status == 2 and "day of leave" in one_line(r)
    from carelog.core.cli.main import main

    assert main([]) == 2


def test_a_timer_left_running_for_days_is_not_silently_cut(store: object, cli: Cli) -> None:
    from carelog.core.domain.timeutil import utc_now
    from carelog.core.store.database import Store

    assert isinstance(store, Store)
    store.timer_start("documentation", at=utc_now() - 25 * 3600)
    r = cli("timer", "stop")
    assert r.status == 2 and "carelog timer cancel" in one_line(r)
    assert cli("timer", "cancel").status == 0
    assert cli("timer", "status").out.strip() == "No timer is running."
    assert cli("list", "--format", "json").out.count('"id"') == 0
