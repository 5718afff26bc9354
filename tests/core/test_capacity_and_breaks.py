"""Meal breaks and capacity counts (DESIGN §2.5): the week's numbers, their checks, and how
committee exports and the clinic roll-up show them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from carelog.core.domain.models import CapacityObservation
from carelog.core.domain.timeutil import Period, parse_week
from carelog.core.exporting.merge import count_median
from carelog.core.ledger.load import load_ledger
from carelog.core.ledger.week import WeekRecord
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting

from tests.conftest import Add, CliResult, pdf_text
from tests.core.test_honest_reports import summary_file, week

Cli = Callable[..., CliResult]


def one_week(store: Store, label: str = "2026-W47") -> WeekRecord:
    monday = parse_week(label)
    return load_ledger(store, Period.covering(monday, monday)).weeks[0]


# ----------------------------------------------------------------------------- meal breaks

def test_days_without_a_meal_break(scheduled_store: Store, add: Add) -> None:
    add("individual", "2026-11-16 09:00", "09:50")
    add("break", "2026-11-16 12:30", "12:45")
    add("break", "2026-11-16 12:45", "13:00")      # touching: one 30-minute break
    add("individual", "2026-11-17 09:00", "09:50")
    add("break", "2026-11-17 12:00", "12:20")
    add("break", "2026-11-17 14:00", "14:20")      # two short breaks are not a meal break
    add("individual", "2026-11-18 09:00", "09:50")  # no break at all
    add("break", "2026-11-19 12:00", "13:00")      # a break but no work: not a working day
    add("documentation", "2026-11-21 10:00", "11:00")  # Saturday is not a scheduled day
    w = one_week(scheduled_store)
    assert w.dates_without_break == [date(2026, 11, 17), date(2026, 11, 18)]
    assert w.days_without_break == 2
    # The length is a setting: with 20 minutes, Tuesday's breaks are meal breaks.
    scheduled_store.set_setting(Setting.MEAL_BREAK_MIN, "20")
    assert one_week(scheduled_store).dates_without_break == [date(2026, 11, 18)]


def test_today_is_not_judged_before_it_is_over(scheduled_store: Store, add: Add) -> None:
    # Now is Tuesday 1 December 2026, noon: Monday is over, Tuesday is not.
    add("individual", "2026-11-30 09:00", "09:50")
    add("individual", "2026-12-01 09:00", "09:50")
    assert one_week(scheduled_store, "2026-W49").dates_without_break == [date(2026, 11, 30)]


def test_a_whole_day_of_leave_is_not_a_working_day(scheduled_store: Store, cli: Cli,
                                                   add: Add) -> None:
    cli("leave", "add", "2026-11-16")
    add("messages", "2026-11-16 10:00", "10:30")
    assert one_week(scheduled_store).days_without_break == 0


# ----------------------------------------------------------------------------- capacity

def capacity_week(store: Store, add: Add) -> None:
    """2026-W47: one intake and four other appointments; counts on Monday and Thursday."""
    add("intake", "2026-11-16 09:00", "09:50")
    add("individual", "2026-11-16 10:00", "10:50")
    add("individual", "2026-11-17 10:00", "10:50")
    add("group", "2026-11-18 13:00", "14:30")
    add("urgent", "2026-11-19 15:00", "15:30")
    store.log_capacity(CapacityObservation(day=date(2026, 11, 16), caseload=112,
                                           return_not_offered=3))
    store.log_capacity(CapacityObservation(day=date(2026, 11, 19), caseload=110,
                                           return_not_offered=4))


def test_weekly_capacity(scheduled_store: Store, add: Add) -> None:
    capacity_week(scheduled_store, add)
    w = one_week(scheduled_store)
    # The latest caseload (Thursday's), the returns not offered added up, intakes are new
    # visits and the other direct care return visits.
    assert w.capacity is not None
    assert w.capacity.to_json() == {"caseload": 110, "return_not_offered": 7,
                                       "new_visits": 1, "return_visits": 4}
    assert one_week(scheduled_store, "2026-W46").capacity is None  # not recorded


def test_capacity_through_the_command_line(scheduled_store: Store, cli: Cli) -> None:
    r = cli("capacity", "log", "2026-11-19", "--caseload", "118", "--return-not-offered", "12")
    assert r.status == 0 and "Numbers only" in r.out
    r = cli("capacity", "log", "2026-11-19", "--caseload", "120")  # replaces the date's counts
    assert r.status == 0
    data = json.loads(cli("summary", "--week", "2026-W47", "--format", "json").out)
    assert data["weeks"][0]["capacity"] == {"caseload": 120, "return_not_offered": None,
                                            "new_visits": 0, "return_visits": 0}
    assert data["totals"]["capacity"] == {"caseload": 120, "return_not_offered": None,
                                          "new_visits": 0, "return_visits": 0, "weeks": 1}


@pytest.mark.parametrize(("args", "message"), [
    (["--caseload", "-3"], "carelog: The caseload must be zero or more, not -3."),
    (["--caseload", "2001"], "carelog: The caseload must be at most 2,000, not 2,001."),
    (["--caseload", "90", "--return-not-offered", "-1"],
     "carelog: The return not offered must be zero or more, not -1."),
    (["--caseload", "90", "--return-not-offered", "5000"],
     "carelog: The return not offered must be at most 2,000, not 5,000."),
])
def test_absurd_counts_are_refused_and_nothing_changes(scheduled_store: Store, cli: Cli,
                                                       args: list[str], message: str) -> None:
    r = cli("capacity", "log", "2026-11-19", *args)
    assert r.status == 2 and r.err.strip() == message
    assert scheduled_store.capacity_between(date(2026, 1, 1), date(2026, 12, 31)) == []


def test_capacity_counts_from_1_to_10_are_suppressed_in_committee_exports(
        scheduled_store: Store, add: Add, cli: Cli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    capacity_week(scheduled_store, add)
    # W48: counts above 10 are shown as they are.
    scheduled_store.log_capacity(CapacityObservation(day=date(2026, 11, 23), caseload=108,
                                                     return_not_offered=14))
    out = tmp_path / "r.json"
    assert cli("export", "--from", "2026-11-16", "--to", "2026-11-29", "--out",
               str(out)).status == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    w47, w48 = data["weeks"]
    assert w47["capacity"] == {"caseload": 110, "return_not_offered": "<11", "new_visits": "<11",
                               "return_visits": "<11"}
    assert w48["capacity"] == {"caseload": 108, "return_not_offered": 14, "new_visits": 0,
                               "return_visits": 0}
    # Totals: a sum that would give back a suppressed week by subtraction is withheld.
    assert data["totals"]["capacity"] == {"weeks": 2, "caseload": 108,
                                          "return_not_offered": "withheld",
                                          "new_visits": "withheld", "return_visits": "withheld"}

    csv_out = tmp_path / "r.csv"
    cli("export", "--from", "2026-11-16", "--to", "2026-11-29", "--out", str(csv_out))
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert [(r["capacity_caseload"], r["capacity_return_not_offered"],
             r["capacity_new_visits"], r["capacity_return_visits"]) for r in rows] == [
        ("110", "<11", "<11", "<11"), ("108", "14", "0", "0"),
        ("108", "withheld", "withheld", "withheld")]
    # No count from 1 to 10 appears anywhere in the capacity columns.
    for r in rows:
        for key in ("capacity_return_not_offered", "capacity_new_visits",
                    "capacity_return_visits"):
            assert r[key] not in {str(n) for n in range(1, 11)}

    text = pdf_text(monkeypatch, data)
    assert "patients not offered a return within the indicated interval withheld" in text
    assert "new visits withheld" in text
    for n in (3, 4, 7):
        assert f"interval {n}" not in text and f"visits {n}" not in text


def test_the_workload_report_suppresses_capacity_too(scheduled_store: Store, add: Add,
                                                     cli: Cli, tmp_path: Path) -> None:
    capacity_week(scheduled_store, add)
    from carelog.core.exporting.workload import workload_data

    report, _ = workload_data(scheduled_store, Period.covering(date(2026, 11, 16),
                                                               date(2026, 11, 16)))
    data = report.to_json()
    assert data["weeks"][0]["capacity"]["return_not_offered"] == "<11"
    assert data["weeks"][0]["direct_sessions"] == "<11"


# ----------------------------------------------------------------------------- roll-up

def with_capacity(caseload: Any, not_offered: Any = None, new: Any = 0,
                  returns: Any = 0) -> dict[str, Any]:
    w = week()
    w.update({"days_without_break": 1, "escalations": {"count": 1, "responded": 1,
                                                       "resolved": 0},
              "capacity": {"caseload": caseload, "return_not_offered": not_offered,
                           "new_visits": new, "return_visits": returns}})
    return w


def test_the_median_of_counts_reads_suppressed_ones_as_between_0_and_11() -> None:
    assert count_median([120, 95, 130]) == 120
    assert count_median([0, "<11", 14, 20]) == "<11"   # the lower middle is suppressed
    assert count_median(["<11", "<11", 30, 40, 50]) == 30
    assert count_median([4, 12, 3]) == "<11"           # a raw median from 1 to 10 is hidden
    assert count_median([0, 0, 12]) == 0


def test_roll_up_capacity_medians_need_the_minimum_of_clinicians(tmp_path: Path,
                                                                  cli: Cli) -> None:
    # Six clinicians contribute; five recorded capacity, four counted returns not offered.
    values = [(120, "<11", "<11", 14), (95, 12, 0, 22), (130, 15, 2, 25), (101, 30, "<11", 20),
              (88, None, 0, 19)]
    files = [summary_file(tmp_path, f"c{i}", [with_capacity(*v)]) for i, v in enumerate(values)]
    files.append(summary_file(tmp_path, "c5", [week()]))
    out = tmp_path / "clinic.json"
    r = cli("merge", *map(str, files), "--out", str(out))
    assert r.status == 0, r.err
    [w] = json.loads(out.read_text())["weeks"]
    # Caseloads 88 95 101 120 130 → 101; new visits 0 0 <11 <11 2 → the third sorted, 2 →
    # shown as <11; returns 14 19 20 22 25 → 20; only 4 counted returns not offered (< 5).
    assert w["capacity"] == {"clinicians": 5, "caseload_median": 101,
                             "return_not_offered_median": None, "new_visits_median": "<11",
                             "return_visits_median": 20}
    pdf = tmp_path / "clinic.pdf"
    assert cli("merge", *map(str, files), "--out", str(pdf)).status == 0
    # With six required, five recordings are too few.
    r = cli("merge", *map(str, files), "--out", str(out), "--min-clinicians", "6")
    assert json.loads(out.read_text())["weeks"][0]["capacity"] is None


@pytest.mark.parametrize(("change", "says"), [
    ({"capacity": {"caseload": 2001, "new_visits": 0, "return_visits": 0}},
     "weeks[0].capacity.caseload"),
    ({"capacity": {"caseload": "about 90", "new_visits": 0, "return_visits": 0}},
     "weeks[0].capacity.caseload"),
    ({"capacity": {"caseload": 90, "return_not_offered": -1, "new_visits": 0,
                   "return_visits": 0}}, "weeks[0].capacity.return_not_offered"),
    ({"escalations": {"count": 1, "responded": 2, "resolved": 0}},
     "weeks[0].escalations.responded"),
    ({"days_without_break": 8}, "weeks[0].days_without_break"),
    ({"flexible_min": -1}, "weeks[0].flexible_min"),
])
def test_the_new_week_fields_are_checked_in_a_merge(tmp_path: Path, cli: Cli,
                                                    change: dict[str, Any], says: str) -> None:
    w = week()
    w.update(change)
    files = [summary_file(tmp_path, "odd", [w])]
    r = cli("merge", *map(str, files), "--out", str(tmp_path / "clinic.json"))
    assert r.status == 2
    assert r.err.startswith(f"carelog: The file odd.json has a bad value at {says}")
