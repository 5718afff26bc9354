"""The record a grievance can rely on: timeliness, seals, verify, amendments, check."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from carelog.core.domain.history import Action, Reason, ReasonCode, Via, parse_reason
from carelog.core.domain.seal import SealedEntry, canonical_form, seal_digest
from carelog.core.domain.timeutil import Period, parse_local, parse_week
from carelog.core.ledger.load import load_ledger
from carelog.core.ledger.record import timeliness_sentence
from carelog.core.store.database import Store

from tests.conftest import Add, CliResult, pdf_text

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[2]


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def at(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    """Do what follows at this moment (Los Angeles time)."""
    monkeypatch.setenv("CARELOG_NOW", f"{moment}:00-08:00".replace(" ", "T"))


# ----------------------------------------------------------------------------- the seal's form

VECTOR_W47 = (
    "carelog-seal-v1\n"
    "week 2026-W47\n"
    "span 2026-11-16T08:00:00Z 2026-11-23T08:00:00Z\n"
    "previous none\n"
    "entry 2026-11-16T17:00:00Z 2026-11-16T17:50:00Z individual\n"
    "entry 2026-11-16T17:50:00Z 2026-11-16T18:00:00Z documentation\n"
    "entry 2026-11-18T00:00:00Z 2026-11-18T00:30:00Z messages\n")
SEAL_W47 = "sha256:f96fe48a511ff33da35067e52cc5d0673beb7d41f8f7cf9d2aaad0a6092c7bc1"
SEAL_W48 = "sha256:ede1d3ed799c156a81c6ac9a8ec529e643792b28951e8b7dee67a35f40daf450"


def test_the_canonical_form_is_the_documented_test_vector() -> None:
    # Given out of order, with an id and an entry outside the week: neither changes the form.
    entries = [SealedEntry(utc("2026-11-18T00:00"), utc("2026-11-18T00:30"), "messages", 9),
               SealedEntry(utc("2026-11-16T17:50"), utc("2026-11-16T18:00"), "documentation"),
               SealedEntry(utc("2026-11-16T17:00"), utc("2026-11-16T17:50"), "individual", 3),
               SealedEntry(utc("2026-11-23T09:00"), utc("2026-11-23T10:00"), "group", 4)]
    start, end = utc("2026-11-16T08:00"), utc("2026-11-23T08:00")
    assert canonical_form("2026-W47", start, end, None, entries).decode() == VECTOR_W47
    assert seal_digest("2026-W47", start, end, None, entries) == SEAL_W47
    nxt = [SealedEntry(utc("2026-11-24T00:00"), utc("2026-11-24T00:50"), "group")]
    assert seal_digest("2026-W48", end, utc("2026-11-30T08:00"), SEAL_W47, nxt) == SEAL_W48
    docs = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    assert VECTOR_W47 in docs
    assert SEAL_W47 in docs and SEAL_W48 in docs


def test_a_reason_is_a_category_and_private_words() -> None:
    assert parse_reason("correction: session ended early") == Reason(
        ReasonCode.CORRECTION, "session ended early")
    assert parse_reason("Missed") == Reason(ReasonCode.MISSED, "")
    assert parse_reason("forgot Friday") == Reason(ReasonCode.OTHER, "forgot Friday")
    assert parse_reason(None) is None


# ----------------------------------------------------------------------------- timeliness

def test_a_timeliness_split_computed_by_hand(scheduled_store: Store,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    s = scheduled_store

    def log(moment: str, category: str, start: str, end: str) -> int:
        at(monkeypatch, moment)
        [e] = s.add_entry(category, parse_local(start, s.tz), parse_local(end, s.tz),
                          via=Via.WINDOW)
        return int(e.id or 0)

    # Week 2026-W47, Monday 16 to Sunday 22 November, in Los Angeles.
    log("2026-11-16 18:00", "individual", "2026-11-16 09:00", "2026-11-16 09:50")  # 50 same day
    log("2026-11-19 09:00", "documentation", "2026-11-17 10:00", "2026-11-17 10:30")  # 30 week
    # Across midnight, recorded Thursday morning: Wednesday's 30 within a week, Thursday's 30
    # the same day.
    log("2026-11-19 08:00", "messages", "2026-11-18 23:30", "2026-11-19 00:30")
    log("2026-12-01 09:00", "meeting", "2026-11-20 14:00", "2026-11-20 15:00")  # 60 later
    # Planned on Monday for Thursday afternoon: recorded before it happened, so the same day.
    log("2026-11-16 08:00", "documentation", "2026-11-19 16:00", "2026-11-19 16:30")
    # Saturday 20 minutes recorded that day, made 40 minutes on 1 December: 20 same, 20 later.
    late_longer = log("2026-11-21 11:00", "messages", "2026-11-21 10:00", "2026-11-21 10:20")
    # Tuesday, recorded that day and lengthened on Friday (within a week): 45 same day.
    soon_longer = log("2026-11-17 14:00", "admin", "2026-11-17 13:00", "2026-11-17 13:30")
    # Recorded the same day, its category changed on 1 December: all 20 minutes later.
    recategorised = log("2026-11-16 12:00", "messages", "2026-11-16 11:00", "2026-11-16 11:20")
    # Recorded the same day, deleted by mistake on 1 December and brought back: 10 same day.
    restored = log("2026-11-17 16:00", "training", "2026-11-17 15:00", "2026-11-17 15:10")

    at(monkeypatch, "2026-11-20 09:00")
    s.edit_entry(soon_longer, end=parse_local("2026-11-17 13:45", s.tz), via=Via.CLI)
    at(monkeypatch, "2026-12-01 10:00")
    s.edit_entry(late_longer, end=parse_local("2026-11-21 10:40", s.tz), via=Via.TIMELINE)
    s.edit_entry(recategorised, category="documentation", via=Via.WINDOW)
    s.delete_entry(restored, via=Via.WINDOW)
    s.undo()

    w = load_ledger(s, Period(parse_week("2026-W47"), parse_week("2026-W48")),
                    now=parse_local("2026-12-01 12:00", s.tz)).weeks[0]
    same = 50 + 30 + 30 + 20 + 45 + 10
    within = 30 + 30
    later = 60 + 20 + 20
    assert w.recorded.to_json() == {"same_day_min": same, "within_7_days_min": within,
                                       "later_min": later}
    assert w.recorded.total == w.logged_min == 345
    assert timeliness_sentence(w.recorded) == (
        "54 % of logged minutes were recorded the same day, 17 % within a week, 29 % later.")


def test_the_summary_states_timeliness_in_one_line(scheduled_store: Store, add: Add,
                                                   cli: Cli) -> None:
    add("documentation", "2026-11-16 09:00", "10:00")
    r = cli("summary", "--week", "2026-W47")
    assert r.status == 0
    assert ("0 % of logged minutes were recorded the same day, 0 % within a week, 100 % later."
            in r.out.splitlines())
    data = json.loads(cli("summary", "--week", "2026-W47", "--format", "json").out)
    assert data["weeks"][0]["recorded"] == {"same_day_min": 0, "within_7_days_min": 0,
                                            "later_min": 60}
    assert data["totals"]["recorded"]["later_min"] == 60
    assert "seal" not in data["weeks"][0]


# ----------------------------------------------------------------------------- seals and verify

@pytest.fixture
def november(scheduled_store: Store, add: Add) -> Store:
    """Two weeks of a log: W46 and W47 of November 2026."""
    add("individual", "2026-11-10 09:00", "09:50")
    add("documentation", "2026-11-10 09:50", "10:20")
    add("individual", "2026-11-17 09:00", "09:50")
    add("documentation", "2026-11-17 16:00", "17:00")
    add("messages", "2026-11-18 13:00", "13:20")
    return scheduled_store


def export_json(cli: Cli, out: Path, *period: str) -> dict[str, object]:
    r = cli("export", *(period or ("--from", "2026-11-09", "--to", "2026-11-22")), "--out",
            str(out))
    assert r.status == 0, r.err
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


def entry_at(store: Store, start: str) -> int:
    instant = parse_local(start, store.tz)
    return next(int(e.id or 0) for e in store.all_entries() if e.start == instant)


def test_an_export_seals_its_weeks_and_verify_says_they_match(november: Store, cli: Cli,
                                                              tmp_path: Path) -> None:
    data = export_json(cli, tmp_path / "nov.json")
    weeks = data["weeks"]
    assert isinstance(weeks, list)
    assert [w["seal"][:7] for w in weeks] == ["sha256:", "sha256:"]
    r = cli("verify", str(tmp_path / "nov.json"))
    assert r.status == 0, r.err
    assert r.out.splitlines() == ["2026-W46  matches (sealed 2026-12-01)",
                                  "2026-W47  matches (sealed 2026-12-01)",
                                  "All 2 sealed weeks match the log."]
    # The same weeks exported again, unchanged, carry the same seals.
    again = export_json(cli, tmp_path / "again.json")
    assert [w["seal"] for w in again["weeks"]] == [w["seal"] for w in weeks]  # type: ignore[union-attr]


def test_a_week_edited_after_sealing(november: Store, cli: Cli, tmp_path: Path) -> None:
    handed_in = tmp_path / "handed-in.json"
    export_json(cli, handed_in)
    charting = entry_at(november, "2026-11-17 16:00")

    refused = cli("edit", str(charting), "--end", "2026-11-17 16:25")
    assert refused.status == 2
    assert refused.err.count("\n") == 1
    assert "Week 2026-W47 was sealed by a committee export" in refused.err
    assert "--reason" in refused.err
    assert november.get_entry(charting).minutes == 60

    r = cli("edit", str(charting), "--end", "2026-11-17 16:25", "--category", "meeting",
            "--reason", "correction: the last half hour was the team meeting")
    assert r.status == 0, r.err
    v = cli("verify", str(handed_in))
    assert v.status == 1
    lines = v.out.splitlines()
    assert lines[0] == "2026-W46  matches (sealed 2026-12-01)"
    assert lines[1] == ("2026-W47  changed since it was sealed on 2026-12-01: 1 entry changed; "
                        "60 min moved (IPC −60 min, other work +25 min)")
    assert lines[2] == "1 of 2 sealed weeks changed since the export."

    # The same week re-exported: sealed anew, and shown as amended.
    redone = export_json(cli, tmp_path / "redone.json")
    w47 = redone["weeks"][1]  # type: ignore[index]
    assert w47["amended"] == {"entries": 1, "minutes": 60, "reasons": {"correction": 1}}
    assert redone["amendments"] == "Amended after sealing: 1 entry, 60 min."
    assert w47["seal"] != json.loads(handed_in.read_text())["weeks"][1]["seal"]
    assert cli("verify", str(tmp_path / "redone.json")).status == 0
    assert "Amended after sealing: 1 entry, 60 min." in cli("summary", "--week", "2026-W47").out
    # The reason's own words never leave the machine.
    for fmt in ("json", "csv", "pdf"):
        out = tmp_path / f"r.{fmt}"
        assert cli("export", "--week", "2026-W47", "--out", str(out)).status == 0
        assert b"team meeting" not in out.read_bytes()


def test_the_pdf_and_the_csv_carry_seals_and_amendments(november: Store, cli: Cli,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    export_json(cli, tmp_path / "first.json")
    november.delete_entry(entry_at(november, "2026-11-18 13:00"), via=Via.CLI,
                          reason=Reason(ReasonCode.MISTAKEN, "logged twice"))
    data = export_json(cli, tmp_path / "second.json")
    text = pdf_text(monkeypatch, data)
    seals = [w["seal"] for w in data["weeks"]]  # type: ignore[union-attr]
    for seal in seals:
        assert seal in text
    assert "Sealed 2026-W46–2026-W47" in text
    assert "Amended after sealing: 1 entry, 20 min." in text
    assert "entry logged by mistake, removed 1" in text
    assert "logged twice" not in text
    assert "recorded the same day" in text
    out = tmp_path / "second.csv"
    assert cli("export", "--from", "2026-11-09", "--to", "2026-11-22", "--out", str(out)).status \
        == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["seal"] for r in rows] == [*seals, ""]
    assert [r["amended_entries"] for r in rows] == ["0", "1", "1"]
    assert [r["amended_min"] for r in rows] == ["0", "20", "20"]


def test_undo_of_an_amendment_is_an_event_and_the_week_matches_again(
        november: Store, cli: Cli, tmp_path: Path) -> None:
    export_json(cli, tmp_path / "nov.json")
    session = entry_at(november, "2026-11-17 09:00")
    november.edit_entry(session, category="intake", via=Via.CLI,
                        reason=Reason(ReasonCode.CORRECTION))
    assert cli("verify", str(tmp_path / "nov.json")).status == 1
    assert cli("undo").status == 0
    events = november.history(session)
    assert [(e.action, e.reason.code if e.reason else None) for e in events][-2:] == [
        (Action.EDIT, ReasonCode.CORRECTION), (Action.UNDO, ReasonCode.UNDO)]
    assert cli("verify", str(tmp_path / "nov.json")).status == 0
    monday = parse_week("2026-W47")
    w47 = load_ledger(november, Period.covering(monday, monday)).weeks[0]
    assert w47.amended.entries == 0


def test_a_calendar_import_into_a_sealed_week_is_an_amendment(november: Store, cli: Cli,
                                                              tmp_path: Path) -> None:
    export_json(cli, tmp_path / "nov.json")
    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:one@test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=America/Los_Angeles:20261119T100000\r\n"
        "DTEND;TZID=America/Los_Angeles:20261119T105000\r\nSUMMARY:Intake\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    r = cli("import", "ics", str(ics), "--from", "2026-11-16", "--to", "2026-11-22")
    assert r.status == 0, r.err
    added = entry_at(november, "2026-11-19 10:00")
    [ev] = november.history(added)
    assert ev.action is Action.IMPORT and ev.reason == Reason(ReasonCode.CALENDAR_IMPORT)
    assert cli("verify", str(tmp_path / "nov.json")).status == 1
    redone = export_json(cli, tmp_path / "redone.json")
    assert redone["weeks"][1]["amended"]["reasons"] == {"calendar_import": 1}  # type: ignore[index]


def test_seal_without_exporting(november: Store, cli: Cli) -> None:
    r = cli("seal", "--from", "2026-11-09", "--to", "2026-12-06")
    assert r.status == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("2026-W46  sealed  sha256:")
    assert lines[3:] == ["2026-W49  not over yet, not sealed",
                         "3 new seals; 0 weeks already sealed as they are."]
    again = cli("seal", "--week", "2026-W47").out.splitlines()
    assert again[0].startswith("2026-W47  already sealed, unchanged  sha256:")
    assert cli("seal", "--week", "2026-W50").status == 2


@pytest.mark.parametrize("kind", ["truncated", "v1", "summary", "other-log", "hand-edited",
                                  "not-json", "missing"])
def test_verify_refuses_what_is_not_an_export_of_this_log(
        kind: str, november: Store, cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "nov.json"
    export_json(cli, good)
    text = good.read_text(encoding="utf-8")
    target = tmp_path / f"{kind}.json"
    if kind == "truncated":
        target.write_text(text[: len(text) // 2], encoding="utf-8")
        words = "is cut short"
    elif kind == "v1":
        data = json.loads(text)
        data["version"] = 1
        target.write_text(json.dumps(data), encoding="utf-8")
        words = "version 1 Carelog summary"
    elif kind == "summary":
        target.write_text(cli("summary", "--week", "2026-W47", "--format", "json").out)
        words = "is a summary, not a committee export"
    elif kind == "other-log":
        data = json.loads(text)
        data["contributor"] = "0123456789abcdef"
        target.write_text(json.dumps(data), encoding="utf-8")
        words = "exported from another Carelog log"
    elif kind == "hand-edited":
        data = json.loads(text)
        data["weeks"][1]["ipc_in_hours_min"] += 60
        target.write_text(json.dumps(data, indent=2), encoding="utf-8")
        words = "changed after it was exported"
    elif kind == "not-json":
        target.write_bytes(b"%PDF-1.4 not json")
        words = "is not a Carelog export"
    else:
        words = "There is no file"
    r = cli("verify", str(target))
    assert r.status == 2
    assert words in r.err
    assert r.err.count("\n") == 1 and r.out == ""


def test_verify_in_another_database_is_exit_2(november: Store, cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "nov.json"
    export_json(cli, good)
    r = cli("verify", str(good), db=tmp_path / "other" / "carelog.db")
    assert r.status == 2
    assert "another Carelog log" in r.err


# ----------------------------------------------------------------------------- check and restore

def test_check_reports_each_break_in_one_sentence(november: Store, cli: Cli,
                                                  tmp_path: Path) -> None:
    export_json(cli, tmp_path / "nov.json")
    assert cli("check").status == 0
    charting = entry_at(november, "2026-11-17 16:00")
    # Changed behind Carelog's back: straight into the file, past the journal.
    november.conn.execute("UPDATE entries SET end_utc = end_utc + 1800 WHERE id = ?", (charting,))
    november.conn.execute("INSERT INTO entries(id, category, start_utc, end_utc, created, "
                          "updated) VALUES (900, 'admin', 0, 60, '', '')")
    november.conn.execute("DROP TRIGGER seal_entries_no_update")
    november.conn.execute("UPDATE seal_entries SET category = 'admin' WHERE entry_id = ?",
                          (charting,))
    r = cli("check")
    assert r.status == 1
    out = r.out
    assert (f"Entry {charting} reads documentation 2026-11-17 16:00–17:30, but its history ends "
            "at documentation 2026-11-17 16:00–17:00: it was changed without going through "
            "Carelog.") in out
    assert "Entry 900 has no history: it was written without going through Carelog." in out
    assert "does not match the entries it recorded" in out
    assert "seal_entries_no_update" in out


def test_a_restore_keeps_history_and_seals_with_their_log(november: Store, cli: Cli,
                                                          db_path: Path, tmp_path: Path) -> None:
    export_json(cli, tmp_path / "nov.json")
    backup = tmp_path / "backup.db"
    assert cli("backup", "--to", str(backup)).status == 0
    charting = entry_at(november, "2026-11-17 16:00")
    november.edit_entry(charting, end=parse_local("2026-11-17 16:30", november.tz), via=Via.CLI,
                        reason=Reason(ReasonCode.CORRECTION))
    november.close()
    assert cli("restore", str(backup)).status == 0
    with Store.open(db_path) as s:
        assert [e.action for e in s.history(charting)] == [Action.ADD]
        assert s.conn.execute("SELECT COUNT(*) FROM seals").fetchone()[0] == 2
        assert s.check().ok
    assert cli("verify", str(tmp_path / "nov.json")).status == 0


def test_old_fixtures_get_a_history_that_check_accepts(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    for fixture in sorted(fixtures.glob("schema*.db")):
        path = tmp_path / fixture.name
        shutil.copy(fixture, path)
        with Store.open(path) as s:
            report = s.check()
            assert report.ok, (fixture.name, report.lines)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] >= 3
