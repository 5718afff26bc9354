"""The categories table: the user's own categories (the built-in ones are rows too, for keys)."""

from __future__ import annotations

import sqlite3

from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry


def load_registry(conn: sqlite3.Connection) -> CategoryRegistry:
    """Built-in categories plus the user's own, as stored."""
    rows = conn.execute("SELECT code, label, cls FROM categories WHERE builtin = 0").fetchall()
    user = [CategoryInfo(r[0], CategoryClass(r[2]), r[1], r[1], builtin=False) for r in rows]
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
