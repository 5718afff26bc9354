"""Calendar import: recurrences, zones, rules, re-import, undo, overlaps, privacy, bad files."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from carelog.core.cli.importing import add_import_parser
from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import format_local, parse_local
from carelog.core.importing.calendar import default_period, plan_ics
from carelog.core.importing.plan import RowAction, apply_plan, preview_lines
from carelog.core.importing.rules import (
    DEFAULT_RULE_PAIRS,
    ImportRule,
    RuleSet,
    default_rules,
    load_rules,
    reset_rules,
    save_rules,
)
from carelog.core.store.database import Store

from tests.conftest import CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def run_import(store: Store, *args: str) -> CliResult:
    """Run `carelog import ARGS…` against a store the way carelog.core.cli.main.main does."""
    from carelog.core.cli.main import _Parser

    parser = _Parser(prog="carelog")
    add_import_parser(parser.add_subparsers(dest="command", parser_class=_Parser))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            a = parser.parse_args(["import", *args])
            status = a.handler(store, a)
        except CarelogError as exc:
            err.write(f"carelog: {exc.message}\n")
            status = exc.exit_status
        except SystemExit as exc:
            status = int(exc.code or 0)
    return CliResult(status, out.getvalue(), err.getvalue())


def logged(store: Store) -> list[tuple[str, str, str]]:
    """The log as (local start, local end time, category)."""
    return [(format_local(e.start, store.tz), format_local(e.end, store.tz)[11:], e.category)
            for e in store.all_entries()]


def import_file(store: Store, name: str, period: tuple[date, date] = MARCH,
                on_conflict: str = "skip") -> None:
    plan = plan_ics(store, FIXTURES / name, *period)
    apply_plan(store, plan, on_conflict=on_conflict)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- what is imported

def test_weekly_series_with_exdate_moved_occurrence_and_windows_zone(
        scheduled_store: Store) -> None:
    store = scheduled_store
    plan = plan_ics(store, FIXTURES / "outlook_weekly.ics", *MARCH)
    assert (plan.count(RowAction.ADD), plan.count(RowAction.SKIP)) == (7, 3)
    apply_plan(store, plan)
    assert logged(store) == [
        ("2026-03-02 09:00", "09:50", "individual"),
        ("2026-03-03 10:00", "11:00", "intake"),
        ("2026-03-04 08:30", "09:30", "meeting"),
        ("2026-03-04 12:30", "13:00", "break"),
        ("2026-03-09 09:00", "09:50", "individual"),  # after the change to daylight time
        ("2026-03-24 14:00", "14:50", "individual"),  # moved from Monday the 23rd
        ("2026-03-30 09:00", "09:50", "individual"),
    ]  # the 16th is an EXDATE; the cancelled and the evening event are skipped
    assert all(e.source == "import-ics" for e in store.all_entries())


def test_skipped_rows_say_why(scheduled_store: Store) -> None:
    plan = plan_ics(scheduled_store, FIXTURES / "outlook_weekly.ics", *MARCH)
    reasons = {r.draft.where: r.reason for r in plan.rows if r.action is RowAction.SKIP}
    assert reasons == {"line 49": "cancelled in the calendar",
                       "line 56": "outside working hours and no rule matched",
                       "line 74": "all-day event: a leave candidate, not work"}


def test_all_day_event_is_a_leave_candidate_not_work(scheduled_store: Store) -> None:
    plan = plan_ics(scheduled_store, FIXTURES / "outlook_weekly.ics", *MARCH)
    assert plan.leave_days == [date(2026, 3, 5), date(2026, 3, 6)]
    apply_plan(scheduled_store, plan)
    assert not [e for e in logged(scheduled_store) if e[0][:10] in ("2026-03-05", "2026-03-06")]
    assert not scheduled_store.leave_between(date(2026, 3, 1), date(2026, 3, 31))


def test_utc_floating_and_windows_zone_without_vtimezone(store: Store) -> None:
    import_file(store, "utc_floating_windows.ics")
    assert logged(store) == [
        ("2026-03-10 10:00", "10:50", "individual"),  # 17:00 UTC
        ("2026-03-11 09:00", "09:50", "individual"),  # floating: read in the user's zone
        ("2026-03-12 10:00", "10:50", "individual"),  # 13:00 "Eastern Standard Time"
    ]


def test_utc_times_follow_x_wr_timezone_across_daylight_saving(store: Store) -> None:
    store.set_timezone("America/New_York")
    import_file(store, "google_group.ics")
    # The group is at 10:00 in Los Angeles both before and after 8 March; in New York 13:00.
    assert logged(store) == [
        ("2026-03-02 13:00", "14:30", "group"),
        ("2026-03-03 17:00", "17:30", "care_coordination"),  # floating, in the X-WR zone
        ("2026-03-09 13:00", "14:30", "group"),
        ("2026-03-16 13:00", "14:30", "group"),
    ]


def test_unbounded_rule_is_expanded_only_inside_the_period(store: Store) -> None:
    import_file(store, "unbounded_weekly.ics")
    assert [s[:10] for s, _, _ in logged(store)] == [
        "2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"]


def test_default_period_is_the_last_8_weeks_up_to_today(store: Store) -> None:
    assert default_period(date(2026, 3, 18)) == (date(2026, 1, 21), date(2026, 3, 18))
    plan = plan_ics(store, FIXTURES / "unbounded_weekly.ics", today=date(2026, 3, 18))
    days = [format_local(r.draft.start or 0, store.tz)[:10] for r in plan.rows]
    assert days[0] == "2026-01-27" and days[-1] == "2026-03-17" and len(days) == 8


def test_period_checks(store: Store) -> None:
    with pytest.raises(BadInput, match="before the from date"):
        plan_ics(store, FIXTURES / "unbounded_weekly.ics", date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(BadInput, match="longer than five years"):
        plan_ics(store, FIXTURES / "unbounded_weekly.ics", date(2020, 1, 1), date(2026, 1, 1))


# ----------------------------------------------------------------------------- rules

def test_default_rules_map_titles_to_categories() -> None:
    rules = default_rules()
    chosen = {t: rules.choose(t, in_hours=True).category for t in (
        "Intake – new patient", "DBT skills group", "Group prep", "Staff  meeting", "Lunch",
        "Crisis walk-in", "Session", "Cancelled: session", "IPC", "Consult w/ psychiatry")}
    assert chosen == {
        "Intake – new patient": "intake", "DBT skills group": "group",
        "Group prep": "group_prep", "Staff  meeting": "meeting", "Lunch": "break",
        "Crisis walk-in": "urgent", "Session": "individual", "Cancelled: session": None,
        "IPC": None, "Consult w/ psychiatry": "care_coordination"}
    assert rules.choose("Session", in_hours=False).category is None
    assert not ImportRule(pattern="intake", category="intake").matches("reintake")


def test_rules_are_stored_edited_and_reset(scheduled_store: Store) -> None:
    store = scheduled_store
    assert load_rules(store) == default_rules()
    assert len(load_rules(store).rules) == len(DEFAULT_RULE_PAIRS)
    mine = RuleSet(rules=(ImportRule(pattern="session", category="urgent"),), fallback="skip")
    save_rules(store, mine)
    assert load_rules(store) == mine
    import_file(store, "outlook_weekly.ics")
    assert {c for _, _, c in logged(store)} == {"urgent"}  # everything else is skipped now
    with pytest.raises(BadInput, match=r"Rule 1 \('x'\) names the category 'therapy'"):
        save_rules(store, RuleSet(rules=(ImportRule(pattern="x", category="therapy"),)))
    assert reset_rules(store) == default_rules() == load_rules(store)


def test_a_changed_rule_shows_in_a_new_plan_before_saving(scheduled_store: Store) -> None:
    rules = default_rules().model_copy(update={"fallback": "documentation"})
    plan = plan_ics(scheduled_store, FIXTURES / "outlook_weekly.ics", *MARCH, rules=rules)
    assert [r.new.category for r in plan.rows if r.new][:1] == ["documentation"]
    assert load_rules(scheduled_store) == default_rules()


# ----------------------------------------------------------------------------- again and undo

def test_importing_the_same_file_twice_adds_nothing(scheduled_store: Store) -> None:
    import_file(scheduled_store, "outlook_weekly.ics")
    before = scheduled_store.all_entries()
    plan = plan_ics(scheduled_store, FIXTURES / "outlook_weekly.ics", *MARCH)
    assert plan.count(RowAction.ADD) == plan.count(RowAction.UPDATE) == 0
    result = apply_plan(scheduled_store, plan)
    assert result.label is None and scheduled_store.all_entries() == before
    assert scheduled_store.undo_label() is not None and "7 added" in \
        (scheduled_store.undo_label() or "")


def test_an_updated_event_updates_its_entry(store: Store) -> None:
    import_file(store, "update_v1.ics")
    ids = {s: e.id for (s, _, _), e in zip(logged(store), store.all_entries(), strict=True)}
    plan = plan_ics(store, FIXTURES / "update_v2.ics", *MARCH)
    assert (plan.count(RowAction.ADD), plan.count(RowAction.UPDATE)) == (1, 2)
    apply_plan(store, plan)
    assert logged(store) == [
        ("2026-03-05 13:00", "13:50", "individual"),
        ("2026-03-10 11:00", "11:50", "individual"),  # moved from 09:00
        ("2026-03-11 10:00", "11:00", "intake"),      # new
        ("2026-03-12 13:00", "13:50", "individual"),
        ("2026-03-19 15:00", "15:50", "individual"),  # one occurrence moved from 13:00
        ("2026-03-26 13:00", "13:50", "individual"),
    ]
    now = {format_local(e.start, store.tz): e.id for e in store.all_entries()}
    assert now["2026-03-10 11:00"] == ids["2026-03-10 09:00"]
    assert now["2026-03-19 15:00"] == ids["2026-03-19 13:00"]


def test_one_undo_reverses_the_whole_import_and_it_can_be_imported_again(
        scheduled_store: Store) -> None:
    store = scheduled_store
    store.add_entry("documentation", parse_local("2026-03-02 10:00", store.tz),
                    parse_local("2026-03-02 10:20", store.tz), via=Via.CLI)
    import_file(store, "outlook_weekly.ics")
    assert store.count_entries() == 8
    assert store.undo().label == "import calendar: 7 added"
    assert store.count_entries() == 1
    plan = plan_ics(store, FIXTURES / "outlook_weekly.ics", *MARCH)
    assert plan.count(RowAction.ADD) == 7
    store.redo()
    assert store.count_entries() == 8
    assert plan_ics(store, FIXTURES / "outlook_weekly.ics", *MARCH).count(RowAction.ADD) == 0


def test_undoing_an_update_lets_the_next_import_update_again(store: Store) -> None:
    import_file(store, "update_v1.ics")
    import_file(store, "update_v2.ics")
    store.undo()
    assert ("2026-03-10 09:00", "09:50", "individual") in logged(store)
    plan = plan_ics(store, FIXTURES / "update_v2.ics", *MARCH)
    assert (plan.count(RowAction.ADD), plan.count(RowAction.UPDATE)) == (1, 2)


def test_a_change_made_in_carelog_is_kept_when_the_event_did_not_change(store: Store) -> None:
    import_file(store, "update_v1.ics")
    first = store.all_entries()[0]
    store.edit_entry(int(first.id or 0), category="intake", via=Via.CLI)
    plan = plan_ics(store, FIXTURES / "update_v1.ics", *MARCH)
    assert plan.count(RowAction.UPDATE) == 0
    assert "keeps your changes" in plan.rows[0].reason
    apply_plan(store, plan)
    assert store.get_entry(int(first.id or 0)).category == "intake"


# ----------------------------------------------------------------------------- overlaps

def test_overlaps_are_listed_then_skipped_or_trimmed(scheduled_store: Store) -> None:
    store = scheduled_store
    [mine] = store.add_entry("documentation", parse_local("2026-03-02 09:30", store.tz),
                             parse_local("2026-03-02 10:00", store.tz), via=Via.CLI)
    plan = plan_ics(store, FIXTURES / "outlook_weekly.ics", *MARCH)
    [conflict] = plan.conflicts
    assert conflict.entry_ids == (mine.id,) and conflict.where == "line 20"
    assert any("overlaps entry 1" in line for line in preview_lines(store, plan))
    result = apply_plan(store, plan, on_conflict="skip")
    assert (result.added, result.overlapping_skipped) == (6, 1)
    assert ("2026-03-02 09:00", "09:50", "individual") not in logged(store)
    store.undo()
    result = apply_plan(store, plan, on_conflict="trim")
    assert (result.added, result.trimmed) == (7, 1)
    assert ("2026-03-02 09:00", "09:30", "individual") in logged(store)
    assert store.check().ok


def test_rows_left_out_in_the_preview_are_not_imported(scheduled_store: Store) -> None:
    plan = plan_ics(scheduled_store, FIXTURES / "outlook_weekly.ics", *MARCH)
    first = next(r.index for r in plan.rows if r.action is RowAction.ADD)
    result = apply_plan(scheduled_store, plan, exclude=frozenset({first}))
    assert result.added == 6


# ----------------------------------------------------------------------------- privacy

SECRETS = ("new patient", "webinar", "follow-up", "room 4", "frontdesk", "front desk",
           "series-monday", "040000008200E00074C5B7101A82E008")


def all_stored_text(store: Store) -> str:
    """Every text value in every table of the database, lower-cased."""
    chunks = []
    tables = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in store.conn.execute(f'SELECT * FROM "{table}"'):
            chunks.extend(str(v).lower() for v in row if isinstance(v, str))
    return "\n".join(chunks)


def test_no_title_description_location_attendee_or_uid_is_stored(
        scheduled_store: Store) -> None:
    store = scheduled_store
    plan = plan_ics(store, FIXTURES / "outlook_weekly.ics", *MARCH)
    assert any(r.draft.title == "Intake - new patient" for r in plan.rows)  # in memory only
    dumped = plan.model_dump_json().lower()
    shown = "\n".join(preview_lines(store, plan)).lower()
    apply_plan(store, plan)
    store.undo()
    store.redo()
    stored = all_stored_text(store)
    for secret in SECRETS:
        assert secret.lower() not in stored, secret
        assert secret.lower() not in dumped, secret
        assert secret.lower() not in shown, secret


# ----------------------------------------------------------------------------- bad files

@pytest.mark.parametrize(("name", "message"), [
    ("empty.ics", "carelog: The file empty.ics is empty."),
    ("truncated.ics", "carelog: The calendar truncated.ics is cut short: the event that begins "
                      "on line 43 never ends."),
    ("minutely_unbounded.ics", "carelog: Line 9 of minutely_unbounded.ics makes an event "
                               "repeat every minute; Carelog imports appointments that repeat "
                               "at most once a day."),
    ("many_alarms.ics", "carelog: The event on line 4 of many_alarms.ics has more than 50 "
                        "alarms (line 259); a calendar this unusual is not imported."),
    ("binary.ics", "carelog: The file binary.ics is not a calendar: it holds binary data, not "
                   "text."),
])
def test_bad_calendars_are_one_sentence_exit_2_and_import_nothing(
        store: Store, name: str, message: str) -> None:
    r = run_import(store, "ics", str(FIXTURES / name), "--from", "2026-03-01", "--to",
                   "2026-03-31")
    assert (r.status, r.err.strip(), r.out) == (2, message, "")
    assert store.count_entries() == 0 and store.undo_label() is None


def test_a_text_file_that_is_not_a_calendar(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.ics"
    path.write_text("date,start\n2026-03-02,09:00\n")
    with pytest.raises(BadInput, match=r"not a calendar: line 1 should read BEGIN:VCALENDAR"):
        plan_ics(store, path, *MARCH)


def test_a_binary_file_made_on_the_spot(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "photo.ics"
    path.write_bytes(bytes(range(256)) * 8)
    r = run_import(store, "ics", str(path))
    assert r.status == 2 and "holds binary data" in r.err


def test_a_missing_file(store: Store, tmp_path: Path) -> None:
    r = run_import(store, "ics", str(tmp_path / "nowhere.ics"))
    assert r.status == 2 and r.err.startswith("carelog: The file ") and "could not be read" \
        in r.err


# ----------------------------------------------------------------------------- command line

def test_dry_run_prints_the_preview_and_changes_nothing(scheduled_store: Store) -> None:
    r = run_import(scheduled_store, "ics", str(FIXTURES / "outlook_weekly.ics"), "--from",
                   "2026-03-01", "--to", "2026-03-31", "--dry-run")
    assert r.status == 0
    lines = r.out.splitlines()
    assert lines[0] == ("outlook_weekly.ics, 2026-03-01 to 2026-03-31: 7 to add, 0 to update, "
                        "3 to skip.")
    assert any(line.startswith("line 43     add     intake") and "2026-03-03 10:00" in line
               for line in lines)
    assert "new patient" not in r.out.lower()
    assert "leave candidates" in r.out
    assert scheduled_store.count_entries() == 0


def test_import_prints_one_line(scheduled_store: Store) -> None:
    r = run_import(scheduled_store, "ics", str(FIXTURES / "outlook_weekly.ics"), "--from",
                   "2026-03-01", "--to", "2026-03-31")
    assert (r.status, r.out) == (0, "Imported outlook_weekly.ics: 7 added, 0 updated, 3 skipped;"
                                    " carelog undo reverses the whole import.\n")
    r = run_import(scheduled_store, "ics", str(FIXTURES / "outlook_weekly.ics"), "--from",
                   "2026-03-01", "--to", "2026-03-31")
    assert r.out.startswith("Nothing imported from outlook_weekly.ics: 10 skipped")


def test_bad_dates_on_the_command_line(store: Store) -> None:
    r = run_import(store, "ics", str(FIXTURES / "unbounded_weekly.ics"), "--from", "2026-02-30")
    assert (r.status, r.err) == (2, "carelog: The from date '2026-02-30' does not exist on the "
                                    "calendar.\n")


def _import_is_wired() -> bool:
    from carelog.core.cli.main import build_parser

    with contextlib.redirect_stderr(io.StringIO()):
        try:
            build_parser().parse_args(["import", "ics", "x.ics"])
        except SystemExit:
            return False
    return True


# Runs once carelog.core.cli.main's build_parser calls carelog.core.cli.importing.add_import_parser.
@pytest.mark.skipif(not _import_is_wired(), reason="import is not wired into the CLI yet")
def test_through_the_carelog_command(cli: Callable[..., CliResult]) -> None:
    r = cli("import", "ics", str(FIXTURES / "update_v1.ics"), "--from", "2026-03-01", "--to",
            "2026-03-31")
    assert r.status == 0 and r.out.startswith("Imported update_v1.ics: 5 added")
    assert cli("undo").out == "Undid: import calendar: 5 added\n"
    r = cli("import", "ics", str(FIXTURES / "truncated.ics"))
    assert r.status == 2 and r.err.startswith("carelog: The calendar truncated.ics is cut short")


def test_namespace_can_be_built_by_hand(scheduled_store: Store) -> None:
    from carelog.core.cli.importing import cmd_import

    a = argparse.Namespace(kind="ics", file=str(FIXTURES / "google_group.ics"),
                           from_date="2026-03-01", to_date="2026-03-31", dry_run=False,
                           on_conflict="skip")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cmd_import(scheduled_store, a) == 0
    assert scheduled_store.count_entries() == 4


def test_the_stored_key_differs_between_databases(tmp_path: Path) -> None:
    keys = []
    for n in range(2):
        with Store.open(tmp_path / f"{n}.db", daily_backup=False) as s:
            s.set_timezone("America/Los_Angeles")
            import_file(s, "update_v1.ics")
            keys.append({r[0] for r in s.conn.execute("SELECT key FROM import_links")})
    assert len(keys[0]) == 5 and not keys[0] & keys[1]


def test_a_guessed_zone_is_a_preview_warning(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "evolution.ics"
    zone_id = "/freeassociation.sourceforge.net/Europe/Berlin"
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:b1\nSUMMARY:Session\n"
                    f"DTSTART;TZID={zone_id}:20260310T090000\n"
                    f"DTEND;TZID={zone_id}:20260310T095000\nEND:VEVENT\nEND:VCALENDAR\n")
    plan = plan_ics(store, path, *MARCH)
    assert f"Timezone '{zone_id}' is a globally unique TZID; guessing it means 'Europe/Berlin'." \
        in plan.warnings
    apply_plan(store, plan)
    assert logged(store) == [("2026-03-10 01:00", "01:50", "individual")]


def test_two_events_at_the_same_time_are_an_overlap_not_one_event(store: Store,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "double.ics"
    event = ("BEGIN:VEVENT\nUID:{uid}\nSUMMARY:Session\nDTSTART:20260310T170000Z\n"
             "DTEND:20260310T175000Z\nEND:VEVENT\n")
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\n" + event.format(uid="a") +
                    event.format(uid="b") + "END:VCALENDAR\n")
    plan = plan_ics(store, path, *MARCH)
    assert [(c.where, c.rows) for c in plan.conflicts] == [("line 9", (0,))]
    assert apply_plan(store, plan).overlapping_skipped == 1
    again = plan_ics(store, path, *MARCH)  # the first is in; the second still overlaps it
    assert [(r.action, r.reason, r.clashes) for r in again.rows] == [
        (RowAction.SKIP, "already in the log as entry 1", ()), (RowAction.ADD, "new", (1,))]
    assert apply_plan(store, again).label is None and store.count_entries() == 1


def test_an_event_ending_before_it_starts_is_skipped_not_swapped(store: Store) -> None:
    plan = plan_ics(store, FIXTURES / "ends_before_start.ics", date(2026, 11, 1),
                    date(2026, 11, 30))
    assert plan.count(RowAction.ADD) == 0
    assert [r.reason for r in plan.rows] == ["ends before it starts in the calendar"]


def test_an_event_before_the_schedule_begins_is_never_outside_working_hours(
        store: Store, tmp_path: Path) -> None:
    from carelog.core.domain.schedule import standard_week
    from carelog.core.domain.target_rules import PRESETS

    store.set_timezone("America/Los_Angeles")
    store.save_schedule(standard_week(date(2026, 3, 16), "America/Los_Angeles",
                                      PRESETS[0].rule))
    ics = tmp_path / "before.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                   "BEGIN:VEVENT\r\nUID:late-1\r\nSUMMARY:Late session\r\n"
                   "DTSTART;TZID=America/Los_Angeles:20260302T193000\r\n"
                   "DTEND;TZID=America/Los_Angeles:20260302T202000\r\n"
                   "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    plan = plan_ics(store, ics, *MARCH)
    [row] = plan.rows
    assert "outside working hours" not in row.why
    assert row.draft.reason == "no rule matched; no working hours are set for that day"


# ----------------------------------------------------------------------------- hostile calendars

def _calendar(tmp_path: Path, body: str, name: str = "c.ics") -> Path:
    path = tmp_path / name
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body.replace("\n", "\r\n")
                    + "END:VCALENDAR\r\n")
    return path


EVENT = ("BEGIN:VEVENT\nUID:{uid}\nSUMMARY:Session\nDTSTART:20261110T170000Z\n"
         "DTEND:20261110T175000Z\n{extra}END:VEVENT\n")


@pytest.mark.parametrize("rule", ["FREQ=DAILY;INTERVAL=0", "FREQ=WEEKLY;INTERVAL=-1",
                                  "FREQ=DAILY;INTERVAL=x", "FREQ=DAILY;COUNT=0",
                                  "FREQ=SOMETIMES", "FREQ=MINUTELY", "FREQ=DAILY;BYHOUR=9,10"])
def test_a_repeat_rule_that_never_ends_or_repeats_too_often_is_refused(
        rule: str, store: Store, tmp_path: Path) -> None:
    path = _calendar(tmp_path, EVENT.format(uid="a", extra=f"RRULE:{rule}\n"))
    r = run_import(store, "ics", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert r.status == 2 and r.err.count("\n") == 1
    assert "Line 8 of c.ics" in r.err
    assert store.count_entries() == 0


@pytest.mark.parametrize("freq", ["MINUTELY", "HOURLY", "DAILY", "SECONDLY"])
def test_a_time_zone_that_changes_more_than_yearly_is_refused(
        freq: str, store: Store, tmp_path: Path) -> None:
    zone = ("BEGIN:VTIMEZONE\nTZID:Odd\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
            f"RRULE:FREQ={freq}\nTZOFFSETFROM:-0700\nTZOFFSETTO:-0800\nEND:STANDARD\n"
            "END:VTIMEZONE\n")
    event = EVENT.replace("DTSTART:20261110T170000Z", "DTSTART;TZID=Odd:20261110T090000") \
        .replace("DTEND:20261110T175000Z", "DTEND;TZID=Odd:20261110T095000")
    path = _calendar(tmp_path, zone + event.format(uid="a", extra=""))
    r = run_import(store, "ics", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert r.status == 2 and "Line 7 of c.ics" in r.err and r.err.count("\n") == 1


def test_an_import_has_a_budget_of_time_and_names_the_event(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carelog.core.importing import calendar

    monkeypatch.setattr(calendar, "MAX_EXPANSION_SECONDS", 0.3)
    # Allowed, but finds no day for years on end: February the 30th, every day.
    path = _calendar(tmp_path, EVENT.format(uid="a", extra="") + EVENT.format(
        uid="b", extra="RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n"))
    r = run_import(store, "ics", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert r.status == 2 and r.err.count("\n") == 1
    assert "line 9 of c.ics" in r.err.lower() and "too long" in r.err
    assert store.count_entries() == 0


def test_a_negative_duration_is_skipped_not_swapped(store: Store, tmp_path: Path) -> None:
    body = EVENT.replace("DTEND:20261110T175000Z\n", "DURATION:-PT30M\n")
    path = _calendar(tmp_path, body.format(uid="a", extra=""))
    plan = plan_ics(store, path, date(2026, 11, 1), date(2026, 11, 30))
    assert plan.count(RowAction.ADD) == 0
    assert [r.reason for r in plan.rows] == ["ends before it starts in the calendar"]


def test_an_unknown_time_zone_is_said_not_read_silently_in_yours(
        store: Store, tmp_path: Path) -> None:
    body = EVENT.replace("DTSTART:20261110T170000Z", "DTSTART;TZID=Atlantis/Lost:20261110T090000")\
        .replace("DTEND:20261110T175000Z", "DTEND;TZID=Atlantis/Lost:20261110T095000")
    path = _calendar(tmp_path, body.format(uid="a", extra=""))
    r = run_import(store, "ics", str(path), "--from", "2026-11-01", "--to", "2026-11-30",
                   "--dry-run")
    assert r.status == 0
    assert "Atlantis/Lost" in r.err and "your zone" in r.err
