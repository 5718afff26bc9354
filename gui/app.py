"""The `carelog-gui` entry point: find a display, open the database, show the window.

`--screenshot DIR` renders the Today and Week views to PNG files instead (with no display it
uses Qt's offscreen platform), for the README and for checking the layout by eye.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core.store import Store

NO_DISPLAY = ("Carelog needs a graphical display; none was found (DISPLAY is not set). "
              "Run it on your desktop, or use the carelog command.")
SCREENSHOT_SIZE = (1280, 800)
APP_NAME = "Carelog"
_OPEN_ATTEMPTS = 3

log = logging.getLogger("carelog.gui")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="carelog-gui",
        description="Carelog's desktop window: log sessions and indirect patient care, and see "
                    "week by week whether protected time is being received.")
    p.add_argument("--db", metavar="PATH",
                   help="database file (default: $CARELOG_DB, else carelog.db in the user data "
                   "folder)")
    p.add_argument("--screenshot", metavar="DIR",
                   help="write today.png and week.png of the window into DIR, then exit")
    return p


def needs_display() -> bool:
    """True on Linux when no display server and no Qt platform were named."""
    if not sys.platform.startswith("linux"):
        return False
    return not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app (or write screenshots); return the exit status."""
    os.umask(0o077)
    args = _parser().parse_args(argv)
    if needs_display():
        if args.screenshot is None:
            sys.stderr.write(NO_DISPLAY + "\n")
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from core.paths import default_db_path

    db = Path(args.db).expanduser() if args.db else default_db_path()
    app = _application()
    if args.screenshot is not None:
        return write_screenshots(db, Path(args.screenshot).expanduser(), app)
    return _run_window(db, app)


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setOrganizationDomain("carelog.invalid")
    return app


def _run_window(db: Path, app: QApplication) -> int:
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    lock = _take_lock(db)
    if lock is None:
        return 1
    try:
        store = open_store_with_dialogs(db)
        if store is None:
            return 1
        sys.excepthook = _show_unexpected
        try:
            window = MainWindow(store, QSettings())
            window.show()
            return int(app.exec())
        finally:
            store.close()
    finally:
        lock.unlock()


def _take_lock(db: Path) -> QLockFile | None:
    """One window per database: a second one is refused with a plain message."""
    from PySide6.QtCore import QLockFile

    from core.errors import CarelogError
    from core.paths import ensure_private_dir

    try:
        ensure_private_dir(db.parent)
    except OSError as exc:
        _message_box(f"The folder {db.parent} could not be created: {exc.strerror}.")
        return None
    except CarelogError as exc:
        _message_box(exc.message)
        return None
    lock = QLockFile(str(db.with_name(db.name + ".window.lock")))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        _message_box(f"Carelog is already open on {db} in another window; switch to that "
                     "window, or close it first.")
    else:
        _message_box(f"Carelog could not create its lock file beside {db}; check that the "
                     "folder is writable.")
    return None


def open_store_with_dialogs(db: Path) -> Store | None:
    """Open the store, explaining a refusal in a dialog; None when it cannot be opened."""
    from PySide6.QtWidgets import QMessageBox

    from core.backup import restore
    from core.errors import CarelogError, DamagedDatabase, DatabaseBusy
    from core.store import Store

    for _ in range(_OPEN_ATTEMPTS):
        try:
            return Store.open(db)
        except DamagedDatabase as exc:
            if not exc.backup:
                _message_box(exc.message)
                return None
            box = _box(exc.message)
            restore_button = box.addButton("Restore newest backup",
                                           QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(restore_button)
            box.exec()
            if box.clickedButton() is not restore_button:
                return None
            try:
                restore(Path(exc.backup), db)
            except CarelogError as failure:
                _message_box(failure.message)
                return None
        except DatabaseBusy as exc:
            box = _box(exc.message)
            retry = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(retry)
            box.exec()
            if box.clickedButton() is not retry:
                return None
        except CarelogError as exc:
            _message_box(exc.message)
            return None
    _message_box(f"The database {db} still could not be opened; try the carelog check command.")
    return None


def _box(text: str) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(text)
    return box


def _message_box(text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = _box(text)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()


def _show_unexpected(kind: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """A bug reaches the user as one sentence; the details go to the log."""
    log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    if issubclass(kind, KeyboardInterrupt):
        return
    _message_box(f"Carelog ran into a problem it did not expect ({kind.__name__}). Every "
                 "change you saved is in the database; details were written to the log.")


def write_screenshots(db: Path, folder: Path, app: QApplication) -> int:
    """Render the Today and Week views at 1280×800 into folder; print the files written."""
    from PySide6.QtCore import Qt

    from core.errors import CarelogError
    from core.store import Store
    from gui.main_window import TAB_TODAY, TAB_WEEK, MainWindow

    try:
        store = Store.open(db)
    except CarelogError as exc:
        sys.stderr.write(f"carelog-gui: {exc.message}\n")
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        window = MainWindow(store)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        state = window.state
        span = store.first_last_day()
        if span is not None and not window.day_view.model.rowCount():
            # A screenshot of an empty day shows nothing; use the last day with entries.
            state.set_day(min(span[1], state.today()))
        occurrences = state.week(state.day).occurrences if store.schedules() else []
        lost = [o for o in occurrences if o.honored_min < o.scheduled_min]
        tagged = [o for o in lost if o.reason is not None]
        for occ in (tagged or lost)[:1]:
            window.week_view.select_block(occ.day, occ.start_minute)
        written = []
        for index, name in ((TAB_TODAY, "today.png"), (TAB_WEEK, "week.png")):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            path = folder / name
            if not window.grab().save(str(path)):
                sys.stderr.write(f"carelog-gui: The screenshot {path} could not be written.\n")
                return 1
            written.append(path)
        window.close()
        for path in written:
            print(path)
        return 0
    except OSError as exc:
        sys.stderr.write(f"carelog-gui: The folder {folder} could not be used: "
                         f"{exc.strerror}.\n")
        return 1
    finally:
        store.close()


if __name__ == "__main__":
    raise SystemExit(main())
