"""A missing or emptied log beside its backups is a loss to report, and rotation keeps the proof."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.models import Entry
from carelog.core.store import backup as backups
from carelog.core.store.database import Store

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _log_with_backup(db: Path, n: int = 3) -> Path:
    with Store.open(db) as store:
        store.add_entries([Entry(category="messages", start=1794848400 + i * 3600,
                                 end=1794848400 + i * 3600 + 600) for i in range(n)],
                          via=Via.CLI)
        return store.backup()


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_lost_log_beside_its_backups_is_reported_not_started_afresh(
        how: str, cli: Cli, db_path: Path) -> None:
    good = _log_with_backup(db_path)
    for side in db_path.parent.glob("carelog.db*"):
        side.unlink()
    if how == "empty":
        db_path.write_bytes(b"")
    r = cli("list")
    assert r.status == 1
    assert r.err.count("\n") == 1
    assert f"is {how}" in r.err and str(good) in r.err and "carelog restore" in r.err
    assert r.err.count("carelog restore") == 1  # the remedy is worded once, by the command line
    assert db_path.exists() is (how == "empty")
    assert not db_path.exists() or db_path.stat().st_size == 0
    assert cli("restore", str(good)).status == 0
    assert cli("list").out.count("messages") == 3


def test_the_lost_log_sentence_names_the_backup_and_leaves_the_remedy_to_each_front_end(
        db_path: Path) -> None:
    from carelog.core.domain.errors import MissingDatabase, Remedy

    good = _log_with_backup(db_path)
    db_path.unlink()
    with pytest.raises(MissingDatabase) as caught:
        Store.open(db_path)
    assert caught.value.remedy is Remedy.RESTORE_BACKUP and caught.value.about == (str(good),)
    assert "carelog restore" not in caught.value.message and str(good) in caught.value.message


def test_a_new_log_with_no_backups_folder_still_starts_afresh(cli: Cli, db_path: Path) -> None:
    r = cli("list")
    assert r.status == 0 and r.out.strip() == "No entries."


def _daily(conn: sqlite3.Connection, db: Path, day: date) -> Path:
    path = backups.make_backup(conn, db, kind="daily", today=day)
    made = datetime.combine(day, datetime.min.time()).timestamp() + 8 * 3600
    os.utime(path, (made, made))
    return path


def test_rotation_never_removes_the_newest_backup_with_more_entries_than_the_log(
        db_path: Path) -> None:
    _log_with_backup(db_path, n=40)
    start = date(2026, 10, 1)
    with Store.open(db_path, daily_backup=False) as store:
        full = _daily(store.conn, db_path, start)
        # The next morning most of the log is gone (a bad import undone, a wrong delete…),
        # and weeks of daily backups of the small log follow.
        store.conn.execute("DELETE FROM entries WHERE id > 2")
        for n in range(1, 60):
            _daily(store.conn, db_path, start + timedelta(days=n))
    kept = {b.path for b in backups.list_backups(db_path) if b.kind == "daily"}
    assert full in kept
    assert backups.entry_count(full) == 40
    assert len(kept) <= 14 + 8 + 1


def test_rotation_keeps_the_last_backup_made_before_the_log_was_found_damaged(
        db_path: Path) -> None:
    _log_with_backup(db_path, n=5)
    start = date(2026, 9, 1)
    with Store.open(db_path, daily_backup=False) as store:
        made = [_daily(store.conn, db_path, start + timedelta(days=n)) for n in range(5)]
        corrupt = db_path.with_name("carelog.db.corrupt")
        corrupt.write_bytes(b"a damaged copy")
        found = datetime.combine(start + timedelta(days=4), datetime.min.time()).timestamp()
        os.utime(corrupt, (found, found))
        for n in range(5, 90):
            _daily(store.conn, db_path, start + timedelta(days=n))
    kept = {b.path for b in backups.list_backups(db_path) if b.kind == "daily"}
    assert made[3] in kept  # the newest one made before the damage was found
    assert made[0] not in kept and made[4] not in kept
