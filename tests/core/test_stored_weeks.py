"""The stored ledger: a complete week read back is the week computed afresh, after any change.

Every change that touches a week must remove its stored record (the triggers of migration
m006); these tests make each kind of change, and random runs of them, and compare every stored
week with a fresh computation. The summary a therapist reads is byte for byte the same whether
its weeks were stored or computed.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from carelog.core.domain.history import Reason, ReasonCode, Via
from carelog.core.domain.models import (
    AccessObservation,
    BlockTag,
    CapacityObservation,
    ErosionReason,
    EscalationResponse,
    Leave,
    new_escalation,
)
from carelog.core.domain.schedule import ScheduleSet, parse_schedule_toml
from carelog.core.domain.target_rules import PRESETS_BY_KEY
from carelog.core.domain.timeutil import Period, now_instant, parse_local, week_label
from carelog.core.ledger import load
from carelog.core.ledger.load import compute_period, load_ledger
from carelog.core.ledger.stored import remember, stored_records, summary
from carelog.core.ledger.week import STORED_VERSION
from carelog.core.store.database import Store
from carelog.core.store.settings import Setting
from carelog.core.store.week_records import partly_met_at_on
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LA, STANDARD_TOML, CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# November 2026 and the week under way at the tests' "now" (Tuesday 1 December, noon).
PERIOD = Period(date(2026, 11, 2), date(2026, 12, 6))
MONDAYS = PERIOD.weeks


def at(store: Store, text: str) -> int:
    return parse_local(text, store.tz)


def stored_mondays(store: Store) -> set[date]:
    rows = store.conn.execute("SELECT monday FROM week_records").fetchall()
    return {date.fromisoformat(r[0]) for r in rows}


def assert_stored_weeks_are_fresh(store: Store, period: Period = PERIOD) -> None:
    """Read the period (storing its complete weeks), then hold each stored week to a fresh one."""
    now = now_instant()
    read = load_ledger(store, period, now)
    with store.reading():
        stored = stored_records(store, period, now)
    fresh = compute_period(store, period, now, store.schedules())
    for w in fresh.weeks:
        if not w.complete:
            assert w.start not in stored, w.week
            continue
        kept = stored[w.start]
        assert kept.to_stored() == w.to_stored(), w.week
        assert (kept.starts_at, kept.ends_at) == (w.starts_at, w.ends_at), w.week
    # Read back with the window's detail, each week equals the computed one in every field.
    assert read.weeks == fresh.weeks
    assert read.totals == fresh.totals


@pytest.fixture
def busy(scheduled_store: Store) -> Store:
    """A month of entries, leave, a tagged block, an escalation and capacity counts."""
    s = scheduled_store
    for monday in MONDAYS:
        for day in range(5):
            d = (monday + timedelta(days=day)).isoformat()
            s.add_entry("individual", at(s, f"{d} 09:00"), at(s, f"{d} 09:50"), via=Via.CLI)
            s.add_entry("documentation", at(s, f"{d} 09:50"), at(s, f"{d} 10:00"), via=Via.CLI)
            s.add_entry("break", at(s, f"{d} 12:30"), at(s, f"{d} 13:00"), via=Via.CLI)
            s.add_entry("messages", at(s, f"{d} 16:10"), at(s, f"{d} 16:40"), via=Via.CLI)
    s.add_leave(Leave(day=date(2026, 11, 13), minutes=240))
    s.save_block_tag(BlockTag(day=date(2026, 11, 10), start_minute=960,
                              reason=ErosionReason.MEETING))
    s.add_escalation(new_escalation(date(2026, 11, 17), 960, at(s, "2026-11-17 17:10"),
                                    "clinic manager", "in_person", "restore_block", "a note"))
    s.log_capacity(CapacityObservation(day=date(2026, 11, 18), caseload=120,
                                       return_not_offered=3))
    s.log_access(AccessObservation(day=date(2026, 11, 19), days=12))
    return s


# ----------------------------------------------------------------------------- reading back

def test_complete_weeks_are_stored_and_the_week_under_way_is_not(busy: Store) -> None:
    assert stored_mondays(busy) == set()
    assert_stored_weeks_are_fresh(busy)
    assert stored_mondays(busy) == set(MONDAYS[:-1])
    rows = busy.conn.execute("SELECT week, ledger FROM week_records ORDER BY monday").fetchall()
    assert rows == [(week_label(m), STORED_VERSION) for m in MONDAYS[:-1]]


def test_a_stored_week_is_read_without_computing(busy: Store,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    complete = Period(MONDAYS[0], MONDAYS[-2] + timedelta(days=6))
    first = summary(busy, complete).to_json()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stored week was computed again")

    monkeypatch.setattr(load, "compute_period", refuse)
    assert summary(busy, complete).to_json() == first
    assert load_ledger(busy, complete).weeks[0].week == "2026-W45"


def test_a_stored_week_is_never_used_before_it_is_over(busy: Store) -> None:
    load_ledger(busy, PERIOD)
    # Seen from a moment inside week 2026-W47, that week and the next are not complete.
    earlier = at(busy, "2026-11-18 12:00")
    with busy.reading():
        assert set(stored_records(busy, PERIOD, earlier)) == set(MONDAYS[:2])
    week = load_ledger(busy, Period(MONDAYS[2], MONDAYS[2] + timedelta(days=6)), earlier)
    assert week.weeks[0].status == "in_progress"


def test_another_version_of_the_computation_is_never_read(busy: Store) -> None:
    load_ledger(busy, PERIOD)
    busy.conn.execute("UPDATE week_records SET ledger = ledger + 1, body = '{}'")
    assert_stored_weeks_are_fresh(busy)


def test_summary_json_and_text_are_the_same_stored_or_computed(
        busy: Store, cli: Callable[..., CliResult]) -> None:
    busy.set_setting(Setting.DISPLAY_NAME, "Dr. Example")
    runs = []
    for _ in range(2):  # the first computes and stores the weeks, the second reads them
        runs.append([cli("summary", *period, *fmt).out
                     for period in (("--month", "2026-11"), ("--week", "2026-W47"),
                                    ("--from", "2026-11-02", "--to", "2026-12-03"))
                     for fmt in ((), ("--format", "json"))])
        assert len(stored_mondays(busy)) == 4
    assert runs[0] == runs[1]
    busy.conn.execute("DELETE FROM week_records")
    computed = [cli("summary", "--month", "2026-11", "--format", "json").out]
    assert computed[0] == runs[1][1]


def test_a_what_if_is_computed_and_not_stored(busy: Store,
                                              cli: Callable[..., CliResult]) -> None:
    r = cli("summary", "--month", "2026-11", "--rule", "kaiser-socal-2024", "--format", "json")
    assert r.status == 0, r.err
    assert_stored_weeks_are_fresh(busy)


# ----------------------------------------------------------------------------- each change

Change = Callable[[Store], None]
W47 = date(2026, 11, 16)


def _edit_time(s: Store) -> None:
    first = s.entries_between(at(s, "2026-11-16 00:00"), at(s, "2026-11-17 00:00"))[0]
    s.edit_entry(int(first.id or 0), via=Via.CLI, start=first.start - 600)


def _edit_category(s: Store) -> None:
    first = s.entries_between(at(s, "2026-11-16 00:00"), at(s, "2026-11-17 00:00"))[0]
    s.edit_entry(int(first.id or 0), via=Via.CLI, category="urgent")


def _delete(s: Store) -> None:
    first = s.entries_between(at(s, "2026-11-16 00:00"), at(s, "2026-11-17 00:00"))[0]
    s.delete_entry(int(first.id or 0), via=Via.CLI)


def _undo_redo(s: Store) -> None:
    _delete(s)
    load_ledger(s, PERIOD)
    assert W47 in stored_mondays(s)
    s.undo()


def _respond(s: Store) -> None:
    (esc,) = s.escalations_between(W47, W47 + timedelta(days=6))
    s.respond_escalation(int(esc.id or 0), EscalationResponse.REFUSED, date(2026, 11, 20),
                         resolved=False)


def _new_schedule(s: Store) -> None:
    version = parse_schedule_toml(STANDARD_TOML.replace("2026-01-05", "2026-11-16")
                                  .replace('time = "16:00-17:00"', 'time = "15:00-16:00"'))
    s.save_schedule(version)


def _drop_schedule(s: Store) -> None:
    _new_schedule(s)
    load_ledger(s, PERIOD)
    s.delete_schedule(date(2026, 11, 16))


def _class_changed(s: Store) -> None:
    # No command changes a built-in class; a stray statement must not leave stale weeks either.
    s.conn.execute("UPDATE categories SET cls = 'other' WHERE code = 'messages'")
    s._registry = None


def _sealed_then_amended(s: Store) -> None:
    span = (at(s, "2026-11-16 00:00"), at(s, "2026-11-23 00:00"))
    s.seal_weeks([("2026-W47", *span)])
    load_ledger(s, PERIOD)
    s.add_entry("messages", at(s, "2026-11-18 11:00"), at(s, "2026-11-18 11:10"), via=Via.CLI,
                reason=Reason(ReasonCode.MISSED, "found in the phone log"))


# Each change, and the Mondays of the stored weeks it must remove (None: every week).
CHANGES: dict[str, tuple[Change, set[date] | None]] = {
    "add an entry": (lambda s: s.add_entry("admin", at(s, "2026-11-18 13:00"),
                                           at(s, "2026-11-18 13:30"), via=Via.CLI), {W47}),
    "add an entry across Sunday midnight": (
        lambda s: s.add_entry("documentation", at(s, "2026-11-22 23:30"),
                              at(s, "2026-11-23 00:30"), via=Via.CLI), {W47, MONDAYS[3]}),
    "move an entry": (_edit_time, {W47}),
    "change an entry's category": (_edit_category, {W47}),
    "change only a note": (lambda s: s.edit_entry(
        s.entries_between(at(s, "2026-11-16 00:00"), at(s, "2026-11-17 00:00"))[0].id or 0,
        via=Via.CLI, note="called back"), {W47}),
    "delete an entry": (_delete, {W47}),
    "undo a delete": (_undo_redo, {W47}),
    "add leave": (lambda s: s.add_leave(Leave(day=date(2026, 11, 19))), {W47}),
    "remove leave": (lambda s: s.remove_leave(date(2026, 11, 13)), {MONDAYS[1]}),
    "tag a block": (lambda s: s.save_block_tag(BlockTag(
        day=date(2026, 11, 17), start_minute=960, reason=ErosionReason.COVERAGE)), {W47}),
    "untag a block": (lambda s: s.remove_block_tag(date(2026, 11, 10), 960), {MONDAYS[1]}),
    "log access": (lambda s: s.log_access(AccessObservation(day=date(2026, 11, 20), days=9)),
                   {W47}),
    "log capacity": (lambda s: s.log_capacity(CapacityObservation(day=date(2026, 11, 20),
                                                                  caseload=130)), {W47}),
    "record an escalation": (lambda s: s.add_escalation(new_escalation(
        date(2026, 11, 18), None, at(s, "2026-11-18 17:00"), "supervisor", "email",
        "fewer bookings")), {W47}),
    "answer an escalation": (_respond, {W47}),
    "a new schedule version": (_new_schedule, {W47, MONDAYS[3]}),
    "remove a schedule version": (_drop_schedule, {W47, MONDAYS[3]}),
    "change the target rule": (lambda s: s.save_schedule(
        s.schedules().versions[0].model_copy(update={
            "target": PRESETS_BY_KEY["kaiser-socal-2024"].rule})), None),
    "add a category": (lambda s: s.add_category("peer_consult", "Peer consult", "ipc"), None),
    "change a category's class": (_class_changed, None),
    "change the time zone": (lambda s: s.set_timezone("America/New_York"), None),
    "change the meal-break length": (lambda s: s.set_setting(Setting.MEAL_BREAK_MIN, "45"),
                                     None),
    "seal a week": (lambda s: s.seal_weeks([("2026-W46", at(s, "2026-11-09 00:00"),
                                             at(s, "2026-11-16 00:00"))]), {MONDAYS[1]}),
    "amend a sealed week": (_sealed_then_amended, {W47}),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_every_change_removes_the_weeks_it_touches(busy: Store, name: str) -> None:
    change, touched = CHANGES[name]
    load_ledger(busy, PERIOD)
    before = stored_mondays(busy)
    change(busy)
    gone = before - stored_mondays(busy)
    if touched is None:
        assert gone == before
    else:
        assert touched <= gone, sorted(touched - gone)
        assert gone <= touched, sorted(gone - touched)
    assert_stored_weeks_are_fresh(busy)


def test_a_settings_change_that_does_not_matter_keeps_the_weeks(busy: Store) -> None:
    load_ledger(busy, PERIOD)
    busy.set_setting(Setting.DISPLAY_NAME, "Dr. Example")
    busy.set_setting(Setting.REMINDER_TIME, "17:30")
    assert stored_mondays(busy) == set(MONDAYS[:-1])


def test_a_week_computed_from_a_state_another_program_changed_is_not_stored(
        busy: Store, db_path: Path) -> None:
    # The window reads a week; meanwhile the command line changes it and commits; the week the
    # window computed from what it read is then stale and must not be stored.
    with busy.reading():
        weeks = compute_period(busy, Period(W47, W47 + timedelta(days=6)), now_instant(),
                               busy.schedules()).weeks
        other = Store.open(db_path, daily_backup=False)
        try:
            other.add_entry("admin", at(other, "2026-11-18 13:00"), at(other, "2026-11-18 13:30"),
                            via=Via.CLI)
        finally:
            other.close()
        assert remember(busy, weeks, now_instant()) is False
    assert stored_mondays(busy) == set()
    assert_stored_weeks_are_fresh(busy)


def test_a_read_only_database_still_reads_and_stores_nothing(busy: Store,
                                                              db_path: Path) -> None:
    load_ledger(busy, PERIOD)
    busy.conn.execute("DELETE FROM week_records")
    busy.close()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    reader = Store(db_path, conn)
    try:
        ledger = load_ledger(reader, PERIOD)
        assert ledger.weeks[0].week == "2026-W45"
        assert conn.execute("SELECT COUNT(*) FROM week_records").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("body", ["{broken", "[]", "{}", '{"week": 3, "start": "x"}',
                                  '{"complete": true, "start": "2026-11-09", "week": "2026-W46"}',
                                  '{"complete": true, "start": [], "week": "2026-W45"}'])
def test_a_stored_week_changed_by_another_program_is_computed_again(
        busy: Store, db_path: Path, cli: Callable[..., CliResult], body: str) -> None:
    computed = cli("summary", "--month", "2026-11", "--format", "json").out
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE week_records SET body = ? WHERE week = '2026-W45'", (body,))
    r = cli("summary", "--month", "2026-11", "--format", "json")
    assert r.status == 0 and r.err == "" and r.out == computed
    assert_stored_weeks_are_fresh(busy)


def test_weeks_read_past_a_bad_stored_value_are_not_stored_so_each_report_says_so(
        busy: Store, db_path: Path, cli: Callable[..., CliResult]) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO block_tags VALUES ('2026-11-17', 960, 'no-such-reason', 0)")
    for _ in range(2):
        r = cli("summary", "--month", "2026-11")
        assert r.status == 0 and "block tag (2026-11-17)" in r.err, r.err
    assert stored_mondays(busy) == set()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM block_tags WHERE reason = 'no-such-reason'")
    assert cli("summary", "--month", "2026-11").err == ""
    assert stored_mondays(busy) == set(MONDAYS[:-1])


def test_an_unknown_stored_zone_is_said_by_every_report_and_stores_no_week(
        busy: Store, db_path: Path, cli: Callable[..., CliResult]) -> None:
    assert cli("summary", "--month", "2026-11").status == 0
    assert stored_mondays(busy) == set(MONDAYS[:-1])
    with sqlite3.connect(db_path) as conn:  # a change of zone removes every stored week
        conn.execute("UPDATE settings SET value = 'Mars/Olympus' WHERE key = 'timezone'")
    for _ in range(2):
        r = cli("summary", "--month", "2026-11")
        assert r.status == 0 and "Mars/Olympus" in r.err, r.err
    assert stored_mondays(busy) == set()


def test_an_unreadable_schedule_in_force_means_the_weeks_are_computed(
        busy: Store, db_path: Path, cli: Callable[..., CliResult]) -> None:
    assert cli("summary", "--month", "2026-11").status == 0
    with sqlite3.connect(db_path) as conn:  # written past the trigger that removes the weeks
        conn.execute("DROP TRIGGER week_records_schedules_insert")
        conn.execute("INSERT INTO schedules VALUES ('2026-11-10', '{broken', 'x')")
    assert stored_mondays(busy) == set(MONDAYS[:-1])
    with pytest.raises(ValueError):
        partly_met_at_on(busy.conn, date(2026, 11, 29))
    r = cli("summary", "--month", "2026-11")
    assert r.status == 0 and "2026-11-10" in r.err and "skipped" in r.err, r.err


# ----------------------------------------------------------------------------- random changes

DAYS = [date(2026, 11, 2) + timedelta(days=i) for i in range(34)]
CODES = ["individual", "intake", "documentation", "messages", "meeting", "break", "urgent"]


def _apply(s: Store, op: tuple[object, ...]) -> None:
    """One change of a random run; changes the rules refuse (an overlap, a gap) are skipped."""
    kind, day, n, code = op
    assert isinstance(day, date) and isinstance(n, int) and isinstance(code, str)
    d = day.isoformat()
    try:
        if kind == "add":
            start = at(s, f"{d} 07:00") + n * 20 * 60
            s.add_entry(code, start, start + (10 + n % 9 * 10) * 60, via=Via.CLI, trim=True,
                        reason=Reason(ReasonCode.CORRECTION, ""))
        elif kind in ("edit", "delete"):
            found = s.entries_between(at(s, f"{d} 00:00"), at(s, f"{d} 00:00") + 86_400)
            if not found:
                return
            e = found[n % len(found)]
            if kind == "delete":
                s.delete_entry(int(e.id or 0), via=Via.CLI,
                               reason=Reason(ReasonCode.MISTAKEN, ""))
            else:
                s.edit_entry(int(e.id or 0), via=Via.CLI, category=code,
                             reason=Reason(ReasonCode.CORRECTION, ""))
        elif kind == "undo":
            s.undo()
        elif kind == "leave":
            s.add_leave(Leave(day=day, minutes=None if n % 2 else 60 * (1 + n % 8)))
        elif kind == "unleave":
            s.remove_leave(day)
        elif kind == "tag":
            s.save_block_tag(BlockTag(day=day, start_minute=960,
                                      reason=list(ErosionReason)[n % len(ErosionReason)],
                                      escalated=bool(n % 2)))
        elif kind == "access":
            s.log_access(AccessObservation(day=day, days=n))
        elif kind == "capacity":
            s.log_capacity(CapacityObservation(day=day, caseload=100 + n,
                                               return_not_offered=n % 4 or None))
        elif kind == "escalate":
            s.add_escalation(new_escalation(day, None, at(s, f"{d} 18:00"), "manager", None,
                                            "coverage"))
        elif kind == "seal":
            monday = day - timedelta(days=day.weekday())
            span = (at(s, f"{monday} 00:00"), at(s, f"{monday + timedelta(days=7)} 00:00"))
            if span[1] <= now_instant():
                s.seal_weeks([(week_label(monday), *span)])
        elif kind == "meal":
            s.set_setting(Setting.MEAL_BREAK_MIN, str(15 + n))
        elif kind == "rule":
            key = sorted(PRESETS_BY_KEY)[n % len(PRESETS_BY_KEY)]
            version = s.schedules().versions[-1]
            s.save_schedule(version.model_copy(update={
                "effective_from": max(version.effective_from, day - timedelta(days=day.weekday())),
                "target": PRESETS_BY_KEY[key].rule}))
    except Exception as exc:  # a change the log refuses leaves it as it was
        if type(exc).__name__ not in ("BadInput", "OverlapError", "ReasonNeeded",
                                      "NothingToUndo"):
            raise


operations = st.tuples(
    st.sampled_from(["add", "add", "add", "edit", "delete", "undo", "leave", "unleave", "tag",
                     "access", "capacity", "escalate", "seal", "meal", "rule"]),
    st.sampled_from(DAYS), st.integers(0, 30), st.sampled_from(CODES))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.lists(operations, min_size=1, max_size=5), min_size=2, max_size=4))
def test_after_random_changes_every_stored_week_is_a_fresh_one(
        tmp_path_factory: pytest.TempPathFactory, rounds: list[list[tuple[object, ...]]]) -> None:
    path = tmp_path_factory.mktemp("random") / "carelog.db"
    s = Store.open(path, daily_backup=False)
    try:
        s.set_timezone(LA)
        s.save_schedule(parse_schedule_toml(STANDARD_TOML))
        for ops in rounds:
            for op in ops:
                _apply(s, op)
            assert_stored_weeks_are_fresh(s)
    finally:
        s.close()


# ----------------------------------------------------------------------------- the schedule

@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(DAYS), max_size=4, unique=True), st.sampled_from(DAYS),
       st.floats(0.5, 0.95))
def test_the_partly_met_mark_is_read_as_the_schedule_decides(
        tmp_path_factory: pytest.TempPathFactory, starts: list[date], day: date,
        mark: float) -> None:
    path = tmp_path_factory.mktemp("marks") / "carelog.db"
    with Store.open(path, daily_backup=False) as s:
        base = parse_schedule_toml(STANDARD_TOML)
        for i, start in enumerate(starts):
            rule = base.target.model_copy(update={"partly_met_at": round(mark - i / 20, 2)})
            s.save_schedule(base.model_copy(update={"effective_from": start, "target": rule}))
        versions: ScheduleSet = s.schedules()
        expected = versions.on(day) or versions.latest
        assert partly_met_at_on(s.conn, day) == (expected.target.partly_met_at
                                                 if expected else None)


# ----------------------------------------------------------------------------- the fixture

def test_sixth_schema_fixture_reads_its_stored_weeks(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARELOG_NOW", "2026-12-04T09:00:00-08:00")
    path = tmp_path / "v6.db"
    shutil.copy(FIXTURES / "schema6.db", path)
    with Store.open(path) as s:
        # Weeks W44–W48 were stored; the entry added to W47 afterwards removed that one.
        assert [r[0] for r in s.conn.execute("SELECT week FROM week_records ORDER BY monday")] \
            == ["2026-W44", "2026-W45", "2026-W46", "2026-W48"]
        assert_stored_weeks_are_fresh(s, Period(date(2026, 10, 26), date(2026, 11, 29)))
        w47 = load_ledger(s, Period(W47, W47 + timedelta(days=6))).weeks[0]
        assert w47.amended.reasons["missed"] == 1  # the entry added after W47 was stored
