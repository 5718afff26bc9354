"""Time `carelog summary` on 10 years of a busy therapist's log, process start to exit.

Usage: python bench/ledger.py [--years 10] [--db PATH]
Prints a Markdown table of median seconds for a week, a month and a year, as text and JSON.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import build_log, machine, time_command


def main() -> None:
    """Build the log (unless it exists) and print the timings."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--db", type=Path)
    p.add_argument("--runs", type=int, default=7)
    a = p.parse_args()
    db = a.db or Path(tempfile.mkdtemp()) / "bench.db"
    if not db.exists():
        t0 = time.perf_counter()
        n = build_log(db, a.years)
        print(f"Built {n} entries over {a.years} years in {time.perf_counter() - t0:.1f} s: {db}")
    carelog = [sys.executable, "-m", "carelog.core.cli", "--db", str(db), "summary"]
    periods = [("one week", ["--week", "2026-W46"]), ("one month", ["--month", "2026-10"]),
               ("one year", ["--from", "2025-11-17", "--to", "2026-11-15"])]
    print(f"\nMachine: {machine()}; {date.today()}\n")
    print("| `carelog summary` | text | json |")
    print("|---|---|---|")
    for name, args in periods:
        text = time_command(carelog + args, a.runs)
        js = time_command(carelog + args + ["--format", "json"], a.runs)
        print(f"| {name} | {text:.3f} s | {js:.3f} s |")
    floor = time_command([sys.executable, "-c", "pass"], a.runs)
    print(f"\nPython start-up alone (the floor for any Python tool): {floor:.3f} s")


if __name__ == "__main__":
    main()
