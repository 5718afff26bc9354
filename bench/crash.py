"""The long crash run: SIGKILL a writer at random moments many times and check every time.

Usage: python bench/crash.py [--kills 60]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import common  # noqa: E402, F401  (the bytecode cache, as in every benchmark)

from tests.core.crash_check import run  # noqa: E402


def main() -> None:
    """Run the kills and print what was found."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--kills", type=int, default=60)
    a = p.parse_args()
    t0 = time.perf_counter()
    report = run(Path(tempfile.mkdtemp()) / "crash.db", a.kills, seed=int(t0))
    print(f"{report.kills} kills, {report.committed} reported commits checked, "
          f"{len(report.problems)} problems, {time.perf_counter() - t0:.1f} s")
    for line in report.problems:
        print(line)
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
