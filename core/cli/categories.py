"""`carelog categories [list | add | remove]`: the built-in categories and the user's own."""

from __future__ import annotations

import argparse

from carelog.core.cli.common import out
from carelog.core.store.database import Store


def cmd_categories(store: Store, a: argparse.Namespace) -> int:
    """List categories, or add or remove a user category."""
    if a.action == "add":
        info = store.add_category(a.code, a.label or a.code, a.cls)
        out(f"Added category {info.code} ({info.cls.value}).")
        return 0
    if a.action == "remove":
        store.remove_category(a.code)
        out(f"Removed category {a.code}.")
        return 0
    out(f"{'Code':22} {'Class':7} Meaning")
    for c in store.categories.all():
        mine = "" if c.builtin else " (yours)"
        out(f"{c.code:22} {c.cls.value:7} {c.meaning}{mine}")
    return 0
