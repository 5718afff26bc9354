"""`carelog merge`: clinicians' committee exports folded into a clinic roll-up.

Apart from `export` so that a roll-up of thousands of files loads only what merging needs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from carelog.core.cli.common import out
from carelog.core.exporting.merge import clinic_format, merge, render_clinic, shown_sentence
from carelog.core.exporting.output import check_destination, write_output


def cmd_merge(a: argparse.Namespace) -> int:
    """Merge clinicians' summary files into a clinic roll-up (no database needed)."""
    target = Path(a.out)
    fmt = clinic_format(target)
    check_destination(target)
    clinic = merge([Path(f).expanduser() for f in a.files], a.min_clinicians)
    write_output(target, render_clinic(clinic, fmt))
    out(f"Merged {len(a.files)} files from {clinic['clinicians']} clinicians into {target}: "
        f"{shown_sentence(clinic)}")
    for note in clinic["notes"]:
        out(note)
    return 0
