"""The import dialog: preview, ticks, rules, column mapping, date order, overlaps, errors, undo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from carelog.core.domain.errors import BadInput
from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import format_local, parse_local
from carelog.core.importing.calendar import plan_ics, read_calendar
from carelog.core.importing.csv_table import read_table
from carelog.core.importing.plan import RowAction
from carelog.core.importing.rules import ImportRule, default_rules, load_rules, save_rules
from carelog.core.store.database import Store
from carelog.gui.dialogs.importing.import_dialog import ImportDialog
from carelog.gui.models import import_preview_model as preview_m
from carelog.gui.models.import_preview_model import ImportPreviewModel
from carelog.gui.models.import_rules_model import COL_CATEGORY, COL_PATTERN, ImportRulesModel
from carelog.gui.state import AppState
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QRadioButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.core.test_import_ics import all_stored_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
# A Wednesday: the default period (8 weeks back, up to today) is 4 February to 1 April 2026.
TODAY = date(2026, 4, 1)
DISPLAY = Qt.ItemDataRole.DisplayRole
WAIT_MS = 15_000

OUTLOOK_LOGGED = [
    ("2026-03-02 09:00", "09:50", "individual"),
    ("2026-03-03 10:00", "11:00", "intake"),
    ("2026-03-04 08:30", "09:30", "meeting"),
    ("2026-03-04 12:30", "13:00", "break"),
    ("2026-03-09 09:00", "09:50", "individual"),
    ("2026-03-24 14:00", "14:50", "individual"),
    ("2026-03-30 09:00", "09:50", "individual"),
]

OpenDialog = Callable[..., ImportDialog]


def logged(store: Store) -> list[tuple[str, str, str]]:
    """The log as (local start, local end time, category)."""
    return [(format_local(e.start, store.tz), format_local(e.end, store.tz)[11:], e.category)
            for e in store.all_entries()]


def add(store: Store, category: str, start: str, end: str) -> None:
    store.add_entry(category, parse_local(start, store.tz), parse_local(end, store.tz), via=Via.CLI)


@pytest.fixture
def state(gui_store: Store) -> AppState:
    return AppState(gui_store, today=lambda: TODAY)


@pytest.fixture
def open_dialog(qtbot: QtBot, state: AppState) -> Iterator[OpenDialog]:
    """Show an import dialog and read a fixture into it; every dialog is closed afterwards."""
    opened: list[ImportDialog] = []

    def _open(name: str | Path | None = None) -> ImportDialog:
        dialog = ImportDialog(state)
        qtbot.addWidget(dialog)
        dialog.show()
        opened.append(dialog)
        if name is not None:
            path = name if isinstance(name, Path) else FIXTURES / name
            with qtbot.waitSignal(dialog.preview_ready, timeout=WAIT_MS):
                dialog.open_file(path)
        return dialog

    yield _open
    for dialog in opened:
        dialog.close()


def cell(dialog: ImportDialog, row: int, col: int) -> str:
    return str(dialog.preview_model.data(dialog.preview_model.index(row, col), DISPLAY))


def row_with(dialog: ImportDialog, col: int, text: str) -> int:
    for row in range(dialog.preview_model.rowCount()):
        if cell(dialog, row, col) == text:
            return row
    raise AssertionError(f"no row shows {text!r}")


def import_now(qtbot: QtBot, dialog: ImportDialog) -> None:
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def click_radio(qtbot: QtBot, radio: QRadioButton) -> None:
    """Click a radio button on its circle (a wide button's middle may be empty space)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def replan(qtbot: QtBot, dialog: ImportDialog, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(dialog.preview_ready, timeout=WAIT_MS):
        action()


# ----------------------------------------------------------------------------- the preview

def test_a_chosen_calendar_is_previewed_row_by_row_as_the_plan_says(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot,
        qtmodeltester: ModelTester) -> None:
    add(gui_store, "documentation", "2026-03-02 09:30", "2026-03-02 10:00")
    dialog = open_dialog()
    dialog.choose_file = lambda parent: FIXTURES / "outlook_weekly.ics"
    assert dialog.body.currentIndex() == 0  # nothing chosen yet: the explanation and a button
    replan(qtbot, dialog,
           lambda: qtbot.mouseClick(dialog.empty_choose_button, Qt.MouseButton.LeftButton))

    plan = plan_ics(gui_store, FIXTURES / "outlook_weekly.ics", date(2026, 2, 4),
                    date(2026, 4, 1))
    model = dialog.preview_model
    qtmodeltester.check(model)
    assert model.rowCount() == len(plan.rows) == 10
    for action in RowAction:
        assert model.count(action) == plan.count(action)
    assert dialog.summary_label.text() == plan.summary() == \
        "7 to add, 0 to update, 3 to skip, 1 overlapping"
    assert [cell(dialog, r, preview_m.COL_WHERE) for r in range(10)] == \
        [r.draft.where for r in plan.rows]
    assert dialog.period() == (date(2026, 2, 4), date(2026, 4, 1))

    # Skipped rows say why and have no checkbox; rows to add are ticked.
    reasons = {cell(dialog, r, preview_m.COL_WHERE): cell(dialog, r, preview_m.COL_WHY)
               for r in range(10) if cell(dialog, r, preview_m.COL_ACTION) == "Skip"}
    assert reasons == {"line 49": "cancelled in the calendar",
                       "line 56": "outside working hours and no rule matched",
                       "line 74": "all-day event: a leave candidate, not work"}
    skip_row = row_with(dialog, preview_m.COL_WHERE, "line 49")
    assert model.data(model.index(skip_row, 0), Qt.ItemDataRole.CheckStateRole) is None
    intake = row_with(dialog, preview_m.COL_TITLE, "Intake - new patient")  # in memory only
    assert model.data(model.index(intake, 0), Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    assert (cell(dialog, intake, preview_m.COL_WHEN), cell(dialog, intake, preview_m.COL_MINUTES),
            cell(dialog, intake, preview_m.COL_CATEGORY)) == ("Tue 3 Mar 10:00–11:00", "60",
                                                              "Intake")

    # The overlap names the entry it would run into, and the choice says how many overlap.
    first = row_with(dialog, preview_m.COL_WHEN, "Mon 2 Mar 09:00–09:50")
    assert cell(dialog, first, preview_m.COL_WHY).startswith(
        "overlaps Charting Mon 2 Mar 2026 09:30–10:00 in the log; new")
    assert dialog.conflict_count_label.text().startswith("1 row overlaps")
    assert "Thu 5 Mar and Fri 6 Mar are not imported" in dialog.notes_label.text()
    assert dialog.import_button.text() == "Import 7 rows"
    assert gui_store.count_entries() == 1  # a preview changes nothing


def test_a_path_given_to_the_dialog_is_read_at_once(
        qtbot: QtBot, state: AppState) -> None:
    dialog = ImportDialog(state, path=FIXTURES / "google_group.ics")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=WAIT_MS)
    assert dialog.file_label.text() == "google_group.ics"
    assert dialog.summary_label.text() == "4 to add, 0 to update, 0 to skip"


def test_the_period_plans_again_when_it_changes(open_dialog: OpenDialog, qtbot: QtBot) -> None:
    dialog = open_dialog("outlook_weekly.ics")
    assert dialog.preview_model.rowCount() == 10
    replan(qtbot, dialog, lambda: dialog.from_edit.setDate(QDate(2026, 3, 9)))
    assert dialog.plan is not None and dialog.plan.first == date(2026, 3, 9)
    assert [cell(dialog, r, preview_m.COL_WHEN)[:9] for r in range(3)] == \
        ["Mon 9 Mar", "Tue 24 Ma", "Mon 30 Ma"]
    replan(qtbot, dialog, lambda: dialog.to_edit.setDate(QDate(2026, 3, 1)))
    assert dialog.error_label.text() == "The to date 2026-03-01 is before the from date " \
                                        "2026-03-09."
    assert dialog.preview_model.rowCount() == 0 and not dialog.import_button.isEnabled()


# ----------------------------------------------------------------------------- importing

def test_import_writes_the_rows_as_one_change_that_one_undo_takes_back(
        open_dialog: OpenDialog, state: AppState, gui_store: Store, qtbot: QtBot) -> None:
    said: list[str] = []
    state.message.connect(said.append)
    dialog = open_dialog("outlook_weekly.ics")
    with qtbot.waitSignal(state.data_changed, timeout=WAIT_MS):
        import_now(qtbot, dialog)
    sentence = "Added 7, updated 0, skipped 3 — Edit ▸ Undo reverses the whole import"
    assert dialog.result_label.text() == sentence and said == [sentence]
    assert logged(gui_store) == OUTLOOK_LOGGED
    assert {e.source for e in gui_store.all_entries()} == {"import-ics"}
    assert "intake - new patient" not in all_stored_text(gui_store)
    assert not dialog.import_button.isEnabled() and dialog.close_button.text() == "Close"
    done = dialog.preview_model.index(0, preview_m.COL_ACTION)  # the preview is history now
    assert not dialog.preview_model.flags(done) & Qt.ItemFlag.ItemIsUserCheckable
    assert gui_store.undo().label == "import calendar: 7 added"
    assert gui_store.count_entries() == 0


def test_an_unticked_row_is_left_out_of_the_import(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot) -> None:
    dialog = open_dialog("outlook_weekly.ics")
    meeting = row_with(dialog, preview_m.COL_TITLE, "Staff meeting")
    view = dialog.preview_view
    view.setCurrentIndex(dialog.proxy.mapFromSource(
        dialog.preview_model.index(meeting, preview_m.COL_ACTION)))
    qtbot.keyClick(view, Qt.Key.Key_Space)  # the checkbox, from the keyboard
    assert cell(dialog, meeting, preview_m.COL_ACTION) == "Left out"
    assert dialog.summary_label.text().endswith("; 1 left out by you")
    assert dialog.import_button.text() == "Import 6 rows"
    import_now(qtbot, dialog)
    assert dialog.result_label.text().startswith("Added 6, updated 0, skipped 4 — ")
    assert ("2026-03-04 08:30", "09:30", "meeting") not in logged(gui_store)
    assert len(logged(gui_store)) == 6


@pytest.mark.parametrize(("choice", "sentence", "monday"), [
    ("skip", "Added 6, updated 0, skipped 4", None),
    ("trim", "Added 7 (1 trimmed to fit), updated 0, skipped 3",
     ("2026-03-02 09:00", "09:30", "individual")),
])
def test_the_overlap_choice_skips_or_trims_the_imported_row(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot, choice: str, sentence: str,
        monday: tuple[str, str, str] | None) -> None:
    add(gui_store, "documentation", "2026-03-02 09:30", "2026-03-02 10:00")
    dialog = open_dialog("outlook_weekly.ics")
    radio = dialog.trim_radio if choice == "trim" else dialog.skip_radio
    click_radio(qtbot, radio)
    assert dialog.on_conflict() == choice
    import_now(qtbot, dialog)
    assert dialog.result_label.text().startswith(sentence + " — ")
    mondays = [e for e in logged(gui_store) if e[0].startswith("2026-03-02 09:00")]
    assert mondays == ([monday] if monday else [])
    assert ("2026-03-02 09:30", "10:00", "documentation") in logged(gui_store)
    gui_store.undo()
    assert logged(gui_store) == [("2026-03-02 09:30", "10:00", "documentation")]


# ----------------------------------------------------------------------------- rules

def test_a_changed_rule_plans_again_and_is_saved(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot) -> None:
    dialog = open_dialog("google_group.ics")
    consult = row_with(dialog, preview_m.COL_TITLE, "Consult with psychiatry")
    assert cell(dialog, consult, preview_m.COL_CATEGORY) == "Care coordination"
    rule_row = dialog.rules_model.row_of("consult")
    assert rule_row is not None
    combo = dialog.rules_view.indexWidget(dialog.rules_model.index(rule_row, COL_CATEGORY))
    assert isinstance(combo, QComboBox)

    replan(qtbot, dialog, lambda: combo.setCurrentIndex(combo.findData("treatment_planning")))
    assert cell(dialog, consult, preview_m.COL_CATEGORY) == "Treatment planning"
    assert cell(dialog, consult, preview_m.COL_WHY) == "new; rule 'consult'"
    saved = load_rules(gui_store).rules[rule_row]
    assert saved == ImportRule(pattern="consult", category="treatment_planning")

    replan(qtbot, dialog, lambda: combo.setCurrentIndex(combo.findData("care_coordination")))
    assert cell(dialog, consult, preview_m.COL_CATEGORY) == "Care coordination"
    assert load_rules(gui_store) == default_rules()


def test_rules_can_be_added_removed_and_reset(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot) -> None:
    dialog = open_dialog("outlook_weekly.ics")
    webinar = row_with(dialog, preview_m.COL_TITLE, "Evening webinar")
    assert cell(dialog, webinar, preview_m.COL_ACTION) == "Skip"

    qtbot.keyClicks(dialog.pattern_edit, "webinar")
    dialog.new_category_combo.setCurrentIndex(dialog.new_category_combo.findData("training"))
    replan(qtbot, dialog,
           lambda: qtbot.mouseClick(dialog.add_rule_button, Qt.MouseButton.LeftButton))
    assert dialog.rules_model.rule_at(0) == ImportRule(pattern="webinar", category="training")
    assert load_rules(gui_store).rules[0] == dialog.rules_model.rule_at(0)  # new rules go first
    assert (cell(dialog, webinar, preview_m.COL_ACTION),
            cell(dialog, webinar, preview_m.COL_CATEGORY)) == ("Add", "Training")

    dialog.rules_view.selectRow(0)
    replan(qtbot, dialog,
           lambda: qtbot.mouseClick(dialog.remove_rule_button, Qt.MouseButton.LeftButton))
    assert cell(dialog, webinar, preview_m.COL_ACTION) == "Skip"
    assert load_rules(gui_store) == default_rules()

    save_rules(gui_store, default_rules().model_copy(update={"rules": ()}))
    dialog.rules_model.set_rules(load_rules(gui_store))
    asked: list[str] = []
    dialog.confirm = lambda parent, title, text: asked.append(text) is None
    replan(qtbot, dialog,
           lambda: qtbot.mouseClick(dialog.reset_rules_button, Qt.MouseButton.LeftButton))
    assert asked and load_rules(gui_store) == default_rules()
    assert dialog.rules_model.rowCount() == len(default_rules().rules)
    assert isinstance(dialog.rules_view.indexWidget(dialog.rules_model.index(0, COL_CATEGORY)),
                      QComboBox)


def test_an_empty_rule_is_refused_in_words(open_dialog: OpenDialog, gui_store: Store,
                                           qtbot: QtBot) -> None:
    dialog = open_dialog("outlook_weekly.ics")
    qtbot.keyClicks(dialog.pattern_edit, "   ")
    qtbot.mouseClick(dialog.add_rule_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == \
        "A rule needs some text to look for in the event's title."
    assert load_rules(gui_store) == default_rules()


# ----------------------------------------------------------------------------- spreadsheets

def test_a_spreadsheet_shows_its_encoding_delimiter_and_columns(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot) -> None:
    dialog = open_dialog("semicolon_dmy_cp1252.csv")
    assert (dialog.encoding_label.text(), dialog.delimiter_label.text()) == \
        ("Windows-1252", "semicolon")
    assert {f: c.currentText() for f, c in dialog.column_combos.items()} == {
        "date": "Date", "start": "Start", "end": "End", "minutes": "(not in the file)",
        "category": "Category"}
    assert dialog.left_out_label.text().startswith("Left out and never stored: Client.")
    assert dialog.preview_view.isColumnHidden(preview_m.COL_TITLE)
    assert not dialog.date_order_group.isEnabled()  # the file shows the order: nothing to ask
    assert dialog.summary_label.text() == "3 to add, 0 to update, 0 to skip"
    import_now(qtbot, dialog)
    assert logged(gui_store) == [("2026-03-03 09:00", "09:50", "individual"),
                                 ("2026-03-04 10:00", "10:20", "documentation"),
                                 ("2026-03-16 13:00", "13:10", "messages")]
    assert "zoë" not in all_stored_text(gui_store)


def test_the_column_mapping_can_be_changed(open_dialog: OpenDialog, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_text("Wann,Beginn,Dauer,Art\n2026-03-16,09:00,50,Session\n")
    dialog = open_dialog(path)
    assert dialog.error_label.text() == \
        "The file hours.csv has no column for the start; choose it under Columns."
    for fld, header in (("date", "Wann"), ("start", "Beginn"), ("minutes", "Dauer"),
                        ("category", "Art")):
        combo = dialog.column_combos[fld]
        replan(qtbot, dialog, lambda c=combo, h=header: c.setCurrentIndex(c.findData(h)))
    assert dialog.error_label.isHidden()
    assert [cell(dialog, 0, c) for c in (preview_m.COL_WHEN, preview_m.COL_CATEGORY)] == \
        ["Mon 16 Mar 09:00–09:50", "Session"]


def test_ambiguous_dates_are_asked_about_and_the_answer_plans_again(
        open_dialog: OpenDialog, gui_store: Store, qtbot: QtBot) -> None:
    dialog = open_dialog("ambiguous_dates.csv")
    assert dialog.error_label.text() == (
        "Row 2 of ambiguous_dates.csv has the date '03/04/2026', which could be day-month or "
        "month-day; say which under Date order.")
    assert dialog.date_order_group.isEnabled() and dialog.date_order() is None
    assert dialog.preview_model.rowCount() == 0 and not dialog.import_button.isEnabled()

    replan(qtbot, dialog, lambda: click_radio(qtbot, dialog.dmy_radio))
    assert dialog.error_label.isHidden()
    assert [cell(dialog, r, preview_m.COL_WHEN) for r in range(2)] == \
        ["Fri 3 Apr 09:00–09:50", "Fri 5 Jun 09:00–09:50"]
    replan(qtbot, dialog, lambda: click_radio(qtbot, dialog.mdy_radio))
    assert [cell(dialog, r, preview_m.COL_WHEN) for r in range(2)] == \
        ["Wed 4 Mar 09:00–09:50", "Wed 6 May 09:00–09:50"]
    import_now(qtbot, dialog)
    assert [s[:10] for s, _, _ in logged(gui_store)] == ["2026-03-04", "2026-05-06"]


# ----------------------------------------------------------------------------- refused files

@pytest.mark.parametrize("name", ["truncated.ics", "empty.ics", "binary.ics", "ragged.csv",
                                  "header_only.csv", "empty.csv"])
def test_a_file_core_refuses_is_one_red_sentence_and_nothing_is_imported(
        open_dialog: OpenDialog, gui_store: Store, name: str) -> None:
    reader = read_calendar if name.endswith(".ics") else read_table
    with pytest.raises(BadInput) as refused:
        reader(FIXTURES / name)
    dialog = open_dialog(name)
    assert dialog.error_label.text() == refused.value.message
    assert dialog.error_label.isVisible()
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    assert dialog.body.currentIndex() == 0  # back to choosing a file
    dialog.import_button.click()
    assert gui_store.count_entries() == 0


def test_the_truncated_calendar_names_its_line(open_dialog: OpenDialog) -> None:
    dialog = open_dialog("truncated.ics")
    assert dialog.error_label.text() == ("The calendar truncated.ics is cut short: the event "
                                         "that begins on line 43 never ends.")


def test_a_file_of_another_kind_is_refused(open_dialog: OpenDialog, tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    dialog = open_dialog(path)
    assert dialog.error_label.text() == \
        "Carelog imports calendars (.ics) and spreadsheets (.csv); notes.docx is neither."


# ----------------------------------------------------------------------------- the models

def test_the_preview_model_passes_the_qt_model_tester(
        gui_store: Store, qtmodeltester: ModelTester) -> None:
    model = ImportPreviewModel()
    qtmodeltester.check(model)
    plan = plan_ics(gui_store, FIXTURES / "outlook_weekly.ics", date(2026, 3, 1),
                    date(2026, 3, 31))
    model.set_plan(plan, gui_store.categories, gui_store.tz)
    qtmodeltester.check(model)
    first_add = next(i for i in range(model.rowCount()) if model.is_importable(i))
    model.set_included(first_add, False)
    assert model.left_out() == frozenset({model.plan_row_at(first_add).index})
    model.set_plan(plan, gui_store.categories, gui_store.tz)  # a new plan keeps the choice
    assert model.left_out() == frozenset({model.plan_row_at(first_add).index})
    qtmodeltester.check(model)


def test_the_rules_model_passes_the_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = ImportRulesModel()
    model.set_categories([("individual", "Session"), ("training", "Training")])
    qtmodeltester.check(model)
    model.set_rules(default_rules())
    qtmodeltester.check(model)
    assert model.insert_rule(0, "webinar", "training")
    assert not model.insert_rule(0, "  ", "training")
    assert not model.setData(model.index(0, COL_CATEGORY), "no_such_category")
    assert not model.setData(model.index(0, COL_PATTERN), "")
    assert model.data(model.index(0, COL_CATEGORY), DISPLAY) == "Training"
    model.remove_rule(0)
    assert model.rules() == default_rules()
    qtmodeltester.check(model)


def test_one_file_chooser_at_a_time_and_a_size_that_fits_the_screen(
        open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    assert dialog.empty_choose_button.isVisible() and not dialog.choose_button.isVisible()
    dialog.close()
    dialog = open_dialog("outlook_weekly.ics")
    assert dialog.choose_button.isVisible() and not dialog.empty_choose_button.isVisible()
    assert dialog.preview_view.wordWrap()
    assert dialog.preview_view.horizontalHeader().stretchLastSection()
