"""The escalation record (DESIGN §2.5): its whole life, its checks, and where it is counted."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from carelog.core.domain.privacy import escalation_warnings
from carelog.core.domain.timeutil import Period, parse_week
from carelog.core.ledger.load import load_ledger
from carelog.core.store.database import Store

from tests.conftest import Add, CliResult

Cli = Callable[..., CliResult]


def one_sentence(r: CliResult) -> str:
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    return lines[0]


def escalations(cli: Cli) -> list[dict[str, object]]:
    data = json.loads(cli("escalation", "list", "--format", "json").out)
    rows: list[dict[str, object]] = data["escalations"]
    return rows


def test_an_escalations_whole_life_through_the_command_line(scheduled_store: Store, add: Add,
                                                            cli: Cli) -> None:
    add("urgent", "2026-11-17 16:00", "16:50")
    assert cli("block", "tag", "2026-11-17", "16:00", "--reason", "urgent_overflow").status == 0
    r = cli("escalation", "add", "2026-11-17", "16:00", "--to", "clinic manager", "--how",
            "in_person", "--asked", "restore the block", "--at", "2026-11-17 16:55",
            "--note", "said she would look at the template")
    assert (r.status, r.err) == (0, "")
    assert r.out == ("Recorded escalation 1: the 16:00 block on 2026-11-17; told clinic manager "
                     "in person on 2026-11-17 16:55; asked: restore the block; response: none "
                     "yet; open.\n")
    [row] = escalations(cli)
    assert row == {"id": 1, "date": "2026-11-17", "block": "16:00", "reason": "urgent_overflow",
                   "told_at": "2026-11-17 16:55", "to": "clinic manager", "how": "in_person",
                   "asked": "restore_block", "response": "none", "response_on": None,
                   "resolved": False, "note": "said she would look at the template"}
    week = load_ledger(scheduled_store, Period.covering(parse_week("2026-W47"),
                                                        parse_week("2026-W47"))).weeks[0]
    assert week.escalations.to_json() == {"count": 1, "responded": 0, "resolved": 0}
    assert week.blocks.escalated == 1  # the tag itself was not marked escalated

    # The manager answers; later the matter is resolved.
    r = cli("escalation", "respond", "1", "--response", "partly", "--on", "2026-11-19")
    assert r.status == 0 and "response: partly granted on 2026-11-19; open" in r.out
    r = cli("escalation", "respond", "1", "--response", "granted", "--on", "2026-11-24",
            "--resolved")
    assert r.status == 0 and "response: granted on 2026-11-24; resolved" in r.out
    [row] = escalations(cli)
    assert (row["response"], row["response_on"], row["resolved"]) == \
        ("granted", "2026-11-24", True)
    summary = json.loads(cli("summary", "--week", "2026-W47", "--format", "json").out)
    assert summary["weeks"][0]["escalations"] == {"count": 1, "responded": 1, "resolved": 1}
    assert summary["totals"]["escalations"] == {"count": 1, "responded": 1, "resolved": 1}
    # The text list names the note (it is personal); a committee export never does.
    assert "note: said she would look" in cli("escalation", "list").out


def test_an_escalation_about_a_whole_day_and_the_default_time(scheduled_store: Store,
                                                              cli: Cli) -> None:
    # Without --at, the manager was told now (Tuesday 1 December 2026, noon).
    r = cli("escalation", "add", "2026-12-01", "--to", "supervisor", "--how", "email",
            "--asked", "fewer_bookings")
    assert r.status == 0, r.err
    [row] = escalations(cli)
    assert (row["block"], row["told_at"], row["asked"]) == (None, "2026-12-01 12:00",
                                                            "fewer_bookings")
    # The response defaults to today.
    assert cli("escalation", "respond", "1", "--response", "refused").status == 0
    assert escalations(cli)[0]["response_on"] == "2026-12-01"


def test_block_tag_escalated_records_an_escalation_with_the_blocks_reason(
        scheduled_store: Store, cli: Cli) -> None:
    r = cli("block", "tag", "2026-11-17", "16:00", "--reason", "booked_routine", "--escalated",
            "--how", "phone", "--at", "2026-11-17 17:05")
    assert r.status == 0, r.err
    assert "Recorded escalation 1 (told manager, by phone)" in r.out
    [row] = escalations(cli)
    assert (row["reason"], row["to"], row["how"], row["asked"], row["told_at"]) == \
        ("booked_routine", "manager", "phone", "restore_block", "2026-11-17 17:05")
    # Tagging again (a new reason) keeps the one escalation.
    r = cli("block", "tag", "2026-11-17", "16:00", "--reason", "coverage", "--escalated")
    assert r.status == 0 and "already has an escalation" in r.out
    assert [e["reason"] for e in escalations(cli)] == ["coverage"]
    # --to, --how and --at describe an escalation: without --escalated they are refused.
    r = cli("block", "tag", "2026-11-24", "16:00", "--reason", "meeting", "--to", "manager")
    assert r.status == 2 and "add --escalated" in one_sentence(r)
    # Without --how, how the manager was told is not recorded.
    cli("block", "tag", "2026-11-24", "16:00", "--reason", "meeting", "--escalated",
        "--at", "2026-11-24 16:30")
    assert escalations(cli)[1]["how"] is None
    assert "told manager not recorded" in cli("escalation", "list").out


@pytest.mark.parametrize(("args", "message"), [
    (["escalation", "add", "2026-11-17", "16:00", "--to", "manager", "--how", "phone",
      "--asked", "coverage", "--at", "2026-11-16 17:00"],
     "carelog: The escalation time 2026-11-16 17:00 is before the block it concerns "
     "(2026-11-17)."),
    (["escalation", "add", "2026-11-18", "--to", "manager", "--how", "phone",
      "--asked", "coverage", "--at", "2026-11-17 09:00"],
     "carelog: The escalation time 2026-11-17 09:00 is before the day it concerns "
     "(2026-11-18)."),
    (["escalation", "add", "2026-12-01", "--to", "manager", "--how", "phone",
      "--asked", "coverage", "--at", "2026-12-01 12:01"],
     "carelog: The escalation time 2026-12-01 12:01 is in the future."),
    (["escalation", "add", "2026-12-02", "--to", "manager", "--how", "phone",
      "--asked", "coverage"],
     "carelog: The escalation time 2026-12-01 12:00 is before the day it concerns "
     "(2026-12-02)."),
    (["escalation", "add", "2026-11-18", "16:00", "--to", "manager", "--how", "phone",
      "--asked", "coverage", "--at", "2026-11-18 17:00"],
     "carelog: There is no protected block starting at 16:00 on 2026-11-18 (Wednesday) in the "
     "schedule."),
    (["escalation", "add", "2026-11-17", "--to", "  ", "--how", "phone", "--asked", "coverage",
      "--at", "2026-11-17 17:00"],
     "carelog: Give the role of the person told, such as clinic manager."),
    (["escalation", "add", "2026-11-17", "--to", "manager", "--how", "phone", "--asked",
      "x" * 121, "--at", "2026-11-17 17:00"],
     "carelog: What was asked is 121 characters long; keep it to 120 (the private note holds "
     "the rest)."),
    (["escalation", "respond", "7", "--response", "granted"],
     "carelog: There is no escalation with id 7."),
])
def test_an_escalation_that_cannot_be_true_is_refused(scheduled_store: Store, cli: Cli,
                                                      args: list[str], message: str) -> None:
    r = cli(*args)
    assert (r.status, one_sentence(r)) == (2, message)
    assert scheduled_store.escalations_between(parse_week("2026-W01"),
                                               parse_week("2026-W53")) == []


def test_a_response_before_the_escalation_or_in_the_future_is_refused(
        scheduled_store: Store, cli: Cli) -> None:
    cli("escalation", "add", "2026-11-18", "--to", "manager", "--how", "form", "--asked",
        "other", "--at", "2026-11-18 09:00")
    r = cli("escalation", "respond", "1", "--response", "granted", "--on", "2026-11-17")
    assert (r.status, one_sentence(r)) == \
        (2, "carelog: The response date 2026-11-17 is before the escalation (2026-11-18).")
    r = cli("escalation", "respond", "1", "--response", "granted", "--on", "2026-12-02")
    assert (r.status, one_sentence(r)) == \
        (2, "carelog: The response date 2026-12-02 is in the future.")
    assert escalations(cli)[0]["response"] == "none"  # nothing changed


def test_a_block_on_leave_cannot_be_escalated(scheduled_store: Store, cli: Cli) -> None:
    cli("leave", "add", "2026-11-17")
    r = cli("escalation", "add", "2026-11-17", "16:00", "--to", "manager", "--how", "phone",
            "--asked", "coverage", "--at", "2026-11-17 17:00")
    assert r.status == 2 and "day of leave" in r.err


def test_a_role_or_request_that_looks_like_a_name_gets_the_notes_warning(
        scheduled_store: Store, cli: Cli) -> None:
    r = cli("escalation", "add", "2026-11-18", "--to", "Maria Gonzalez", "--how", "email",
            "--asked", "move the 415-555-0199 patient", "--at", "2026-11-18 09:00")
    assert r.status == 0
    assert r.err.splitlines() == [
        "carelog: warning: The role seems to contain a name (two capitalised words); keep "
        "patient identifiers out of Carelog.",
        "carelog: warning: What was asked seems to contain a phone number; keep patient "
        "identifiers out of Carelog."]
    # A role in title case is a role, not a name.
    assert escalation_warnings("Clinic Manager", "restore_block") == []
    assert escalation_warnings("Manager Smith", "restore_block") != []
