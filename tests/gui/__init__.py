"""Tests of the desktop window, run on Qt's offscreen platform unless a platform is named."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
