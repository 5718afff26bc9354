"""The therapist's desk on 10 years of entries: the Calendar and the Log, opened and used.

    .venv/bin/python bench/desk_bench.py [--runs 9] [--years 10]

Runs offscreen in one process on a generated log (about 20 entries a working day). Each row is
the median of several runs, after one warm-up: opening a view is building it and painting it
once; a drag is the keyboard's equal of one (Alt+Down moves the chosen entry 5 minutes, saved
through core with its history, then the week is read and painted again); a filter is one
change of the Log's filters answered with its first page and count; a page step is the next
page read as the table scrolls. Aims: open under 150 ms, every step under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from carelog.core.domain.timeutil import parse_local
from carelog.core.store.database import Store
from carelog.gui.state import AppState
from carelog.gui.views.calendar.calendar_view import CalendarView
from carelog.gui.views.log.log_view import LogView
from common import build_log, machine
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

END = date(2026, 11, 20)
View = TypeVar("View", bound=QWidget)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds of fn over runs, after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def shown(view: View) -> View:
    """A view shown at the size every step is timed at."""
    view.resize(1280, 760)
    view.show()
    return view


def opening(make_view: Callable[[], View],
            painted: Callable[[View], QWidget]) -> Callable[[], None]:
    """A step that opens a view, paints the part that shows the data, and closes it again."""
    def step() -> None:
        view = shown(make_view())
        painted(view).grab()
        view.close()
        view.deleteLater()
    return step


def main() -> int:
    """Build the log, time the views, print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "desk.db"
        count = build_log(db, args.years, END)
        store = Store.open(db, daily_backup=False)
        now = parse_local("2026-11-20 12:00", store.tz)
        state = AppState(store, today=lambda: END, now=lambda: now)
        rows: list[tuple[str, float]] = []

        open_calendar = opening(lambda: CalendarView(state), lambda v: v.calendar)
        rows.append(("Calendar: open the week (build, read, paint)", median_ms(open_calendar,
                                                                               args.runs)))
        cal_view = shown(CalendarView(state))
        cal = cal_view.calendar
        cal.setFocus()
        QTest.keyClick(cal, Qt.Key.Key_Tab)

        def drag_step() -> None:
            QTest.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
            cal.grab()

        rows.append(("Calendar: move an entry 5 minutes (save, read the week, paint)",
                     median_ms(drag_step, args.runs)))

        def week_step() -> None:
            state.shift_day(-7)
            cal_view.refresh()
            cal.grab()

        rows.append(("Calendar: the previous week (read, paint)", median_ms(week_step,
                                                                            args.runs)))
        cal_view.close()

        open_log = opening(lambda: LogView(state), lambda v: v.table)
        rows.append(("Log: open every entry (first page, count, paint)", median_ms(open_log,
                                                                                   args.runs)))
        log = shown(LogView(state))
        flip = [0]

        def filter_step() -> None:
            flip[0] = 1 - flip[0]
            log.class_combo.setCurrentIndex(1 + flip[0])  # IPC, then direct care
            log.table.grab()

        rows.append(("Log: change a filter (first page, count, paint)",
                     median_ms(filter_step, args.runs)))

        def text_step() -> None:
            flip[0] = 1 - flip[0]
            log.text_edit.setText("call" if flip[0] else "")
            log.table.grab()

        rows.append(("Log: search the notes (first page, count, paint)",
                     median_ms(text_step, args.runs)))
        log.class_combo.setCurrentIndex(0)

        def page_step() -> None:
            if not log.model.canFetchMore():
                log.refresh()
            log.model.fetchMore()

        rows.append(("Log: the next page of 200 as the table scrolls",
                     median_ms(page_step, args.runs)))
        log.close()
        store.close()
    app.processEvents()
    print(f"{machine()}; {count:,} entries over {args.years} years")
    print("| | median |")
    print("|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
