"""Which database the window shows: the person's own, the demo, or one restored from a backup.

The demo database is kept beside the person's own; a restored one is reopened in the place of
the one it replaced. Filling the demo and restoring a backup run on workers. While a restore
replaces the database file the views (which read it) step aside for a line saying what is
happening, and the window takes no input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from carelog.core.domain.errors import CarelogError
from carelog.core.importing.demo import fill_demo
from carelog.core.store.database import Store
from carelog.core.store.restore import restore
from carelog.gui.workers.background import Operation, run_in_background
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from carelog.gui.main_window.main_window import MainWindow

DEMO_WEEKS = 26


def demo_path(db: Path) -> Path:
    """The demo database kept beside the real one: carelog.db → carelog-demo.db."""
    return db.with_name(f"{db.stem}-demo{db.suffix or '.db'}")


class Databases(QObject):
    """The stores a window has open; `adopted` once every view shows another one."""

    adopted = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.home = window.state.store
        self.owned: list[Store] = []  # opened here, so closed here
        self.demo = False
        self.swapping = False  # a restore is replacing the database file
        self.demo_operation: Operation | None = None
        self.restore_operation: Operation | None = None

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    # ------------------------------------------------------------------ the demo

    def open_demo(self) -> None:
        """Fill (once) and open the demo database beside the real one, off the GUI thread."""
        path = demo_path(self.home.path)
        zone_name = self.home.timezone_name
        state = self.window.state
        today = state.today()
        welcome = self.window.menus.welcome_action
        self._say(f"Preparing the demo database {path.name}…")
        welcome.setEnabled(False)

        def work() -> Path:
            with Store.open(path, daily_backup=False) as demo:
                if not demo.count_entries() and not demo.schedules():
                    demo.set_timezone(zone_name)
                    fill_demo(demo, weeks=DEMO_WEEKS, today=today)
            return path

        def done(result: object) -> None:
            welcome.setEnabled(True)
            try:
                demo = Store.open(path, daily_backup=False)
            except CarelogError as exc:
                self._say(exc.message)
                return
            self.adopt(demo, demo_mode=True)
            state.set_day(state.today())
            self._say(f"This is demo data in {path.name}; your own log is untouched. File ▸ "
                      "Back to my own log returns to it.")

        def failed(exc: BaseException) -> None:
            welcome.setEnabled(True)
            text = exc.message if isinstance(exc, CarelogError) else str(exc)
            self._say(f"The demo database could not be made: {text}")

        self.demo_operation = run_in_background(self, work, done, failed)

    def leave_demo(self) -> None:
        """Show the person's own log again (File ▸ Back to my own log)."""
        self.adopt(self.home, demo_mode=False)
        self.window.statusBar().showMessage(f"Back to your own log: {self.home.path}", 15_000)

    def adopt(self, store: Store, demo_mode: bool) -> None:
        """Show another open store in every view; the window closes it when done."""
        state = self.window.state
        old = state.store
        if store is not self.home and store not in self.owned:
            self.owned.append(store)
        self.demo = demo_mode
        state.replace_store(store)
        if old is not self.home and old is not store and old in self.owned:
            self.owned.remove(old)
            old.close()
        self.adopted.emit()

    # ------------------------------------------------------------------ restoring

    def restore_from(self, backup: Path) -> None:
        """Replace the database with a backup: close, restore off the GUI thread, reopen."""
        w = self.window
        db = w.store.path
        self.swapping = True
        w.step_aside(f"Restoring the backup {backup.name}… Carelog reopens the database as "
                     "soon as it is in place.")
        self._say(f"Restoring from {backup}…")
        w.store.close()

        def done(kept: object) -> None:
            where = f"; the replaced database was kept as {kept.name}" \
                if isinstance(kept, Path) else ""
            self._reopen(db, f"Restored from {backup.name}{where}.")

        def failed(exc: BaseException) -> None:
            text = exc.message if isinstance(exc, CarelogError) else str(exc)
            self._reopen(db, f"The restore failed: {text}")

        self.restore_operation = run_in_background(self, lambda: restore(Path(backup), db),
                                                   done, failed)

    def _reopen(self, db: Path, sentence: str) -> None:
        w = self.window
        try:
            store = Store.open(db)
        except CarelogError as exc:
            self.swapping = False
            QMessageBox.critical(w, "Carelog", f"{sentence} {exc.message}")
            w.quit()
            return
        self.swapping = False
        if w.state.store.path == self.home.path and not self.demo:
            self.home = store
        self.adopt(store, demo_mode=self.demo)
        w.come_back()
        self._say(sentence)

    def close_all(self) -> None:
        """Close the stores opened here (the demo, a reopened one); the home store is the app's."""
        for store in self.owned:
            store.close()
        self.owned.clear()
