"""A Linux desktop without Qt's system libraries gets one sentence naming them, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from carelog.gui.qt_libraries import (
    PLATFORM_FAILED,
    PlatformStart,
    import_sentence,
    missing_sentence,
)

ROOT = Path(__file__).resolve().parents[2]
FATAL = (f"This application failed to start because {PLATFORM_FAILED}. Reinstalling the "
         "application may fix this problem.")


def test_one_missing_library_and_its_package() -> None:
    assert missing_sentence(["libxcb-cursor.so.0"]) == (
        "Carelog cannot open its window because this system library is missing: "
        "libxcb-cursor.so.0 (on Debian or Ubuntu: sudo apt-get install libxcb-cursor0).")


def test_several_missing_libraries_in_one_sentence() -> None:
    sentence = missing_sentence(["libxkbcommon-x11.so.0", "libEGL.so.1", "libfoo.so.3",
                                 "libEGL.so.1"])
    assert sentence == (
        "Carelog cannot open its window because these system libraries are missing: "
        "libEGL.so.1, libfoo.so.3 and libxkbcommon-x11.so.0 (on Debian or Ubuntu: "
        "sudo apt-get install libegl1 libxkbcommon-x11-0).")


def test_unknown_libraries_get_no_install_line() -> None:
    assert missing_sentence(["libfoo.so.3"]) == (
        "Carelog cannot open its window because this system library is missing: libfoo.so.3.")


class _Ended(Exception):
    pass


def _start(missing: list[str]) -> tuple[PlatformStart, list[str], list[int]]:
    written: list[str] = []
    codes: list[int] = []

    def end(code: int) -> None:
        codes.append(code)
        raise _Ended

    probed: list[str] = []

    def probe(platform: str) -> list[str]:
        probed.append(platform)
        return missing

    return PlatformStart(probe=probe, write=written.append, end=end), written, codes


def test_a_platform_that_fails_for_missing_libraries_names_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    start, written, codes = _start(["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"])
    with pytest.raises(_Ended), start:
        assert start.handle("From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
                            "the Qt xcb platform plugin.")
        assert start.handle('Could not load the Qt platform plugin "xcb" in "" even though '
                            "it was found.")
        start.handle(FATAL)
    assert written == [
        "Carelog cannot open its window because these system libraries are missing: "
        "libxcb-cursor.so.0 and libxkbcommon-x11.so.0 (on Debian or Ubuntu: sudo apt-get "
        "install libxcb-cursor0 libxkbcommon-x11-0).\n"]
    assert codes == [1]


def test_a_platform_that_fails_with_every_library_present_gives_qt_s_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
    start, written, codes = _start([])
    with pytest.raises(_Ended), start:
        start.handle("Failed to create wl_display (No such file or directory)")
        start.handle(FATAL)
    assert written == [
        "Carelog cannot open its window because Qt's wayland display platform did not start "
        "(Failed to create wl_display (No such file or directory)); the carelog command works "
        "without a window.\n"]
    assert codes == [1]


def test_a_platform_that_starts_passes_its_notes_on_and_then_steps_aside() -> None:
    start, written, codes = _start(["libnever.so.1"])
    with start:
        assert start.handle("Could not find the Qt platform plugin \"wayland\" in \"\"")
    assert written == ["Could not find the Qt platform plugin \"wayland\" in \"\"\n"]
    assert not start.handle("a later message")
    assert codes == []


def test_a_gui_import_that_fails_on_a_library_names_it_and_the_others() -> None:
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert import_sentence(error, probe=lambda platform: ["libfontconfig.so.1"]) == (
        "Carelog cannot open its window because these system libraries are missing: "
        "libEGL.so.1 and libfontconfig.so.1 (on Debian or Ubuntu: sudo apt-get install "
        "libegl1 libfontconfig1).")


def test_other_import_errors_are_not_taken_for_missing_libraries() -> None:
    assert import_sentence(ImportError("No module named 'carelog.gui.nothing'"),
                           probe=lambda platform: ["libEGL.so.1"]) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux's")
def test_carelog_gui_on_an_unreachable_display_says_one_sentence(tmp_path: Path) -> None:
    # No X server can listen on a socket in a folder that does not exist; whether this machine
    # lacks xcb's libraries or only the server, the answer is one sentence and status 1.
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "CARELOG_DB")}
    env.update(DISPLAY=str(tmp_path / "missing" / "x:0"), QT_QPA_PLATFORM="xcb",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "carelog.gui.app", "--db",
                             str(tmp_path / "c.db")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Carelog cannot open its window because "), result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
