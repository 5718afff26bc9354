"""Install Carelog's desktop entry and icon for the current user (Linux desktops only).

The entry goes to $XDG_DATA_HOME/applications (default ~/.local/share/applications) and the
icon to $XDG_DATA_HOME/icons/hicolor/scalable/apps, where menus and docks look for them. The
entry's Exec line names the carelog-gui that is running now, so a virtual environment works.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from carelog.resources import RESOURCES, icon_path

NOT_LINUX = ("Installing a desktop entry is for Linux desktops; on Windows and macOS start "
             "Carelog with the carelog-gui command or a shortcut to it.")


@dataclass(frozen=True, slots=True)
class Installed:
    """Where the desktop entry and the icon were written."""

    entry: Path
    icon: Path


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "").strip()
    return Path(value).expanduser() if value else Path.home() / ".local" / "share"


def launcher() -> str:
    """The command that starts this Carelog: the carelog-gui beside Python, or python -m."""
    beside = Path(sys.executable).with_name("carelog-gui")
    if beside.is_file():
        return str(beside)
    found = shutil.which("carelog-gui")
    if found:
        return found
    return f"{sys.executable} -m carelog.gui.app"


def install_desktop_entry(platform: str | None = None) -> Installed:
    """Copy the desktop entry and the icon into the user's data folder; OSError on failure."""
    if not (platform or sys.platform).startswith("linux"):
        raise OSError(NOT_LINUX)
    home = data_home()
    apps = home / "applications"
    icons = home / "icons" / "hicolor" / "scalable" / "apps"
    apps.mkdir(parents=True, exist_ok=True)
    icons.mkdir(parents=True, exist_ok=True)
    text = (RESOURCES / "carelog.desktop").read_text(encoding="utf-8")
    lines = [f"Exec={launcher()}" if line.startswith("Exec=") else line
             for line in text.splitlines()]
    entry = apps / "carelog.desktop"
    entry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    icon = icons / "carelog.svg"
    shutil.copyfile(icon_path("carelog"), icon)
    return Installed(entry, icon)
