"""The workload report: a page per week of planned and actual work, lost blocks and what was
done about them; never a patient, a note or an entry's time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from carelog.core.domain.models import CapacityObservation
from carelog.core.domain.timeutil import Period
from carelog.core.exporting.pdf import workload_pdf
from carelog.core.exporting.record import add_seals, seal_ledger
from carelog.core.exporting.workload import workload_data
from carelog.core.store.database import Store

from tests.conftest import Add, CliResult, entry_stamps, pdf_text
from tests.core.test_export import SECRETS

Cli = Callable[..., CliResult]
ESCALATION_NOTE = "Jonah's mother called Dr Reyes 415-555-0142"


@pytest.fixture
def objected(scheduled_store: Store, add: Add, cli: Cli) -> Store:
    """Two weeks with notes full of identifiers, a block booked over and escalated, and a day."""
    add("individual", "2026-11-16 09:00", "09:50", note="Maria Gonzalez follow-up")
    add("messages", "2026-11-16 09:50", "10:05", note="called back 415-555-0199")
    add("urgent", "2026-11-17 16:00", "16:50", note="CPS report re Jonah, MRN 00482913")
    add("documentation", "2026-11-17 19:10", "20:00", note="chart 0048291377")
    add("break", "2026-11-18 12:30", "13:00")
    add("individual", "2026-11-18 13:00", "13:50", note="maria@example.org")
    add("individual", "2026-11-24 16:00", "16:50")
    cli("block", "tag", "2026-11-17", "16:00", "--reason", "urgent_overflow")
    assert cli("escalation", "add", "2026-11-17", "16:00", "--to", "clinic manager", "--how",
               "in_person", "--asked", "restore_block", "--at", "2026-11-17 17:05", "--note",
               ESCALATION_NOTE).status == 0
    assert cli("escalation", "respond", "1", "--response", "refused", "--on",
               "2026-11-19").status == 0
    assert cli("escalation", "add", "2026-11-18", "--to", "supervisor", "--how", "email",
               "--asked", "fewer bookings", "--at", "2026-11-18 18:12",
               "--note", "Maria Gonzalez again").status == 0
    scheduled_store.log_capacity(CapacityObservation(day=date(2026, 11, 19), caseload=104,
                                                     return_not_offered=6))
    return scheduled_store


def test_the_workload_report_holds_no_patient_note_or_entry_time(
        objected: Store, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "workload.pdf"
    r = cli("export", "--from", "2026-11-16", "--to", "2026-11-29", "--format", "pdf",
            "--report", "workload", "--out", str(out))
    assert r.status == 0, r.err
    assert "2 sealed" in r.out  # like every export, it seals the weeks that are over
    raw = out.read_bytes()
    # One page per week.
    assert len(re.findall(rb"/Type /Page\b", raw)) == 2
    data, ledger = workload_data(objected, Period(date(2026, 11, 16), date(2026, 11, 29)))
    add_seals(data, seal_ledger(objected, ledger))
    text = pdf_text(monkeypatch, data, workload_pdf)
    assert "Week sealed in the clinician's log: sha256:" in text
    notes = [e.note for e in objected.all_entries() if e.note]
    notes += [e.note for e in objected.escalations_between(date(2026, 1, 1),
                                                           date(2026, 12, 31))]
    planted = [*SECRETS, *notes, "Reyes", "415-555-0142", "Maria", "Jonah"]
    stamps = entry_stamps(objected)
    for secret in planted:
        assert secret not in text, secret
        assert secret.encode() not in raw, secret
    for stamp in stamps:
        assert stamp not in text, stamp
    # What the form is for: the lost block with its reason and the escalation's who, when,
    # how and response; the day's escalation; days without a break; capacity suppressed.
    for expected in ("Workload report", "Tue 2026-11-17", "16:00–17:00",
                     "Urgent or crisis patient placed in it",
                     "Told clinic manager in person, 2026-11-17 17:05",
                     "Asked: restore the block", "Response: refused on 2026-11-19; open",
                     "Told supervisor by email, 2026-11-18 18:12", "Asked: fewer bookings",
                     "2 working days without: Mon 16 Nov, Tue 17 Nov",
                     "latest caseload 104", "within the indicated interval <11",
                     "sessions <11", "Week 2026-W48"):
        assert expected in text, expected


def test_the_workload_report_is_a_pdf_only(objected: Store, cli: Cli, tmp_path: Path) -> None:
    r = cli("export", "--week", "2026-W47", "--format", "csv", "--report", "workload",
            "--out", str(tmp_path / "w.csv"))
    assert r.status == 2 and r.err.strip() == (
        "carelog: The workload report is a PDF, not CSV; use --format pdf or a file name "
        "ending in .pdf.")
    assert not (tmp_path / "w.csv").exists()


def test_an_unfinished_week_needs_include_current(objected: Store, cli: Cli,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "w.pdf"
    r = cli("export", "--week", "2026-W49", "--report", "workload", "--out", str(out))
    assert r.status == 2 and "--include-current" in r.err
    r = cli("export", "--week", "2026-W49", "--report", "workload", "--include-current",
            "--out", str(out))
    assert r.status == 0 and out.exists()
