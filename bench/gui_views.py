"""The window once it is up: opening Trends, and stepping a day, a week and Trends' weeks.

    python bench/gui_views.py [--years 5] [--db PATH] [--steps 15]

Runs offscreen in one process on a generated log (the window of a therapist whose log goes
back `years` years, opened on its last day). Each time is taken from the action (a tab chosen,
a button clicked) until the view it changes has been painted again, with every pending event
handled: what a person waits for. Opening Trends is timed the first time it is shown; each
step is timed `steps` times, back and forth, and the median and the slowest are printed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log_for, log_options, machine

END = date(2026, 11, 20)


def measure_views(db: Path, home: Path, steps: int) -> list[tuple[str, list[float]]]:
    """Open Trends and step each view `steps` times in a window on db; seconds per row."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                      XDG_DATA_HOME=str(home / "data"),
                      CARELOG_NOW=f"{END.isoformat()}T17:30:00-08:00")
    from carelog.core.store.database import Store
    from carelog.gui.app import _application
    from carelog.gui.main_window import TAB_TRENDS, TAB_WEEK, MainWindow
    from PySide6.QtCore import QSettings

    app = _application()
    store = Store.open(db)
    window = MainWindow(store, QSettings(str(home / "gui.ini"), QSettings.Format.IniFormat),
                        today=lambda: END, use_tray=False)
    window.show()
    app.processEvents()

    def settle(widget: Callable[[], object]) -> None:
        app.processEvents()
        target = widget()
        target.repaint()  # type: ignore[attr-defined]
        app.processEvents()

    def timed(action: Callable[[], None], widget: Callable[[], object]) -> float:
        t0 = time.perf_counter()
        action()
        settle(widget)
        return time.perf_counter() - t0

    rows: list[tuple[str, list[float]]] = []
    trends_open = timed(lambda: window.tabs.setCurrentIndex(TAB_TRENDS),
                        lambda: window.trends_tab.view())
    trends = window.trends_tab.view()
    rows.append(("Trends, first opened", [trends_open]))

    def stepping(name: str, back: Callable[[], None], forth: Callable[[], None],
                 widget: Callable[[], object]) -> None:
        rows.append((name, [timed(back if i % 2 == 0 else forth, widget)
                            for i in range(steps)]))

    state = window.state
    stepping("Trends, a week back or on", lambda: state.shift_day(-7),
             lambda: state.shift_day(7), lambda: trends)
    window.tabs.setCurrentIndex(TAB_WEEK)
    settle(lambda: window.week_tab.view())
    week = window.week_tab.view()
    stepping("Week view, a week back or on", lambda: state.shift_day(-7),
             lambda: state.shift_day(7), lambda: week)
    window.tabs.setCurrentIndex(0)
    settle(lambda: window.day_view)
    stepping("Today view, a day back or on", lambda: state.shift_day(-1),
             lambda: state.shift_day(1), lambda: window.day_view)
    window.quit()
    store.close()
    return rows


def main() -> None:
    """Build the log and print the timings."""
    p = log_options(__doc__, 5)
    p.add_argument("--steps", type=int, default=15)
    a = p.parse_args()
    home = Path(tempfile.mkdtemp())
    db = log_for(a.db, home, "carelog.db", a.years, END)
    rows = measure_views(db, home, a.steps)
    print(f"Machine: {machine()}; {date.today()}")
    print(f"{a.years} years of entries, offscreen, one process; times from the action to the "
          "view painted again\n")
    print("| In the window | median | slowest |")
    print("|---|---|---|")
    for name, times in rows:
        print(f"| {name} | {statistics.median(times) * 1000:.0f} ms | "
              f"{max(times) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
