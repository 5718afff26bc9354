"""The smaller holes: formulas in the personal CSV, a clock that goes back, odd spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def one_line(r: CliResult) -> str:
    assert r.err.count("\n") == 1, r.err
    assert "did not expect" not in r.err, r.err
    return r.err


# ----------------------------------------------------------------------------- (10) formulas

NOTES = ["=HYPERLINK(\"http://x\")", "+1 555 0100", "-call back", "@home", "'quoted'",
         "\ttabbed", "plain"]


def test_list_csv_never_writes_a_formula_and_imports_back_unchanged(
        cli: Cli, tmp_path: Path) -> None:
    for i, note in enumerate(NOTES):
        r = cli("add", "messages", "--start", f"2026-11-16 {9 + i:02d}:00", "--minutes", "10",
                "--note", note)
        assert r.status == 0, r.err
    written = cli("list", "--format", "csv").out
    cells = [row[5] for row in csv.reader(io.StringIO(written, newline=""))][1:]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    path = tmp_path / "mine.csv"
    path.write_text(written, newline="")
    other = tmp_path / "other.db"
    r = cli("import", "csv", str(path), db=other)
    assert r.status == 0, r.err
    back = json.loads(cli("list", "--format", "json", db=other).out)["entries"]
    assert [e["note"] for e in back] == NOTES


# ----------------------------------------------------------------------------- (14) the clock

def test_a_clock_that_went_back_keeps_the_timer(cli: Cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOG_NOW", "2026-12-01T10:00:00-08:00")
    assert cli("timer", "start", "documentation").status == 0
    monkeypatch.setenv("CARELOG_NOW", "2026-12-01T09:15:00-08:00")  # the clock goes back
    status = cli("timer", "status")
    assert status.status == 0
    assert "went back" in status.out and "(-" not in status.out
    r = cli("timer", "stop")
    assert r.status == 1
    assert "went back" in one_line(r) and "timer is kept" in r.err
    still = cli("timer", "status").out  # times in UTC: this log has no zone of its own
    assert "Timer running: documentation since 2026-12-01 18:00" in still
    monkeypatch.setenv("CARELOG_NOW", "2026-12-01T10:40:00-08:00")  # and later catches up
    r = cli("timer", "stop")
    assert r.status == 0 and "(40 m)" in r.out


# ----------------------------------------------------------------------------- (16) spreadsheets

def _import(cli: Cli, tmp_path: Path, text: str | bytes, name: str = "t.csv") -> CliResult:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return cli("import", "csv", str(path))


def test_a_two_digit_year_is_the_nearest_century_not_the_next(cli: Cli, tmp_path: Path) -> None:
    r = _import(cli, tmp_path, "date,start,minutes,category\n12/31/99,09:00,30,admin\n"
                               "01/02/27,09:00,30,admin\n")
    assert r.status == 0, r.err
    starts = [e["start"] for e in json.loads(cli("list", "--format", "json").out)["entries"]]
    assert starts == ["1999-12-31 09:00", "2027-01-02 09:00"]


def test_minutes_that_contradict_start_and_end_are_refused(cli: Cli, tmp_path: Path) -> None:
    r = _import(cli, tmp_path, "date,start,end,minutes,category\n"
                               "2026-11-16,09:00,10:00,60,admin\n"
                               "2026-11-17,09:00,10:00,45,admin\n")
    assert r.status == 2
    assert "Row 3 of t.csv" in one_line(r) and "45" in r.err
    assert json.loads(cli("list", "--format", "json").out)["entries"] == []


def test_notes_longer_than_128_kb_round_trip(cli: Cli, tmp_path: Path) -> None:
    note = "long " * 40_000
    assert cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "10",
               "--note", note).status == 0
    path = tmp_path / "mine.csv"
    path.write_text(cli("list", "--format", "csv").out, newline="")
    other = tmp_path / "other.db"
    assert cli("import", "csv", str(path), db=other).status == 0
    assert json.loads(cli("list", "--format", "json", db=other).out)["entries"][0]["note"] == note


def test_a_value_with_a_line_break_is_quoted_on_one_line(cli: Cli, tmp_path: Path) -> None:
    r = _import(cli, tmp_path,
                'date,start,minutes,category\n2026-11-16,09:00,30,"staff\nlunch\x1b[31m"\n')
    assert r.status == 2
    assert "staff ⏎ lunch" in one_line(r) and "\x1b" not in r.err


def test_text_in_another_encoding_is_not_called_binary(cli: Cli, tmp_path: Path) -> None:
    r = _import(cli, tmp_path, "date,start,minutes,category\n2026-11-16,09:00,30,adm\x81in\n"
                .encode("latin-1"))
    assert r.status == 2
    assert "binary" not in one_line(r) and "UTF-8" in r.err


def test_a_machine_zone_that_cannot_be_named_is_said(cli: Cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Local/Unnamed")
    r = cli("list")
    assert r.status == 0
    assert "time zone could not be told" in r.err and "UTC" in r.err


def test_output_cut_short_by_a_pipe_is_not_a_crash(cli: Cli, db_path: Path) -> None:
    import subprocess
    import sys

    from carelog.core.domain.history import Via
    from carelog.core.domain.models import Entry
    from carelog.core.store.database import Store

    with Store.open(db_path) as store:  # more lines than a pipe holds
        store.add_entries([Entry(category="messages", start=1794848400 + k * 900,
                                 end=1794848400 + k * 900 + 600) for k in range(3000)],
                          via=Via.CLI)
    root = Path(__file__).resolve().parents[2]
    script = ("import sys\nfrom carelog.core.cli.main import main\n"
              "sys.stdout.reconfigure(line_buffering=True)\n"
              f"sys.exit(main(['--db', {str(db_path)!r}, 'list']))\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # what `| head -1` does
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=30) == 1
    assert err == ""


def test_output_that_cannot_be_written_says_the_change_was_saved(
        cli: Cli, db_path: Path) -> None:
    import contextlib
    import errno
    import io

    from carelog.core.cli.main import main

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    err = io.StringIO()
    with contextlib.redirect_stdout(FullDisk()), contextlib.redirect_stderr(err):
        status = main(["--db", str(db_path), "add", "admin", "--start", "2026-11-16 09:00",
                       "--minutes", "10"])
    assert status == 1
    assert err.getvalue().count("\n") == 1 and "was saved" in err.getvalue()
    assert "did not expect" not in err.getvalue()
    assert json.loads(cli("list", "--format", "json").out)["entries"][0]["minutes"] == 10
