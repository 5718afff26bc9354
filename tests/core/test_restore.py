"""Restore never loses a log: one writer, unique kept files, a swap that survives a kill."""

from __future__ import annotations

import datetime as dt
import importlib
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.store.database import Store

from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., CliResult]


def _log(db: Path, notes: list[str]) -> None:
    """Write one entry per note into the database at db (creating it)."""
    with Store.open(db) as store:
        for i, note in enumerate(notes):
            start = 1794848400 + 3600 * i + 3600 * 24 * 7 * len(note)
            store.add_entry("messages", start, start + 600, note=note, via=Via.CLI)


def _notes(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(str(r[0]) for r in conn.execute("SELECT note FROM entries"))
    finally:
        conn.close()


def _backup_of(db: Path, tmp_path: Path, notes: list[str], name: str) -> Path:
    other = tmp_path / f"{name}-source" / "c.db"
    _log(other, notes)
    with Store.open(other) as store:
        return store.backup(tmp_path / f"{name}.db")


# ----------------------------------------------------------------------------- (1) one writer

# The window, as another program: it holds the writer lock until its input closes.
_WINDOW = r"""
import sys
from pathlib import Path
from carelog.core.store.lock import Holder, WriterLock
lock = WriterLock.take(Path(sys.argv[1]), Holder.WINDOW)
print("holding", flush=True)
sys.stdin.read()
lock.release()
"""


def test_restore_refuses_while_the_window_holds_the_log(
        cli: Cli, db_path: Path, tmp_path: Path) -> None:
    _log(db_path, ["today's work"])
    backup = _backup_of(db_path, tmp_path, ["old"], "b")
    window = subprocess.Popen([sys.executable, "-c", _WINDOW, str(db_path)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert window.stdout is not None and window.stdin is not None
    try:
        assert window.stdout.readline().strip() == "holding"
        r = cli("restore", str(backup))
    finally:
        window.stdin.close()
        window.wait(timeout=30)
        window.stdout.close()
    assert r.status == 1
    assert r.err.count("\n") == 1 and "window is open" in r.err and str(window.pid) in r.err
    assert _notes(db_path) == ["today's work"]
    assert cli("restore", str(backup)).status == 0
    assert _notes(db_path) == ["old"]


def test_a_connection_never_writes_into_a_log_that_was_replaced(
        cli: Cli, db_path: Path, tmp_path: Path) -> None:
    _log(db_path, ["before"])
    backup = _backup_of(db_path, tmp_path, ["old"], "b")
    store = Store.open(db_path)  # a connection opened before the restore (another program)
    try:
        assert cli("restore", str(backup)).status == 0
        with pytest.raises(Exception, match="replaced"):
            store.add_entry("messages", 1794848400, 1794849000, note="after", via=Via.CLI)
    finally:
        store.close()
    assert _notes(db_path) == ["old"]


# ----------------------------------------------------------------------------- (2) unique kept

class _Frozen(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Frozen:
        return cls(2026, 12, 1, 12, 0, 0)


def _stop_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every restore runs in the same second: the clock that names kept files stands still."""
    for name in ("carelog.core.store.backup", "carelog.core.store.restore"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "datetime"):
            monkeypatch.setattr(module, "datetime", _Frozen)


def _kept(db: Path) -> list[Path]:
    return sorted(p for p in db.parent.glob(f"{db.name}.replaced-*")
                  if not p.name.endswith(("-wal", "-shm")))

def test_two_restores_in_the_same_second_keep_both_replaced_logs(
        cli: Cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stop_the_clock(monkeypatch)
    _log(db_path, ["the original log"])
    first = _backup_of(db_path, tmp_path, ["first backup"], "b1")
    second = _backup_of(db_path, tmp_path, ["second backup"], "b2")
    assert cli("restore", str(first)).status == 0
    assert cli("restore", str(second)).status == 0
    assert sorted(_notes(k) for k in _kept(db_path)) == [["first backup"], ["the original log"]]
    assert _notes(db_path) == ["second backup"]


def test_a_kept_name_taken_by_a_link_is_never_followed(
        cli: Cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stop_the_clock(monkeypatch)
    _log(db_path, ["mine"])
    backup = _backup_of(db_path, tmp_path, ["old"], "b")
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    for name in ("carelog.db.replaced-20261201-120000", "carelog.db.restoring"):
        (db_path.parent / name).symlink_to(victim)
    assert cli("restore", str(backup)).status == 0
    assert victim.read_text() == "someone else's file"
    kept = [k for k in _kept(db_path) if not k.is_symlink()]
    assert [_notes(k) for k in kept] == [["mine"]]


# ----------------------------------------------------------------------------- (3) kill mid-swap

_KILL_AT = r"""
import os, sys
from pathlib import Path
calls = 0
real = os.replace
def replace(src, dst, **kw):
    global calls
    calls += 1
    if calls == int(sys.argv[3]):
        os.kill(os.getpid(), 9)
    return real(src, dst, **kw)
os.replace = replace
os.rename = replace
from carelog.core.cli.main import main
print("status", main(["--db", sys.argv[2], "restore", sys.argv[1]]), calls)
"""


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5, 6, 7])
def test_a_restore_killed_at_any_rename_leaves_a_log_and_says_which(
        kill_at: int, cli: Cli, db_path: Path, tmp_path: Path) -> None:
    _log(db_path, ["the log in place"])
    with Store.open(db_path) as store:  # leave a write-ahead log beside it, as a window would
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.add_entry("admin", 1794848400 - 7200, 1794848400 - 6600, note="in the wal",
                        via=Via.CLI)
        held = sqlite3.connect(db_path)
        held.execute("SELECT 1").fetchall()
    backup = _backup_of(db_path, tmp_path, ["restored"], "b")
    child = subprocess.run([sys.executable, "-c", _KILL_AT, str(backup), str(db_path),
                            str(kill_at)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    held.close()
    killed = child.returncode == -signal.SIGKILL
    r = cli("list", "--format", "csv")
    assert r.status == 0, r.err
    notes = _notes(db_path)
    assert notes in (["in the wal", "the log in place"], ["restored"])
    if killed:
        said = ("back in place", "completed", "as it was")
        assert "restore" in r.err and any(w in r.err for w in said)
    leftovers = sorted(p.name for p in db_path.parent.iterdir()
                       if "restor" in p.name or p.name.endswith((".tmp", ".part")))
    assert leftovers == []
    if notes == ["restored"]:
        assert [_notes(k) for k in _kept(db_path)] == [["in the wal", "the log in place"]]


def test_a_planted_restore_journal_never_renames_other_files(
        cli: Cli, db_path: Path, tmp_path: Path) -> None:
    import json

    _log(db_path, ["mine"])
    precious = tmp_path / "precious.txt"
    precious.write_text("the user's own file")
    journal = db_path.with_name("carelog.db.restore-journal")
    journal.write_text(json.dumps({
        "backup": "x.db", "staged": str(db_path.with_name(".carelog.db.restoring.x.tmp")),
        "kept": str(tmp_path / "stolen.txt"),
        "steps": [[str(precious), str(tmp_path / "stolen.txt")]]}))
    r = cli("list")
    assert r.status == 1 and "move it aside" in r.err
    assert precious.read_text() == "the user's own file"
    assert not (tmp_path / "stolen.txt").exists()
    journal.unlink()
    assert cli("list").status == 0


def test_a_lock_file_that_is_not_a_file_is_refused(cli: Cli, db_path: Path,
                                                    tmp_path: Path) -> None:
    import os

    _log(db_path, ["mine"])
    backup = _backup_of(db_path, tmp_path, ["old"], "b")
    os.mkfifo(db_path.with_name("carelog.db.lock"))
    r = cli("restore", str(backup))
    assert r.status == 1 and "not a regular file" in r.err
    assert _notes(db_path) == ["mine"]
