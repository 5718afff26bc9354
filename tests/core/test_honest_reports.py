"""Committee reports of finished weeks, and a roll-up that cannot single anyone out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from carelog.core.exporting.clinic_rollup import ClinicRollup
from carelog.core.exporting.committee import SUPPRESSED, WITHHELD, suppress, suppress_total
from carelog.core.exporting.merge import DOMINANCE_SHARE, merge
from carelog.core.exporting.text import clinic_headline
from carelog.core.store.database import Store
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Add, CliResult

Cli = Callable[..., CliResult]
# The suite's "now" is Tuesday 1 December 2026, noon in Los Angeles (tests/conftest.py).


def test_a_month_export_on_its_first_day_is_refused(scheduled_store: Store, add: Add,
                                                     cli: Cli, tmp_path: Path) -> None:
    add("documentation", "2026-11-30 09:00", "10:00")
    out = tmp_path / "december.json"
    r = cli("export", "--month", "2026-12", "--format", "json", "--out", str(out))
    assert r.status == 2
    assert r.err == ("carelog: December 2026 (weeks W49–W53, 30 Nov 2026 – 3 Jan 2027) is not "
                     "over yet; the last complete week is 2026-W48 (23–29 Nov 2026). Export up "
                     "to that week, or add --include-current to export the weeks so far, "
                     "marked as in progress.\n")
    assert not out.exists()


def test_the_weeks_so_far_are_exported_when_asked_and_marked(scheduled_store: Store, add: Add,
                                                             cli: Cli, tmp_path: Path) -> None:
    add("documentation", "2026-11-30 09:00", "10:00")
    add("documentation", "2026-12-02 09:00", "10:00")   # tomorrow: planned, counts nowhere
    out = tmp_path / "december.json"
    r = cli("export", "--month", "2026-12", "--include-current", "--format", "json",
            "--out", str(out))
    assert r.status == 0, r.err
    data = json.loads(out.read_text())
    assert data["version"] == 2
    [w] = data["weeks"]  # the weeks not begun are left out
    assert (w["week"], w["complete"], w["status"]) == ("2026-W49", False, "in_progress")
    # Monday 480 + Tuesday 08:30–12:00 (210) expected by now: 0.1875 × 690 = 129.4 -> 129.
    assert (w["expected_so_far_min"], w["target_so_far_min"], w["ipc_in_hours_min"]) == \
        (690, 129, 60)
    t = data["totals"]
    assert (t["weeks"], t["weeks_left_out"], t["ipc_in_hours_min"], t["attainment"]) == \
        (0, 1, 0, None)
    assert (data["from"], data["to"]) == ("2026-11-30", "2026-12-06")


def test_a_period_that_has_not_begun_is_refused_even_so_far(scheduled_store: Store,
                                                            cli: Cli, tmp_path: Path) -> None:
    r = cli("export", "--month", "2027-01", "--include-current", "--format", "json",
            "--out", str(tmp_path / "x.json"))
    assert r.status == 2
    assert "has not begun yet; the last complete week is 2026-W48" in r.err


def test_a_finished_month_exports_without_a_word_about_it(scheduled_store: Store, add: Add,
                                                          cli: Cli, tmp_path: Path) -> None:
    add("documentation", "2026-11-17 16:00", "17:00")
    out = tmp_path / "november.json"
    assert cli("export", "--month", "2026-11", "--format", "json", "--out", str(out)).status == 0
    data = json.loads(out.read_text())
    assert [w["week"] for w in data["weeks"]] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert all(w["complete"] for w in data["weeks"])
    assert (data["totals"]["weeks"], data["totals"]["weeks_left_out"]) == (4, 0)


@pytest.mark.parametrize(("flag", "value", "first", "last"), [
    ("--quarter", "2026-Q3", "2026-06-29", "2026-09-27"),
    ("--year", "2025", "2024-12-30", "2025-12-28"),
])
def test_quarters_and_years_are_iso_weeks_by_their_thursday(
        scheduled_store: Store, cli: Cli, flag: str, value: str, first: str, last: str) -> None:
    r = cli("summary", flag, value, "--format", "json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert (data["from"], data["to"]) == (first, last)


# ------------------------------------------------------------------ complementary suppression

def test_the_subtraction_attack_on_a_personal_export_finds_nothing(
        scheduled_store: Store, add: Add, cli: Cli, tmp_path: Path) -> None:
    # W46: 12 sessions (shown), W47: 5 sessions (suppressed), W48: 15 sessions (shown).
    for day, n in (("2026-11-09", 12), ("2026-11-16", 5), ("2026-11-23", 15)):
        for i in range(n):
            hour = 8 + i // 2
            minute = "00" if i % 2 == 0 else "30"
            add("individual", f"{day} {hour:02d}:{minute}", f"{hour:02d}:{int(minute) + 25}")
    out = tmp_path / "three.json"
    assert cli("export", "--from", "2026-11-09", "--to", "2026-11-29", "--format", "json",
               "--out", str(out)).status == 0
    data = json.loads(out.read_text())
    assert [w["direct_sessions"] for w in data["weeks"]] == [12, SUPPRESSED, 15]
    # An exact total (32) would give the 5 back as 32 − 12 − 15.
    assert data["totals"]["direct_sessions"] == WITHHELD
    csv_out = tmp_path / "three.csv"
    assert cli("export", "--from", "2026-11-09", "--to", "2026-11-29", "--format", "csv",
               "--out", str(csv_out)).status == 0
    total_row = csv_out.read_text(encoding="utf-8-sig").splitlines()[-1]
    assert ",withheld," in total_row and ",32," not in total_row


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=12))
def test_no_suppressed_weekly_count_can_be_computed_from_what_is_shown(counts: list[int]) -> None:
    shown = [suppress(c) for c in counts]
    total = suppress_total(counts)
    hidden = [i for i, s in enumerate(shown) if s == SUPPRESSED]
    if hidden:
        # The total is never an exact number while a week is hidden, so no subtraction works.
        assert not isinstance(total, int)
    if isinstance(total, int):
        assert all(isinstance(s, int) for s in shown) and total == sum(counts)


# ------------------------------------------------------------------ the clinic roll-up

def summary_file(folder: Path, name: str, weeks: list[dict[str, Any]],
                 contributor: str | None = None, version: int = 2) -> Path:
    data = {"format": "carelog-summary", "version": version,
            "contributor": contributor or name.replace("-", ""), "display_name": None,
            "from": "2026-11-16", "to": "2026-11-22", "exported_at": "2026-11-30T10:00:00Z",
            "contract": {"rule": "percent", "rate": 0.2, "full_time_h": 40},
            "weeks": weeks, "totals": {}}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def week(ipc: int = 300, after: int = 0, booked: int = 0, status: str | None = None,
         target: int = 450, complete: bool = True, reasons: dict[str, int] | None = None,
         label: str = "2026-W47", start: str = "2026-11-16") -> dict[str, Any]:
    attainment = round(ipc / target, 3) if target else None
    if status is None:
        status = "no_target" if not target else \
            "met" if ipc >= target else "partly_met" if ipc >= 0.75 * target else "not_met"
    return {"week": label, "start": start, "complete": complete, "scheduled_min": 2400,
            "leave_min": 0, "expected_min": 2400, "target_min": target,
            "ipc_in_hours_min": ipc, "ipc_after_hours_min": after, "after_hours_min": after,
            "direct_min": 1500, "other_min": 100, "break_min": 0, "attainment": attainment,
            "shortfall_min": max(0, target - ipc), "status": status, "by_category_min": {},
            "blocks": {"count": 1, "scheduled_min": 60, "honored_min": 0,
                       "booked_over_min": booked, "diverted_min": 0, "break_min": 0,
                       "unlogged_min": 0, "reasons": reasons or {}, "escalated": 0},
            "access_days": None}


def test_one_real_export_and_four_empty_ones_are_suppressed(tmp_path: Path, cli: Cli) -> None:
    files = [summary_file(tmp_path, "real", [week(ipc=200, after=340, booked=60,
                                                  reasons={"urgent_overflow": 2})])]
    files += [summary_file(tmp_path, f"empty-{i}", []) for i in range(2)]
    files += [summary_file(tmp_path, "leave-only", [week(ipc=0, target=0)])]
    files += [summary_file(tmp_path, "unfinished", [week(ipc=100, complete=False,
                                                         status="in_progress")])]
    out = tmp_path / "clinic.json"
    r = cli("merge", *map(str, files), "--out", str(out))
    assert r.status == 0, r.err
    clinic = json.loads(out.read_text())
    assert clinic["weeks"] == [{"week": "2026-W47", "start": "2026-11-16", "suppressed": True,
                                "clinicians": None}]
    assert (clinic["files"], clinic["clinicians"]) == (5, 1)
    text = out.read_text()
    assert "340" not in text and "urgent_overflow" not in text
    assert "4 of the 5 files held no complete week with a target" in r.out


def test_a_total_one_clinician_makes_up_most_of_is_withheld(tmp_path: Path) -> None:
    # Four clinicians who worked no evenings and one who worked 300 minutes of them: the
    # week's after-hours total would be the fifth clinician's own figure.
    files = [summary_file(tmp_path, f"quiet-{i}", [week(ipc=400, after=0, booked=10)])
             for i in range(4)]
    files.append(summary_file(tmp_path, "busy", [week(ipc=200, after=300, booked=50,
                                                      reasons={"booked_routine": 3})]))
    clinic = merge(files)
    [w] = clinic["weeks"]
    assert (w["suppressed"], w["clinicians"]) == (False, 5)
    assert w["ipc_after_hours_total_min"] is None
    assert w["ipc_after_hours_per_fte_total_min"] is None
    assert w["booked_over_min"] == 90          # 50 of 90 is not most of it: shown
    assert w["reasons"] == {"booked_routine": None}
    assert set(w["withheld"]) == {"ipc_after_hours_total_min",
                                  "ipc_after_hours_per_fte_total_min", "reasons.booked_routine"}
    assert "withheld" in clinic_headline(ClinicRollup.of(clinic))
    assert "300" not in json.dumps(clinic)


def test_version_1_files_still_merge(tmp_path: Path) -> None:
    old = [{k: v for k, v in week(ipc=450).items() if k != "complete"} for _ in range(1)]
    files = [summary_file(tmp_path, f"old-{i}", old, version=1) for i in range(5)]
    [w] = merge(files)["weeks"]
    assert (w["suppressed"], w["clinician_weeks_met"]) == (False, 5)


@pytest.mark.parametrize(("raw", "says"), [
    ('{"format": "carelog-summary", "version": 2, "weeks": [NaN]}',
     "holds a number Carelog cannot accept"),
    ('{"format": "carelog-summary", "version": 2, "x": Infinity}',
     "holds a number Carelog cannot accept"),
    ('{"format": "carelog-summary", "version": 2, "x": 1e309}',
     "holds a number Carelog cannot accept"),
    ('{"format": "carelog-summary", "version": 2, "x": ' + "9" * 5000 + "}",
     "holds a number Carelog cannot accept"),
    ('{"format": "carelog-summary", "version": 2, "x": ' + "[" * 5000 + "]" * 5000 + "}",
     "is nested too deeply"),
])
def test_hostile_numbers_and_nesting_are_refused_naming_the_file(
        tmp_path: Path, cli: Cli, raw: str, says: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(raw, encoding="utf-8")
    out = tmp_path / "clinic.json"
    r = cli("merge", str(bad), "--out", str(out))
    assert r.status == 2
    assert r.err.startswith("carelog: The file bad.json ") and says in r.err
    assert r.err.count("\n") == 1 and not out.exists()


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "1e309", "1.5E+400", "[2e999]",
                                   "9" * 400 + ".5", "-" + "9" * 5000])
def test_a_hostile_number_anywhere_in_a_good_file_is_refused(tmp_path: Path, cli: Cli,
                                                             value: str) -> None:
    # A file merge would accept, but for a number under a key it ignores: refused as ever.
    path = summary_file(tmp_path, "odd", [week()])
    text = path.read_text()
    path.write_text(text[:-1] + f', "ignored": {{"deep": [1, {value}]}}}}', encoding="utf-8")
    r = cli("merge", str(path), "--out", str(tmp_path / "clinic.json"))
    assert r.status == 2
    assert "holds a number Carelog cannot accept" in r.err


def test_the_roll_up_is_the_same_in_any_order_of_files(tmp_path: Path) -> None:
    import random

    files = [summary_file(tmp_path, f"c{i}", [week(ipc=100 + 37 * i, after=11 * i,
                                                   booked=3 * i,
                                                   reasons={"meeting": i % 3} if i % 2 else None),
                                              week(ipc=90 * i, label="2026-W48",
                                                   start="2026-11-23")])
             for i in range(9)]
    # Clinician 0 handed in an older export too, with other figures for both weeks.
    older = summary_file(tmp_path, "c0-older", [week(ipc=999), week(ipc=5, label="2026-W48",
                                                                    start="2026-11-23")],
                         contributor="c0")
    data = json.loads(older.read_text())
    data["exported_at"] = "2026-11-01T10:00:00Z"
    older.write_text(json.dumps(data), encoding="utf-8")
    # And one file begins with a byte-order mark, as some editors save it.
    files[3].write_bytes(b"\xef\xbb\xbf" + files[3].read_bytes())
    expected = merge([*files, older])
    rng = random.Random(4)
    for _ in range(5):
        shuffled = [*files, older]
        rng.shuffle(shuffled)
        assert merge(shuffled) == expected
    assert any("c0-older.json and c0.json" in n for n in expected["notes"])


@pytest.mark.parametrize(("field", "value", "says"), [
    ("ipc_in_hours_min", 10_081, "weeks[0].ipc_in_hours_min"),
    ("ipc_after_hours_min", -5, "weeks[0].ipc_after_hours_min"),
    ("attainment", 11.0, "weeks[0].attainment"),
    ("status", "splendid", "weeks[0].status"),
    ("week", "2026-W47; DROP", "weeks[0].week"),
])
def test_every_week_field_is_checked(tmp_path: Path, cli: Cli, field: str, value: object,
                                     says: str) -> None:
    w = week()
    w[field] = value
    files = [summary_file(tmp_path, "odd", [w])]
    r = cli("merge", *map(str, files), "--out", str(tmp_path / "clinic.json"))
    assert r.status == 2
    assert r.err.startswith(f"carelog: The file odd.json has a bad value at {says}: ")


def test_unknown_reason_codes_are_refused_and_free_text_never_passes(tmp_path: Path,
                                                                    cli: Cli) -> None:
    files = [summary_file(tmp_path, "odd", [week(reasons={"Maria Gonzalez": 1})])]
    r = cli("merge", *map(str, files), "--out", str(tmp_path / "clinic.json"))
    assert r.status == 2
    assert "weeks[0].blocks.reasons" in r.err and "is not a reason Carelog knows" in r.err
    named = [summary_file(tmp_path, f"named-{i}", [week()]) for i in range(5)]
    for path in named:
        data = json.loads(path.read_text())
        data["display_name"] = "Dr. Secret Name"
        path.write_text(json.dumps(data))
    out = tmp_path / "clinic.json"
    assert cli("merge", *map(str, named), "--out", str(out)).status == 0
    assert "Secret" not in out.read_text()


clinician_weeks = st.builds(
    lambda ipc, after, booked, has_target, complete: week(
        ipc=ipc, after=after, booked=booked, target=450 if has_target else 0,
        complete=complete, status=None if complete else "in_progress"),
    st.integers(0, 900), st.integers(0, 600), st.integers(0, 120), st.booleans(),
    st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(clinician_weeks, max_size=1), min_size=1, max_size=9),
       st.integers(1, 6))
def test_no_roll_up_cell_singles_anyone_out(tmp_path_factory: pytest.TempPathFactory,
                                            people: list[list[dict[str, Any]]],
                                            minimum: int) -> None:
    folder = tmp_path_factory.mktemp("rollup")
    files = [summary_file(folder, f"p{i}", weeks) for i, weeks in enumerate(people)]
    clinic = merge(files, minimum)
    counted = [w[0] for w in people if w and w[0]["complete"] and w[0]["target_min"]]
    for w in clinic["weeks"]:
        if w["suppressed"]:
            assert len(counted) < minimum
            assert set(w) == {"week", "start", "suppressed", "clinicians"}
            continue
        assert w["clinicians"] == len(counted) >= minimum
        for name, parts in (("ipc_after_hours_total_min",
                             [c["ipc_after_hours_min"] for c in counted]),
                            ("booked_over_min", [c["blocks"]["booked_over_min"] for c in counted])):
            dominated = sum(parts) > 0 and max(parts) > DOMINANCE_SHARE * sum(parts)
            assert (w[name] is None) == dominated
            if w[name] is not None:
                assert w[name] == sum(parts)
