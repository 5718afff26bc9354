"""The `carelog` command: outputs, exit statuses and one-sentence errors (DESIGN §4)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from carelog.core.cli.main import build_parser

from tests.conftest import STANDARD_TOML, CliResult

Cli = Callable[..., CliResult]


def one_sentence(r: CliResult) -> str:
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert lines[0].startswith("carelog: ")
    return lines[0]


def test_add_list_edit_delete_undo(cli: Cli) -> None:
    r = cli("add", "documentation", "--start", "2026-11-16 09:00", "--end", "2026-11-16 09:50",
            "--note", "after intake")
    assert r.status == 0 and "Added 1:" in r.out
    r = cli("add", "msg", "--start", "2026-11-16 10:00", "--minutes", "10")
    assert r.status == 0
    data = json.loads(cli("list", "--format", "json").out)
    assert data == {"entries": [
        {"id": 1, "category": "documentation", "start": "2026-11-16 09:00",
         "end": "2026-11-16 09:50", "minutes": 50, "note": "after intake", "source": "manual",
         "planned": False},
        {"id": 2, "category": "messages", "start": "2026-11-16 10:00",
         "end": "2026-11-16 10:10", "minutes": 10, "note": "", "source": "manual",
         "planned": False}]}
    assert cli("edit", "2", "--minutes", "15").status == 0
    assert cli("delete", "1").status == 0
    rows = list(csv.DictReader(io.StringIO(cli("list", "--format", "csv").out)))
    assert [(r["id"], r["minutes"]) for r in rows] == [("2", "15")]
    assert list(rows[0]) == ["id", "category", "start", "end", "minutes", "note", "source"]
    assert cli("undo").out.startswith("Undid: delete")
    table = cli("list", "--from", "2026-11-16", "--to", "2026-11-16").out
    assert "documentation" in table and "after intake" in table


@pytest.mark.parametrize(("args", "message"), [
    (["add", "documentation", "--start", "2026-02-30 09:00", "--minutes", "10"],
     "carelog: The start '2026-02-30 09:00' does not exist on the calendar."),
    (["add", "documentation", "--start", "2026-11-16 10:00", "--end", "2026-11-16 09:00"],
     "carelog: The end must be after the start."),
    (["add", "therapy", "--start", "2026-11-16 10:00", "--minutes", "10"],
     "carelog: Unknown category 'therapy'; see 'carelog categories' for the list."),
    (["add", "documentation", "--start", "2026-11-16 00:00", "--minutes", "1800"],
     "carelog: An entry can last at most 24 hours; this one lasts 30 hours."),
    (["add", "documentation", "--start", "2026-11-16 10:00"],
     "carelog: Give --end or --minutes."),
    (["add", "documentation", "--start", "2026-03-08 02:30", "--minutes", "10"],
     "carelog: The start 2026-03-08 02:30 does not exist in America/Los_Angeles: clocks skip "
     "that hour for daylight saving."),
    (["edit", "99", "--note", "x"], "carelog: There is no entry with id 99."),
    (["summary", "--week", "2026-W60"], "carelog: The week '2026-W60' does not exist in 2026."),
    (["summary"], "carelog: Give exactly one period: --week, --month, --quarter, --year, or "
                  "--from with --to."),
    (["undo"], None),
])
def test_bad_input_is_one_sentence_and_exit_2(cli: Cli, args: list[str],
                                              message: str | None) -> None:
    cli("add", "individual", "--start", "2026-11-16 09:00", "--minutes", "50")
    cli("undo")
    before = cli("list", "--format", "json").out
    r = cli(*args)
    if message is None:  # undo with nothing left is a plain failure, not bad input
        assert r.status == 1 and one_sentence(r) == "carelog: There is nothing to undo."
        return
    assert r.status == 2
    assert one_sentence(r) == message
    assert cli("list", "--format", "json").out == before


@pytest.fixture(autouse=True)
def _los_angeles(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "schedule.toml"
    path.write_text(STANDARD_TOML, encoding="utf-8")
    assert cli("schedule", "set", str(path)).status == 0


def test_overlap_is_refused_then_trim_fits_it(cli: Cli) -> None:
    cli("add", "individual", "--start", "2026-11-16 09:00", "--minutes", "50")
    r = cli("add", "messages", "--start", "2026-11-16 09:30", "--minutes", "40")
    assert r.status == 2
    assert one_sentence(r) == ("carelog: 2026-11-16 09:30–10:10 overlaps Session 09:00–09:50 "
                               "(entry 1); change the times or add --trim to fit it around.")
    r = cli("add", "messages", "--start", "2026-11-16 09:30", "--minutes", "40", "--trim")
    assert r.status == 0 and "09:50–10:10 (20 m)" in r.out


def test_usage_errors_are_one_sentence_and_exit_2(cli: Cli) -> None:
    r = cli("add")
    assert r.status == 2
    assert one_sentence(r).startswith("carelog: The following arguments are required")
    r = cli("frobnicate")
    assert r.status == 2 and "invalid choice" in one_sentence(r)


def test_note_with_an_identifier_warns_but_saves(cli: Cli) -> None:
    r = cli("add", "messages", "--start", "2026-11-16 09:00", "--minutes", "5",
            "--note", "called back 555-123-4567")
    assert r.status == 0
    assert "a phone number" in r.err


def test_timer_start_status_stop(cli: Cli) -> None:
    assert cli("timer", "status").out.strip() == "No timer is running."
    assert cli("timer", "start", "doc").out.startswith("Timer started: documentation")
    assert "Timer running: documentation" in cli("timer", "status").out
    r = cli("timer", "start", "messages")
    assert r.status == 2 and "already running" in r.err
    assert cli("timer", "stop").status == 0
    assert cli("timer", "stop").status == 2


def test_categories_list_and_add(cli: Cli) -> None:
    out = cli("categories").out
    assert out.index("documentation") < out.index("individual")  # IPC first
    assert cli("categories", "add", "peer_consult", "--class", "ipc",
               "--label", "Peer consult").status == 0
    assert "peer_consult" in cli("categories").out
    assert cli("add", "peer_consult", "--start", "2026-11-16 09:00", "--minutes", "20").status == 0
    r = cli("categories", "add", "peer_consult", "--class", "ipc")
    assert r.status == 2 and "already exists" in r.err


def test_backup_restore_check(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    cli("add", "individual", "--start", "2026-11-16 09:00", "--minutes", "50")
    target = tmp_path / "b.db"
    assert cli("backup", "--to", str(target)).status == 0
    cli("add", "messages", "--start", "2026-11-16 10:00", "--minutes", "10")
    r = cli("restore", str(target))
    assert r.status == 0 and "replaced file was kept" in r.out
    assert len(json.loads(cli("list", "--format", "json").out)["entries"]) == 1
    check = cli("check")
    assert check.status == 0 and "Integrity: ok" in check.out and "All good." in check.out
    r = cli("restore", str(tmp_path / "missing.db"))
    assert r.status == 2 and one_sentence(r).startswith("carelog: There is no file at")


def test_damaged_database_names_the_backup(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    cli("add", "individual", "--start", "2026-11-16 09:00", "--minutes", "50")
    cli("backup")
    db_path.write_bytes(b"garbage" * 100)
    r = cli("list")
    assert r.status == 1
    line = one_sentence(r)
    assert "is not a Carelog database; it was kept as carelog.db.corrupt" in line
    assert "carelog restore" in line


def test_schedule_show_round_trips(cli: Cli, tmp_path: Path) -> None:
    shown = cli("schedule", "show").out
    assert 'rule = "percent"' in shown and 'time = "16:00-17:00"' in shown
    again = tmp_path / "again.toml"
    again.write_text("\n".join(line for line in shown.splitlines()
                               if not line.startswith("#")), encoding="utf-8")
    assert cli("schedule", "set", str(again)).status == 0
    data = json.loads(cli("schedule", "show", "--format", "json").out)
    assert data["versions"][0]["target"]["rate"] == 0.2
    presets = cli("schedule", "presets").out
    assert "example — check your own contract" in presets
    assert "For a 40-hour week this means 7 h 30 m." in presets


@pytest.mark.parametrize(("change", "message"), [
    (('time = "16:00-17:00"', 'time = "17:30-18:00"'),
     "The key protected[1].time = '17:30-18:00' is outside the working hours of tue."),
    (('mon = ["08:30-12:30", "13:00-17:00"]', 'mon = ["08:30-12:30", "12:00-17:00"]'),
     "overlapping ranges 08:30-12:30 and 12:00-17:00"),
    (('mon = [', 'mnd = ['), "The key hours.mnd = "),
    (('timezone = "America/Los_Angeles"', 'timezone = "Pacific/Atlantis"'),
     "The key timezone = 'Pacific/Atlantis' is not a known IANA time zone."),
    (("rate = 0.20", "rate = -0.2"), "The key target.rate = -0.2 is negative."),
    (("rate = 0.20", "rate = 1.5"), "The key target.rate = 1.5 must be at most 1."),
    (("[target]", "[nottarget]"), "The key nottarget = "),
])
def test_bad_schedule_names_the_key_and_saves_nothing(cli: Cli, tmp_path: Path,
                                                      change: tuple[str, str],
                                                      message: str) -> None:
    before = cli("schedule", "show").out
    bad = tmp_path / "bad.toml"
    bad.write_text(STANDARD_TOML.replace(*change).replace('"2026-01-05"', '"2026-06-01"'),
                   encoding="utf-8")
    r = cli("schedule", "set", str(bad))
    assert r.status == 2
    assert message in one_sentence(r)
    assert cli("schedule", "show").out == before


def test_schedule_without_target(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(STANDARD_TOML.split("[target]")[0], encoding="utf-8")
    r = cli("schedule", "set", str(bad))
    assert r.status == 2 and "has no [target] table" in one_sentence(r)


def test_leave_block_access_refusals(cli: Cli) -> None:
    assert cli("leave", "add", "2026-11-20").status == 0
    r = cli("leave", "add", "2026-11-20", "--hours", "4")
    assert r.status == 2 and one_sentence(r) == \
        "carelog: 2026-11-20 is already on leave (pto); remove that first."
    r = cli("leave", "add", "2026-11-21", "--hours", "-3")
    assert r.status == 2 and "more than 0" in r.err
    r = cli("block", "tag", "2026-11-18", "16:00", "--reason", "meeting")
    assert r.status == 2 and one_sentence(r) == ("carelog: There is no protected block "
                                                 "starting at 16:00 on 2026-11-18 (Wednesday) "
                                                 "in the schedule.")
    assert cli("block", "tag", "2026-11-17", "16:00", "--reason", "meeting",
               "--escalated").status == 0
    r = cli("block", "tag", "2026-11-17", "16:00", "--reason", "boredom")
    assert r.status == 2 and "Unknown reason 'boredom'" in r.err
    r = cli("access", "log", "2026-11-17", "-3")
    assert r.status == 2 and one_sentence(r) == "carelog: The days must be zero or more, not -3."
    assert cli("access", "log", "2026-11-17", "14").status == 0


def test_summary_text_and_json_show_the_same_numbers(cli: Cli) -> None:
    cli("add", "documentation", "--start", "2026-11-16 09:00", "--minutes", "300")
    cli("add", "urgent", "--start", "2026-11-17 16:00", "--minutes", "60")
    cli("add", "messages", "--start", "2026-11-17 19:00", "--minutes", "90")
    cli("block", "tag", "2026-11-17", "16:00", "--reason", "urgent_overflow", "--escalated")
    cli("access", "log", "2026-11-19", "14")
    data = json.loads(cli("summary", "--week", "2026-W47", "--format", "json").out)
    assert (data["format"], data["version"], data["from"], data["to"]) == \
        ("carelog-summary", 2, "2026-11-16", "2026-11-22")
    w = data["weeks"][0]
    assert (w["target_min"], w["ipc_in_hours_min"], w["attainment"], w["status"]) == \
        (450, 270, 0.6, "not_met")  # 09:00–12:30 and 13:00–14:00 are in hours
    # The evening's 90 and the 30 of the lunch gap 12:30–13:00 are outside paid hours.
    assert (w["ipc_after_hours_min"], w["after_hours_min"]) == (120, 120)
    assert w["blocks"]["booked_over_min"] == 60 and w["blocks"]["reasons"] == \
        {"urgent_overflow": 1}
    assert w["access_days"] == 14
    # Monday and Tuesday had work and no break; tagging the block escalated recorded one.
    assert w["days_without_break"] == 2
    assert w["escalations"] == {"count": 1, "responded": 0, "resolved": 0}
    text = cli("summary", "--week", "2026-W47").out
    row = next(line for line in text.splitlines() if line.startswith("2026-W47"))
    assert row.split() == ["2026-W47", "40:00", "7:30", "4:30", "60", "%", "not", "met",
                           "2:00", "2:00", "0:00/1:00", "14", "d", "2"]


def test_demo_fills_an_empty_database_only(cli: Cli, tmp_path: Path) -> None:
    fresh = tmp_path / "demo.db"
    r = cli("demo", "--weeks", "4", db=fresh)
    assert r.status == 0 and "sample entries" in r.out
    data = json.loads(cli("summary", "--from", "2026-01-01", "--to", "2030-01-01",
                          "--format", "json", db=fresh).out)
    t = data["totals"]
    assert t["direct_min"] > 0 and t["ipc_in_hours_min"] > 0 and t["blocks"]["count"] > 0
    assert t["leave_min"] > 0 and t["access_days"] is not None
    assert cli("demo", db=fresh).status == 2


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"carelog {name}" not in readme]  # type: ignore[union-attr]
    assert missing == []


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "carelog.core.cli", "--db", str(tmp_path / "p.db"),
                        "add", "nope", "--start", "2026-11-16 09:00", "--minutes", "5"],
                       capture_output=True, text=True, check=False,
                       cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 2
    assert r.stderr.startswith("carelog: Unknown category 'nope'")


def test_an_entry_whose_time_has_not_passed_is_listed_as_planned(cli: Cli) -> None:
    # The suite's "now" is 2026-12-01 12:00: the afternoon session is planned, the morning
    # one is done, and one running across noon counts as planned until it ends.
    for start, minutes in (("2026-12-01 09:00", 50), ("2026-12-01 11:30", 60),
                           ("2026-12-01 14:00", 50)):
        assert cli("add", "individual", "--start", start, "--minutes", str(minutes)).status == 0
    rows = json.loads(cli("list", "--format", "json").out)["entries"]
    assert [r["planned"] for r in rows] == [False, True, True]
    table = cli("list").out.splitlines()
    assert "planned · " not in table[1] and "planned · " in table[3]
    header = cli("list", "--format", "csv").out.splitlines()[0]
    assert header == "id,category,start,end,minutes,note,source"
