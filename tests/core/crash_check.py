"""Kill a writing process with SIGKILL at random moments and check what survived.

Used by the quick crash test in the suite and by bench/crash.py for the long run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BATCH = 12

CHILD = r"""
import sys
sys.path.insert(0, ROOT)
from carelog.core.domain.history import Via
from carelog.core.domain.models import Entry
from carelog.core.store.database import Store
store = Store.open(DB, daily_backup=False)
n = int(sys.argv[1])
base = 1794848400 + n * 10_000_020
print("ready", flush=True)
i = 0
while True:
    start = base + i * BATCH * 600
    if i % 3 == 0:
        # A multi-row change (like an import): all of its entries or none.
        drafts = [Entry(category="documentation", start=start + k * 600,
                        end=start + k * 600 + 300, note=f"batch-{n}-{i}", source="import-csv")
                  for k in range(BATCH)]
        store.add_entries(drafts, label=f"batch {n}-{i}", via=Via.CLI)
    else:
        store.add_entry("messages", start, start + 300, note=f"single-{n}-{i}", via=Via.CLI)
    print(f"committed {i}", flush=True)
    i += 1
"""


@dataclass
class CrashReport:
    """What the kills found."""

    kills: int
    committed: int
    problems: list[str]


def run(db: Path, kills: int, seed: int = 1) -> CrashReport:
    """Start a writer, kill it after a random number of commits, check, repeat."""
    rng = random.Random(seed)
    code = CHILD.replace("ROOT", repr(str(ROOT))).replace("DB", repr(str(db))) \
        .replace("BATCH", str(BATCH))
    problems: list[str] = []
    committed_total = 0
    for n in range(kills):
        child = subprocess.Popen([sys.executable, "-c", code, str(n)], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        wanted = rng.randint(0, 25)
        committed: list[int] = []
        for _ in range(wanted):
            line = child.stdout.readline()
            if not line:
                break
            committed.append(int(line.split()[1]))
        # Let it run on into its next write, then kill it wherever it is.
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if child.returncode != -signal.SIGKILL:
            problems.append(f"kill {n}: the writer stopped by itself ({child.returncode})")
        committed_total += len(committed)
        problems += check(db, n, committed)
    return CrashReport(kills, committed_total, problems)


def check(db: Path, n: int, committed: list[int]) -> list[str]:
    """Integrity, every reported commit present, and no batch half-applied."""
    from carelog.core.store.database import Store

    found: list[str] = []
    with Store.open(db, daily_backup=False) as store:
        report = store.check()
        if not report.ok:
            found.append(f"kill {n}: check failed: {report.lines}")
        notes = [r[0] for r in store.conn.execute(
            "SELECT note FROM entries WHERE note LIKE ? OR note LIKE ?",
            (f"batch-{n}-%", f"single-{n}-%"))]
    for i in committed:
        key = f"batch-{n}-{i}" if i % 3 == 0 else f"single-{n}-{i}"
        want = BATCH if i % 3 == 0 else 1
        if notes.count(key) != want:
            found.append(f"kill {n}: commit {i} reported but {notes.count(key)} of {want} rows")
    for key in {k for k in notes if k.startswith("batch-")}:
        if notes.count(key) not in (0, BATCH):
            found.append(f"kill {n}: {key} half-applied ({notes.count(key)} rows)")
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            found.append(f"kill {n}: integrity_check failed")
    return found
