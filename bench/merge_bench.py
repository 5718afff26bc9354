"""A region's roll-up: `carelog merge` of thousands of clinicians' one-year exports.

    python bench/merge_bench.py [--clinicians 3000] [--runs 3] [--db PATH]

Builds a one-year committee JSON export from the 10-year log, writes that many variations of it
(each its own contributor, figures drawn around the real ones, as export_bench.py does), and
times the merge into a clinic JSON process start to exit, with the merge's peak memory. Merge
reads thousands of files on every core, so its memory is that of all its processes together:
their proportional set sizes (shared pages counted once), added up every few milliseconds in one
more run, and never less than the largest resident set of one process. Median of the runs after
one warm-up.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import build_log, machine
from export_bench import make_clinicians

PEAK = ("import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def timed(args: list[str]) -> tuple[float, int]:
    """Seconds from start to exit, and the peak resident memory in KiB."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, *args], check=True, capture_output=True,
                         text=True).stdout
    return time.perf_counter() - t0, int(out.split()[-1])


def _tree(pid: int) -> list[int]:
    """A process and every process it started, still running."""
    kids: list[str] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            kids += Path(f"/proc/{pid}/task/{task}/children").read_text().split()
    return [pid, *(p for kid in kids for p in _tree(int(kid)))]


def _pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def all_processes_peak(args: list[str]) -> int:
    """The largest memory of a command and the processes it starts together, in KiB (Linux)."""
    if not Path("/proc/self/smaps_rollup").exists():
        return 0
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kib(p) for p in _tree(proc.pid)))
        time.sleep(0.005)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return peak


def merge_figures(db: Path, work: Path, clinicians: int,
                  runs: int) -> tuple[float, float, int, int]:
    """Seconds and peak MB (all processes) of merging `clinicians` one-year exports, the
    input's size, and its week records."""
    carelog = [sys.executable, "-m", "carelog.core.cli", "--db", str(db)]
    year = work / "year.json"
    subprocess.run(carelog + ["export", "--from", "2025-11-17", "--to", "2026-11-15",
                              "--format", "json", "--out", str(year)], check=True,
                   capture_output=True)
    files = make_clinicians(work, clinicians, year)
    size = sum(f.stat().st_size for f in files)
    merge = carelog + ["merge", *map(str, files), "--out", str(work / "clinic.json")]
    timed(merge)
    results = [timed(merge) for _ in range(runs)]
    largest = statistics.median(m for _, m in results)
    return (statistics.median(t for t, _ in results),
            max(largest, all_processes_peak(merge)) / 1024, size, clinicians * 52)


def main() -> None:
    """Build the inputs and print the timing."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", type=Path)
    p.add_argument("--clinicians", type=int, default=3000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    work = Path(tempfile.mkdtemp())
    db = a.db or work / "bench.db"
    if not db.exists():
        build_log(db, 10)
    seconds, peak, size, weeks = merge_figures(db, work, a.clinicians, a.runs)
    print(f"Machine: {machine()}; {date.today()}\n")
    print("| Merge | files | week records | input | seconds | peak memory (all processes) |")
    print("|---|---|---|---|---|---|")
    print(f"| {a.clinicians} clinicians × 1 year → JSON | {a.clinicians} | {weeks:,} | "
          f"{size / 1e6:.0f} MB | {seconds:.2f} s | {peak:.0f} MB |")
    floor, floor_peak = timed([sys.executable, "-c", "import json"])
    print(f"\nA Python that only starts: {floor:.3f} s, {floor_peak / 1024:.0f} MB; "
          f"own peak memory of this benchmark: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
