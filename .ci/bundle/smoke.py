"""Try a built Carelog app folder the way a therapist's machine would run it.

Usage: python .ci/bundle/smoke.py dist/carelog [--shots DIR]

Every command runs in an empty environment (only HOME, a system PATH and the offscreen Qt
platform; no virtual environment, no PYTHONPATH), the way `env -i` starts it: `carelog --help`,
`carelog demo`, `carelog summary --month`, a committee PDF, a dry-run calendar import, and
`carelog-gui --screenshot`. Each screenshot must be a real 1280×800 PNG. Exit 1 on the first
failure, with what the command printed. With --shots the screenshots are kept in DIR, to be
looked at.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SHOTS = ("today", "week", "trends", "reports", "merge", "settings", "welcome")
WINDOWS = sys.platform == "win32"

CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Carelog smoke test//EN\r
BEGIN:VEVENT\r
UID:smoke-1@example.invalid\r
DTSTART;TZID=America/Los_Angeles:{day}T090000\r
DTEND;TZID=America/Los_Angeles:{day}T095000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
SUMMARY:Individual session\r
END:VEVENT\r
END:VCALENDAR\r
"""


def clean_env(home: Path) -> dict[str, str]:
    """What `env -i HOME=… PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen` gives."""
    env = {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    if WINDOWS:
        root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env.update(SYSTEMROOT=root, PATH=rf"{root}\System32;{root}",
                   USERPROFILE=str(home), APPDATA=str(home / "AppData" / "Roaming"),
                   LOCALAPPDATA=str(home / "AppData" / "Local"), TEMP=str(home / "tmp"),
                   TMP=str(home / "tmp"))
        (home / "tmp").mkdir(parents=True, exist_ok=True)
    else:
        env["PATH"] = "/usr/bin:/bin"
    return env


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header; (0, 0) when it is not a PNG."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return 0, 0
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def run(exe: Path, *args: str, env: dict[str, str], expect: str = "") -> str:
    """Run one bundled command; fail with its output unless it exits 0 (and prints expect)."""
    t0 = time.perf_counter()
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    took = time.perf_counter() - t0
    shown = " ".join([exe.name, *args])
    if result.returncode != 0 or expect not in result.stdout:
        print(f"FAILED ({result.returncode}) {shown}\n--- stdout\n{result.stdout}"
              f"--- stderr\n{result.stderr}")
        raise SystemExit(1)
    print(f"ok  {took:6.2f} s  {shown}")
    return result.stdout


def main(argv: list[str]) -> int:
    """Run every check against the app folder named in argv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the app folder, e.g. dist/carelog")
    parser.add_argument("--shots", type=Path, help="keep the screenshots in this folder")
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    suffix = ".exe" if WINDOWS else ""
    cli, gui = folder / f"carelog{suffix}", folder / f"carelog-gui{suffix}"
    for exe in (cli, gui):
        if not exe.is_file():
            print(f"The app folder {folder} has no {exe.name}; build it with make bundle.")
            return 1
    with tempfile.TemporaryDirectory(prefix="carelog-smoke-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        env = clean_env(home)
        db = str(work / "smoke.db")
        run(cli, "--help", env=env, expect="usage: carelog")
        run(cli, "--db", db, "demo", env=env)
        # The last whole month before today: the demo's weeks end today.
        month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        run(cli, "--db", db, "summary", "--month", month, env=env, expect="W")
        pdf = work / "report.pdf"
        run(cli, "--db", db, "export", "--month", month, "--format", "pdf", "--out", str(pdf),
            env=env)
        if not pdf.read_bytes().startswith(b"%PDF"):
            print(f"FAILED: {pdf} is not a PDF")
            return 1
        ics = work / "calendar.ics"
        first = date.today() - timedelta(days=21)
        ics.write_text(CALENDAR.format(day=first.strftime("%Y%m%d")), encoding="utf-8",
                       newline="")
        run(cli, "--db", db, "import", "ics", str(ics), "--dry-run", env=env)
        shots = args.shots.resolve() if args.shots else work / "shots"
        run(gui, "--db", db, "--screenshot", str(shots), env=env)
        for name in SHOTS:
            path = shots / f"{name}.png"
            if not path.is_file() or png_size(path) != (1280, 800):
                print(f"FAILED: {path} is missing or not a 1280×800 PNG")
                return 1
        print(f"ok  screenshots in {shots}: {', '.join(SHOTS)}")
    print(f"The app in {folder} works from a clean environment.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
