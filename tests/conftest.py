"""Shared fixtures: a migrated temporary database per test, factories, and a CLI runner."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.schedule import ScheduleVersion, parse_schedule_toml
from carelog.core.domain.timeutil import format_local, parse_local
from carelog.core.exporting.committee_report import CommitteeReport
from carelog.core.store.database import Store

LA = "America/Los_Angeles"
# Tuesday 1 December 2026, noon in Los Angeles: the weeks of November are over, W49 is under way.
TEST_NOW = "2026-12-01T12:00:00-08:00"

STANDARD_TOML = """
effective_from = "2026-01-05"
timezone = "America/Los_Angeles"
[hours]
mon = ["08:30-12:30", "13:00-17:00"]
tue = ["08:30-12:30", "13:00-17:00"]
wed = ["08:30-12:30", "13:00-17:00"]
thu = ["08:30-12:30", "13:00-17:00"]
fri = ["08:30-12:30", "13:00-17:00"]
[[protected]]
day = "tue"
time = "16:00-17:00"
[target]
rule = "percent"
rate = 0.20
meeting_allowance_h = 2.5
full_time_h = 40
partly_met_at = 0.75
"""


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("CARELOG_DB", raising=False)
    # Every test runs at the same "now", whatever today's date is; a test that needs another
    # moment passes its own.
    monkeypatch.setenv("CARELOG_NOW", TEST_NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives."""
    return tmp_path / "data" / "carelog.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh, migrated store in Los Angeles time, with no schedule."""
    s = Store.open(db_path)
    s.set_timezone(LA)
    yield s
    s.close()


@pytest.fixture
def standard_schedule() -> ScheduleVersion:
    """40 h, Mon–Fri 08:30–12:30 and 13:00–17:00, Tue 16:00–17:00 protected, Kaiser's rule."""
    return parse_schedule_toml(STANDARD_TOML)


@pytest.fixture
def scheduled_store(store: Store, standard_schedule: ScheduleVersion) -> Store:
    """A store with the standard schedule saved."""
    store.save_schedule(standard_schedule)
    return store


Add = Callable[..., list[int]]


@pytest.fixture
def add(store: Store) -> Add:
    """add("documentation", "2026-11-16 09:00", "09:50") -> the new ids."""

    def _add(category: str, start: str, end: str, note: str = "") -> list[int]:
        a = parse_local(start, store.tz)
        end_text = end if len(end) > 5 else f"{start[:10]} {end}"
        b = parse_local(end_text, store.tz)
        return [int(e.id or 0) for e in store.add_entry(category, a, b, note=note, via=Via.CLI)]

    return _add


@dataclass
class CliResult:
    """What one `carelog` invocation printed and returned."""

    status: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path) -> Callable[..., CliResult]:
    """Run `carelog --db <db_path> ARGS…` in-process and capture its output."""
    from carelog.core.cli.main import main

    def _run(*args: str, db: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main(["--db", str(db or db_path), *args])
            except SystemExit as exc:
                status = int(exc.code or 0)
        return CliResult(status, out.getvalue(), err.getvalue())

    return _run


def python() -> str:
    """The interpreter running the tests (the project's venv)."""
    return sys.executable


def pdf_text(monkeypatch: pytest.MonkeyPatch, data: CommitteeReport | dict[str, Any],
             layout: Callable[[CommitteeReport], bytes] | None = None) -> str:
    """Every string a PDF layout wrote (the personal export's unless told), as fpdf2 normalises it.

    A committee JSON (as read from a file) is read back into its report first. The layout's
    output is checked to be a PDF.
    """
    # fpdf2 is heavy and only the PDF tests need it.
    from carelog.core.exporting.pdf import personal_pdf
    from fpdf import FPDF

    report = CommitteeReport.from_json(data) if isinstance(data, dict) else data

    seen: list[str] = []
    original = FPDF.normalize_text

    def spy(self: FPDF, text: str) -> str:
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(FPDF, "normalize_text", spy)
    assert (layout or personal_pdf)(report).startswith(b"%PDF")
    return "\n".join(seen)


def entry_stamps(store: Store) -> list[str]:
    """Every way an entry's start or end could be written: local, ISO local, UTC, epoch seconds.

    An export that promises no entry times is checked for none of these.
    """
    stamps = []
    for e in store.all_entries():
        for instant in (e.start, e.end):
            local = format_local(instant, store.tz)
            utc = datetime.fromtimestamp(instant, UTC)
            stamps += [local, local.replace(" ", "T"), f"{utc:%Y-%m-%dT%H:%M}", str(instant)]
    return stamps
