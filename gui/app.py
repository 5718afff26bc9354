"""The `carelog-gui` entry point: find a display, open the database, show the window.

`--screenshot DIR` renders every view, the settings, welcome and forgiving-timer dialogs to PNG
files instead (with no display it uses Qt's offscreen platform), for the README and for checking the
layout by eye. `--exit-after-paint` prints when the window was first painted and exits (the
start-up benchmark), and `--install-desktop-entry` adds Carelog to a Linux applications menu.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from carelog.gui.qt_libraries import PLATFORM_START, import_sentence

if TYPE_CHECKING:
    from carelog.core.store.database import Store
    from carelog.core.store.lock import WriterLock
    from carelog.gui.main_window import MainWindow
    from carelog.gui.single_instance import InstanceServer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

NO_DISPLAY = ("Carelog needs a graphical display and none was found (DISPLAY is not set); "
              "run it on your desktop, or use the carelog command.")
SCREENSHOT_SIZE = (1280, 800)
APP_NAME = "Carelog"
VIEW_NAMES = ("today", "calendar", "log", "week", "trends", "reports", "merge")  # the tabs' order
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
                   help="write a PNG of every view and dialog (today.png, week.png, trends.png, "
                   "reports.png, merge.png, settings.png, history.png, welcome.png) into DIR, "
                   "then exit")
    p.add_argument("--install-desktop-entry", action="store_true",
                   help="add Carelog and its icon to your applications menu (Linux), then exit")
    p.add_argument("--view", choices=VIEW_NAMES, help="open on this view")
    p.add_argument("--exit-after-paint", action="store_true",
                   help="print when the window was first painted, when its view was painted "
                   "with the log read, and the peak memory, then exit (for the start-up "
                   "benchmark)")
    return p


def needs_display() -> bool:
    """True on Linux when no display server and no Qt platform were named."""
    if not sys.platform.startswith("linux"):
        return False
    return not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app (or write screenshots); return the exit status."""
    os.umask(0o077)
    # Carelog uses no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = _parser().parse_args(argv)
    if args.install_desktop_entry:
        return install_entry()
    if needs_display():
        if args.screenshot is None:
            sys.stderr.write(NO_DISPLAY + "\n")
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from carelog.core.store.files import default_db_path

    db = Path(args.db).expanduser() if args.db else default_db_path()
    try:
        app = _application()
    except ImportError as exc:
        sentence = import_sentence(exc)  # a system library Qt needs is missing
        if sentence is None:
            raise
        sys.stderr.write(sentence + "\n")
        return 1
    if args.screenshot is not None:
        return write_screenshots(db, Path(args.screenshot).expanduser(), app)
    return _run_window(db, app, view=args.view, exit_after_paint=args.exit_after_paint)


def install_entry() -> int:
    """Copy the desktop entry and the icon into the user's data folder; print where."""
    from carelog.gui.desktop_entry import install_desktop_entry

    try:
        done = install_desktop_entry()
    except OSError as exc:
        sys.stderr.write(f"carelog-gui: {exc.strerror or exc}\n")
        return 1
    print(done.entry)
    print(done.icon)
    return 0


def _quiet_platform_notes(mode: object, context: object, message: str) -> None:
    """Pass Qt's messages on, except the offscreen platform's note that it has no window sizes.

    A display platform that cannot start ends in one sentence (see qt_libraries).
    """
    if "propagateSizeHints" in message or PLATFORM_START.handle(message):
        return
    sys.stderr.write(message + "\n")


def _application() -> QApplication:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    qInstallMessageHandler(_quiet_platform_notes)

    from carelog.resources import icon_path

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        with PLATFORM_START:
            app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setOrganizationDomain("carelog.invalid")
    app.setDesktopFileName("carelog")
    app.setWindowIcon(QIcon(str(icon_path("carelog"))))
    return app


def _run_window(db: Path, app: QApplication, view: str | None = None,
                exit_after_paint: bool = False) -> int:
    """Show the window at once, then read the log into it, then run until it is closed.

    The window's frame (its tabs, its place on the screen) is painted before the log is
    opened and its views are built: what reads the log loads the domain's models and the
    ledger, which take longer than Qt itself to load.
    """
    from carelog.gui.main_window import MainWindow
    from PySide6.QtCore import QSettings

    lock, taken = _take_lock(db)
    if lock is None:
        from carelog.gui.single_instance import bring_forward

        if taken and bring_forward(db):
            print(f"Carelog is already open on {db}; that window was brought forward.")
            return 0
        if taken:
            _message_box(f"Carelog is already open on {db} in another window; switch to that "
                         "window, or close it first.")
        return 1
    opened: list[Store] = []
    kept: list[object] = []  # what must live as long as the window (the instance server)
    status = [0]
    try:
        window = MainWindow(None, QSettings())
        window.setWindowTitle(f"Carelog — {db.name}")

        def read_the_log() -> None:
            store = open_store_with_dialogs(db)
            if store is None:
                status[0] = 1
                window.close()
                app.quit()
                return
            opened.append(store)
            kept.append(_fill_window(app, window, db, store, view, exit_after_paint))

        _after_first_paint(app, window.today_page, read_the_log, exit_after_paint)
        window.show()
        result = int(app.exec())
        return status[0] or result
    finally:
        for store in opened:
            store.close()
        lock.release()


def _fill_window(app: QApplication, window: MainWindow, db: Path, store: Store,
                 view: str | None, exit_after_paint: bool) -> InstanceServer:
    """Read the log into the window shown, and wire what the running app needs."""
    from carelog.gui.single_instance import InstanceServer
    from PySide6.QtCore import QTimer

    sys.excepthook = _show_unexpected
    window.open(store)
    instance = InstanceServer(db, window)
    instance.activate_requested.connect(window.bring_to_front)
    if view is not None:
        window.tabs.setCurrentIndex(VIEW_NAMES.index(view))
    if window.tray.available:
        # Closing the window with a timer running leaves Carelog in the tray.
        app.setQuitOnLastWindowClosed(False)
        window.closed.connect(app.quit)
    if exit_after_paint:
        _report_when_painted(app, window, window.tabs.currentWidget())
    elif window.needs_welcome():
        QTimer.singleShot(0, window.show_welcome)
    return instance


def _after_first_paint(app: QApplication, widget: QWidget, then: Callable[[], None],
                       report: bool) -> None:
    """Run `then` once `widget` has been painted the first time (printing when, if asked)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is widget:
                app.removeEventFilter(self)
                if report:
                    print(f"painted {time.time():.6f}")
                    sys.stdout.flush()
                QTimer.singleShot(0, then)
            return False

    app.installEventFilter(_FirstPaint(app))


def _report_when_painted(app: QApplication, window: MainWindow, target: QWidget) -> None:
    """Print when the view in front was painted with the log read, and the peak memory; quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class _Ready(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            inside = watched is target or (isinstance(watched, QWidget)
                                           and target.isAncestorOf(watched))
            if event.type() == QEvent.Type.Paint and inside:
                ready = time.time()
                app.removeEventFilter(self)
                QTimer.singleShot(0, lambda: _report_paint(app, window, ready))
            return False

    app.installEventFilter(_Ready(app))
    target.update()


def _report_paint(app: QApplication, window: MainWindow, ready: float) -> None:
    print(f"ready {ready:.6f}")
    try:
        import resource
    except ImportError:  # Windows has no getrusage
        pass
    else:
        print(f"maxrss_kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    sys.stdout.flush()
    window.quit()
    app.quit()


def _take_lock(db: Path) -> tuple[WriterLock | None, bool]:
    """One window per database: (the lock, or None; True when another program holds it).

    The window holds core's single-writer lock for its whole life, the same lock a restore or
    a scrub from the command line takes, so neither can replace the file under an open window.
    """
    from carelog.core.domain.errors import CarelogError
    from carelog.core.store.lock import Holder, LogInUse, WriterLock

    try:
        return WriterLock.take(db, Holder.WINDOW, "opened"), False
    except LogInUse:
        return None, True
    except OSError as exc:
        _message_box(f"The folder {db.parent} could not be created: {exc.strerror}.")
        return None, False
    except CarelogError as exc:
        _message_box(exc.message)
        return None, False


def open_store_with_dialogs(db: Path) -> Store | None:
    """Open the store, explaining a refusal in a dialog; None when it cannot be opened."""
    from carelog.core.domain.errors import CarelogError, DamagedDatabase, DatabaseBusy
    from carelog.core.store.database import Store
    from carelog.core.store.restore import restore
    from PySide6.QtWidgets import QMessageBox

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
    """Render every view and both dialogs at 1280×800 into folder; print the files written.

    Nothing is written to the database: the views are only looked at.
    """
    from carelog.core.domain.errors import CarelogError
    from carelog.core.store.database import Store
    from carelog.gui.dialogs.history_dialog import HistoryDialog
    from carelog.gui.dialogs.timer_prompts import StillChartingDialog
    from carelog.gui.main_window import TAB_TODAY, TAB_WEEK, MainWindow
    from PySide6.QtCore import Qt

    try:
        store = Store.open(db, daily_backup=False)
    except CarelogError as exc:
        sys.stderr.write(f"carelog-gui: {exc.message}\n")
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        window = MainWindow(store, use_tray=False)
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
        bar = window.day_view.quick_bar
        if "messages" in bar.category_buttons:
            bar.arm("messages")
        bar.line.setText("4 x msg 3 # returned calls")
        bar.line.textEdited.emit(bar.line.text())
        written: list[Path] = []
        for index, name in enumerate(VIEW_NAMES):
            window.tabs.setCurrentIndex(index)
            _settle(app)
            written.append(_save(window.grab(), folder / f"{name}.png"))
        window.tabs.setCurrentIndex(TAB_WEEK if store.schedules() else TAB_TODAY)
        _settle(app)
        settings = window.open_settings(show=False)
        if settings is not None:
            written.append(_save(_over(window, settings, app), folder / "settings.png"))
            settings.close()
        window.tabs.setCurrentIndex(TAB_TODAY)
        if window.day_view.model.rowCount():
            entry_id = int(window.day_view.model.entry_at(0).id or 0)
            history = HistoryDialog(state, entry_id, window)
            written.append(_save(_over(window, history, app), folder / "history.png"))
            history.close()
        welcome = window.show_welcome(show=False)
        written.append(_save(_over(window, welcome, app), folder / "welcome.png"))
        welcome.close()
        prompt = StillChartingDialog(
            "The timer for Charting has run since 15:30 (1 h 35 m). Are you still charting?",
            "No, it stopped at 17:00: log it until then", window)
        written.append(_save(_over(window, prompt, app), folder / "timer-prompt.png"))
        prompt.close()
        window.quit()
        for path in written:
            print(path)
        return 0
    except OSError as exc:
        sys.stderr.write(f"carelog-gui: {exc.strerror or exc}\n")
        return 1
    finally:
        store.close()


def _settle(app: QApplication) -> None:
    """Let queued layout and paint work run before a grab."""
    for _ in range(3):
        app.processEvents()


def _over(window: QWidget, dialog: QWidget, app: QApplication) -> object:
    """The window with a dialog drawn over its middle, the way the screen shows it."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QColor, QPainter

    dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    dialog.show()
    dialog.adjustSize()
    dialog.resize(max(dialog.width(), 760), min(dialog.height(), window.height() - 16))
    _settle(app)
    base = window.grab()
    shot = dialog.grab()
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 70))
    at = QPoint((base.width() - shot.width()) // 2, max(0, (base.height() - shot.height()) // 2))
    painter.drawPixmap(at, shot)
    painter.end()
    return base


def _save(pixmap: object, path: Path) -> Path:
    if not pixmap.save(str(path)):  # type: ignore[attr-defined]
        raise OSError(f"The screenshot {path} could not be written.")
    return path


if __name__ == "__main__":
    raise SystemExit(main())
