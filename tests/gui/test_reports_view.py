"""The committee export view: the preview is the file's content, and saving refuses cleanly."""

from __future__ import annotations

import csv
import errno
import io
import json
import re
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import parse_local, period_from_args
from carelog.core.exporting.committee import PRIVACY_STATEMENT, committee_data, csv_rows
from carelog.core.ledger.load import contributor_id
from carelog.core.store.database import Store
from carelog.gui.models.export_preview_model import ExportPreviewModel
from carelog.gui.state import AppState
from carelog.gui.theme import error_colour
from carelog.gui.views.reports.reports_view import (
    CHANGED_TEXT,
    PERIOD_CUSTOM,
    PERIOD_LAST_4_WEEKS,
    PERIOD_LAST_MONTH,
    PERIOD_LAST_QUARTER,
    PERIOD_MONTH,
    PERIOD_THIS_WEEK,
    PERIOD_YEAR_TO_DATE,
    ReportsView,
)
from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from .conftest import NOW, TODAY, AddEntry, ShowWidget, save_into_missing_folder

W47 = period_from_args(week="2026-W47")
SECRETS = ("Maria Gonzalez", "415-555-0199")


def _build_week(add_entry: AddEntry) -> None:
    """Two hours of charting in hours, an evening of messages, and the Tue block booked over."""
    add_entry("documentation", "2026-11-16 09:00", "11:00")
    add_entry("messages", "2026-11-16 19:00", "20:00")
    add_entry("individual", "2026-11-17 16:00", "16:50")
    add_entry("individual", "2026-11-18 09:00", "12:00")


@pytest.fixture
def view(show: ShowWidget, state: AppState) -> ReportsView:
    """The export view over the scheduled store, shown, set to the week 2026-W47.

    The window looks at Tuesday 17 November 2026 while the clock reads the suite's "now"
    (1 December), so the week is over and gets its verdict.
    """
    v = show(ReportsView(state), 1280, 800)
    _choose_w47(v)
    return v


def _choose_w47(view: ReportsView) -> None:
    view.select_period(PERIOD_CUSTOM)
    view.from_edit.setDate(QDate(2026, 11, 16))
    view.to_edit.setDate(QDate(2026, 11, 22))


def _column(view: ReportsView, name: str) -> list[str]:
    col = view.preview_model.column_of(name)
    model = view.preview_model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def _save(qtbot: QtBot, view: ReportsView, path: Path, fmt: str) -> None:
    view.select_format(fmt)
    view.choose_path = lambda suggested, chosen_fmt: path
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.operation is not None
    with qtbot.waitSignal(view.operation.finished, timeout=20_000):
        pass


def test_preview_is_one_row_per_week_and_a_total_with_the_ledgers_numbers(
        view: ReportsView, gui_store: Store, add_entry: AddEntry) -> None:
    _build_week(add_entry)
    view.state.notify_changed()

    assert view.preview_model.rowCount() == 2
    assert _column(view, "week") == ["2026-W47", "total"]
    assert _column(view, "target_min") == ["450", "450"]
    assert _column(view, "ipc_in_hours_min") == ["120", "120"]
    assert _column(view, "ipc_after_hours_min") == ["60", "60"]
    assert _column(view, "after_hours_min") == ["60", "60"]
    assert _column(view, "direct_min") == ["230", "230"]
    assert _column(view, "attainment") == ["0.267", "0.267"]
    assert _column(view, "shortfall_min") == ["330", "330"]
    assert _column(view, "status") == ["not_met", "not_met"]
    assert _column(view, "blocks_booked_over_min") == ["50", "50"]
    data, _ = committee_data(gui_store, W47)
    header, rows = csv_rows(data)
    assert view.preview_model.header() == header
    # The one cell core cannot know before writing: the complete week is sealed on save.
    rows[0][header.index("seal")] = "sealed when saved"
    assert view.preview_model.cells() == rows
    assert "recorded the same day" in view.record_label.text()
    assert "Saving seals the 1 week that is over" in view.record_label.text()
    assert view.privacy_label.text() == PRIVACY_STATEMENT == (
        "No patient information, no notes, no individual entries; counts from 1 to 10 shown "
        "as <11.")
    assert view.headline_label.text() == \
        "Protected time met in 0 of 1 week; 1:00 of IPC done outside paid hours."
    assert view.period_label.text() == \
        "16–22 Nov 2026 (week 2026-W47) · 1 week, then a row of totals"
    # The table a committee member reads, as the PDF prints it, comes first.
    report = view.report_model
    assert report.headers[:6] == ("Week", "Expected", "Target", "Received", "Attainment",
                                  "Status")
    assert [report.data(report.index(r, 5)) for r in range(2)] == ["✗ not met", "✗ not met"]
    assert [report.data(report.index(r, 2)) for r in range(2)] == ["7:30", "7:30"]
    assert not view.showing_csv_columns()
    contributor = contributor_id(gui_store)
    assert contributor and f"anonymous contributor {contributor}" in \
        view.attribution_label.text()


def test_a_display_name_is_shown_and_written_only_when_chosen(
        view: ReportsView, gui_store: Store) -> None:
    gui_store.set_setting("display_name", "Dr. Ana Lee")
    view.state.notify_changed()
    assert view.attribution_label.text().startswith("Dr. Ana Lee (the display name you chose")
    assert set(_column(view, "display_name")) == {"Dr. Ana Lee"}


def test_the_period_controls_choose_the_weeks(qtbot: QtBot, view: ReportsView) -> None:
    # From Tuesday 17 November: the newest month and quarter whose weeks are all over, and
    # the four weeks before this one.
    view.select_period(PERIOD_LAST_MONTH)
    assert _column(view, "week")[0] == "2026-W40" and _column(view, "week")[-2] == "2026-W44"
    assert view.period_label.text().startswith("October 2026 (weeks W40–W44, 28 Sep – 1 Nov)")
    view.select_period(PERIOD_LAST_QUARTER)
    assert _column(view, "week")[0] == "2026-W27" and _column(view, "week")[-2] == "2026-W39"
    view.select_period(PERIOD_YEAR_TO_DATE)
    assert _column(view, "week")[0] == "2026-W01" and _column(view, "week")[-2] == "2026-W46"
    view.select_period(PERIOD_LAST_4_WEEKS)
    assert _column(view, "week") == ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "total"]

    view.select_period(PERIOD_MONTH)
    assert view.month_combo.isVisible() and not view.from_edit.isVisible()
    assert view.month_combo.currentText() == "November 2026"
    assert _column(view, "week")[0] == "2026-W45" and _column(view, "week")[-2] == "2026-W48"

    view.select_period(PERIOD_CUSTOM)
    assert view.from_edit.isVisible() and not view.month_combo.isVisible()
    view.from_edit.setDate(QDate(2026, 11, 10))
    view.to_edit.setDate(QDate(2026, 11, 3))
    assert view.preview_model.rowCount() == 0
    assert view.message() == "The to date 2026-11-03 is before the from date 2026-11-10."
    assert error_colour().name() in view.message_label.styleSheet()
    assert not view.save_button.isEnabled()

    view.to_edit.setDate(QDate(2026, 11, 20))
    assert _column(view, "week") == ["2026-W46", "2026-W47", "total"]
    assert view.message() == ""
    assert view.save_button.isEnabled()


def test_no_patient_information_in_the_preview_or_the_files(
        qtbot: QtBot, view: ReportsView, add_entry: AddEntry, tmp_path: Path) -> None:
    add_entry("individual", "2026-11-16 09:00", "09:50", note="Maria Gonzalez 415-555-0199")
    add_entry("messages", "2026-11-16 09:50", "10:05", note="called Maria Gonzalez back")
    add_entry("safety_mandated", "2026-11-17 11:00", "11:20", note="415-555-0199")
    view.state.notify_changed()

    model = view.preview_model
    cells = [str(model.data(model.index(r, c))) for r in range(model.rowCount())
             for c in range(model.columnCount())]
    shown = [*cells, *model.header(), view.headline_label.text(),
             view.attribution_label.text(), view.period_label.text()]
    for secret in SECRETS:
        assert not any(secret in text for text in shown), secret
    # The total is withheld beside a suppressed week (it would give the week back).
    assert _column(view, "direct_sessions") == ["<11", "withheld"]

    for fmt in ("csv", "json"):
        out = tmp_path / f"committee.{fmt}"
        _save(qtbot, view, out, fmt)
        text = out.read_bytes().decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (fmt, secret)
    written = list(csv.reader(io.StringIO((tmp_path / "committee.csv").read_text("utf-8-sig"))))
    # What was previewed is what was written, except that the file carries each complete
    # week's seal where the preview said it would be sealed.
    seal = model.header().index("seal")
    assert [r[seal] for r in model.cells()] == ["sealed when saved", ""]
    assert written[1][seal].startswith("sha256:") and written[2][seal] == ""
    assert [r[:seal] + r[seal + 1:] for r in written] == \
        [r[:seal] + r[seal + 1:] for r in [model.header(), *model.cells()]]
    assert json.loads((tmp_path / "committee.json").read_text("utf-8"))["privacy"] == \
        PRIVACY_STATEMENT


def test_saving_into_a_missing_folder_is_refused_and_writes_nothing(
        qtbot: QtBot, view: ReportsView, tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    save_into_missing_folder(qtbot, view, tmp_path / "no such folder" / "report.pdf")
    assert view.operation is None
    assert sorted(tmp_path.rglob("*")) == before
    assert view.save_button.isEnabled()


def test_saving_a_pdf_runs_in_the_background_with_a_busy_indicator(
        qtbot: QtBot, view: ReportsView, tmp_path: Path) -> None:
    suggested_names: list[str] = []

    def choose(suggested: Path, fmt: str) -> Path:
        suggested_names.append(suggested.name)
        return tmp_path / "report"

    view.choose_path = choose
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    op = view.operation
    assert op is not None and op.running
    assert not view.save_button.isEnabled()
    assert view.progress.isVisible()
    with qtbot.waitSignal(op.finished, timeout=20_000):
        pass

    out = tmp_path / "report.pdf"  # the format's suffix is added to a bare name
    assert out.read_bytes().startswith(b"%PDF")
    assert view.message() == f"Saved {out} (PDF, 1 week)."
    assert suggested_names == ["Protected time — 16–22 Nov 2026.pdf"]
    assert view.save_button.isEnabled() and not view.progress.isVisible()


def test_a_full_disk_is_reported_and_leaves_nothing_behind(
        qtbot: QtBot, view: ReportsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("carelog.core.exporting.output.write_private_atomic", full)
    out = tmp_path / "report.csv"
    _save(qtbot, view, out, "csv")

    assert view.message() == (f"The export to {out} could not be written: no space left on "
                              "device; nothing was left behind.")
    assert error_colour().name() in view.message_label.styleSheet()
    assert not [p.name for p in tmp_path.iterdir() if "report" in p.name]


def test_a_name_for_another_format_is_refused(
        qtbot: QtBot, view: ReportsView, tmp_path: Path) -> None:
    view.select_format("pdf")
    view.choose_path = lambda suggested, fmt: tmp_path / "report.csv"
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.message() == ("The file name report.csv ends in .csv, but the format chosen is "
                              "PDF; choose a name ending in .pdf.")
    assert not (tmp_path / "report.csv").exists()


def test_a_log_changed_after_the_preview_is_shown_again_before_saving(
        qtbot: QtBot, view: ReportsView, gui_store: Store, tmp_path: Path) -> None:
    assert _column(view, "ipc_in_hours_min") == ["0", "0"]
    # Written by another program (the carelog command), so the window was not told.
    gui_store.add_entry("documentation", parse_local("2026-11-16 09:00", gui_store.tz),
                        parse_local("2026-11-16 10:00", gui_store.tz), via=Via.CLI)
    view.select_format("json")
    view.choose_path = lambda suggested, fmt: tmp_path / "report.json"
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    assert view.message() == CHANGED_TEXT
    assert view.operation is None
    assert not (tmp_path / "report.json").exists()
    assert _column(view, "ipc_in_hours_min") == ["60", "60"]


def test_the_preview_model_passes_the_qt_model_tester(
        qtmodeltester: ModelTester, gui_store: Store) -> None:
    model = ExportPreviewModel()
    qtmodeltester.check(model)
    data, _ = committee_data(gui_store, W47)
    model.set_rows(*csv_rows(data))
    qtmodeltester.check(model)
    assert model.data(model.index(1, model.column_of("week")),
                      Qt.ItemDataRole.FontRole).bold()


def test_the_workload_report_button_writes_one_page_per_week(
        qtbot: QtBot, view: ReportsView, gui_store: Store, add_entry: AddEntry,
        tmp_path: Path) -> None:
    _build_week(add_entry)
    add_entry("messages", "2026-11-18 13:00", "13:10", note="Maria Gonzalez 415-555-0199")
    view.from_edit.setDate(QDate(2026, 10, 26))
    view.state.notify_changed()
    assert view.workload_button.isEnabled()
    out = tmp_path / "workload.pdf"
    suggested: list[Path] = []

    def choose(path: Path, fmt: str) -> Path:
        suggested.append(path)
        return out

    view.choose_path = choose
    qtbot.mouseClick(view.workload_button, Qt.MouseButton.LeftButton)
    assert view.operation is not None
    with qtbot.waitSignal(view.operation.finished, timeout=20_000):
        pass
    assert suggested[0].name == "Workload report — 26 Oct – 22 Nov 2026.pdf"
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", raw)) == 4  # one page per week
    for secret in SECRETS:
        assert secret.encode() not in raw
    assert view.message().startswith(f"Saved {out} (workload report, 4 weeks)")


def test_a_week_under_way_is_refused_until_the_weeks_so_far_are_asked_for(
        qtbot: QtBot, show: ShowWidget, gui_store: Store, add_entry: AddEntry) -> None:
    # The window's clock on Tuesday 17 November at 15:00: the week 2026-W47 is under way.
    state = AppState(gui_store, today=lambda: TODAY, now=lambda: NOW)
    view = show(ReportsView(state), 1280, 800)
    _build_week(add_entry)
    assert view.period_combo.currentIndex() == PERIOD_LAST_MONTH  # the default
    view.select_period(PERIOD_THIS_WEEK)
    assert view.preview_model.rowCount() == 0 and not view.save_button.isEnabled()
    assert view.message() == (
        "Week 2026-W47 (16–22 Nov) is not over yet; the last complete week is 2026-W46 "
        "(9–15 Nov 2026). Tick “Include the weeks so far” to export them, marked as in "
        "progress.")
    assert "--" not in view.message()

    view.set_include_current(True)
    assert view.message() == "" and view.save_button.isEnabled()
    assert _column(view, "status") == ["in_progress", "no_target"]
    report = view.report_model
    assert report.data(report.index(0, 5)) == "… so far"
    assert view.period_label.text().endswith("1 week, 1 of them marked “so far”, then a row "
                                             "of totals")
    assert view.headline_label.text().startswith("No week of this period is over yet")


def test_the_csv_columns_are_one_click_away(qtbot: QtBot, view: ReportsView) -> None:
    assert view.report_table.isVisible() and not view.preview_table.isVisible()
    qtbot.mouseClick(view.columns_button, Qt.MouseButton.LeftButton)
    assert view.showing_csv_columns()
    assert view.columns_button.text() == "Show the report's table"
    qtbot.mouseClick(view.columns_button, Qt.MouseButton.LeftButton)
    assert not view.showing_csv_columns()
