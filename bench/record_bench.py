"""What the record costs: adding an entry with history, the history migration, and verify.

Usage: python bench/record_bench.py [--years 10] [--db PATH] [--runs 7]
Prints three small Markdown tables:
- adding one entry to a 10-year log, with its history event and the sealed-week check, against
  the same add with the history hooks switched off (the cost the history adds);
- migrating a schema-3 log of 50,000 entries to schema 4 (every entry gets its first event);
- `carelog verify` of a year's committee JSON on the 10-year log, process start to exit.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carelog.core.domain.history import Via
from carelog.core.domain.timeutil import local_to_utc
from carelog.core.store import journal
from carelog.core.store.database import Store
from common import build_log, log_options, machine, time_command

NOW = "2026-11-25T12:00:00-08:00"


def time_adds(db: Path, runs: int, hooks: bool) -> float:
    """Median milliseconds of store.add_entry on a copy of the log."""
    work = db.with_name(f"adds-{int(hooks)}.db")
    shutil.copy(db, work)
    saved = (journal.history.append, journal.amendment)
    if not hooks:
        journal.history.append = lambda *a, **k: 0  # type: ignore[assignment]
        journal.amendment = lambda *a, **k: (None, [])  # type: ignore[assignment]
    try:
        with Store.open(work, daily_backup=False) as s:
            tz = s.tz
            times = []
            for i in range(runs):
                day = date(2026, 11, 21 + i % 2)  # a weekend: nothing logged there yet
                a = local_to_utc(day, 6 * 60 + 10 * (i // 2), tz)
                t0 = time.perf_counter()
                s.add_entry("messages", a, a + 300, via=Via.CLI)
                times.append(time.perf_counter() - t0)
    finally:
        journal.history.append, journal.amendment = saved
        work.unlink()
    return statistics.median(times) * 1000


def schema3_log(path: Path, n: int) -> None:
    """A schema-3 database (before history) holding n entries, written directly."""
    from carelog.core.store.migrations import migrations
    from sqlite_utils import Database

    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    migrations.apply(db, stop_before="m004_entry_history_and_seals")
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO settings(key, value) VALUES ('timezone', 'America/Los_Angeles')")
    base = 1_483_257_600  # 2017-01-01
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO entries(category, start_utc, end_utc, note, source, created, updated) "
        "VALUES (?, ?, ?, '', 'manual', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
        [("documentation", base + i * 3600, base + i * 3600 + 1800) for i in range(n)])
    conn.execute("COMMIT")
    conn.close()


def main() -> None:
    """Build the logs and print the timings."""
    p = log_options(__doc__, 10)
    p.add_argument("--runs", type=int, default=41)
    a = p.parse_args()
    os.environ["CARELOG_NOW"] = NOW
    folder = Path(tempfile.mkdtemp())
    db = a.db or folder / "bench.db"
    if not db.exists():
        t0 = time.perf_counter()
        n = build_log(db, a.years)
        print(f"Built {n} entries (each with its history) over {a.years} years in "
              f"{time.perf_counter() - t0:.1f} s: {db}")
    print(f"\nMachine: {machine()}; {date.today()}\n")

    # The first copy of the log a process makes is read cold from disk; one round of each
    # is thrown away so that both variants are measured warm.
    time_adds(db, a.runs, hooks=False)
    time_adds(db, a.runs, hooks=True)
    without = time_adds(db, a.runs, hooks=False)
    with_history = time_adds(db, a.runs, hooks=True)
    print("| adding one entry to the log | median |")
    print("|---|---|")
    print(f"| with its history event and the sealed-week check | {with_history:.2f} ms |")
    print(f"| the same add with the history hooks switched off | {without:.2f} ms |")
    print(f"| what the history adds | {with_history - without:+.2f} ms |")

    old = folder / "schema3.db"
    schema3_log(old, 50_000)
    t0 = time.perf_counter()
    with Store.open(old, daily_backup=False) as s:
        opened = time.perf_counter() - t0
        events = s.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    print("\n| migrating 50,000 entries to schema 4 | seconds |")
    print("|---|---|")
    print(f"| open, back up and migrate ({events} history events written) | {opened:.2f} s |")

    export = folder / "year.json"
    carelog = [sys.executable, "-m", "carelog.core.cli", "--db", str(db)]
    import subprocess

    subprocess.run([*carelog, "export", "--from", "2025-11-17", "--to", "2026-11-15",
                    "--out", str(export)], check=True, capture_output=True,
                   env=dict(os.environ, CARELOG_NOW=NOW))
    verify = time_command([*carelog, "verify", str(export)], 7, {"CARELOG_NOW": NOW})
    floor = time_command([sys.executable, "-c", "pass"], 7)
    print("\n| `carelog verify` of a year's export, 10-year log | seconds |")
    print("|---|---|")
    print(f"| process start to exit | {verify:.3f} s |")
    print(f"| Python start-up alone | {floor:.3f} s |")


if __name__ == "__main__":
    main()
