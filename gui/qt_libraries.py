"""When Qt cannot start on Linux for want of system libraries, say which ones in one sentence.

Qt's own answer to a missing library is a page of plugin notes and an abort. Carelog asks the
dynamic loader which of Qt's libraries cannot be found, and only after Qt has failed: either the
import of PySide6's GUI modules raised ImportError, or Qt's display platform did not start (its
last, fatal message). A normal start pays for nothing but a flag test per Qt message.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

# The library file names Qt needs on Linux desktops, and the Debian / Ubuntu package of each.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libpng16.so.16": "libpng16-16",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
PLATFORM_FAILED = "no Qt platform plugin could be initialized"
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_CANNOT_OPEN = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")

Probe = Callable[[str], list[str]]


def qt_files(platform: str) -> list[Path]:
    """PySide6's GUI modules and the plugin of a display platform, found without importing."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    files = [*root.glob("QtGui*.so"), *root.glob("QtWidgets*.so")]
    files += (root / "Qt" / "plugins" / "platforms").glob(f"libq{platform}*.so")
    return files


def missing_libraries(platform: str) -> list[str]:
    """The libraries that the dynamic loader cannot find for Qt's GUI on this platform."""
    # Imported here, after Qt has failed: a window that starts never pays for them.
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    ldd = shutil.which("ldd") or ("/usr/bin/ldd" if Path("/usr/bin/ldd").exists() else None)
    files = qt_files(platform)
    if ldd is None or not files:
        return []
    try:
        result = subprocess.run([ldd, *map(str, files)], capture_output=True, text=True,
                                timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(set(_NOT_FOUND.findall(result.stdout)))


def missing_sentence(libraries: Iterable[str]) -> str:
    """One sentence naming the missing libraries and, where known, the packages that hold them."""
    names = sorted(set(libraries))
    packages = sorted({DEBIAN_PACKAGES[n] for n in names if n in DEBIAN_PACKAGES})
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    noun = "this system library is" if len(names) == 1 else "these system libraries are"
    remedy = (f" (on Debian or Ubuntu: sudo apt-get install {' '.join(packages)})"
              if packages else "")
    return f"Carelog cannot open its window because {noun} missing: {listed}{remedy}."


def platform_sentence(platform: str, notes: list[str], missing: list[str]) -> str:
    """The sentence for a display platform that did not start."""
    if missing:
        return missing_sentence(missing)
    # Qt's first note is the specific one ("could not connect to display :1"); the later ones
    # only say that the plugin did not load.
    reason = next((n.strip() for n in notes if n.strip()), "no reason given")
    reason = reason.splitlines()[0].rstrip(".")
    return (f"Carelog cannot open its window because Qt's {platform} display platform did not "
            f"start ({reason}); the carelog command works without a window.")


def import_sentence(error: ImportError, probe: Probe = missing_libraries) -> str | None:
    """The sentence for a PySide6 import that failed on a missing library; None otherwise."""
    found = _CANNOT_OPEN.search(str(error))
    if found is None:
        return None
    return missing_sentence({found.group(1), *probe(requested_platform())})


def requested_platform() -> str:
    """The display platform Qt will try first: QT_QPA_PLATFORM's first name, else xcb."""
    named = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return named or "xcb"


class PlatformStart:
    """While QApplication starts its display platform: Qt's platform notes held back.

    The fatal 'no platform plugin' message becomes one sentence and exit status 1 instead of an
    abort.
    """

    def __init__(self, probe: Probe = missing_libraries,
                 write: Callable[[str], object] | None = None,
                 end: Callable[[int], object] = os._exit) -> None:
        self.probe = probe
        self.write = write
        self.end = end
        self.active = False
        self.notes: list[str] = []

    def __enter__(self) -> PlatformStart:
        self.active = True
        self.notes = []
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.active = False
        for note in self.notes:  # the platform started after all: pass its notes on
            self._write(note + "\n")
        self.notes = []

    def handle(self, message: str) -> bool:
        """True when the message was taken (held, or answered with the sentence)."""
        if not self.active:
            return False
        if PLATFORM_FAILED not in message:
            self.notes.append(message)
            return True
        platform = requested_platform()
        self._write(platform_sentence(platform, self.notes, self.probe(platform)) + "\n")
        self.active = False
        self.notes = []  # said in the sentence; Qt's notes are not repeated
        self.end(1)
        return True

    def _write(self, text: str) -> None:
        if self.write is not None:
            self.write(text)
            return
        sys.stderr.write(text)
        sys.stderr.flush()


PLATFORM_START = PlatformStart()
