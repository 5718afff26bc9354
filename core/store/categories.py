"""The categories table: the user's own categories (the built-in ones are rows too, for keys)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry


def load_registry(conn: sqlite3.Connection,
                  skip: Callable[[str], None] | None = None) -> CategoryRegistry:
    """Built-in categories plus the user's own, as stored (an unreadable row is skipped)."""
    rows = conn.execute("SELECT code, label, cls FROM categories WHERE builtin = 0").fetchall()
    user = []
    for r in rows:
        try:
            user.append(CategoryInfo(str(r[0]), CategoryClass(r[2]), str(r[1]), str(r[1]),
                                     builtin=False))
        except ValueError:
            if skip is not None:
                skip(f"The stored category '{str(r[0])[:30]}' cannot be read and was skipped.")
    return CategoryRegistry(user)


def insert(conn: sqlite3.Connection, code: str, label: str, cls: CategoryClass) -> None:
    """Add a user category (validated by the caller)."""
    conn.execute("INSERT INTO categories(code, label, cls, builtin) VALUES (?, ?, ?, 0)",
                 (code, label, cls.value))


def times_used(conn: sqlite3.Connection, code: str) -> int:
    """How many entries use a category."""
    return int(conn.execute("SELECT COUNT(*) FROM entries WHERE category = ?",
                            (code,)).fetchone()[0])


def delete(conn: sqlite3.Connection, code: str) -> None:
    """Remove a category row."""
    conn.execute("DELETE FROM categories WHERE code = ?", (code,))
