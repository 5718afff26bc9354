"""`carelog summary` on 10 years of a busy therapist's log, beside the floors and the peers.

    python bench/ledger.py [--db PATH] [--runs 15] [--peers] [--watson PATH] [--timew timew]

Run it with the Python of an installed Carelog (`pip install .` into a venv of its own): an
editable install adds its import finder's metadata reading to every start. It says which kind
of install it timed.

Every command is timed process start to exit; the commands take turns, run after run, so a
machine whose load changes meanwhile slows them all alike, and each row is the median. The
floor is the same Python running `import sqlite3`. Rows:
- stored weeks: the steady state, every complete week of the period stored and the file
  checked since it last changed (nothing writes to the log in these runs);
- after a change: the stored weeks are cleared (through Carelog) before each run, so every week
  is computed and stored again, as after the therapist logs something (these runs take turns
  with a floor run of their own);
- with --peers, Timewarrior's `summary` and Watson's `report` of the same entries and periods,
  taking turns with the stored runs.
Then the time each stage takes inside one process (start is the floor), and the import budget:
the modules a week's summary imports, largest first, by cumulative import time.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import build_log, log_options, machine

PERIODS = {  # name: (carelog args, first day, day after the last) — all weeks complete
    "week": (["--week", "2026-W46"], "2026-11-09", "2026-11-16"),
    "month": (["--month", "2026-10"], "2026-09-28", "2026-11-02"),
    "year": (["--from", "2025-11-17", "--to", "2026-11-15"], "2025-11-17", "2026-11-16"),
}

STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from carelog.core.cli.main import build_parser, command_named
from carelog.core.exporting.text import summary_text
from carelog.core.ledger.stored import contributor_id, stored_records
from carelog.core.ledger.week import Ledger, Summary, totals_of
from carelog.core.store.database import Store
t1 = time.perf_counter()
argv = sys.argv[1:]
a = build_parser(command_named(argv)).parse_args(argv)
from carelog.core.domain.timeutil import period_from_args, now_instant
period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
t2 = time.perf_counter()
store = Store.open(a.db)
t3 = time.perf_counter()
now = now_instant()
with store.reading():
    weeks = stored_records(store, period, now)
    partly = store.partly_met_at_on(period.last)
t4 = time.perf_counter()
if len(weeks) == len(period.weeks):
    ordered = [weeks[m] for m in period.weeks]
    data = Summary(Ledger(period.first, period.last, ordered, totals_of(ordered, partly),
                          partly), contributor_id(store))
    computed = False
else:
    from carelog.core.ledger.load import computed_summary
    data = computed_summary(store, period, now)
    computed = True
t5 = time.perf_counter()
out = json.dumps(data.to_json(), indent=1) if a.format == "json" \
    else summary_text(data, store.timezone_name)
t6 = time.perf_counter()
store.close()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "open": t3 - t2, "read": t4 - t3,
                  "compute": t5 - t4, "format": t6 - t5, "computed": computed}))
"""


def install_kind() -> str:
    """How Carelog is installed in this Python: 'installed (not editable)' or 'editable'.

    Told by where the package is imported from (inside site-packages, or the source tree), not
    by package metadata, which a leftover `carelog.egg-info` in the working folder can shadow.
    """
    import sysconfig

    import carelog.core

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    here = Path(carelog.core.__file__).resolve()
    return ("installed (pip install ., not editable)" if here.is_relative_to(site)
            else "editable install")


def interleaved(commands: dict[str, Callable[[], list[str]]], runs: int,
                before: dict[str, Callable[[], None]] | None = None) -> dict[str, float]:
    """Median seconds of each command, the commands taking turns run after run."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    env = dict(os.environ)
    for k, make in commands.items():  # one warm-up each
        if before and k in before:
            before[k]()
        subprocess.run(make(), check=True, capture_output=True, env=env)
    for _ in range(runs):
        for k, make in commands.items():
            if before and k in before:
                before[k]()
            args = make()
            t0 = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, env=env)
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def clear_stored(db: Path) -> Callable[[], None]:
    """Empty the stored weeks, as a change made with Carelog touching every week would."""
    from carelog.core.store.database import Store

    def run() -> None:
        with Store.open(db, daily_backup=False) as store, store.transaction() as conn:
            stored = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'week_records'")
            if stored.fetchone():  # a Carelog that stores no weeks has nothing to clear
                conn.execute("DELETE FROM week_records")
    return run


def entry_count(db: Path) -> int:
    """How many entries the log holds."""
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
    finally:
        conn.close()


def import_budget(carelog: list[str], runs: int = 5, top: int = 15) -> list[tuple[str, float]]:
    """The modules a command imports, by median cumulative import time, largest first."""
    seen: dict[str, list[float]] = {}
    for _ in range(runs):
        err = subprocess.run([sys.executable, "-X", "importtime", *carelog], check=True,
                             capture_output=True, text=True).stderr
        for line in err.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, name = line.split("|")
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 1:
                seen.setdefault(name.strip(), []).append(int(cumulative) / 1e6)
    ranked = sorted(((n, statistics.median(v)) for n, v in seen.items()), key=lambda x: -x[1])
    return ranked[:top]


def main() -> None:
    """Build the log (unless it exists) and print the tables."""
    p = log_options(__doc__, 10)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--peers", action="store_true",
                   help="also time Timewarrior and Watson (see bench/peers.py)")
    p.add_argument("--watson", default=shutil.which("watson") or "/tmp/watsonenv/bin/watson")
    p.add_argument("--timew", default=shutil.which("timew") or "timew")
    a = p.parse_args()
    work = Path(tempfile.mkdtemp())
    db = a.db or work / "bench.db"
    if not db.exists():
        t0 = time.perf_counter()
        n = build_log(db, a.years)
        print(f"Built {n} entries over {a.years} years in {time.perf_counter() - t0:.1f} s: {db}")
    exe = Path(sys.executable).parent
    carelog_bin = exe / "carelog"
    base = [str(carelog_bin)] if carelog_bin.exists() else [sys.executable, "-m",
                                                            "carelog.core.cli"]
    base += ["--db", str(db), "summary"]
    print(f"\nMachine: {machine()}; {date.today()}")
    print(f"Carelog: {install_kind()}, {' '.join(base[:1])}; bytecode cache on; "
          f"{entry_count(db)} entries\n")

    floor_cmd = [sys.executable, "-c", "import sqlite3"]
    # Phase one: nothing writes to the log, so it is checked once (warm-up) and the weeks stay
    # stored. Phase two clears the stored weeks before each run (a change), so each run
    # computes every week again. Each phase times the floor among its runs.
    steady: dict[str, Callable[[], list[str]]] = {"floor": lambda: floor_cmd}
    changed: dict[str, Callable[[], list[str]]] = {"floor": lambda: floor_cmd}
    before: dict[str, Callable[[], None]] = {}
    for name, (args, _, _) in PERIODS.items():
        steady[name] = lambda args=args: [*base, *args]
        changed[name] = lambda args=args: [*base, *args]
        before[name] = clear_stored(db)
    peers = {}
    if a.peers:
        from peers import peer_commands

        steady.update(peer_commands(db, work, PERIODS, a.timew, a.watson,
                                    (", Timewarrior", ", Watson")))
        peers = {"Timewarrior": a.timew, "Watson": a.watson}
    t = interleaved(steady, a.runs)
    c = interleaved(changed, a.runs, before)
    for args, _, _ in PERIODS.values():  # store the weeks again for what follows
        subprocess.run([*base, *args], check=True, capture_output=True)
    floor = t["floor"]

    head = "| `carelog summary` | stored weeks | × floor | after a change | × floor |"
    rule = "|---|---|---|---|---|"
    if peers:
        head += " Timewarrior | Carelog ÷ Timewarrior | Watson | Watson ÷ Carelog |"
        rule += "---|---|---|---|"
    print(head)
    print(rule)
    for name in PERIODS:
        stored, after = t[name], c[name]
        row = f"| {name} | {stored * 1000:.0f} ms | {stored / floor:.2f} | " \
              f"{after * 1000:.0f} ms | {after / c['floor']:.2f} |"
        if peers:
            tw = t.get(f"{name}, Timewarrior", float("nan"))
            wa = t.get(f"{name}, Watson", float("nan"))
            row += f" {tw * 1000:.0f} ms | {stored / tw:.2f} | {wa * 1000:.0f} ms | " \
                   f"{wa / stored:.1f} |"
        print(row)
    print(f"\nFloor (the same Python running `import sqlite3`): {floor * 1000:.1f} ms among the "
          f"stored runs, {c['floor'] * 1000:.1f} ms among the runs after a change")

    print("\nStages inside one process, median of 9 (ms; start is the floor above):")
    print("| summary | import | parse | open | read | compute | format |")
    print("|---|---|---|---|---|---|---|")
    for name, (args, _, _) in PERIODS.items():
        for label, prepare in (("stored", None), ("after a change", clear_stored(db))):
            rows = []
            for _ in range(9):
                if prepare:
                    prepare()
                out = subprocess.run([sys.executable, "-c", STAGES, "--db", str(db), "summary",
                                      *args], check=True, capture_output=True, text=True).stdout
                rows.append(json.loads(out))
            cells = " | ".join(f"{statistics.median(r[k] for r in rows) * 1000:.1f}"
                               for k in ("import", "parse", "open", "read", "compute",
                                         "format"))
            print(f"| {name}, {label} | {cells} |")
        subprocess.run([*base, *args], check=True, capture_output=True)  # stored again

    print("\nImport budget of a week's summary (stored weeks), cumulative ms, largest first:")
    for module, seconds in import_budget([*base, *PERIODS["week"][0]]):
        print(f"  {seconds * 1000:6.1f}  {module}")


if __name__ == "__main__":
    main()
