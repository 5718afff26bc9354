"""Start-up of the desktop window: process start to first paint, beside a bare PySide6 window.

    .venv/bin/python bench/gui_start.py [--runs 7] [--years 5]

The programs run offscreen with a fresh home folder. Two moments are taken from just before the
process is started: the window's first paint (Carelog paints its frame, tabs and all, before it
reads the log), and the moment the view in front has been painted with the log read (the
Today view, or Trends). The programs take turns, run after run, and each figure is the median
after one warm-up run (which also takes the day's backup and checks the file, as the first
start of a day does). The bare window imports PySide6 and nothing else: it is the floor. Peak
memory (ru_maxrss) is read by each program when it exits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, build_log, machine

BARE = r"""
import resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("A bare window")
window.setCentralWidget(label)
window.resize(1280, 800)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is label:
            print(f"painted {time.time():.6f}")
            print(f"maxrss_kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
window.show()
app.exec()
"""


def _env(home: Path) -> dict[str, str]:
    # Compiled modules are cached (in the scratch folder) as an installed Carelog's are; a
    # shell that sets PYTHONDONTWRITEBYTECODE would otherwise time the compiler on every run.
    skip = ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(home / "pycache"))
    return env


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds from process start to first paint and to the view shown, and peak KiB."""
    t0 = time.time()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    values = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    painted = float(values["painted"]) - t0
    return painted, float(values.get("ready", values["painted"])) - t0, \
        int(values.get("maxrss_kb", "0"))


def measure(rows: list[tuple[str, list[str]]], env: dict[str, str],
            runs: int) -> list[tuple[str, float, float, int]]:
    """Per program: median first paint and view shown, and the largest peak memory.

    The programs take turns, after one warm-up run each.
    """
    for _, args in rows:
        run_once(args, env)
    seen: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in rows}
    for _ in range(runs):
        for name, args in rows:
            seen[name].append(run_once(args, env))
    return [(name, statistics.median(r[0] for r in seen[name]),
             statistics.median(r[1] for r in seen[name]), max(r[2] for r in seen[name]))
            for name, _ in rows]


def main() -> int:
    """Build the log, time both windows and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carelog-gui-bench-") as tmp:
        folder = Path(tmp)
        db = folder / "carelog.db"
        entries = build_log(db, args.years)
        env = _env(folder / "home")
        py = sys.executable
        app = [py, "-m", "carelog.gui.app", "--db", str(db), "--exit-after-paint"]
        rows = [
            ("bare PySide6 window (floor)", [py, "-c", BARE]),
            ("Carelog, Today view", app),
            ("Carelog, Trends view", [*app, "--view", "trends"]),
        ]
        results = measure(rows, env, args.runs)
    floor = results[0][1]
    print(f"Carelog window start-up, {args.years} years of entries ({entries} entries), "
          f"median of {args.runs} runs, offscreen")
    print(machine())
    print()
    print(f"{'':30} {'first paint':>12} {'× floor':>8} {'view shown':>11} {'× floor':>8} "
          f"{'peak memory':>12}")
    for name, painted, ready, peak in results:
        print(f"{name:30} {painted * 1000:>9.0f} ms {painted / floor:>7.2f}× "
              f"{ready * 1000:>8.0f} ms {ready / floor:>7.2f}× {peak / 1024:>9.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
