"""Time a one-year committee PDF and a merge of 300 clinicians' one-year JSON exports.

Usage: python bench/export_bench.py [--db PATH]   (builds a 10-year log unless --db exists)
Both are timed process start to exit, median of several runs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log_for, machine, time_command


def make_clinicians(folder: Path, n: int, year_file: Path) -> list[Path]:
    """n variations of one real one-year export, each with its own contributor id."""
    base = json.loads(year_file.read_text(encoding="utf-8"))
    rng = random.Random(3)
    paths = []
    for i in range(n):
        data = dict(base, contributor=f"{i:016x}", exported_at=f"2026-11-2{i % 3}T10:00:00Z")
        weeks = []
        for w in base["weeks"]:
            w = dict(w)
            w["ipc_in_hours_min"] = max(0, int(w["ipc_in_hours_min"] * rng.uniform(0.4, 1.3)))
            if w["target_min"]:
                w["attainment"] = round(w["ipc_in_hours_min"] / w["target_min"], 3)
                w["status"] = ("met" if w["attainment"] >= 1 else
                               "partly_met" if w["attainment"] >= 0.75 else "not_met")
            w["ipc_after_hours_min"] = rng.randint(0, 600)
            weeks.append(w)
        data["weeks"] = weeks
        path = folder / f"clinician-{i:03d}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Build inputs and print the timings."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", type=Path)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    work = Path(tempfile.mkdtemp())
    db = log_for(a.db, work, "bench.db", 10)
    carelog = [sys.executable, "-m", "carelog.core.cli", "--db", str(db)]
    year = ["--from", "2025-11-17", "--to", "2026-11-15"]
    pdf = time_command(carelog + ["export", *year, "--format", "pdf", "--out",
                                  str(work / "year.pdf")], a.runs)
    csv_t = time_command(carelog + ["export", *year, "--format", "csv", "--out",
                                    str(work / "year.csv")], a.runs)
    json_t = time_command(carelog + ["export", *year, "--format", "json", "--out",
                                     str(work / "year.json")], a.runs)
    files = make_clinicians(work, 300, work / "year.json")
    merge_json = time_command(carelog + ["merge", *map(str, files), "--out",
                                         str(work / "clinic.json")], a.runs)
    merge_pdf = time_command(carelog + ["merge", *map(str, files), "--out",
                                        str(work / "clinic.pdf")], a.runs)
    print(f"Machine: {machine()}; {date.today()}\n")
    print("| Committee export / merge | seconds |")
    print("|---|---|")
    print(f"| one-year PDF | {pdf:.2f} |")
    print(f"| one-year CSV | {csv_t:.2f} |")
    print(f"| one-year JSON | {json_t:.2f} |")
    print(f"| merge 300 clinicians × 1 year → JSON | {merge_json:.2f} |")
    print(f"| merge 300 clinicians × 1 year → PDF | {merge_pdf:.2f} |")


if __name__ == "__main__":
    main()
