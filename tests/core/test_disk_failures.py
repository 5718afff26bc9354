"""A full, read-only or refused disk is the machine's trouble, never damage to the log.

SQLite's answers on such a disk are injected here (tests cannot mount a full disk): the fake
connection reports what SQLite reports there, by result code, and reads only the way SQLite can
read on that disk (with exclusive locking, which needs no wal-index file; or an immutable file).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from carelog.core.domain.errors import EnvironmentFailure
from carelog.core.domain.history import Via
from carelog.core.store import backup as backups
from carelog.core.store import connection
from carelog.core.store.connection import Failure, classify
from carelog.core.store.database import Store

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
FULL, READ_ONLY, CANT_OPEN, IOERR_SHMSIZE, CORRUPT = 13, 8, 14, 4874, 11


def _error(code: int, text: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


def _on_a_troubled_disk(monkeypatch: pytest.MonkeyPatch, db: Path, code: int) -> None:
    """Every connection to db fails the way SQLite does on a full or read-only disk."""
    real = sqlite3.connect

    class Troubled(sqlite3.Connection):
        exclusive = False

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if "locking_mode" in sql.lower() and "exclusive" in sql.lower() \
                    and code != READ_ONLY:
                self.exclusive = True
            if not self.exclusive:
                raise _error(code, "disk I/O error")
            return super().execute(sql, *args)

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        text = str(database)
        if text == str(db) or (text.startswith(f"file:{db}?") and "immutable" not in text):
            kwargs["factory"] = Troubled
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def _log(cli: Cli) -> None:
    assert cli("add", "documentation", "--start", "2026-11-17 09:00", "--minutes", "30",
               "--note", "charting").status == 0
    assert cli("backup").status == 0


@pytest.mark.parametrize("code", [FULL, IOERR_SHMSIZE, READ_ONLY, CANT_OPEN])
def test_reading_commands_read_a_healthy_log_on_a_full_or_read_only_disk(
        code: int, cli: Cli, db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _log(cli)
    before = db_path.read_bytes()
    _on_a_troubled_disk(monkeypatch, db_path, code)
    full = code in (FULL, IOERR_SHMSIZE)  # else nothing can be written there at all
    monkeypatch.setattr(connection, "disk_full", lambda folder: full, raising=False)
    r = cli("list")
    assert r.status == 0, r.err
    assert "charting" in r.out
    assert "only reading" in r.err
    for args in (["summary", "--week", "2026-W47"], ["check"], ["history", "1"]):
        result = cli(*args)
        assert result.status == 0, (args, result.err)
    # A committee export records the seals of its weeks: where nothing can be saved it says so
    # and writes no file, rather than hand out digests the log does not know.
    export = cli("export", "--week", "2026-W47", "--format", "json",
                 "--out", str(tmp_path / "w.json"))
    assert export.status == 1 and "nothing was" in export.err and "damaged" not in export.err
    assert not (tmp_path / "w.json").exists()
    assert list(db_path.parent.glob("*.corrupt*")) == []
    assert db_path.read_bytes() == before


def test_a_write_on_a_full_disk_says_so_and_changes_nothing(
        cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _log(cli)
    before = db_path.read_bytes()
    _on_a_troubled_disk(monkeypatch, db_path, FULL)
    r = cli("add", "messages", "--start", "2026-11-17 10:00", "--minutes", "5")
    assert r.status == 1
    assert r.err.count("\n") == 1 and "is full" in r.err and "damaged" not in r.err
    assert list(db_path.parent.glob("*.corrupt*")) == []
    assert db_path.read_bytes() == before


def test_a_change_that_fills_the_disk_is_refused_whole(store: Store) -> None:
    store.add_entry("messages", 1794848400, 1794849000, note="first", via=Via.CLI)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    with pytest.raises(EnvironmentFailure) as err:
        store.add_entry("messages", 1794852000, 1794852600, note="x" * 20_000, via=Via.CLI)
    assert "is full" in err.value.message and "nothing was saved" in err.value.message
    assert [e.note for e in store.all_entries()] == ["first"]


def test_failures_are_told_apart_by_result_code_never_by_message() -> None:
    assert classify(_error(CORRUPT, "database or disk is full")) is Failure.DAMAGE
    assert classify(_error(FULL, "database disk image is malformed")) is Failure.FULL
    assert classify(_error(READ_ONLY | (1 << 8), "anything")) is Failure.READ_ONLY
    assert classify(_error(CANT_OPEN, "malformed")) is Failure.PERMISSION
    assert classify(_error(IOERR_SHMSIZE, "malformed")) is Failure.IO


def test_damage_is_still_damage(cli: Cli, db_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    _log(cli)
    _on_a_troubled_disk(monkeypatch, db_path, CORRUPT)
    r = cli("list")
    assert r.status == 1 and "is damaged" in r.err
    assert "carelog restore" in r.err
    assert db_path.with_name("carelog.db.corrupt").exists()


# ----------------------------------------------------------------------------- (15) readers

_HOLD = r"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO settings(key, value) VALUES ('saving', 'now')")
print("saving", flush=True)
sys.stdin.read()
c.execute("ROLLBACK")
"""


def test_reading_commands_never_wait_for_the_write_lock(
        cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _log(cli)
    for b in backups.list_backups(db_path):  # the first commands of a new day
        b.path.unlink()
    monkeypatch.setenv("CARELOG_BUSY_TIMEOUT", "0")
    window = subprocess.Popen([sys.executable, "-c", _HOLD, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert window.stdout is not None and window.stdin is not None
    try:
        assert window.stdout.readline().strip() == "saving"  # the window is mid-save
        for args in (["list"], ["summary", "--week", "2026-W47"],
                     ["summary", "--week", "2026-W47", "--format", "json"], ["check"],
                     ["timer", "status"], ["categories"]):
            r = cli(*args)
            assert r.status == 0, (args, r.err)
        assert backups.list_backups(db_path) == []  # left to the next command that writes
    finally:
        window.stdin.close()
        window.wait(timeout=30)
        window.stdout.close()
    assert cli("add", "messages", "--start", "2026-11-17 10:00", "--minutes", "5").status == 0
    assert [b.kind for b in backups.list_backups(db_path)] == ["daily"]


def test_the_stub_wal_index_of_a_failed_open_is_not_called_an_unclean_stop(
        cli: Cli, db_path: Path) -> None:
    _log(cli)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    db_path.with_name(db_path.name + "-shm").write_bytes(b"\x00" * 3)  # what a full disk left
    r = cli("list")
    assert r.status == 0 and "unclean stop" not in r.err


def test_a_read_only_disk_is_called_read_only(cli: Cli, db_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _log(cli)
    _on_a_troubled_disk(monkeypatch, db_path, CANT_OPEN)
    monkeypatch.setattr(connection, "disk_full", lambda folder: False, raising=False)
    monkeypatch.setattr(connection, "read_only_disk", lambda folder: True, raising=False)
    r = cli("add", "messages", "--start", "2026-11-17 10:00", "--minutes", "5")
    assert r.status == 1 and "read-only" in r.err and "damaged" not in r.err
