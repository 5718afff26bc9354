"""The quick-entry line and the day timeline layout."""

from __future__ import annotations

from datetime import date

import pytest
from carelog.core.domain.categories import CategoryRegistry
from carelog.core.domain.errors import BadInput
from carelog.core.domain.models import Leave
from carelog.core.domain.quick import parse_duration, parse_quick
from carelog.core.domain.timeutil import format_local, parse_local, zone
from carelog.core.ledger.load import load_day, reminder
from carelog.core.store.database import Store
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Add

LA = zone("America/Los_Angeles")
REG = CategoryRegistry()
NOW = parse_local("2026-11-17 15:00", LA)


def spans(line: str) -> list[tuple[str, str, str]]:
    q = parse_quick(line, REG, LA, NOW)
    return [(e.category, format_local(e.start, LA)[11:], format_local(e.end, LA)[11:])
            for e in q.drafts]


def test_last_n_minutes_ending_now() -> None:
    assert spans("msg 10") == [("messages", "14:50", "15:00")]
    assert spans("Doc 25m") == [("documentation", "14:35", "15:00")]
    assert spans("group 1h30") == [("group", "13:30", "15:00")]


def test_a_range_today_and_a_start_with_minutes() -> None:
    assert spans("doc 14:10-14:40") == [("documentation", "14:10", "14:40")]
    assert spans("coord 13:50 10") == [("care_coordination", "13:50", "14:00")]


def test_batch_laid_end_to_end() -> None:
    assert spans("4 x msg 3") == [("messages", "14:48", "14:51"), ("messages", "14:51", "14:54"),
                                  ("messages", "14:54", "14:57"), ("messages", "14:57", "15:00")]
    assert spans("4× messages 3 min each") == spans("4 x msg 3")
    q = parse_quick("4 x msg 3", REG, LA, NOW)
    assert q.summary == "4 × Messages, 3 m each, 14:48–15:00"


def test_note_after_hash() -> None:
    q = parse_quick("msg 5 # returned two calls", REG, LA, NOW)
    assert q.drafts[0].note == "returned two calls"
    assert q.summary == "Messages 5 m, 14:55–15:00"


@pytest.mark.parametrize(("line", "message"), [
    ("", "Type a category and a time"),
    ("lunchbox 10", "'lunchbox' is not a category"),
    ("msg", "How long was the messages?"),
    ("msg soon", "I could not read 'soon' as a time"),
    ("doc 25:10-26:00", "25:10 is not a time of day"),
    ("msg 0", "more than zero"),
    ("60 x msg 3", "A batch can hold 1 to 50 entries"),
    ("doc 15:00-14:00 extra", "I could not read"),
])
def test_unreadable_lines_say_why(line: str, message: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_quick(line, REG, LA, NOW)
    assert message in err.value.message


@given(st.integers(1, 24 * 60))
def test_durations_round_trip(minutes: int) -> None:
    h, m = divmod(minutes, 60)
    assert parse_duration(str(minutes)) == minutes
    assert parse_duration(f"{minutes}m") == minutes
    assert parse_duration(f"{h}:{m:02d}") == minutes
    if h:
        assert parse_duration(f"{h}h{m}") == minutes


def test_day_layout_shows_gaps_in_working_hours(scheduled_store: Store, add: Add) -> None:
    add("individual", "2026-11-17 09:00", "09:50")
    add("documentation", "2026-11-17 23:30", "2026-11-18 00:30")
    day = load_day(scheduled_store, date(2026, 11, 17))
    assert day.working == [(510, 750), (780, 1020)]
    assert day.blocks == [(960, 1020, "IPC")]
    assert [(i.entry.category, i.start_min, i.end_min) for i in day.items] == [
        ("individual", 540, 590), ("documentation", 1410, 1440)]
    assert day.gaps == [(510, 540), (590, 750), (780, 1020)]
    nxt = load_day(scheduled_store, date(2026, 11, 18))
    assert [(i.start_min, i.end_min) for i in nxt.items] == [(0, 30)]


def test_reminders(scheduled_store: Store, add: Add) -> None:
    tue = date(2026, 11, 17)
    evening = parse_local("2026-11-17 17:30", scheduled_store.tz)
    assert reminder(scheduled_store, tue, evening) == (
        "Nothing is logged for today yet; a minute now saves reconstructing it later.")
    add("documentation", "2026-11-17 16:00", "16:20")
    assert reminder(scheduled_store, tue, evening) == (
        "Today's protected block 16:00–17:00 has 40 m unlogged; log what it was used for, or "
        "tag why it was lost.")
    add("urgent", "2026-11-17 16:20", "17:00")
    assert reminder(scheduled_store, tue, evening) is None
    # Before the block has ended there is nothing to remind about yet.
    add("messages", "2026-11-18 09:00", "09:10")
    assert reminder(scheduled_store, date(2026, 11, 18),
                    parse_local("2026-11-18 12:00", scheduled_store.tz)) is None
    scheduled_store.add_leave(Leave(day=date(2026, 11, 19)))
    assert reminder(scheduled_store, date(2026, 11, 19),
                    parse_local("2026-11-19 18:00", scheduled_store.tz)) is None
