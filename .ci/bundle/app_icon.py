"""Render Carelog's SVG app icon to a 256-pixel PNG, which PyInstaller turns into .ico or .icns.

Usage: python app_icon.py OUT.png (needs PySide6; runs offscreen).
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from carelog.resources import icon_path
from PySide6.QtGui import QGuiApplication, QIcon

app = QGuiApplication(sys.argv[:1])
if not QIcon(str(icon_path("carelog"))).pixmap(256, 256).save(sys.argv[1]):
    raise SystemExit(f"The icon {sys.argv[1]} could not be written.")
