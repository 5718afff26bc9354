"""Folders the bundled app sets up before Carelog starts.

PyInstaller's matplotlib hook points MPLCONFIGDIR at a new temporary folder on every start, so
matplotlib would rebuild its font cache (a second or more) each time a chart or a PDF is drawn.
The bundled app keeps that cache in Carelog's own cache folder instead, private to the user and
apart from any other matplotlib on the machine.
"""

import os

import platformdirs


def keep_matplotlib_cache() -> None:
    """Point matplotlib at a lasting, private cache folder of Carelog's."""
    folder = platformdirs.user_cache_path("carelog", appauthor=False) / "matplotlib"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return  # matplotlib keeps the temporary folder; slower, but it works
    os.environ["MPLCONFIGDIR"] = str(folder)
