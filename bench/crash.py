"""The long crash run: SIGKILL Carelog at random moments of every kind of work, and check.

Usage: python bench/crash.py [--kills 60] [--each 12] [--only NAME …]

`writes` is the original run (a writer killed between and inside saves, batches that must be
all or nothing). The others start one `carelog` command at a time as a process, kill it at a
random moment of its run (the moment is drawn between 0 and the time a whole run takes), then
open the log the way the next command would and check:

- *lost*: work the killed command had already reported as done that is not there (a restore it
  said was made, a backup it said was verified, an import it said was imported, a scrub it said
  was finished, an export or a roll-up it said was written);
- *half*: work half done: an import partly in, a log that fails `integrity_check`, no log at
  all, an export or a roll-up that is there but not whole;
- *left after the kill* and *left after the next open*: temporary files (`*.tmp`, `*.part`,
  `*.restoring*`, a restore journal) in the log's folder, its backups folder and the output
  folder — the first count shows what a kill leaves, the second what Carelog leaves once it has
  opened the log again.

The table goes to the README's reliability section.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import common  # noqa: E402, F401  (the bytecode cache, as in every benchmark)
from carelog.core.domain.history import Via  # noqa: E402
from carelog.core.domain.models import Entry  # noqa: E402
from carelog.core.store import backup as backups  # noqa: E402
from carelog.core.store.database import Store  # noqa: E402

from tests.core.crash_check import run as run_writes  # noqa: E402

NOW = "2026-12-01T12:00:00-08:00"
NAME = "Jonah Whitfield"
TEMP_MARKS = (".tmp", ".part", ".restoring", ".restore-journal")


@dataclass
class Outcome:
    """What the kills of one kind of work found."""

    name: str
    kills: int = 0
    finished: int = 0  # runs that ended before the kill
    lost: int = 0
    half: int = 0
    left_after_kill: int = 0
    left_after_open: int = 0
    notes: list[str] = field(default_factory=list)


def _env() -> dict[str, str]:
    return dict(os.environ, CARELOG_NOW=NOW, PYTHONPATH=str(ROOT))


def _cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "carelog.core.cli", "--db", str(db), *args]


def _temporary(*folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [p for p in folder.iterdir()
                      if any(mark in p.name for mark in TEMP_MARKS)]
    return found


def _entries(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])


def _integrity(db: Path) -> bool:
    if not db.exists() or db.stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _log(db: Path, days: int = 120, note_every: int = 0) -> int:
    """A log of `days` weekdays of twenty entries (some with the name in a note)."""
    with Store.open(db, daily_backup=False) as store:
        store.set_timezone("America/Los_Angeles")
        first = date(2026, 1, 5)
        drafts = []
        for n in range(days):
            day = first + timedelta(days=n)
            base = int(time.mktime(day.timetuple())) // 60 * 60
            for k in range(20):
                note = f"call {NAME}" if note_every and (n * 20 + k) % note_every == 0 else ""
                drafts.append(Entry(category="documentation", start=base + k * 1800,
                                    end=base + k * 1800 + 1200, note=note, source="demo"))
        store.add_entries(drafts, label="bench", via=Via.DEMO)
        return len(drafts)


def _kill_run(args: list[str], duration: float, rng: random.Random,
              cwd: Path | None = None) -> tuple[bool, str]:
    """Start a command, kill it at a random moment; (killed, what it printed before)."""
    child = subprocess.Popen(args, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=cwd)
    time.sleep(rng.uniform(0.0, duration * 0.95))
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate()
    return killed and child.returncode == -signal.SIGKILL, out


def _whole_run_time(args: list[str], cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, env=_env(), capture_output=True, check=False, cwd=cwd)
    return time.perf_counter() - t0


def _next_open(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cli(db, "list", "--format", "csv"), env=_env(), capture_output=True,
                          text=True, check=False)


def _fresh_copy(template: Path, db: Path) -> None:
    """db made a copy of template, alone in its folder."""
    if db.parent.exists():
        for p in list(db.parent.iterdir()):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    else:
        db.parent.mkdir()
    shutil.copy(template, db)


@dataclass
class _Killed:
    """One command killed on a fresh copy of a log, and the log opened again after it."""

    out: str  # what the command printed before the kill
    opened: subprocess.CompletedProcess[str]
    count: int  # entries in the log afterwards, -1 when it is damaged


def _kill_on_copy(o: Outcome, template: Path, db: Path, command: list[str], duration: float,
                  rng: random.Random, *, backups_too: bool = True) -> tuple[float, _Killed]:
    """Kill command at a random moment on a fresh copy of template at db; count what it left.

    The first call (duration 0) times one whole run first, to know how long a kill may wait;
    the duration is returned for the next calls. Temporary files are looked for beside the
    log and, unless told not to, in its backup folder.
    """
    _fresh_copy(template, db)
    if not duration:
        duration = _whole_run_time(command)
        _fresh_copy(template, db)
    killed, out = _kill_run(command, duration, rng)
    o.kills += killed
    o.finished += not killed
    folders = (db.parent, backups.backup_dir(db)) if backups_too else (db.parent,)
    o.left_after_kill += len(_temporary(*folders))
    opened = _next_open(db)
    o.left_after_open += len(_temporary(*folders))
    count = _entries(db) if _integrity(db) else -1
    return duration, _Killed(out, opened, count)


# ----------------------------------------------------------------------------- scenarios

def import_csv(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during `import csv` of a 60,000-row file: all of it or none of it."""
    o = Outcome("import csv (60,000 rows)")
    source = work / "rows.csv"
    lines = ["id,category,start,end,minutes,note,source"]
    day = date(1990, 1, 1)  # years before the log's own entries: nothing overlaps
    for n in range(60_000):
        d = day + timedelta(days=n // 12)
        lines.append(f"{n + 1},documentation,{d} {7 + n % 12:02d}:00,{d} {7 + n % 12:02d}:50,"
                     "50,,manual")
    source.write_text("\n".join(lines) + "\n")
    template = work / "import-template.db"
    before = _log(template, days=20)
    duration = 0.0
    for n in range(kills):
        db = work / f"import{n}" / "c.db"
        duration, k = _kill_on_copy(o, template, db, _cli(db, "import", "csv", str(source)),
                                    duration, rng)
        if k.count not in (before, before + 60_000) or k.opened.returncode:
            o.half += 1
            o.notes.append(f"import {n}: {k.count} entries")
        if "Imported" in k.out and k.count != before + 60_000:
            o.lost += 1
    return o


def restore(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during `restore`: the old log or the restored one, never nothing."""
    o = Outcome("restore")
    template = work / "restore-template.db"
    old = _log(template, days=60)
    backup_src = work / "restore-backup-src.db"
    restored = _log(backup_src, days=30)
    with Store.open(backup_src, daily_backup=False) as store:
        backup = store.backup(work / "restore-backup.db")
    duration = 0.0
    for n in range(kills):
        db = work / f"restore{n}" / "c.db"
        duration, k = _kill_on_copy(o, template, db, _cli(db, "restore", str(backup)),
                                    duration, rng, backups_too=False)
        if k.count not in (old, restored) or k.opened.returncode:
            o.half += 1
            o.notes.append(f"restore {n}: {k.count} entries; {k.opened.stderr.strip()[:120]}")
        if "Restored" in k.out and k.count != restored:
            o.lost += 1
    return o


def backup(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during `backup`: no half-written file ever counts as a backup."""
    o = Outcome("backup")
    db = work / "backup" / "c.db"
    db.parent.mkdir()
    _log(db, days=200)
    duration = _whole_run_time(_cli(db, "backup"))
    for _ in range(kills):
        killed, out = _kill_run(_cli(db, "backup"), duration, rng)
        o.kills += killed
        o.finished += not killed
        folder = backups.backup_dir(db)
        o.left_after_kill += len(_temporary(db.parent, folder))
        _next_open(db)
        o.left_after_open += len(_temporary(db.parent, folder))
        bad = [b for b in backups.list_backups(db) if backups.verify_file(b.path) != "ok"]
        o.half += len(bad)
        if "verified:" in out:
            written = Path(out.split("verified:", 1)[1].strip())
            if not written.exists() or backups.verify_file(written) != "ok":
                o.lost += 1
    return o


def scrub(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during `scrub`: the log whole, the text gone if it said so."""
    o = Outcome("scrub")
    template = work / "scrub-template.db"
    total = _log(template, days=120, note_every=7)
    duration = 0.0
    for n in range(kills):
        db = work / f"scrub{n}" / "c.db"
        duration, k = _kill_on_copy(o, template, db, _cli(db, "scrub", NAME), duration, rng)
        if k.count != total or k.opened.returncode:
            o.half += 1
        held = NAME.encode() in db.read_bytes()
        if "Removed the text" in k.out and held:
            o.lost += 1
    return o


def migration(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL while an old log is brought up to date: the old one or the new one, whole."""
    o = Outcome("migration (schema 1 to current)")
    fixture = ROOT / "tests" / "fixtures" / "schema1.db"
    template = work / "migrate-template.db"
    shutil.copy(fixture, template)
    with sqlite3.connect(template) as conn:  # a first-version log with a year in it
        rows = [("documentation", 1_735_718_400 + k * 1800, 1_735_718_400 + k * 1800 + 1200,
                 "", "manual", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
                for k in range(20_000)]
        conn.executemany("INSERT INTO entries(category, start_utc, end_utc, note, source, "
                         "created, updated) VALUES (?,?,?,?,?,?,?)", rows)
    before = _entries(template)
    duration = 0.0
    for n in range(kills):
        db = work / f"migrate{n}" / "c.db"
        duration, k = _kill_on_copy(o, template, db, _cli(db, "list", "--format", "json"),
                                    duration, rng)
        if k.count != before or k.opened.returncode:
            o.half += 1
            o.notes.append(f"migration {n}: {k.count}; {k.opened.stderr.strip()[:100]}")
    return o


def _output_run(name: str, work: Path, kills: int, rng: random.Random,
                command: Callable[[Path, Path], list[str]], suffix: str,
                whole: Callable[[Path], bool], said: str) -> Outcome:
    o = Outcome(name)
    db = work / name.split()[0] / "c.db"
    db.parent.mkdir()
    _log(db, days=300)
    out_dir = work / (name.split()[0] + "-out")
    out_dir.mkdir()
    duration = 0.0
    for n in range(kills):
        target = out_dir / f"out{n}{suffix}"
        if not duration:
            duration = _whole_run_time(command(db, target))
            target.unlink()
        killed, out = _kill_run(command(db, target), duration, rng)
        o.kills += killed
        o.finished += not killed
        o.left_after_kill += len(_temporary(out_dir, db.parent))
        _next_open(db)
        o.left_after_open += len(_temporary(out_dir, db.parent))
        if target.exists() and not whole(target):
            o.half += 1
        if said in out and not (target.exists() and whole(target)):
            o.lost += 1
    return o


def _json_whole(path: Path) -> bool:
    try:
        json.loads(path.read_text())
    except ValueError:
        return False
    return True


def export(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during a committee `export` (PDF): no partial file."""
    return _output_run(
        "export (PDF, a year)", work, kills, rng,
        lambda db, out: _cli(db, "export", "--from", "2026-01-05", "--to", "2026-10-31",
                             "--format", "pdf", "--out", str(out)),
        ".pdf", lambda p: p.read_bytes().rstrip().endswith(b"%%EOF"), "Wrote")


def merge(work: Path, kills: int, rng: random.Random) -> Outcome:
    """SIGKILL during `merge` of six exports: no partial roll-up."""
    inputs = []
    for n in range(6):
        db = work / f"clinician{n}" / "c.db"
        db.parent.mkdir()
        _log(db, days=200)
        out = work / f"clinician{n}.json"
        subprocess.run(_cli(db, "export", "--from", "2026-01-05", "--to", "2026-07-26",
                            "--format", "json", "--out", str(out)), env=_env(), check=True,
                       capture_output=True)
        inputs.append(str(out))
    return _output_run(
        "merge (six exports)", work, kills, rng,
        lambda db, out: [sys.executable, "-m", "carelog.core.cli", "merge", *inputs, "--out",
                         str(out)],
        ".json", _json_whole, "Merged")


SCENARIOS: dict[str, Callable[[Path, int, random.Random], Outcome]] = {
    "import": import_csv, "restore": restore, "backup": backup, "scrub": scrub,
    "migration": migration, "export": export, "merge": merge,
}


def main() -> None:
    """Run the kills and print a Markdown table of what they found."""
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kills", type=int, default=60, help="kills of the writer run")
    p.add_argument("--each", type=int, default=12, help="kills of each other kind of work")
    p.add_argument("--only", nargs="*", choices=["writes", *SCENARIOS])
    p.add_argument("--seed", type=int, default=None)
    a = p.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="carelog-crash-"))
    outcomes: list[Outcome] = []
    t0 = time.perf_counter()
    try:
        if not a.only or "writes" in a.only:
            report = run_writes(work / "writes" / "crash.db", a.kills, seed=seed)
            o = Outcome("writes and batches", kills=report.kills, half=len(report.problems))
            o.lost = sum(1 for line in report.problems if "reported but" in line)
            o.notes = report.problems
            outcomes.append(o)
        for name, scenario in SCENARIOS.items():
            if a.only and name not in a.only:
                continue
            outcomes.append(scenario(work, a.each, rng))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"seed {seed}, {time.perf_counter() - t0:.0f} s\n")
    print("| Killed during | kills | ran out before the kill | lost | half done | "
          "left after the kill | left after the next open |")
    print("|---|---|---|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.name} | {o.kills} | {o.finished} | {o.lost} | {o.half} | "
              f"{o.left_after_kill} | {o.left_after_open} |")
    for o in outcomes:
        for note in o.notes[:5]:
            print(f"{o.name}: {note}")
    sys.exit(1 if any(o.lost or o.half or o.left_after_open for o in outcomes) else 0)


if __name__ == "__main__":
    main()
