"""Time `carelog import`: an ICS with two years of a full caseload, and a 50,000-row CSV.

Usage: python bench/import_bench.py [--runs 3] [--keep DIR]
The files are generated (nothing about real patients). Each run imports into a fresh, migrated
database. The times are medians: `carelog import` as a whole process (Python start-up included),
the same work in process (read + plan + apply), and a second import of the same file (everything
is already there). Aim: each under 3 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carelog.core.store.database import Store
from common import DAY_PLAN, machine

LABELS = {"individual": "Session", "intake": "Intake", "documentation": "Charting",
          "messages": "Messages", "admin": "Admin", "break": "Lunch",
          "care_coordination": "Care coordination", "treatment_planning": "Treatment planning",
          "urgent": "Urgent visit"}

PST = """BEGIN:VTIMEZONE
TZID:Pacific Standard Time
BEGIN:STANDARD
DTSTART:16011104T020000
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010311T020000
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
END:DAYLIGHT
END:VTIMEZONE"""


def _stamp(d: date, minute: int) -> str:
    return f"{d:%Y%m%d}T{minute // 60:02d}{minute % 60:02d}00"


def _event(uid: str, title: str, d: date, start: int, minutes: int, extra: str = "") -> str:
    tz = "TZID=Pacific Standard Time"
    return (f"BEGIN:VEVENT\nUID:{uid}\nSUMMARY:{title}\nDTSTART;{tz}:{_stamp(d, start)}\n"
            f"DTEND;{tz}:{_stamp(d, start + minutes)}\n{extra}END:VEVENT\n")


def build_ics(path: Path, first: date, weeks: int, seed: int = 11) -> tuple[int, int]:
    """Write an Outlook-style calendar; return (VEVENT count, recurring series count)."""
    rng = random.Random(seed)
    parts = ["BEGIN:VCALENDAR\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\n"
             "VERSION:2.0\n", PST + "\n"]
    series = 0
    # Unbounded weekly and daily series: a group, the staff meeting, the morning huddle.
    parts.append(_event("group@bench", "DBT skills group", first + timedelta(days=2), 14 * 60,
                        90, "RRULE:FREQ=WEEKLY;BYDAY=WE\n"))
    parts.append(_event("staff@bench", "Staff meeting", first + timedelta(days=4), 8 * 60 + 30,
                        25, "RRULE:FREQ=WEEKLY;BYDAY=FR\n"))
    parts.append(_event("huddle@bench", "Huddle", first, 8 * 60 + 30, 15,
                        "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH\n"))
    series += 3
    slots = [(day, hour * 60) for day in range(5) for hour in (9, 10, 11, 13, 14, 15, 16)
             if not (day == 2 and hour in (14, 15))]  # Wednesday afternoon: the group
    for n, (weekday, start) in enumerate(slots):
        if n % 5 in (0, 3):  # recurring courses of weekly sessions, with exceptions
            week = 0
            while week < weeks:
                count = rng.randint(8, 24)
                d = first + timedelta(weeks=week, days=weekday)
                uid = f"course-{n}-{week}@bench"
                exdates = "".join(
                    f"EXDATE;TZID=Pacific Standard Time:"
                    f"{_stamp(d + timedelta(weeks=rng.randint(1, count - 1)), start)}\n"
                    for _ in range(rng.randint(0, 2)))
                rule = f"RRULE:FREQ=WEEKLY;COUNT={count}\n" + exdates
                parts.append(_event(uid, "Session", d, start, 50, rule))
                series += 1
                if rng.random() < 0.6:  # one session moved into the lunch hour
                    moved = d + timedelta(weeks=rng.randint(1, count - 1))
                    rid = f"RECURRENCE-ID;TZID=Pacific Standard Time:{_stamp(moved, start)}\n"
                    parts.append(_event(uid, "Session", moved, 12 * 60, 50, rid))
                week += count + rng.randint(0, 2)
        else:  # one VEVENT per session, as many scheduling systems export them
            for week in range(weeks):
                if rng.random() < 0.92:
                    d = first + timedelta(weeks=week, days=weekday)
                    title = "Intake - new patient" if rng.random() < 0.1 else "Session"
                    parts.append(_event(f"single-{n}-{week}@bench", title, d, start, 50))
    for week in range(weeks):
        if rng.random() < 0.15:
            off = first + timedelta(weeks=week, days=rng.randint(0, 4))
            parts.append(f"BEGIN:VEVENT\nUID:pto-{week}@bench\nSUMMARY:PTO\n"
                         f"DTSTART;VALUE=DATE:{off:%Y%m%d}\n"
                         f"DTEND;VALUE=DATE:{off + timedelta(days=1):%Y%m%d}\nEND:VEVENT\n")
    parts.append("END:VCALENDAR\n")
    text = "".join(parts)
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8", newline="")
    return text.count("BEGIN:VEVENT"), series


def build_csv(path: Path, rows: int, carelog_format: bool) -> int:
    """Write a spreadsheet of `rows` entries on consecutive weekdays; return the row count."""
    lines = ["id,category,start,end,minutes,note,source" if carelog_format
             else "Date;Start;End;Activity;Client"]
    d = date(2016, 1, 4)
    n = 0
    while n < rows:
        if d.weekday() < 5:
            for start, length, category in DAY_PLAN:
                if n == rows:
                    break
                end = start + length
                if carelog_format:
                    lines.append(f"{n + 1},{category},{d} {start // 60:02d}:{start % 60:02d},"
                                 f"{d} {end // 60:02d}:{end % 60:02d},{length},,manual")
                else:
                    lines.append(f"{d:%d/%m/%Y};{start // 60:02d}:{start % 60:02d};"
                                 f"{end // 60:02d}:{end % 60:02d};{LABELS[category]};Client {n}")
                n += 1
        d += timedelta(days=1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(template: Path, work: Path, runs: int, do_import: Callable[[Store], object]
            ) -> tuple[float, float]:
    """Median seconds of a first import into a fresh database, and of importing again."""
    first, again = [], []
    for n in range(runs):
        db = work / f"run{n}.db"
        shutil.copy(template, db)
        with Store.open(db, daily_backup=False) as store:
            first.append(_time(lambda s=store: do_import(s)))
            again.append(_time(lambda s=store: do_import(s)))
    return statistics.median(first), statistics.median(again)


def child(db: Path, args: list[str]) -> None:
    """Run `carelog import ARGS` against db in this process (what the command does)."""
    from carelog.core.cli.importing import add_import_parser
    from carelog.core.cli.main import _Parser

    parser = _Parser(prog="carelog")
    add_import_parser(parser.add_subparsers(dest="command", parser_class=_Parser))
    a = parser.parse_args(["import", *args])
    with Store.open(db, daily_backup=False) as store:
        a.handler(store, a)


def process_time(template: Path, work: Path, runs: int, args: list[str]) -> float:
    """Median seconds of `carelog import …` as a whole process, into a fresh database."""
    times = []
    for n in range(runs):
        db = work / f"proc{n}.db"
        shutil.copy(template, db)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", str(db), *args], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Generate the files, import them, and print a Markdown table of the times."""
    from carelog.core.importing.calendar import plan_ics
    from carelog.core.importing.csv_plan import plan_csv
    from carelog.core.importing.plan import apply_plan

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--keep", type=Path, help="write the files and databases here")
    p.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        child(Path(a.child[0]), a.child[1:])
        return
    work = a.keep or Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    template = work / "template.db"
    if template.exists():
        template.unlink()
    with Store.open(template, daily_backup=False) as s:
        s.set_timezone("America/Los_Angeles")
    first, last = date(2025, 1, 6), date(2026, 12, 31)
    ics = work / "caseload.ics"
    events, series = build_ics(ics, first, weeks=(last - first).days // 7 + 1)
    csv_foreign = work / "spreadsheet.csv"
    csv_own = work / "carelog-list.csv"
    rows = build_csv(csv_foreign, 50_000, carelog_format=False)
    build_csv(csv_own, 50_000, carelog_format=True)

    def ics_import(store: Store) -> object:
        plan = plan_ics(store, ics, first, last)
        return apply_plan(store, plan)

    with Store.open(template, daily_backup=False) as s:
        occurrences = sum(1 for r in plan_ics(s, ics, first, last).rows)
    cases: list[tuple[str, Callable[[Store], object], list[str]]] = [
        (f"ICS, 2 years: {events:,} events ({series} recurring), {occurrences:,} occurrences",
         ics_import, ["ics", str(ics), "--from", str(first), "--to", str(last)]),
        (f"CSV, {rows:,} rows (semicolon, day-first dates, labels)",
         lambda s: apply_plan(s, plan_csv(s, csv_foreign)), ["csv", str(csv_foreign)]),
        (f"CSV, {rows:,} rows written by carelog list --format csv",
         lambda s: apply_plan(s, plan_csv(s, csv_own)), ["csv", str(csv_own)]),
    ]
    print(f"Machine: {machine()}; {date.today()}; median of {a.runs} runs\n")
    print("| Import | `carelog import`, whole process | in process: first time | "
          "again (nothing new) |")
    print("|---|---|---|---|")
    for name, fn, args in cases:
        whole = process_time(template, work, a.runs, args)
        once, again = measure(template, work, a.runs, fn)
        print(f"| {name} | {whole:.2f} s | {once:.2f} s | {again:.2f} s |")
    if a.keep:
        print(f"\nFiles and databases: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
