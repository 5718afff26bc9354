"""Carelog beside the time trackers a therapist might use instead: Watson and Timewarrior.

Builds the same 10 years of a therapist's entries into Carelog, Watson (PyPI `td-watson`) and
Timewarrior (Debian `timewarrior`), then times each tool's own report for one week, one month
and one year, process start to exit, and prints a table with the ratios Carelog / peer. It also
times the raw SQLite aggregate for the same periods (the floor for any SQLite-based tool).

Install the peers first (they are not Carelog's dependencies):
    apt-get install timewarrior
    python3 -m venv /tmp/watsonenv && /tmp/watsonenv/bin/pip install td-watson
Usage: python bench/peers.py [--watson /tmp/watsonenv/bin/watson] [--timew timew]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, build_log, machine, time_command

PERIODS = {  # name: (carelog args, first day, day after the last)
    "one week": (["--week", "2026-W46"], "2026-11-09", "2026-11-16"),
    "one month": (["--month", "2026-10"], "2026-09-28", "2026-11-02"),
    "one year": (["--from", "2025-11-17", "--to", "2026-11-15"], "2025-11-17", "2026-11-16"),
}


def write_peers(db: Path, work: Path) -> tuple[Path, Path]:
    """Copy Carelog's entries into a Timewarrior database and a Watson frames file."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT start_utc, end_utc, category FROM entries ORDER BY start_utc")
    timew = work / "timew"
    (timew / "data").mkdir(parents=True)
    (timew / "timewarrior.cfg").write_text("verbose = off\n")
    months: dict[str, list[str]] = {}
    frames = []
    tags: set[str] = set()
    for start, end, category in rows:
        a = datetime.fromtimestamp(start, UTC)
        b = datetime.fromtimestamp(end, UTC)
        months.setdefault(f"{a:%Y-%m}", []).append(
            f"inc {a:%Y%m%dT%H%M%SZ} - {b:%Y%m%dT%H%M%SZ} # {category}\n")
        frames.append([start, end, category, uuid.uuid4().hex, [], end])
        tags.add(category)
    for month, lines in months.items():
        (timew / "data" / f"{month}.data").write_text("".join(lines))
    (timew / "data" / "tags.data").write_text(json.dumps({t: {"count": 1} for t in tags}))
    watson = work / "watson"
    watson.mkdir()
    (watson / "frames").write_text(json.dumps(frames))
    (watson / "state").write_text("{}")
    return timew, watson


def peer_commands(db: Path, work: Path, periods: dict[str, tuple[list[str], str, str]],
                  timew: str, watson: str, names: tuple[str, str]
                  ) -> dict[str, Callable[[], list[str]]]:
    """Write the log into the peers' files and give each installed peer's report command.

    The commands are keyed "<period><name>", with the names given for Timewarrior and Watson.
    """
    timew_dir, watson_dir = write_peers(db, work)
    os.environ.update(TIMEWARRIORDB=str(timew_dir), WATSON_DIR=str(watson_dir))
    commands: dict[str, Callable[[], list[str]]] = {}
    for name, (_, first, after) in periods.items():
        if shutil.which(timew):
            commands[f"{name}{names[0]}"] = \
                lambda first=first, after=after: [timew, "summary", first, "-", after]
        if os.path.exists(watson):
            commands[f"{name}{names[1]}"] = \
                lambda first=first, after=after: [watson, "report", "--from", first,
                                                  "--to", after]
    return commands


def sqlite_floor(db: Path, first: str, after: str) -> list[str]:
    """A sqlite3 command summing minutes per category over the period (no ledger)."""
    a = int(datetime.fromisoformat(first).replace(tzinfo=UTC).timestamp())
    b = int(datetime.fromisoformat(after).replace(tzinfo=UTC).timestamp())
    sql = (f"SELECT category, SUM(end_utc - start_utc) / 60 FROM entries WHERE start_utc >= {a}"
           f" AND start_utc < {b} GROUP BY category;")
    return ["sqlite3", str(db), sql]


def main() -> None:
    """Build the three logs and print the comparison."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--watson", default=shutil.which("watson") or "/tmp/watsonenv/bin/watson")
    p.add_argument("--timew", default=shutil.which("timew") or "timew")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--db", type=Path)
    a = p.parse_args()
    work = Path(tempfile.mkdtemp())
    db = a.db or work / "carelog.db"
    if not db.exists():
        build_log(db, 10)
    timew, watson = write_peers(db, work)
    env = {"TIMEWARRIORDB": str(timew), "WATSON_DIR": str(watson),
           "PYTHONPATH": str(ROOT)}
    have_sqlite = shutil.which("sqlite3") is not None
    print(f"Machine: {machine()}; {date.today()}; "
          f"{sqlite3.connect(db).execute('SELECT COUNT(*) FROM entries').fetchone()[0]} "
          "entries over 10 years\n")
    print("| Report | Carelog `summary` | Watson `report` | Timewarrior `summary` | "
          "Carelog / Watson | Carelog / Timewarrior | raw SQLite aggregate |")
    print("|---|---|---|---|---|---|---|")
    for name, (args, first, after) in PERIODS.items():
        carelog = time_command([sys.executable, "-m", "carelog.core.cli", "--db", str(db),
                                "summary", *args], a.runs, env)
        last = (date.fromisoformat(after)).isoformat()
        w = time_command([a.watson, "report", "--from", first, "--to", last], a.runs, env) \
            if os.path.exists(a.watson) else float("nan")
        t = time_command([a.timew, "summary", first, "-", after], a.runs, env) \
            if shutil.which(a.timew) else float("nan")
        floor = time_command(sqlite_floor(db, first, after), a.runs) if have_sqlite \
            else float("nan")
        print(f"| {name} | {carelog:.3f} s | {w:.3f} s | {t:.3f} s | {carelog / w:.2f} | "
              f"{carelog / t:.2f} | {floor:.3f} s |")
    print(f"\nPython start-up alone: {time_command([sys.executable, '-c', 'pass'], a.runs):.3f} s")


if __name__ == "__main__":
    main()
