"""`carelog schedule set | show | presets`: working hours, protected blocks and the target."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from carelog.core.cli.common import out, write
from carelog.core.domain.errors import BadInput
from carelog.core.domain.schedule import parse_schedule_toml
from carelog.core.domain.target_rules import PRESETS
from carelog.core.store.database import Store
from carelog.core.store.files import read_input

MAX_SCHEDULE_BYTES = 1024 * 1024


def cmd_schedule(store: Store, a: argparse.Namespace) -> int:
    """Set, show or list presets of the schedule."""
    if a.action == "set":
        path = Path(a.file).expanduser()
        data = read_input(path, "schedule file", MAX_SCHEDULE_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(f"The schedule file {path.name} is not UTF-8 text (byte {exc.start} "
                           "is wrong).", field="file") from exc
        version = parse_schedule_toml(text, path.name)
        store.save_schedule(version)
        out(f"Schedule saved, in force from {version.effective_from}: "
            f"{version.weekly_minutes / 60:g} h a week, {len(version.protected)} protected "
            f"blocks, target {version.target.describe()}. {version.target.preview()}")
        return 0
    if a.action == "presets":
        width = max(len(p.key) for p in PRESETS)
        for p in PRESETS:
            out(f"{p.key:{width}}  {p.label}: {p.rule.describe()}. {p.rule.preview()}")
            out(f"{'':{width}}  {p.source}")
            for link in p.links:
                out(f"{'':{width}}  Source: {link}")
        return 0
    versions = store.schedules().versions
    if not versions:
        raise BadInput("No schedule is set yet; write one with carelog schedule set FILE.toml.",
                       field="schedule")
    if a.format == "json":
        out(json.dumps({"versions": [v.to_json_dict() for v in versions]}, indent=1))
    else:
        for i, v in enumerate(versions):
            if i:
                out("")
            out(f"# In force from {v.effective_from}"
                + (f" until {versions[i + 1].effective_from}" if i + 1 < len(versions) else ""))
            write(v.to_toml())
    return 0
