"""Carelog's icons, desktop entry and other data files."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent


def icon_path(name: str) -> Path:
    """The path of an icon in resources/icons (or the app icon for 'carelog')."""
    if name == "carelog":
        return RESOURCES / "carelog.svg"
    return RESOURCES / "icons" / f"{name}.svg"
