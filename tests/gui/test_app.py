"""The carelog-gui entry point: no display, screenshots, a damaged database, one window per file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from carelog.core.domain.history import Via
from carelog.core.importing.demo import fill_demo
from carelog.core.store.database import Store
from carelog.gui.app import NO_DISPLAY, _take_lock, open_store_with_dialogs
from carelog.gui.single_instance import InstanceServer, bring_forward
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="only Linux desktops can lack a display server")


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment of a desktop session with no display at all."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "CARELOG_DB")}
    env["HOME"] = str(tmp_path / "home")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carelog.gui.app", *args], cwd=ROOT,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)


@linux_only
def test_without_a_display_it_says_so_in_one_sentence(tmp_path: Path) -> None:
    result = _run(tmp_path, "--db", str(tmp_path / "c.db"))
    assert result.returncode == 1
    assert result.stderr == NO_DISPLAY + "\n"
    assert result.stdout == ""
    assert not (tmp_path / "c.db").exists()


SHOTS = ("today", "calendar", "log", "week", "trends", "reports", "merge", "settings", "history",
         "welcome", "timer-prompt")


def test_screenshot_writes_every_view_and_dialog_at_full_size(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.set_timezone("America/Los_Angeles")
        fill_demo(store, weeks=3)
        count = store.count_entries()
    shots = tmp_path / "shots"
    result = _run(tmp_path, "--db", str(db), "--screenshot", str(shots))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(shots / f"{name}.png") for name in SHOTS]
    for name in SHOTS:
        image = QImage(str(shots / f"{name}.png"))
        assert not image.isNull(), name
        assert image.width() >= 1280 and image.height() >= 800, (name, image.size())
    with Store.open(db) as store:  # looking changes nothing
        assert store.count_entries() == count
        assert store.timer() is None


def test_exit_after_paint_reports_the_first_paint_the_view_and_the_memory(
        tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    env_platform = {"QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "carelog.gui.app", "--db", str(db), "--exit-after-paint",
         "--view", "week"], cwd=ROOT, env={**_env(tmp_path), **env_platform},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert float(lines["painted"]) > 0
    assert float(lines["ready"]) >= float(lines["painted"])  # the frame first, then the view
    if sys.platform != "win32":
        assert int(lines["maxrss_kb"]) > 0


FRAME_FIRST = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from carelog.gui.main_window import MainWindow
window = MainWindow(None, use_tray=False)
window.show()
app.processEvents()
window.today_page.repaint()
assert not window.opened and not window.tabs.isEnabled()
loaded = [m for m in ("pydantic", "carelog.core.domain.models", "carelog.gui.state",
                      "carelog.core.ledger.load") if m in sys.modules]
assert loaded == [], loaded
from carelog.core.store.database import Store
store = Store.open(sys.argv[1])
window.open(store)
app.processEvents()
assert window.opened and window.tabs.isEnabled() and window.day_view.isVisible()
window.quit()
store.close()
print("frame first")
"""


def test_the_window_is_painted_before_the_log_is_read(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", FRAME_FIRST, str(tmp_path / "c.db")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "frame first" in result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="desktop entries are Linux's")
def test_install_desktop_entry_copies_the_entry_and_the_icon(tmp_path: Path) -> None:
    result = _run(tmp_path, "--install-desktop-entry")
    assert result.returncode == 0, result.stderr
    data = tmp_path / "home" / "data"
    entry = data / "applications" / "carelog.desktop"
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "carelog.svg"
    assert result.stdout.split() == [str(entry), str(icon)]
    text = entry.read_text(encoding="utf-8")
    assert "Name=Carelog" in text and "Icon=carelog" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    # The entry starts this Carelog (a virtual environment's, say), not whatever is on PATH.
    assert "carelog-gui" in exec_line or exec_line.endswith(" -m carelog.gui.app")
    assert icon.read_bytes().startswith(b"<")


def test_install_desktop_entry_elsewhere_says_it_is_for_linux() -> None:
    from carelog.gui.desktop_entry import NOT_LINUX, install_desktop_entry

    with pytest.raises(OSError, match="Linux") as refused:
        install_desktop_entry(platform="win32")
    assert str(refused.value) == NOT_LINUX


def test_a_damaged_database_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    db.write_bytes(b"this is not a database at all" * 40)
    result = _run(tmp_path, "--db", str(db), "--screenshot", str(tmp_path / "shots"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "is not a Carelog database" in result.stderr


def test_start_up_loads_no_heavy_library_and_no_view_it_does_not_show(tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from carelog.core.store.database import Store\n"
        "from carelog.gui.main_window import MainWindow\n"
        f"store = Store.open({str(tmp_path / 'c.db')!r})\n"
        "window = MainWindow(store, use_tray=False)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "heavy = ('matplotlib', 'fpdf', 'icalendar', 'carelog.gui.views.week.week_view',\n"
        "         'carelog.gui.views.trends.trends_view',\n"
        "         'carelog.gui.views.reports.reports_view',\n"
        "         'carelog.gui.views.reports.merge_view',\n"
        "         'carelog.gui.dialogs.settings.settings_dialog',\n"
        "         'carelog.gui.dialogs.welcome_dialog')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
        "window.quit()\n"
        "store.close()\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def _answer_dialog(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    """Press a button of the next modal dialog (within five seconds), as the user would."""
    tries = [0]

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 500:
                QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, press)


def test_a_damaged_database_offers_the_newest_backup_and_restores_it(
        qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.set_timezone("America/Los_Angeles")
        fill_demo(store, weeks=1)
        count = store.count_entries()
        store.backup()
    db.write_bytes(b"garbage" * 500)

    seen: list[str] = []
    _answer_dialog(qtbot, "Restore newest backup", seen)
    store = open_store_with_dialogs(db)
    assert store is not None
    try:
        assert store.count_entries() == count
    finally:
        store.close()
    assert len(seen) == 1 and "is not a Carelog database" in seen[0]
    assert (tmp_path / "c.db.corrupt").exists()


def test_a_newer_database_is_refused_with_its_message(qtbot: QtBot, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "c.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    seen: list[str] = []
    _answer_dialog(qtbot, "Close", seen)
    assert open_store_with_dialogs(db) is None
    assert len(seen) == 1 and "newer Carelog" in seen[0]


def test_the_lock_is_held_by_one_window_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    first, taken = _take_lock(db)
    assert first is not None and not taken
    try:
        assert _take_lock(db) == (None, True)
    finally:
        first.release()
    again, _ = _take_lock(db)
    assert again is not None
    again.release()


def test_a_second_start_brings_the_first_window_forward(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Store.open(db).close()
    lock, _ = _take_lock(db)
    assert lock is not None
    server = InstanceServer(db)
    assert server.listening
    try:
        with qtbot.waitSignal(server.activate_requested, timeout=20_000):
            second = subprocess.Popen(
                [sys.executable, "-m", "carelog.gui.app", "--db", str(db)], cwd=ROOT,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, _err = second.communicate(timeout=30)
        assert second.returncode == 0
        assert out.strip() == f"Carelog is already open on {db}; that window was brought forward."
    finally:
        server.close()
        lock.release()


def test_the_command_line_cannot_restore_under_an_open_window(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_entry("admin", 1794848400, 1794849000, note="kept in the backup",
                        via=Via.WINDOW)
        backup = store.backup()
        store.add_entry("admin", 1794852000, 1794852600, note="saved in the window",
                        via=Via.WINDOW)
    lock, taken = _take_lock(db)
    assert lock is not None and not taken
    try:
        result = subprocess.run(
            [sys.executable, "-m", "carelog.core.cli", "--db", str(db), "restore", str(backup)],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "window is open" in result.stderr
        with Store.open(db) as store:
            assert store.count_entries() == 2
    finally:
        lock.release()
    assert not list(tmp_path.glob("c.db.replaced-*"))


def test_bring_forward_without_a_window_says_so(tmp_path: Path) -> None:
    assert bring_forward(tmp_path / "nobody.db", timeout_ms=200) is False
