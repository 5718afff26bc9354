"""Temporary and kept files: created exclusively, never through a link, never left behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.domain.models import Entry
from carelog.core.store import backup as backups
from carelog.core.store.database import Store

from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., CliResult]


@pytest.fixture
def victim(db_path: Path, tmp_path: Path) -> Path:
    """Another user's file, beside a log of one entry, for a planted link to point at."""
    _one_entry(db_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("another user's file")
    return victim


def _one_entry(db: Path) -> None:
    with Store.open(db) as store:
        store.set_timezone("America/Los_Angeles")
        store.add_entry("messages", 1794848400, 1794849000, via=Via.CLI)


# ----------------------------------------------------------------------------- (7) no links

def test_an_export_never_writes_through_a_planted_link(cli: Cli, tmp_path: Path,
                                                      victim: Path) -> None:
    out = tmp_path / "exports" / "week.json"
    out.parent.mkdir()
    # The names an export's temporary file had: '.NAME.part-PID' (this process exports).
    (out.parent / f".week.json.part-{os.getpid()}").symlink_to(victim)
    r = cli("export", "--week", "2026-W47", "--format", "json", "--out", str(out))
    assert r.status == 0, r.err
    assert victim.read_text() == "another user's file"
    assert json.loads(out.read_text())["format"] == "carelog-summary"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_backup_never_writes_through_a_planted_link(cli: Cli, tmp_path: Path,
                                                     victim: Path) -> None:
    target = tmp_path / "usb" / "carelog.db"
    target.parent.mkdir()
    (target.parent / "carelog.db.part").symlink_to(victim)
    r = cli("backup", "--to", str(target))
    assert r.status == 0, r.err
    assert victim.read_text() == "another user's file"
    assert backups.verify_file(target) == "ok"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_damaged_log_is_kept_under_a_name_nothing_had(db_path: Path, victim: Path) -> None:
    db_path.write_bytes(b"not a database at all\n" * 50)
    Path(str(db_path) + ".corrupt").symlink_to(victim)
    with pytest.raises(Exception, match="not a Carelog database") as err:
        Store.open(db_path)
    assert victim.read_text() == "another user's file"
    kept = Path(str(db_path) + ".corrupt2")
    assert kept.name in str(err.value)
    assert kept.read_bytes() == db_path.read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


# ----------------------------------------------------------------------------- (8) backups

def _age(path: Path, seconds: int = 3600) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_leftovers_of_killed_runs_are_removed_on_the_next_open(db_path: Path) -> None:
    _one_entry(db_path)
    folder = backups.backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    planted = [folder / "carelog-daily-2026-11-30.db.part",
               folder / "carelog-daily-2026-11-30.db.part-wal",
               folder / "carelog-daily-2026-11-30.db.part-shm",
               db_path.parent / "carelog.db.restoring",
               db_path.parent / "carelog.db.restoring-wal",
               db_path.parent / f".carelog.db.part-{os.getpid() + 1}",
               db_path.parent / ".carelog.db.k2j4h1.tmp",
               db_path.parent / ".carelog.db.k2j4h1.tmp-wal",
               folder / ".carelog-daily-2026-12-01.db.x81jq.tmp",
               folder / ".carelog-daily-2026-12-01.db.x81jq.tmp-shm"]
    for p in planted:
        p.write_bytes(b"x" * 4096)
        _age(p)
    with Store.open(db_path) as store:
        assert store.count_entries() == 1
    assert [p.name for p in planted if p.exists()] == []
    [daily] = backups.list_backups(db_path)
    assert backups.verify_file(daily.path) == "ok"
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".daily"))
    assert names == [daily.path.name]


_LIVE = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("writing", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the helper locks with flock")
def test_a_temporary_file_another_program_is_writing_is_left_alone(db_path: Path) -> None:
    _one_entry(db_path)
    live = db_path.parent / ".carelog.db.writing.tmp"
    writer = subprocess.Popen([sys.executable, "-c", _LIVE, str(live)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdin is not None
    try:
        assert writer.stdout.readline().strip() == "writing"
        Store.open(db_path).close()
        assert live.exists()
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
        writer.stdout.close()
    Store.open(db_path).close()
    assert not live.exists()


_OPENER = r"""
import sys
from pathlib import Path
from carelog.core.store.database import Store
print("ready", flush=True)
sys.stdin.readline()
store = Store.open(Path(sys.argv[1]))
print(repr(store.warnings), flush=True)
store.close()
"""


def test_programs_opening_on_the_same_morning_make_one_backup(db_path: Path) -> None:
    with Store.open(db_path) as store:  # a log big enough that the copies overlap in time
        store.add_entries([Entry(category="messages", start=1794848400 + i * 900,
                                 end=1794848400 + i * 900 + 600,
                                 note="a note long enough to fill pages " * 4)
                           for i in range(300)], via=Via.CLI)
    for b in backups.list_backups(db_path):
        b.path.unlink()
    openers = [subprocess.Popen([sys.executable, "-c", _OPENER, str(db_path)], cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in openers:  # every program waits at the starting line…
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in openers:  # …and all of them open the log at once
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=60) for p in openers]
    assert [p.returncode for p in openers] == [0, 0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["[]"] * 3
    folder = backups.backup_dir(db_path)
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".daily"))
    [daily] = backups.list_backups(db_path)
    assert daily.kind == "daily" and names == [daily.path.name]
    assert backups.verify_file(daily.path) == "ok"


def test_an_export_or_a_roll_up_never_replaces_a_database(cli: Cli, db_path: Path,
                                                         tmp_path: Path) -> None:
    _one_entry(db_path)
    before = db_path.read_bytes()
    r = cli("export", "--week", "2026-W47", "--format", "json", "--out", str(db_path))
    assert r.status == 2 and "is a database" in r.err
    backup = Path(cli("backup").out.split(": ", 1)[1].strip())
    r = cli("merge", str(tmp_path / "x.json"), "--out", str(backup.with_suffix(".json")))
    assert r.status == 2
    exported = tmp_path / "w.json"
    assert cli("export", "--week", "2026-W47", "--format", "json",
               "--out", str(exported)).status == 0
    renamed = backup.with_name("clinic.json")
    backup.rename(renamed)  # a backup whose name says json is a database all the same
    r = cli("merge", str(exported), "--out", str(renamed), "--min-clinicians", "1")
    assert r.status == 2 and "is a database" in r.err
    assert backups.verify_file(renamed) == "ok"
    assert db_path.read_bytes()[:16] == before[:16]
    assert cli("list").status == 0


def test_a_database_path_that_links_to_nothing_is_refused(tmp_path: Path) -> None:
    from carelog.core.cli.main import main

    elsewhere = tmp_path / "elsewhere" / "planted.db"
    elsewhere.parent.mkdir()
    link = tmp_path / "carelog.db"
    link.symlink_to(elsewhere)
    assert main(["--db", str(link), "list"]) == 2
    assert not elsewhere.exists()
