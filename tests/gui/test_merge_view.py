"""The clinic roll-up view: small groups show no figures, bad files block the merge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from carelog.core.domain.timeutil import period_from_args
from carelog.core.exporting.clinic_rollup import ClinicRollup
from carelog.core.exporting.committee import committee_data, to_json_bytes
from carelog.core.exporting.committee_report import CommitteeReport
from carelog.core.exporting.merge import merge
from carelog.core.store.database import Store
from carelog.gui.models import clinic_table_model as clinic_m
from carelog.gui.models import merge_files_model as files_m
from carelog.gui.models.clinic_table_model import ClinicTableModel, suppressed_text
from carelog.gui.models.merge_files_model import MergeFilesModel
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour
from carelog.gui.views.reports.merge_view import BLOCKED_TEXT, EMPTY_TEXT, MergeView
from carelog.gui.workers.merging import read_listed
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from .conftest import AddEntry, ShowWidget, save_into_missing_folder

PERIOD = period_from_args(start="2026-11-09", end="2026-11-22")  # 2026-W46 and 2026-W47
DISPLAY = Qt.ItemDataRole.DisplayRole

MakeFiles = Callable[[int], list[Path]]


@pytest.fixture
def summary_files(gui_store: Store, add_entry: AddEntry, tmp_path: Path) -> MakeFiles:
    """make(n) -> n committee JSON files written by the real export, one per contributor.

    Each clinician charts half an hour more than the one before on Wednesday afternoon, so
    their attainments differ.
    """
    folder = tmp_path / "summaries"
    folder.mkdir()
    add_entry("documentation", "2026-11-10 09:00", "10:30")
    add_entry("messages", "2026-11-16 19:00", "20:00")
    made: list[Path] = []

    def make(n: int) -> list[Path]:
        for _ in range(n):
            i = len(made)
            start = 13 * 60 + 30 * i
            add_entry("documentation", f"2026-11-18 {start // 60:02d}:{start % 60:02d}",
                      f"{(start + 30) // 60:02d}:{(start + 30) % 60:02d}")
            gui_store.set_setting("contributor", f"clinician{i:02d}")
            data, _ = committee_data(gui_store, PERIOD)
            path = folder / f"clinician-{i + 1}.json"
            path.write_bytes(to_json_bytes(data))
            made.append(path)
        return list(made[-n:])

    return make


@pytest.fixture
def view(show: ShowWidget, state: AppState) -> MergeView:
    """The roll-up view, shown."""
    return show(MergeView(state), 1280, 800)


def _settle(qtbot: QtBot, view: MergeView) -> None:
    qtbot.waitUntil(lambda: not view.busy, timeout=20_000)


def _add(qtbot: QtBot, view: MergeView, paths: list[Path]) -> None:
    view.choose_files = lambda: list(paths)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, view)


def _cells(model: ClinicTableModel, row: int) -> list[str]:
    return [model.data(model.index(row, c), DISPLAY) for c in range(model.columnCount())]


def test_an_empty_view_says_what_to_do(view: MergeView) -> None:
    assert view.pages.currentWidget() is view.empty_page
    assert view.empty_label.text() == EMPTY_TEXT
    assert "Add files…" in EMPTY_TEXT and "JSON" in EMPTY_TEXT
    assert not view.save_button.isEnabled()


def test_four_clinicians_against_a_minimum_of_five_show_no_figures(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles) -> None:
    _add(qtbot, view, summary_files(4))

    assert view.pages.currentWidget() is view.content_page
    assert view.files_model.rowCount() == 4
    assert view.min_spin.value() == 5
    model = view.clinic_model
    assert model.rowCount() == 2
    for row in range(model.rowCount()):
        cells = _cells(model, row)
        assert cells[clinic_m.COL_WEEK] == ["2026-W46", "2026-W47"][row]
        assert cells[clinic_m.COL_CLINICIANS] == suppressed_text(5) == \
            "suppressed (fewer than 5 clinicians)"
        rest = [c for i, c in enumerate(cells) if i not in (clinic_m.COL_WEEK,
                                                              clinic_m.COL_CLINICIANS)]
        assert rest == [""] * len(rest)
    assert view.save_button.isEnabled()


def test_six_clinicians_show_the_figures_core_merged(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles) -> None:
    paths = summary_files(6)
    _add(qtbot, view, paths)

    clinic = merge(paths, 5)
    assert view.clinic == clinic
    model = view.clinic_model
    w47 = clinic["weeks"][1]
    cells = _cells(model, 1)
    assert cells[clinic_m.COL_WEEK] == "2026-W47"
    assert cells[clinic_m.COL_CLINICIANS] == "6"
    assert cells[clinic_m.COL_MEDIAN] == f"{round(w47['attainment_median'] * 100)} %"
    q1, q3 = w47["attainment_quartiles"]
    assert cells[clinic_m.COL_QUARTILES] == f"{round(q1 * 100)} % – {round(q3 * 100)} %"
    assert cells[clinic_m.COL_MET] == f"{w47['clinician_weeks_met']} of 6"
    assert cells[clinic_m.COL_AFTER_TOTAL] == "6 h 0 m"  # an hour of messages each, full time
    assert cells[clinic_m.COL_AFTER_MEDIAN] == "1 h 0 m"
    assert cells[clinic_m.COL_BOOKED] == "0 m"
    assert cells[clinic_m.COL_REASONS] == "none"
    assert view.summary_label.text().startswith("6 clinicians' summaries merged")

    # Quick steps while a merge runs: only the last minimum is shown, and Save waits for it.
    for value in (6, 7, 8):
        view.min_spin.setValue(value)
        assert not view.save_button.isEnabled()
    _settle(qtbot, view)
    assert _cells(model, 1)[clinic_m.COL_CLINICIANS] == suppressed_text(8)
    assert view.low_minimum_label.isHidden()
    view.min_spin.setValue(3)
    _settle(qtbot, view)
    assert _cells(model, 1)[clinic_m.COL_CLINICIANS] == "6"
    assert view.low_minimum_label.isVisible()


def test_a_file_that_is_not_json_is_listed_in_red_and_blocks_saving(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles, tmp_path: Path) -> None:
    bad = tmp_path / "minutes.json"
    bad.write_text("Meeting minutes, 18 November", encoding="utf-8")
    _add(qtbot, view, [*summary_files(6), bad])

    files = view.files_model
    row = files.rowCount() - 1
    message = "The file minutes.json is not valid JSON (line 1, column 1)."
    assert files.data(files.index(row, files_m.COL_FILE), DISPLAY) == "minutes.json"
    assert files.data(files.index(row, files_m.COL_CHECK), DISPLAY) == message
    assert files.data(files.index(row, files_m.COL_CHECK),
                      Qt.ItemDataRole.ForegroundRole) == error_colour()
    assert files.data(files.index(0, files_m.COL_CHECK), DISPLAY) == files_m.READY
    assert view.problem_label.text() == f"{message}\n{BLOCKED_TEXT}"
    assert view.clinic is None and view.clinic_model.rowCount() == 0
    assert not view.save_button.isEnabled()

    view.files_table.selectRow(row)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, view)
    assert view.files_model.rowCount() == 6
    assert view.problem_label.text() == ""
    assert view.save_button.isEnabled()


def test_a_file_added_twice_is_listed_once(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles) -> None:
    paths = summary_files(2)
    _add(qtbot, view, paths)
    _add(qtbot, view, paths[:1])
    assert view.files_model.rowCount() == 2
    assert view.message() == "1 file was already in the list."


def test_the_newer_export_of_a_clinician_wins_and_the_note_says_so(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles) -> None:
    paths = summary_files(5)
    again = json.loads(paths[0].read_text("utf-8"))
    again["exported_at"] = "2099-01-01T00:00:00Z"
    newer = paths[0].with_name("clinician-1-again.json")
    newer.write_bytes(to_json_bytes(CommitteeReport.from_json(again)))
    _add(qtbot, view, [*paths, newer])

    assert view.clinic is not None
    assert view.notes_label.text() == (
        "The same clinician appears in clinician-1.json and clinician-1-again.json; for 2 "
        "weeks the newer export, clinician-1-again.json, was used.")
    assert _cells(view.clinic_model, 0)[clinic_m.COL_CLINICIANS] == "5"


def test_saving_the_roll_up_as_pdf_and_json(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles, tmp_path: Path) -> None:
    _add(qtbot, view, summary_files(6))
    for fmt in ("pdf", "json"):
        out = tmp_path / f"rollup.{fmt}"
        view.select_format(fmt)
        view.choose_path = lambda suggested, chosen, out=out: out
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
        assert view.operation is not None and not view.save_button.isEnabled()
        assert view.progress.isVisible()
        with qtbot.waitSignal(view.operation.finished, timeout=20_000):
            pass
        assert view.message() == f"Saved the roll-up to {out} ({fmt.upper()})."
        assert view.save_button.isEnabled()
    assert (tmp_path / "rollup.pdf").read_bytes().startswith(b"%PDF")
    written = json.loads((tmp_path / "rollup.json").read_text("utf-8"))
    assert written == json.loads(json.dumps(view.clinic))  # quartile pairs come back as lists


def test_saving_into_a_missing_folder_is_refused(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles, tmp_path: Path) -> None:
    _add(qtbot, view, summary_files(5))
    missing = tmp_path / "gone"
    save_into_missing_folder(qtbot, view, missing / "rollup.pdf")
    assert not missing.exists()


def test_clearing_the_list_returns_to_the_explanation(
        qtbot: QtBot, view: MergeView, summary_files: MakeFiles) -> None:
    _add(qtbot, view, summary_files(3))
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, view)
    assert view.pages.currentWidget() is view.empty_page
    assert view.clinic is None and not view.save_button.isEnabled()


def test_the_files_model_passes_the_qt_model_tester(
        qtmodeltester: ModelTester, summary_files: MakeFiles, tmp_path: Path) -> None:
    model = MergeFilesModel()
    qtmodeltester.check(model)
    bad = tmp_path / "empty.json"
    bad.write_text("", encoding="utf-8")
    good = summary_files(1)[0]
    model.set_rows([read_listed(good), read_listed(bad)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, files_m.COL_CONTRIBUTOR), DISPLAY) == "clinician00"
    assert model.data(model.index(0, files_m.COL_WEEKS), DISPLAY) == \
        "2026-W46 to 2026-W47 (2)"
    assert model.errors() == [model.data(model.index(1, files_m.COL_CHECK), DISPLAY)]


def test_the_clinic_model_passes_the_qt_model_tester(
        qtmodeltester: ModelTester, summary_files: MakeFiles) -> None:
    model = ClinicTableModel()
    qtmodeltester.check(model)
    paths = summary_files(5)
    model.set_rows(ClinicRollup.of(merge(paths, 5)).weeks, 5)
    qtmodeltester.check(model)
    model.set_rows(ClinicRollup.of(merge(paths, 6)).weeks, 6)
    qtmodeltester.check(model)
    assert model.is_suppressed(0)
