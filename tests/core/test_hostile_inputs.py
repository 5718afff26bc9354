"""Hostile inputs: one sentence naming the file, row or key, exit 2, nothing written.

Every date from every source (TOML, CSV, ICS, JSON) goes through the same range check, and no
value already stored can make reading fail.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.exporting.merge import read_summary
from carelog.core.importing.calendar import parse_calendar, plan_ics
from carelog.core.importing.csv_plan import drafts_from_table
from carelog.core.importing.csv_table import parse_table
from carelog.core.store.database import Store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import STANDARD_TOML, CliResult

Cli = Callable[..., CliResult]
IN_RANGE = (1900, 2199)


def one_line(r: CliResult) -> str:
    assert r.err.count("\n") == 1, r.err
    assert r.err.startswith("carelog: ") and "did not expect" not in r.err, r.err
    return r.err


def _entries(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])


def _schedule(tmp_path: Path, effective_from: str, rest: str = "") -> Path:
    body = STANDARD_TOML.replace('effective_from = "2026-01-05"',
                                 f"effective_from = {effective_from}")
    path = tmp_path / "s.toml"
    path.write_text(body + rest)
    return path


# ----------------------------------------------------------------------------- (5) dates

@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31",
                                   "2026-01-05T10:00:00", "2026-01-05T10:00:00Z", "10:00:00",
                                   '"0001-01-01"', "2026-01-05T00:00:00"])
def test_a_schedule_date_out_of_range_or_not_a_date_is_refused(
        value: str, cli: Cli, tmp_path: Path) -> None:
    r = cli("schedule", "set", str(_schedule(tmp_path, value)))
    assert r.status == 2
    assert "effective_from" in one_line(r)
    assert cli("schedule", "show").status == 2  # nothing was saved


def test_a_bad_stored_schedule_is_skipped_with_a_warning_and_reported_by_check(
        cli: Cli, db_path: Path, tmp_path: Path) -> None:
    assert cli("schedule", "set", str(_schedule(tmp_path, '"2026-01-05"'))).status == 0
    assert cli("add", "documentation", "--start", "2026-11-17 09:00", "--minutes", "30").status == 0
    # What an older Carelog let in: a bare TOML date in year 1, and a row that is not JSON.
    with sqlite3.connect(db_path) as conn:
        good = conn.execute("SELECT body FROM schedules").fetchone()[0]
        bad = json.loads(good)
        bad["effective_from"] = "0001-01-01"
        conn.execute("INSERT INTO schedules VALUES ('0001-01-01', ?, '2026-11-30T00:00:00Z')",
                     (json.dumps(bad),))
        conn.execute("INSERT INTO schedules VALUES ('2026-03-01', '{broken', 'x')")
        conn.execute("INSERT INTO leave VALUES ('not a day', NULL, 'pto')")
        conn.execute("INSERT INTO block_tags VALUES ('2026-11-17', 960, 'no-such-reason', 0)")
        conn.execute("INSERT INTO access VALUES ('0001-01-01', 4)")
        conn.execute("INSERT INTO settings VALUES ('timezone', 'Mars/Olympus') "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO entries(category, start_utc, end_utc, note, source, created, "
                     "updated) VALUES ('nonesuch', 'a', 'b', '', 'manual', '', '')")
    for args in (["summary", "--week", "2026-W47"], ["list"], ["schedule", "show"],
                 ["export", "--week", "2026-W47", "--format", "json",
                  "--out", str(tmp_path / "w.json")]):
        r = cli(*args)
        assert r.status == 0, (args, r.err)
        assert "skipped" in r.err
    r = cli("check")
    assert r.status == 1
    for what in ("schedule", "leave", "block tag", "access", "time zone", "entry"):
        assert what in r.out, what


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_from_every_source_are_in_range_or_refused(store: Store, tmp_path: Path,
                                                         day: date) -> None:
    inside = IN_RANGE[0] <= day.year <= IN_RANGE[1]
    # TOML, as a bare date and as a string
    for written in (day.isoformat(), f'"{day.isoformat()}"'):
        text = STANDARD_TOML.replace('effective_from = "2026-01-05"',
                                     f"effective_from = {written}")
        try:
            assert parse_schedule_toml(text).effective_from == day and inside
        except BadInput as exc:
            assert not inside and "effective_from" in exc.message
    # CSV
    table = parse_table(f"date,start,minutes,category\n{day.isoformat()},09:00,30,admin\n", "t.csv")
    try:
        [draft] = drafts_from_table(store, table)
        assert inside and draft.start is not None
    except BadInput as exc:
        assert not inside and "Row 2" in exc.message
    # JSON (a summary handed in for a merge)
    summary = {"format": "carelog-summary", "version": 2, "contributor": "abc",
               "from": day.isoformat(), "to": day.isoformat(),
               "weeks": [{"week": "2026-W47", "start": day.isoformat(), "scheduled_min": 0,
                          "expected_min": 0, "target_min": 0, "ipc_in_hours_min": 0,
                          "ipc_after_hours_min": 0, "status": "no_target",
                          "blocks": {"booked_over_min": 0}}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(summary))
    try:
        read_summary(path)
        assert inside
    except BadInput as exc:
        assert not inside and "s.json" in exc.message
    # ICS: an event on that day, imported over a period that holds it when it can
    stamp = f"{day:%Y%m%d}T090000Z"
    cal = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
           f"DTSTART:{stamp}\r\nDURATION:PT30M\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    first = max(date(IN_RANGE[0], 1, 1), min(day, date(IN_RANGE[1], 12, 1)))
    try:
        plan = plan_ics(store, parse_calendar(cal, "c.ics"), first, first + timedelta(days=2))
        assert all(d.start is None or inside for d in plan.drafts)
    except BadInput as exc:
        assert "c.ics" in exc.message


# ----------------------------------------------------------------------------- (13) exit 2

def _import_one_row(cli: Cli, tmp_path: Path, name: str, row: str) -> CliResult:
    """Import a CSV file of one row (date, start, minutes, category) named `name`."""
    path = tmp_path / name
    path.write_text(f"date,start,minutes,category\n{row}\n")
    return cli("import", "csv", str(path))


@pytest.mark.parametrize("minutes", ["nan", "inf", "-inf", "1e309", "NaN", "1e3", "0x10",
                                     "30.5", "99999999999999999999"])
def test_csv_minutes_that_are_not_whole_numbers_are_refused(
        minutes: str, cli: Cli, db_path: Path, tmp_path: Path) -> None:
    r = _import_one_row(cli, tmp_path, "m.csv", f"2026-11-16,09:00,{minutes},documentation")
    assert r.status == 2
    assert "Row 2 of m.csv" in one_line(r)
    assert _entries(db_path) == 0


@pytest.mark.parametrize("day", ["1899-12-31", "2200-01-01", "0001-01-01", "12/31/1899",
                                 "31/12/2200"])
def test_csv_dates_outside_the_years_carelog_handles_are_refused(
        day: str, cli: Cli, db_path: Path, tmp_path: Path) -> None:
    r = _import_one_row(cli, tmp_path, "d.csv", f"{day},09:00,30,documentation")
    assert r.status == 2
    assert "Row 2 of d.csv" in one_line(r) and "1900" in r.err
    assert _entries(db_path) == 0


def test_nesting_five_thousand_deep_is_refused(cli: Cli, tmp_path: Path) -> None:
    toml = tmp_path / "deep.toml"
    toml.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    r = cli("schedule", "set", str(toml))
    assert r.status == 2 and "deep.toml" in one_line(r)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    r = cli("merge", str(deep), "--out", str(tmp_path / "m.json"))
    assert r.status == 2 and "deep.json" in one_line(r)
    assert not (tmp_path / "m.json").exists()


def test_merge_refuses_numbers_json_cannot_hold(cli: Cli, tmp_path: Path) -> None:
    week = ('{"week": "2026-W47", "start": "2026-11-16", "scheduled_min": 2400, '
            '"expected_min": 2400, "target_min": 450, "ipc_in_hours_min": VALUE, '
            '"ipc_after_hours_min": 0, "status": "met", "blocks": {"booked_over_min": 0}}')
    for value in ("NaN", "Infinity", "-Infinity", "1e400", "9" * 5000):
        path = tmp_path / "in.json"
        path.write_text('{"format": "carelog-summary", "version": 2, "contributor": "c1", '
                        '"from": "2026-11-16", "to": "2026-11-22", "weeks": ['
                        + week.replace("VALUE", value) + "]}")
        r = cli("merge", str(path), "--out", str(tmp_path / "m.json"))
        assert r.status == 2 and "in.json" in one_line(r), value
        assert not (tmp_path / "m.json").exists()


LONG = "x" * 300


@pytest.mark.parametrize("args", [
    ["import", "csv", f"{LONG}.csv"], ["import", "ics", f"{LONG}.ics"],
    ["schedule", "set", f"{LONG}.toml"], ["merge", f"{LONG}.json", "--out", "m.json"],
    ["export", "--week", "2026-W47", "--format", "json", "--out", f"{LONG}.json"],
    ["backup", "--to", f"{LONG}.db"], ["restore", f"{LONG}.db"],
    ["--db", f"{LONG}.db", "list"]])
def test_file_names_over_255_bytes_are_one_sentence(args: list[str], cli: Cli,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli(*args)
    assert r.status == 2, r.err
    one_line(r)
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []


# ----------------------------------------------------------------------------- (11) files

@pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX files")
@pytest.mark.parametrize("kind", ["ics", "csv"])
def test_devices_and_fifos_are_refused_before_reading(kind: str, cli: Cli, db_path: Path,
                                                       tmp_path: Path) -> None:
    fifo = tmp_path / f"pipe.{kind}"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo)):
        r = cli("import", kind, source)
        assert r.status == 2, (source, r.err)
        assert "not a file" in one_line(r)
    for args in (["schedule", "set", str(fifo)], ["merge", str(fifo), "--out", "m.json"],
                 ["restore", str(fifo)], ["restore", "/dev/zero"]):
        r = cli(*args)
        assert r.status == 2, (args, r.err)
        one_line(r)


@pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX files")
def test_a_device_or_fifo_as_the_database_is_refused_and_never_changed(tmp_path: Path) -> None:
    from carelog.core.cli.main import main

    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    os.chmod(fifo, 0o644)
    null_mode = os.stat("/dev/null").st_mode
    for db in (str(fifo), "/dev/null"):
        assert main(["--db", db, "list"]) == 2
    assert stat.S_IMODE(os.stat(fifo).st_mode) == 0o644
    assert os.stat("/dev/null").st_mode == null_mode
    assert sorted(os.listdir(tmp_path)) == ["pipe.db"]


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX files")
def test_a_backup_never_replaces_a_device_or_a_pipe(cli: Cli, tmp_path: Path) -> None:
    assert cli("add", "admin", "--start", "2026-11-16 09:00", "--minutes", "10").status == 0
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    r = cli("backup", "--to", str(fifo))
    assert r.status == 2 and "pipe" in one_line(r)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_bad_stored_escalation_or_capacity_count_is_skipped_and_reported(
        cli: Cli, db_path: Path, tmp_path: Path) -> None:
    assert cli("schedule", "set", str(_schedule(tmp_path, '"2026-01-05"'))).status == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO escalations(day, start_minute, told_utc, to_role, how, asked, "
                     "response, resolved, note, created) VALUES ('2026-11-17', NULL, 1795000000, "
                     "'manager', 'shouting', 'coverage', 'none', 0, '', 'x')")
        conn.execute("INSERT INTO capacity(day, caseload, return_not_offered) VALUES "
                     "('2026-11-17 or so', 5, NULL)")
    r = cli("summary", "--week", "2026-W47")
    assert r.status == 0 and "skipped" in r.err
    r = cli("check")
    assert r.status == 1 and "escalation" in r.out and "capacity" in r.out


# ----------------------------------------------------------------------------- merge fields

def _merge_week() -> dict[str, object]:
    """A version 2 week with every field merge reads (and a few it passes over)."""
    from tests.core.test_honest_reports import week

    data = week()
    data.update({"flexible_min": 30, "days_without_break": 1,
                 "flexible": {"so_far_min": 0, "ipc_min": 20, "direct_min": 10, "other_min": 0,
                              "unlogged_min": 0},
                 "escalations": {"count": 2, "responded": 1, "resolved": 0},
                 "capacity": {"caseload": 40, "return_not_offered": "<11", "new_visits": 3,
                              "return_visits": 25}})
    return data


def _paths(value: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, (*prefix, k))] or [prefix]
    return [prefix]


_WEEK_PATHS = _paths(_merge_week())
_WILD = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "<11", "met", "2026-W47",
                     "0001-01-01", "2026-11-16", "urgent_overflow"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2))


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(_WEEK_PATHS), value=_WILD)
def test_every_merge_field_is_checked_and_nothing_else_escapes(
        tmp_path: Path, where: tuple[str, ...], value: object) -> None:
    """Any value in any field of a week: read and merged, or refused naming the file."""
    from carelog.core.exporting.merge import merge, render_clinic

    data = _merge_week()
    node: dict[str, object] = data
    for key in where[:-1]:
        node = node[key]  # type: ignore[assignment]
    node[where[-1]] = value
    body = {"format": "carelog-summary", "version": 2, "contributor": "c1",
            "from": "2026-11-16", "to": "2026-11-22", "weeks": [data]}
    path = tmp_path / "one.json"
    # Python's JSON writes NaN and Infinity as the bare words a hostile file would hold.
    path.write_text(json.dumps(body, default=str))
    try:
        read_summary(path)
    except BadInput as exc:
        assert "one.json" in exc.message
        return
    clinic = merge([path] * 1, min_clinicians=1)
    text = render_clinic(clinic, "json").decode()
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)
