"""The bundled `carelog-gui`: the same entry point as the installed one.

A windowed executable on Windows and macOS starts without standard streams; messages that would
go to them are dropped instead of failing.
"""

import os
import sys

from bundle_paths import keep_matplotlib_cache

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
keep_matplotlib_cache()

from carelog.gui.app import main  # noqa: E402

raise SystemExit(main())
