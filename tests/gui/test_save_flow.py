"""The save flow the Reports and Merge views share: checked, written off the GUI thread, told."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from carelog.core.exporting.output import write_output
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour
from carelog.gui.views.reports.save_flow import SaveFlow, SaveJob, suggested_name
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from .conftest import TODAY

WEEKS = [{"week": "2026-W45"}, {"week": "2026-W46"}, {"week": "2026-W47"}]


def test_the_suggested_name_spans_the_weeks() -> None:
    assert suggested_name("clinic-rollup", WEEKS, "pdf") == \
        "clinic-rollup-2026-W45-to-2026-W47.pdf"
    assert suggested_name("carelog-committee", WEEKS[:1], "csv") == \
        "carelog-committee-2026-W45.csv"
    assert suggested_name("carelog-committee", [], "json") == "carelog-committee.json"


@pytest.fixture
def flow(qtbot: QtBot, gui_store: Store) -> SaveFlow:
    view = QWidget()
    qtbot.addWidget(view)
    return SaveFlow(view, AppState(gui_store, today=lambda: TODAY), "report", "Save the report",
                    "The report failed unexpectedly; nothing was written.",
                    status_name="Report status", busy_name="Writing the report")


def _job(out: Path, render: Callable[[], bytes]) -> SaveJob:
    return SaveJob(write=lambda: write_output(out, render()), writing="Writing…",
                   saved=lambda written: f"Saved {written.name}.")


def test_a_file_is_written_in_the_background_and_said(
        qtbot: QtBot, flow: SaveFlow, tmp_path: Path) -> None:
    op = flow.save("json", "r.json", lambda suggested, fmt: tmp_path / "r",
                   lambda out: _job(out, lambda: b"{}"))
    assert op is not None and flow.busy and flow.status.text() == "Writing…"
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert (tmp_path / "r.json").read_bytes() == b"{}"
    assert flow.status.text() == "Saved r.json." and flow.folder == tmp_path


def test_an_unexpected_failure_is_the_views_sentence_and_leaves_nothing(
        qtbot: QtBot, flow: SaveFlow, tmp_path: Path) -> None:
    def broken() -> bytes:
        raise RuntimeError("a bug")

    folder = tmp_path / "out"
    folder.mkdir()
    op = flow.save("pdf", "r.pdf", lambda suggested, fmt: folder / "r.pdf",
                   lambda out: _job(out, broken))
    assert op is not None
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert flow.status.text() == "The report failed unexpectedly; nothing was written."
    assert error_colour().name() in flow.status.styleSheet()
    assert list(folder.iterdir()) == []


def test_nothing_starts_when_the_person_cancels_or_the_view_declines(
        flow: SaveFlow, tmp_path: Path) -> None:
    assert flow.save("pdf", "r.pdf", lambda suggested, fmt: None, lambda out: None) is None
    assert flow.save("pdf", "r.pdf", lambda suggested, fmt: tmp_path / "r.pdf",
                     lambda out: None) is None
    assert flow.operation is None and flow.status.text() == ""
