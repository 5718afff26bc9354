"""Every entry's history: appended for each change, never rewritten, replaying to the log."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from carelog.core.domain.errors import BadInput, CarelogError
from carelog.core.domain.history import Action, EntryState, Via
from carelog.core.domain.timeutil import instant_of_stamp, parse_local
from carelog.core.store import history
from carelog.core.store.database import Store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def t(store: Store, text: str) -> int:
    return parse_local(text, store.tz)


def _now(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    monkeypatch.setenv("CARELOG_NOW", moment)


def test_each_change_appends_an_event_saying_how_it_came(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _now(monkeypatch, "2026-11-16T10:00:00-08:00")
    [e] = store.add_entry("documentation", t(store, "2026-11-16 09:00"),
                          t(store, "2026-11-16 09:30"), note="call back about forms",
                          via=Via.WINDOW)
    entry_id = int(e.id or 0)
    _now(monkeypatch, "2026-11-16T11:00:00-08:00")
    store.edit_entry(entry_id, end=t(store, "2026-11-16 09:40"), via=Via.TIMELINE)
    store.edit_entry(entry_id, note="done", via=Via.CLI)
    store.undo()
    store.redo()
    store.delete_entry(entry_id, via=Via.CLI)
    events = store.history(entry_id)
    assert [(ev.action, ev.via) for ev in events] == [
        (Action.ADD, Via.WINDOW), (Action.EDIT, Via.TIMELINE), (Action.EDIT, Via.CLI),
        (Action.UNDO, Via.UNDO), (Action.REDO, Via.REDO), (Action.DELETE, Via.CLI)]
    assert events[0].at == t(store, "2026-11-16 10:00")
    assert events[1].at == t(store, "2026-11-16 11:00")
    assert events[1].state == EntryState("documentation", t(store, "2026-11-16 09:00"),
                                         t(store, "2026-11-16 09:40"))
    assert [ev.note_changed for ev in events] == [True, False, True, True, True, False]
    assert events[-1].state is None


def test_the_history_never_holds_a_note(store: Store, db_path: Path) -> None:
    secret = "zebra-quartz-note"
    [e] = store.add_entry("messages", t(store, "2026-11-16 09:00"), t(store, "2026-11-16 09:05"),
                          note=secret, via=Via.CLI)
    store.edit_entry(int(e.id or 0), note=secret + " again", via=Via.CLI)
    rows = store.conn.execute("SELECT * FROM history").fetchall()
    assert rows and not any(secret in str(v) for r in rows for v in r)


def test_history_rows_cannot_be_changed_or_removed(store: Store) -> None:
    store.add_entry("messages", t(store, "2026-11-16 09:00"), t(store, "2026-11-16 09:05"),
                    via=Via.CLI)
    store.conn.execute("INSERT INTO seals(week, start_utc, end_utc, sealed_at, previous, digest) "
                       "VALUES ('2026-W47', 0, 60, '', 'none', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE history SET category = 'admin'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM history")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE seals SET digest = 'y'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM seals")
    assert history.count(store.conn) == 1


def test_an_id_is_never_given_to_a_second_entry(store: Store) -> None:
    [a] = store.add_entry("messages", t(store, "2026-11-16 09:00"), t(store, "2026-11-16 09:05"),
                          via=Via.CLI)
    store.delete_entry(int(a.id or 0), via=Via.CLI)
    [b] = store.add_entry("admin", t(store, "2026-11-16 10:00"), t(store, "2026-11-16 10:05"),
                          via=Via.CLI)
    assert b.id != a.id
    assert [ev.action for ev in store.history(int(a.id or 0))] == [Action.ADD, Action.DELETE]
    assert [ev.action for ev in store.history(int(b.id or 0))] == [Action.ADD]


def test_an_id_that_never_existed_is_one_sentence(store: Store) -> None:
    with pytest.raises(BadInput, match="There is no entry with id 99"):
        store.history(99)


def test_imports_are_import_events(store: Store, tmp_path: Path) -> None:
    from carelog.core.importing.csv_plan import plan_csv
    from carelog.core.importing.plan import apply_plan

    path = tmp_path / "t.csv"
    path.write_text("date,start,end,category\n2026-11-16,09:00,09:30,documentation\n")
    result = apply_plan(store, plan_csv(store, path))
    [entry_id] = result.entry_ids
    [ev] = store.history(entry_id)
    assert (ev.action, ev.via, ev.reason) == (Action.IMPORT, Via.IMPORT, None)


def test_migration_starts_history_at_each_entrys_created_stamp(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema3.db", path)
    with Store.open(path) as s:
        for e in s.all_entries():
            [ev] = s.history(int(e.id or 0))
            assert ev.action is Action.BEFORE_HISTORY and ev.via is Via.UNKNOWN
            assert ev.at == instant_of_stamp(e.created)
            assert ev.state == EntryState(e.category, e.start, e.end)
            assert ev.note_changed == bool(e.note)


def test_the_schema4_fixture_keeps_its_history_and_seal(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    shutil.copy(FIXTURES / "schema4.db", path)
    with Store.open(path) as s:
        events = s.history(10)
        assert [ev.action for ev in events] == [Action.ADD, Action.EDIT, Action.UNDO,
                                                Action.REDO]
        assert events[1].reason is not None and events[1].reason.text == "fixture reason text"
        assert s.history(4)[-1].action is Action.DELETE
        assert s.conn.execute("SELECT COUNT(*) FROM seals").fetchone()[0] == 1


def _replay(conn: sqlite3.Connection) -> dict[int, tuple[str, int, int]]:
    """The log as the history tells it: every event applied in order."""
    log: dict[int, tuple[str, int, int]] = {}
    for entry_id, category, start, end in conn.execute(
            "SELECT entry_id, category, start_utc, end_utc FROM history ORDER BY id"):
        if category is None:
            log.pop(entry_id, None)
        else:
            log[entry_id] = (category, start, end)
    return log


OPS = st.lists(st.tuples(st.sampled_from(["add", "edit", "delete", "undo", "redo", "batch"]),
                         st.integers(0, 40), st.integers(1, 90),
                         st.sampled_from(["messages", "individual", "admin"])),
               max_size=25)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_replaying_the_history_gives_the_log(store: Store,
                                             ops: list[tuple[str, int, int, str]]) -> None:
    base = t(store, "2026-11-16 08:00")
    for op, slot, minutes, category in ops:
        ids = [int(e.id or 0) for e in store.all_entries()]
        a = base + slot * 900
        with contextlib.suppress(CarelogError):
            if op == "add":
                store.add_entry(category, a, a + minutes * 60, trim=True, via=Via.CLI)
            elif op == "batch":
                from carelog.core.domain.models import make_entry

                drafts = [make_entry(category=category, start=a + k * 3600,
                                     end=a + k * 3600 + minutes * 60) for k in range(3)]
                store.add_entries(drafts, trim=True, via=Via.QUICK)
            elif op == "edit" and ids:
                store.edit_entry(ids[slot % len(ids)], start=a, end=a + minutes * 60,
                                 category=category, via=Via.WINDOW)
            elif op == "delete" and ids:
                store.delete_entry(ids[slot % len(ids)], via=Via.CLI)
            elif op == "undo":
                store.undo()
            elif op == "redo":
                store.redo()
    current = {int(e.id or 0): (e.category, e.start, e.end) for e in store.all_entries()}
    assert _replay(store.conn) == current
    assert {i: (s.category, s.start, s.end) for i, s in history.latest_states(store.conn)
            if s is not None} == current
