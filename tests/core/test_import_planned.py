"""Calendar imports up to today by default; later appointments are planned entries; a re-import
removes the planned entries of cancelled appointments, never a past one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.importing.calendar import plan_ics
from carelog.core.importing.plan import apply_plan
from carelog.core.store.database import Store

from tests.conftest import STANDARD_TOML, CliResult

Cli = Callable[..., CliResult]


def _week_of_sessions(path: Path, cancelled: tuple[str, ...] = (),
                      gone: tuple[str, ...] = ()) -> Path:
    """Sessions at 09:00 and 11:00 (Los Angeles) from Mon 30 Nov to Fri 4 Dec 2026."""
    events = []
    for day in range(30, 35):
        stamp = f"202611{day}" if day <= 30 else f"2026120{day - 30}"
        for hour in ("09", "11"):
            uid = f"{stamp}-{hour}"
            if uid in gone:
                continue
            status = "STATUS:CANCELLED\n" if uid in cancelled else ""
            events.append(f"BEGIN:VEVENT\nUID:{uid}@clinic\nSUMMARY:Session\n"
                          f"DTSTART;TZID=America/Los_Angeles:{stamp}T{hour}0000\n"
                          f"DTEND;TZID=America/Los_Angeles:{stamp}T{hour}5000\n{status}"
                          "END:VEVENT\n")
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\n" + "".join(events) + "END:VCALENDAR\n")
    return path


def _starts(cli: Cli) -> list[str]:
    return [e["start"] for e in json.loads(cli("list", "--format", "json").out)["entries"]]


def _setup(cli: Cli, tmp_path: Path) -> None:
    schedule = tmp_path / "s.toml"
    schedule.write_text(STANDARD_TOML)
    assert cli("schedule", "set", str(schedule)).status == 0


def test_future_appointments_are_planned_and_count_once_their_time_has_passed(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(cli, tmp_path)
    path = _week_of_sessions(tmp_path / "week.ics")
    # Now is Tuesday 1 December, noon: without --to only Monday and Tuesday morning come in.
    assert cli("import", "ics", str(path), "--from", "2026-11-30").status == 0
    assert _starts(cli) == ["2026-11-30 09:00", "2026-11-30 11:00", "2026-12-01 09:00",
                            "2026-12-01 11:00"]
    r = cli("import", "ics", str(path), "--from", "2026-11-30", "--to", "2026-12-04")
    assert r.status == 0 and "6 added" in r.out
    listed = cli("list").out
    assert listed.count("planned") == 6
    week = json.loads(cli("summary", "--week", "2026-W49", "--format", "json").out)["weeks"][0]
    assert week["direct_min"] == 4 * 50  # the four sessions that are over
    monkeypatch.setenv("CARELOG_NOW", "2026-12-05T12:00:00-08:00")  # Saturday: all have passed
    week = json.loads(cli("summary", "--week", "2026-W49", "--format", "json").out)["weeks"][0]
    assert week["direct_min"] == 10 * 50
    assert "planned" not in cli("list").out


def test_a_reimport_removes_planned_entries_of_cancelled_or_gone_events_in_one_step(
        cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    first = _week_of_sessions(tmp_path / "week.ics")
    period = ("--from", "2026-11-30", "--to", "2026-12-04")
    assert cli("import", "ics", str(first), *period).status == 0
    assert len(_starts(cli)) == 10
    # The clinic cancels Thursday 9:00, drops Friday 11:00, and (too late) Monday 9:00.
    second = _week_of_sessions(tmp_path / "week2.ics", cancelled=("20261203-09",),
                               gone=("20261204-11", "20261130-09"))
    preview = cli("import", "ics", str(second), *period, "--dry-run")
    assert preview.status == 0
    assert "2 planned to remove" in preview.out
    r = cli("import", "ics", str(second), *period)
    assert r.status == 0 and "2 planned entries removed" in r.out
    starts = _starts(cli)
    assert "2026-12-03 09:00" not in starts and "2026-12-04 11:00" not in starts
    assert "2026-11-30 09:00" in starts  # past entries are never removed by an import
    assert len(starts) == 8
    assert cli("undo").status == 0  # the whole import, removals included, is one step
    assert len(_starts(cli)) == 10


def test_removals_are_planned_again_when_the_log_changed_after_the_preview(
        store: Store, tmp_path: Path) -> None:
    store.save_schedule(parse_schedule_toml(STANDARD_TOML))
    first = _week_of_sessions(tmp_path / "week.ics")
    apply_plan(store, plan_ics(store, first, date(2026, 11, 30), date(2026, 12, 4)))
    second = _week_of_sessions(tmp_path / "week2.ics", gone=("20261204-09",))
    plan = plan_ics(store, second, date(2026, 11, 30), date(2026, 12, 4))
    assert len(plan.removals) == 1
    [gone] = plan.removals
    store.delete_entry(int(gone.id or 0), via=Via.CLI)  # removed by hand meanwhile
    result = apply_plan(store, plan)
    assert result.removed == 0 and store.count_entries() == 9
