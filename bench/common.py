"""Shared helpers for the benchmarks: a generated busy therapist's log and a process timer."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def use_bytecode_cache() -> None:
    """Time Carelog as an installed app runs: with Python's bytecode cache.

    A shell that sets PYTHONDONTWRITEBYTECODE would make every timed process compile Carelog
    and its libraries again; the variable is removed once, here, for this process and every
    process a benchmark starts (they inherit os.environ).
    """
    was_set = os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None
    sys.dont_write_bytecode = False
    print("bytecode cache: on" + (" (PYTHONDONTWRITEBYTECODE unset for this benchmark and "
                                  "every process it starts)" if was_set else ""), flush=True)


use_bytecode_cache()

from carelog.core.domain.history import Via  # noqa: E402
from carelog.core.domain.models import Entry  # noqa: E402
from carelog.core.domain.schedule import standard_week  # noqa: E402
from carelog.core.domain.target_rules import PRESETS_BY_KEY  # noqa: E402
from carelog.core.domain.timeutil import local_to_utc  # noqa: E402
from carelog.core.store.database import Store  # noqa: E402

DAY_PLAN = [  # (start minute, length, category) — about 20 entries a working day
    (510, 15, "messages"), (525, 5, "documentation"), (540, 50, "individual"),
    (590, 10, "documentation"), (600, 50, "individual"), (650, 10, "messages"),
    (660, 50, "individual"), (710, 10, "documentation"), (720, 30, "admin"),
    (750, 30, "break"), (780, 50, "intake"), (830, 10, "documentation"),
    (840, 50, "individual"), (890, 10, "messages"), (900, 50, "individual"),
    (950, 10, "documentation"), (960, 35, "documentation"), (995, 15, "care_coordination"),
    (1010, 10, "messages"), (1140, 45, "documentation"),
]


def build_log(path: Path, years: int, end: date | None = None, seed: int = 7) -> int:
    """Write `years` years of weekday entries ending at `end`; return the entry count."""
    if path.exists():
        path.unlink()
    rng = random.Random(seed)
    end = end or date(2026, 11, 20)
    first = end - timedelta(days=365 * years)
    store = Store.open(path, daily_backup=False)
    store.set_timezone("America/Los_Angeles")
    rule = PRESETS_BY_KEY["kaiser-norcal-2022"].rule
    store.save_schedule(standard_week(first - timedelta(days=first.weekday()),
                                      "America/Los_Angeles", rule))
    tz = store.tz
    entries: list[Entry] = []
    day = first
    cats = ["individual", "documentation", "messages", "treatment_planning", "urgent"]
    while day <= end:
        if day.weekday() < 5:
            for start, length, category in DAY_PLAN:
                if category == "individual" and rng.random() < 0.1:
                    category = rng.choice(cats)
                a = local_to_utc(day, start, tz)
                entries.append(Entry(category=category, start=a, end=a + length * 60,
                                     source="demo"))
        day += timedelta(days=1)
    store.add_entries(entries, label="benchmark data", via=Via.DEMO)
    store.close()
    return len(entries)


def log_for(db: Path | None, folder: Path, name: str, years: int,
            end: date | None = None) -> Path:
    """The log named by --db, or else `name` in `folder`, built with `years` years if missing."""
    path = db or folder / name
    if not path.exists():
        build_log(path, years, end)
    return path


def log_options(description: str | None, years: int) -> argparse.ArgumentParser:
    """A benchmark's options for its log: --db names one, --years says how much to build."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--years", type=int, default=years)
    p.add_argument("--db", type=Path)
    return p


def time_command(args: list[str], runs: int = 7, env: dict[str, str] | None = None) -> float:
    """Median wall-clock seconds from process start to exit (after one warm-up run)."""
    full_env = dict(os.environ, **(env or {}))
    subprocess.run(args, check=True, capture_output=True, env=full_env)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=full_env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    """One line describing the machine the numbers came from."""
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")
