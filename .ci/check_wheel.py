"""Check a built wheel against the source tree: every module and data file is in it, nothing else.

Run by `make dist` after the build: `python .ci/check_wheel.py dist/carelog-*.whl`. Exit 1 with
one line per difference.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"core": "carelog/core", "gui": "carelog/gui", "resources": "carelog/resources"}
SKIP_PARTS = {"__pycache__"}


def expected_files() -> set[str]:
    """The wheel paths of every file under core/, gui/ and resources/ (caches aside)."""
    found = set()
    for folder, target in FOLDERS.items():
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT / folder)
            if path.is_file() and not SKIP_PARTS & set(rel.parts) and path.suffix != ".pyc":
                found.add(f"{target}/{rel.as_posix()}")
    return found


def main(argv: list[str]) -> int:
    """Compare each wheel named in argv with the tree; print what differs."""
    if len(argv) != 1:
        print("usage: check_wheel.py WHEEL")
        return 2
    wheel = Path(argv[0])
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
    dist_info = {n for n in names if n.split("/", 1)[0].endswith(".dist-info")}
    shipped = names - dist_info
    tops = sorted({n.split("/", 1)[0] for n in names})
    expected = expected_files()
    problems = [f"missing from the wheel: {n}" for n in sorted(expected - shipped)]
    problems += [f"in the wheel but not in the tree: {n}" for n in sorted(shipped - expected)]
    problems += [f"unexpected top-level entry: {t}" for t in tops
                 if t != "carelog" and not t.endswith(".dist-info")]
    for line in problems:
        print(line)
    if problems:
        return 1
    size = wheel.stat().st_size
    print(f"{wheel.name}: {len(shipped)} files, {size / 1024:.0f} KiB; "
          f"top level: {', '.join(tops)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
