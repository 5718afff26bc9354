"""Carelog's icons, desktop entry, fonts and other data files."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
# DejaVu Sans for the committee PDFs, shipped with the app (licence in fonts/LICENSE) so that a
# report looks the same whichever matplotlib, or bundle, is installed.
FONTS = RESOURCES / "fonts"


def icon_path(name: str) -> Path:
    """The path of an icon in resources/icons (or the app icon for 'carelog')."""
    if name == "carelog":
        return RESOURCES / "carelog.svg"
    return RESOURCES / "icons" / f"{name}.svg"
