"""A writer killed with SIGKILL at random moments loses nothing it reported as saved."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.core.crash_check import run


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_writes_and_batches(tmp_path: Path) -> None:
    report = run(tmp_path / "crash.db", kills=12, seed=11)
    assert report.problems == []
    assert report.committed > 0
