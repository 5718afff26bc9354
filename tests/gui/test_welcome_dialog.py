"""The first-run welcome: a schedule from a preset, a separate demo database, or later."""

from __future__ import annotations

from datetime import date

import pytest
from carelog.core.domain.schedule import standard_week
from carelog.core.domain.target_rules import EXAMPLE_NOTE, PRESETS_BY_KEY
from carelog.core.store.database import Store
from carelog.core.store.preferences import load_preferences
from carelog.gui.dialogs.welcome_dialog import WelcomeDialog
from carelog.gui.main_window import TAB_WEEK, MainWindow, demo_path
from PySide6.QtCore import Qt, QTime
from pytestqt.qtbot import QtBot

from .conftest import LA

Welcomed = tuple[MainWindow, WelcomeDialog]


def _click(qtbot: QtBot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(qtbot: QtBot, dialog: WelcomeDialog, preset: str, hours: float) -> None:
    """Choose a preset and the weekly hours by clicking their buttons, as a person would."""
    _click(qtbot, dialog.preset_buttons[preset])
    _click(qtbot, dialog.hours_buttons[hours])


@pytest.fixture
def welcomed(make_window, bare_store: Store) -> Welcomed:
    """A window on a fresh database, and the welcome it opens."""
    window = make_window(bare_store)
    return window, window.show_welcome()


def test_a_fresh_database_is_welcomed_and_a_scheduled_one_is_not(
        make_window, bare_store: Store) -> None:
    window = make_window(bare_store)
    assert window.needs_welcome()
    # Nothing is empty and unexplained: Today says how to log, Week how to get a schedule.
    assert window.day_view.empty_label.isVisible()
    assert "Alt+M" in window.day_view.empty_label.text()
    assert "set up your working hours" in window.day_view.week_label.text()
    assert window.day_view.schedule_button.isVisible()
    from carelog.core.domain.schedule import parse_schedule_toml

    from .conftest import SCHEDULE_TOML

    bare_store.save_schedule(parse_schedule_toml(SCHEDULE_TOML))
    assert not make_window(bare_store).needs_welcome()


def test_every_preset_is_shown_as_an_example_with_its_preview(
        welcomed: Welcomed, bare_store: Store) -> None:
    _window, dialog = welcomed
    assert dialog.isVisible() and dialog.isModal()
    for key, preset in PRESETS_BY_KEY.items():
        assert dialog.preset_buttons[key].text() == preset.label
        assert EXAMPLE_NOTE in dialog.preset_buttons[key].text()
        assert preset.rule.preview(40.0) in dialog.preview_labels[key].text()
    dialog.choose("kaiser-norcal-2022", 32.0)
    rule = PRESETS_BY_KEY["kaiser-norcal-2022"].rule
    assert rule.preview(32.0) in dialog.preview_labels["kaiser-norcal-2022"].text()
    dialog.reject()


def test_create_saves_the_presets_schedule_and_the_welcome_is_done(
        qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    window, dialog = welcomed
    _choose(qtbot, dialog, "7h-per-40h", 32.0)
    dialog.zone_combo.setCurrentText(LA)
    _click(qtbot, dialog.create_button)

    assert not dialog.isVisible()
    versions = bare_store.schedules().versions
    assert len(versions) == 1
    saved = versions[0]
    assert saved.target == PRESETS_BY_KEY["7h-per-40h"].rule
    assert saved == standard_week(date(2026, 11, 16), LA, PRESETS_BY_KEY["7h-per-40h"].rule,
                                  32.0)
    assert bare_store.timezone_name == LA
    assert load_preferences(bare_store).welcome_done
    assert not window.needs_welcome()
    assert window.tabs.currentIndex() == TAB_WEEK  # straight to where the week stands
    assert window.week_view.status_text() != ""


def test_a_custom_rule_and_other_hours(qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    _window, dialog = welcomed
    dialog.custom_hours.setValue(6.0)
    dialog.other_hours.setValue(20.0)
    dialog.zone_combo.setCurrentText(LA)
    assert dialog.preset_key() == "custom" and dialog.weekly_hours() == 20.0
    _click(qtbot, dialog.create_button)
    saved = bare_store.schedules().versions[0]
    assert (saved.target.rule, saved.target.hours, saved.target.full_time_h) == \
        ("hours", 6.0, 40.0)
    assert saved.weekly_minutes == 20 * 60


def test_an_unknown_time_zone_is_named_and_nothing_is_saved(
        qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    _window, dialog = welcomed
    dialog.zone_combo.setCurrentText("Mars/Olympus")
    _click(qtbot, dialog.create_button)
    assert dialog.isVisible()
    assert "Mars/Olympus" in dialog.error_label.text()
    assert not bare_store.schedules()
    dialog.reject()


def test_later_changes_nothing(qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    window, dialog = welcomed
    _click(qtbot, dialog.later_button)
    assert not dialog.isVisible()
    assert not bare_store.schedules()
    assert not load_preferences(bare_store).welcome_done
    assert window.needs_welcome()  # asked again next time


def test_the_demo_opens_a_separate_database_titled_demo_data(
        qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    window, dialog = welcomed
    assert isinstance(dialog, WelcomeDialog)
    _click(qtbot, dialog.demo_button)
    with qtbot.waitSignal(window.demo_operation.finished, timeout=30_000):
        pass
    demo = demo_path(bare_store.path)
    assert demo.name == "carelog-demo.db" and demo.parent == bare_store.path.parent
    assert window.is_demo
    assert window.store.path == demo
    assert window.store.count_entries() > 500 and window.store.schedules()
    assert "Demo data" in window.windowTitle()
    assert window.day_view.model.rowCount() > 0
    assert bare_store.count_entries() == 0 and not bare_store.schedules()  # untouched
    assert window.leave_demo_action.isVisible()
    assert window.demo_banner.isVisible()
    assert "demo database" in window.demo_banner_label.text()

    _click(qtbot, window.demo_banner_button)
    assert not window.is_demo
    assert not window.demo_banner.isVisible()
    assert window.store is bare_store
    assert window.windowTitle() == "Carelog — carelog.db"
    assert window.day_view.model.rowCount() == 0


def test_the_week_is_built_in_a_grid_the_therapist_edits(
        qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    _window, dialog = welcomed
    _choose(qtbot, dialog, "7h-per-40h", 32.0)
    monday, friday = dialog.grid.rows["mon"], dialog.grid.rows["fri"]
    # Part time in whole quarter hours: no day ends at 15:24.
    assert [dialog.grid.rows[d].end.time().toString("HH:mm")
            for d in ("mon", "tue", "wed", "thu", "fri")] == \
        ["15:30", "15:30", "15:30", "15:15", "15:15"]
    assert dialog.protected_label.text() == (
        "Your protected blocks add up to 5 h 0 m a week; the target for these hours is "
        "5 h 36 m (7 h of protected time per 40 h week). The blocks are 36 m short of it: "
        "the rest has to come from time between appointments, or add blocks.")
    _click(qtbot, friday.works)  # Friday off
    monday.protected.setFocus()
    monday.protected.selectAll()
    qtbot.keyClicks(monday.protected, "120")
    assert dialog.protected_label.text() == ("Monday's protected time 14:30–16:30 is not "
                                             "inside its working hours (lunch aside).")
    monday.protected_at.setTime(QTime(13, 0))
    dialog.zone_combo.setCurrentText("America/Los Angeles")
    _click(qtbot, dialog.create_button)
    assert dialog.error_label.text() == ""
    saved = bare_store.schedules().versions[0]
    assert not saved.ranges(4)
    assert [b.span.minutes for b in saved.blocks(0)] == [120]
    assert saved.timezone == LA


def test_the_sentence_explains_blocks_that_cover_the_target(
        qtbot: QtBot, welcomed: Welcomed, bare_store: Store) -> None:
    _window, dialog = welcomed
    _choose(qtbot, dialog, "kaiser-socal-2024", 40.0)
    assert dialog.protected_label.text().endswith("The blocks cover it exactly.")
    dialog.close()
