"""Committee exports and the clinic roll-up: what they hold, and what they never hold."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from carelog.core.exporting.committee import CSV_TRIGGERS, csv_unescape, to_csv_bytes
from carelog.core.exporting.committee_report import CommitteeReport
from carelog.core.exporting.merge import merge
from carelog.core.store.database import Store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Add, CliResult, entry_stamps, pdf_text

Cli = Callable[..., CliResult]
SECRETS = ["Maria Gonzalez", "415-555-0199", "MRN 00482913", "maria@example.org", "Jonah",
           "0048291377"]


@pytest.fixture
def sensitive(scheduled_store: Store, add: Add) -> Store:
    """A week whose notes hold the kind of things that must never leave the machine."""
    add("individual", "2026-11-16 09:00", "09:50", note="Maria Gonzalez follow-up")
    add("messages", "2026-11-16 09:50", "10:05", note="called back 415-555-0199")
    add("safety_mandated", "2026-11-16 10:05", "10:35", note="CPS report re Jonah, MRN 00482913")
    add("safety_mandated", "2026-11-17 11:00", "11:20", note="welfare check maria@example.org")
    add("documentation", "2026-11-17 16:00", "17:00", note="chart 0048291377")
    add("individual", "2026-11-18 13:00", "13:50")
    return scheduled_store


def test_no_patient_information_in_any_format(sensitive: Store, cli: Cli, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = {}
    for fmt in ("json", "csv", "pdf"):
        out = tmp_path / f"report.{fmt}"
        r = cli("export", "--week", "2026-W47", "--format", fmt, "--out", str(out))
        assert r.status == 0, r.err
        outputs[fmt] = out.read_bytes()
    data = json.loads(outputs["json"])
    texts = {"json": outputs["json"].decode("utf-8"), "csv": outputs["csv"].decode("utf-8-sig"),
             "pdf-text": pdf_text(monkeypatch, data)}
    stamps = entry_stamps(sensitive)
    for name, text in texts.items():
        notes = [e.note for e in sensitive.all_entries() if e.note]
        for secret in SECRETS + notes:
            assert secret not in text, (name, secret)
        for stamp in stamps:  # no entry timestamp, local or UTC or epoch
            assert stamp not in text, (name, stamp)
    for raw in outputs.values():
        for secret in SECRETS:
            assert secret.encode() not in raw


def test_event_counts_from_1_to_10_are_suppressed(sensitive: Store, cli: Cli,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    cli("export", "--week", "2026-W47", "--out", str(out))
    week = json.loads(out.read_text(encoding="utf-8"))["weeks"][0]
    assert (week["direct_sessions"], week["safety_events"]) == ("<11", "<11")
    # Blocks and reasons are about the clinician's schedule and are shown as they are.
    assert week["blocks"]["count"] == 1
    csv_out = tmp_path / "r.csv"
    cli("export", "--week", "2026-W47", "--out", str(csv_out))
    first = next(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert (first["direct_sessions"], first["safety_events"]) == ("<11", "<11")


def test_zero_and_large_counts_are_shown(scheduled_store: Store, add: Add, cli: Cli,
                                         tmp_path: Path) -> None:
    for day in (16, 17, 18):
        for hour in (8, 9, 10, 11):
            add("individual", f"2026-11-{day} {hour:02d}:30" if hour == 8 else
                f"2026-11-{day} {hour:02d}:00", f"{hour:02d}:50" if hour > 8 else "08:50")
    out = tmp_path / "r.json"
    cli("export", "--week", "2026-W47", "--out", str(out))
    week = json.loads(out.read_text(encoding="utf-8"))["weeks"][0]
    assert (week["direct_sessions"], week["safety_events"]) == (12, 0)


def test_csv_is_excel_friendly_and_matches_the_summary(sensitive: Store, cli: Cli,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    cli("export", "--week", "2026-W47", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["week"] for r in rows] == ["2026-W47", "total"]
    summary = json.loads(cli("summary", "--week", "2026-W47", "--format", "json").out)
    w = summary["weeks"][0]
    for key in ("target_min", "ipc_in_hours_min", "ipc_after_hours_min", "after_hours_min"):
        assert int(rows[0][key]) == w[key]
    assert rows[0]["status"] == w["status"]
    assert int(rows[0]["blocks_honored_min"]) == w["blocks"]["honored_min"]


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=30))
def test_csv_cells_never_start_a_formula_and_read_back(name: str) -> None:
    week = {"week": "2026-W47", "start": "2026-11-16", "scheduled_min": 2400, "leave_min": 0,
            "expected_min": 2400, "target_min": 450, "ipc_in_hours_min": 300,
            "ipc_after_hours_min": 60, "after_hours_min": 60, "direct_min": 1500,
            "other_min": 0, "break_min": 0, "attainment": 0.667, "shortfall_min": 150,
            "status": "not_met", "by_category_min": {"documentation": 300},
            "blocks": {"count": 1, "scheduled_min": 60, "honored_min": 0,
                       "booked_over_min": 60, "diverted_min": 0, "break_min": 0,
                       "unlogged_min": 0, "reasons": {"coverage": 1}, "escalated": 1},
            "access_days": 12, "direct_sessions": "<11", "safety_events": 0}
    data = {"contributor": name or "c", "display_name": name, "weeks": [week],
            "totals": dict(week, weeks_met=0, weeks_with_target=1)}
    text = to_csv_bytes(CommitteeReport.from_json(data)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(CSV_TRIGGERS)
    assert csv_unescape(rows[1][1]) == name
    assert csv_unescape(rows[1][0]) == (name or "c")


def test_export_to_a_missing_folder_is_refused(sensitive: Store, cli: Cli,
                                               tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.pdf"
    r = cli("export", "--week", "2026-W47", "--out", str(out))
    assert r.status == 2
    assert r.err.strip() == (f"carelog: The folder {out.parent} does not exist; choose an "
                             "existing folder for the export.")
    assert not out.parent.exists()


def test_failed_write_leaves_no_partial_file(sensitive: Store, cli: Cli, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    out = tmp_path / "r.csv"
    r = cli("export", "--week", "2026-W47", "--out", str(out))
    assert r.status == 1 and "no space left on device" in r.err
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_contributor_is_random_and_stable(sensitive: Store, cli: Cli, tmp_path: Path,
                                          db_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("export", "--week", "2026-W47", "--out", str(a))
    cli("export", "--week", "2026-W46", "--out", str(b))
    ca = json.loads(a.read_text())["contributor"]
    assert ca == json.loads(b.read_text())["contributor"]
    assert re.fullmatch(r"[0-9a-f]{16}", ca)
    assert json.loads(a.read_text())["display_name"] is None


# ----------------------------------------------------------------------------- merge

def clinician_file(folder: Path, n: int, attainment: float, status: str, after: int = 60,
                   exported: str = "2026-11-23T10:00:00Z", weeks: tuple[str, ...] = ("2026-W47",),
                   contributor: str | None = None) -> Path:
    monday = {"2026-W46": "2026-11-09", "2026-W47": "2026-11-16"}
    data = {
        "format": "carelog-summary", "version": 1, "contributor": contributor or f"c{n:04d}",
        "display_name": None, "from": "2026-11-09", "to": "2026-11-22", "exported_at": exported,
        "contract": {"rule": "percent", "rate": 0.2, "full_time_h": 40},
        "weeks": [{"week": w, "start": monday[w], "scheduled_min": 2400, "leave_min": 0,
                   "expected_min": 2400, "target_min": 450,
                   "ipc_in_hours_min": round(450 * attainment), "ipc_after_hours_min": after,
                   "after_hours_min": after, "direct_min": 1500, "other_min": 100,
                   "break_min": 0, "attainment": attainment, "shortfall_min": 0,
                   "status": status, "by_category_min": {},
                   "blocks": {"count": 2, "scheduled_min": 120, "honored_min": 60,
                              "booked_over_min": 60, "diverted_min": 0, "break_min": 0,
                              "unlogged_min": 0, "reasons": {"urgent_overflow": 1},
                              "escalated": 0},
                   "access_days": 12} for w in weeks],
        "totals": {},
    }
    path = folder / f"clinician-{n}-{exported[:10]}-{contributor or ''}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_merge_of_four_clinicians_is_all_suppressed(tmp_path: Path, cli: Cli) -> None:
    files = [clinician_file(tmp_path, i, 0.8, "partly_met") for i in range(4)]
    out = tmp_path / "clinic.json"
    r = cli("merge", *map(str, files), "--out", str(out))
    assert r.status == 0
    clinic = json.loads(out.read_text())
    assert [w["suppressed"] for w in clinic["weeks"]] == [True]
    assert set(clinic["weeks"][0]) == {"week", "start", "suppressed", "clinicians"}
    assert clinic["weeks"][0]["clinicians"] is None


def test_merge_statistics_by_hand(tmp_path: Path) -> None:
    atts = [(0.5, "not_met"), (0.8, "partly_met"), (1.0, "met"), (1.2, "met"),
            (0.6, "not_met")]
    files = [clinician_file(tmp_path, i, a, s, after=60 * (i + 1))
             for i, (a, s) in enumerate(atts)]
    clinic = merge(files)
    [w] = clinic["weeks"]
    assert w["clinicians"] == 5
    assert w["attainment_median"] == 0.8
    assert w["attainment_quartiles"] == (0.6, 1.0)
    assert (w["clinician_weeks_met"], w["clinician_weeks_with_target"], w["share_met"]) == \
        (2, 5, 0.4)
    assert w["ipc_after_hours_total_min"] == 60 + 120 + 180 + 240 + 300
    assert w["ipc_after_hours_per_fte_median_min"] == 180.0
    assert w["booked_over_min"] == 300
    assert w["reasons"] == {"urgent_overflow": 5}


def test_newest_export_wins_and_the_report_says_so(tmp_path: Path) -> None:
    files = [clinician_file(tmp_path, i, 1.0, "met") for i in range(5)]
    newer = clinician_file(tmp_path, 0, 0.5, "not_met", exported="2026-11-30T09:00:00Z",
                           contributor="c0000")
    clinic = merge([*files, newer])
    [w] = clinic["weeks"]
    assert w["clinicians"] == 5 and w["clinician_weeks_met"] == 4
    assert any("newer export" in n and newer.name in n for n in clinic["notes"])


@pytest.mark.parametrize(("content", "message"), [
    (b"this is not json", "is not valid JSON (line 1, column 1)"),
    (b'{"format": "carelog-summary", "version": 1, "weeks": [', "is cut short"),
    (b'{"format": "toggl-export", "version": 1}', "is not a Carelog summary: its format is "
                                                  "'toggl-export'"),
    (b'{"format": "carelog-summary", "version": 3}', "was written by a newer Carelog "
                                                     "(summary version 3)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "is not a Carelog summary: it is not text"),
])
def test_bad_merge_inputs_name_the_file_and_write_nothing(tmp_path: Path, cli: Cli,
                                                          content: bytes, message: str) -> None:
    good = [clinician_file(tmp_path, i, 1.0, "met") for i in range(5)]
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    out = tmp_path / "clinic.pdf"
    r = cli("merge", *map(str, good), str(bad), "--out", str(out))
    assert r.status == 2
    line = r.err.strip()
    assert line.startswith("carelog: The file bad.json ") and message in line
    assert "\n" not in line
    assert not out.exists()


def test_the_same_export_twice_is_refused(tmp_path: Path, cli: Cli) -> None:
    files = [clinician_file(tmp_path, i, 1.0, "met") for i in range(5)]
    copy = tmp_path / "copy.json"
    copy.write_bytes(files[0].read_bytes())
    out = tmp_path / "clinic.json"
    r = cli("merge", *map(str, files), str(copy), "--out", str(out))
    assert r.status == 2 and "copy.json is the same export as" in r.err
    assert not out.exists()


def test_clinic_pdf_is_written(tmp_path: Path, cli: Cli) -> None:
    files = [clinician_file(tmp_path, i, 0.5 + i / 10, "not_met", weeks=("2026-W46", "2026-W47"))
             for i in range(6)]
    out = tmp_path / "clinic.pdf"
    r = cli("merge", *map(str, files), "--out", str(out))
    assert r.status == 0, r.err
    assert out.read_bytes().startswith(b"%PDF")
    assert "2 of 2 weeks shown" in r.out


def test_period_dates_in_the_summary(sensitive: Store) -> None:
    from carelog.core.domain.timeutil import period_from_args
    from carelog.core.ledger.stored import summary

    data = summary(sensitive, period_from_args(week="2026-W47")).to_json()
    assert (data["from"], data["to"]) == ("2026-11-16", "2026-11-22")
    assert date.fromisoformat(data["weeks"][0]["start"]).weekday() == 0


def test_the_roll_up_sentence_speaks_of_suppression_only_when_a_week_was_suppressed() -> None:
    from carelog.core.exporting.merge import shown_sentence

    weeks = [{"suppressed": False}, {"suppressed": False}]
    assert shown_sentence({"weeks": weeks, "min_clinicians": 5}) == "2 of 2 weeks shown."
    weeks[1]["suppressed"] = True
    assert shown_sentence({"weeks": weeks, "min_clinicians": 5}) == (
        "1 of 2 weeks shown, the rest suppressed (fewer than 5 clinicians with a complete week "
        "and a target).")
