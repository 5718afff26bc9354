"""Every speed aim in one table, measured in one run: each figure beside what it is held to.

    python bench/speed_table.py [--runs 9] [--work DIR] [--watson PATH] [--timew timew]

Run it with the Python of an installed Carelog (`pip install .` into a venv of its own). It
builds (or reuses, with --work) a 10-year log and a 5-year log, then measures, one after the
other and on the same machine:
- `carelog summary` of a week, a month and a year with its weeks stored, taking turns with the
  interpreter's own start (`import sqlite3`), a bare Python command of the same shape (argparse,
  sqlite3 and json, nothing of Carelog's), Timewarrior's `summary` and Watson's `report` of the
  same entries (bench/ledger.py, bench/peers.py), and a week right after a change made with
  Carelog (its weeks computed again);
- the window's first paint and its Today view shown, beside a bare PySide6 window
  (bench/gui_start.py), and opening Trends and stepping each view (bench/gui_views.py);
- merging 3,000 clinicians' one-year exports (bench/merge_bench.py).
Then it prints one table: each figure, what it is held to, the ratio, and the aim.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, build_log, machine
from gui_start import BARE, measure
from gui_start import _env as gui_env
from ledger import PERIODS, clear_stored, install_kind, interleaved
from merge_bench import merge_figures

GUI_END = date(2026, 11, 20)
# What any Python command of this shape pays: argparse for the same arguments, sqlite3 to read
# a week's worth of rows, json to print them. Nothing of Carelog's.
BARE_CLI = r"""
import argparse, json, sqlite3, sys
from pathlib import Path
p = argparse.ArgumentParser(prog="carelog")
p.add_argument("--db")
sub = p.add_subparsers(dest="command")
s = sub.add_parser("summary")
for option in ("--week", "--month", "--quarter", "--year", "--from", "--to", "--format",
               "--rule"):
    s.add_argument(option)
a = p.parse_args(sys.argv[1:])
conn = sqlite3.connect(Path(a.db))
rows = conn.execute("SELECT category, start_utc, end_utc FROM entries ORDER BY start_utc DESC "
                    "LIMIT 100").fetchall()
print(json.dumps(rows, indent=1))
"""


def views(db: Path, steps: int) -> dict[str, tuple[float, float]]:
    """Median and slowest seconds of opening Trends and of each step (in a process of its own)."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "gui_views.py"), "--db", str(db),
                          "--steps", str(steps)], check=True, capture_output=True,
                         text=True).stdout
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[1].endswith(" ms"):
            rows[cells[0]] = (float(cells[1][:-3]) / 1000, float(cells[2][:-3]) / 1000)
    return rows


def main() -> None:
    """Measure everything and print the table."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--work", type=Path)
    p.add_argument("--watson", default=shutil.which("watson") or "/tmp/watsonenv/bin/watson")
    p.add_argument("--timew", default=shutil.which("timew") or "timew")
    p.add_argument("--clinicians", type=int, default=3000)
    a = p.parse_args()
    work = a.work or Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    log10, log5 = work / "ten-years.db", work / "five-years.db"
    if not log10.exists():
        build_log(log10, 10)
    if not log5.exists():
        build_log(log5, 5, GUI_END)

    # The command line: summaries taking turns with the floor and the peers.
    exe = Path(sys.executable).parent
    base = [str(exe / "carelog") if (exe / "carelog").exists() else sys.executable,
            *([] if (exe / "carelog").exists() else ["-m", "carelog.core.cli"]),
            "--db", str(log10), "summary"]
    steady: dict[str, Callable[[], list[str]]] = {
        "floor": lambda: [sys.executable, "-c", "import sqlite3"]}
    for name, (args, _, _) in PERIODS.items():
        steady[name] = lambda args=args: [*base, *args]
    steady["bare command"] = lambda: [sys.executable, "-c", BARE_CLI, "--db", str(log10),
                                      "summary", *PERIODS["week"][0]]
    peers = []
    if shutil.which(a.timew) or os.path.exists(a.watson):
        from peers import peer_commands

        steady.update(peer_commands(log10, Path(tempfile.mkdtemp()), PERIODS, a.timew, a.watson,
                                    (" timew", " watson")))
        peers = ["timew"] * bool(shutil.which(a.timew)) + ["watson"] * os.path.exists(a.watson)
    t = interleaved(steady, a.runs)
    week_args = PERIODS["week"][0]
    changed = interleaved({"floor": steady["floor"], "week": lambda: [*base, *week_args]},
                          a.runs, {"week": clear_stored(log10)})
    for args, _, _ in PERIODS.values():  # the weeks stored again
        subprocess.run([*base, *args], check=True, capture_output=True)

    # The window.
    home = work / "gui-home"
    home.mkdir(exist_ok=True)
    env = gui_env(home)
    app = [sys.executable, "-m", "carelog.gui.app", "--db", str(log5), "--exit-after-paint"]
    window = measure([("bare", [sys.executable, "-c", BARE]), ("today", app),
                      ("trends", [*app, "--view", "trends"])], env, max(5, a.runs // 2))
    shown = {name: (painted, ready) for name, painted, ready, _ in window}
    gui_db = work / "five-years-views.db"
    shutil.copy(log5, gui_db)
    steps = views(gui_db, 15)

    # A region's roll-up.
    merge_dir = work / "merge"
    if merge_dir.exists():
        shutil.rmtree(merge_dir)
    merge_dir.mkdir()
    seconds, peak, size, weeks = merge_figures(log10, merge_dir, a.clinicians, 3)

    floor = t["floor"]
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    rows: list[tuple[str, str, str, str, str]] = []
    for name in ("week", "month"):
        rows.append((f"`carelog summary` of a {name}", ms(t[name]),
                     f"interpreter start {ms(floor)}", f"{t[name] / floor:.2f}×", "≤ 2.5×"))
    rows.append(("A bare Python command of the same shape (argparse, sqlite3, json; no "
                 "Carelog)", ms(t["bare command"]), f"interpreter start {ms(floor)}",
                 f"{t['bare command'] / floor:.2f}×", "—"))
    if "timew" in peers:
        rows.append(("`carelog summary` of a year", ms(t["year"]),
                     f"Timewarrior {ms(t['year timew'])}", f"{t['year'] / t['year timew']:.2f}×",
                     "< 1×"))
    if "watson" in peers:
        for name in PERIODS:
            w = t[f"{name} watson"]
            rows.append((f"Watson's report of a {name} ÷ Carelog's", ms(w),
                         f"Carelog {ms(t[name])}", f"{w / t[name]:.1f}×", "≥ 5×"))
    rows.append(("`carelog summary` of a week right after a change made with Carelog (its "
                 "weeks computed again)", ms(changed["week"]),
                 f"interpreter start {ms(changed['floor'])}",
                 f"{changed['week'] / changed['floor']:.2f}×", "—"))
    bare = shown["bare"][0]
    rows.append(("Window, first paint (5 years)", ms(shown["today"][0]), f"bare window {ms(bare)}",
                 f"{shown['today'][0] / bare:.2f}×", "≤ 1.5×"))
    rows.append(("Window, Today view shown", ms(shown["today"][1]), f"bare window {ms(bare)}",
                 f"{shown['today'][1] / bare:.2f}×", "—"))
    trends_open = steps["Trends, first opened"][0]
    rows.append(("Trends opened, window up", ms(trends_open), "300 ms",
                 f"{trends_open / 0.3:.2f}×", "< 1×"))
    for name in ("Today view, a day back or on", "Week view, a week back or on",
                 "Trends, a week back or on"):
        median, slowest = steps[name]
        rows.append((f"{name} (median; slowest {ms(slowest)})", ms(median), "50 ms",
                     f"{median / 0.05:.2f}×", "< 1×"))
    rows.append((f"Merge of {a.clinicians:,} one-year exports ({weeks:,} week records, "
                 f"{size / 1e6:.0f} MB)", f"{seconds:.2f} s", "2 s",
                 f"{seconds / 2:.2f}×", "< 1×"))
    rows.append(("… its peak memory", f"{peak:.0f} MB", "200 MB", f"{peak / 200:.2f}×", "< 1×"))

    print(f"Machine: {machine()}; {date.today()}")
    print(f"Carelog: {install_kind()} ({sys.executable}); bytecode cache on; "
          f"medians of {a.runs} runs taking turns\n")
    print("| Measured | Carelog | Held to | Ratio | Aim |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nInterpreter start (the floor of the summary rows): {floor * 1000:.1f} ms; the "
          f"Today view is shown {(shown['today'][1] - shown['today'][0]) * 1000:.0f} ms after "
          "the window's first paint.")


if __name__ == "__main__":
    main()
