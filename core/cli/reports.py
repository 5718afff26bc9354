"""`carelog summary`: the weekly ledger of a period as a text table or the summary JSON.

Kept apart from the committee files (carelog.core.cli.committee) so that the command people run
most often loads only the ledger; a period whose weeks are all stored loads only their records
and the formatter (carelog.core.ledger.stored).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from carelog.core.cli.common import out
from carelog.core.domain.errors import BadInput
from carelog.core.domain.timeutil import period_from_args
from carelog.core.exporting.text import summary_text
from carelog.core.ledger.stored import summary
from carelog.core.store.database import Store

if TYPE_CHECKING:
    from carelog.core.domain.schedule import NamedRule


def cmd_summary(store: Store, a: argparse.Namespace) -> int:
    """The weekly ledger of a period, as text or as the summary JSON."""
    period = period_from_args(a.week, a.month, a.from_date, a.to_date, a.quarter, a.year)
    compare = None if a.rule is None else named_rule(a.rule)
    found = summary(store, period, compare=compare)
    if a.format == "json":
        out(json.dumps(found.to_json(), indent=1, ensure_ascii=False))
    else:
        out(summary_text(found, store.timezone_name))
    return 0


def named_rule(text: str) -> NamedRule:
    """The rule `--rule` names: a preset's key, or a .toml file holding a [target] table."""
    # The schedule's models load pydantic, which a summary without --rule never needs.
    from carelog.core.domain.schedule import NamedRule, parse_target_toml  # noqa: PLC0415
    from carelog.core.domain.target_rules import PRESETS_BY_KEY  # noqa: PLC0415

    if text in PRESETS_BY_KEY:
        return NamedRule.of_preset(text)
    path = Path(text).expanduser()
    if path.suffix.lower() != ".toml" and not path.is_file():
        raise BadInput(f"Unknown preset '{text}'; choose one of {', '.join(PRESETS_BY_KEY)}, "
                       "or give a .toml file with a [target] table.", field="rule")
    try:
        body = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"The rule file {path} could not be read.", field="rule") from exc
    return NamedRule(path.name, parse_target_toml(body))
