"""What every part of the Store shares: the connection, transactions, settings, zone, categories."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Self

from carelog.core.domain.errors import (
    BadInput,
    DiskProblem,
)
from carelog.core.domain.timeutil import zone
from carelog.core.store import connection, known_good
from carelog.core.store import settings as kv
from carelog.core.store.lazy import category_rows
from carelog.core.store.settings import Setting

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carelog.core.domain.categories import CategoryClass, CategoryInfo, CategoryRegistry
    from sqlite_utils import Database


class StoreBase:
    """An open Carelog database: its connection, settings, zone and categories."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self.warnings: list[str] = []
        self._registry: CategoryRegistry | None = None
        self._tz: ZoneInfo | None = None
        # The stored zone name last found good, so it is not looked up again and again.
        self._zone_known: str | None = None
        # How many times a stored value was skipped (see `skipped`), repeats included.
        self.skips = 0
        self.opened = connection.identity(path)
        self.read_only: DiskProblem | None = None
        # What the file's soundness rests on (the check at open), for the note at close.
        self._sound: known_good.Soundness | None = None

    # ----------------------------------------------------------------- opening and closing

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (it is slow to import)."""
        if self._db is None:
            # sqlite-utils costs tens of milliseconds to import; only migrations need it.
            from sqlite_utils import Database  # noqa: PLC0415

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def skipped(self, sentence: str) -> None:
        """Say (once) that a stored value could not be read and was left out."""
        self.skips += 1
        if sentence not in self.warnings:
            self.warnings.append(sentence)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL); note the file as left, if still sound."""
        if self._sound is not None:
            known_good.note_at_close(self.conn, self.path, self._sound, self.opened)
            self._sound = None
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A BEGIN IMMEDIATE transaction on this database (nested use joins the open one).

        Refused when the log was opened for reading only (a full or read-only disk), and when
        the file was replaced by a restore since it was opened.
        """
        if self.read_only is not None:
            raise DiskProblem(self.read_only.message.replace("nothing was changed",
                                                             "nothing was saved"),
                              self.read_only.kind)
        return connection.transaction(self.conn, self.path, self.opened)

    # ----------------------------------------------------------------- settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        """Read one setting (keys are named in carelog.core.store.settings.Setting)."""
        value = kv.get(self.conn, key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        """Write one setting."""
        with self.transaction():
            kv.put(self.conn, key, value)

    @property
    def timezone_name(self) -> str:
        """The user's IANA zone, which decides days and weeks (UTC while the stored one is bad)."""
        name = kv.get(self.conn, Setting.TIMEZONE) or "UTC"
        if name == self._zone_known:
            return name
        try:
            zone(name)
        except BadInput:
            self.skipped(f"The stored time zone '{name[:40]}' is unknown, so Carelog uses UTC "
                         "until you set one with your schedule.")
            return "UTC"
        self._zone_known = name
        return name

    def note_zone_known(self) -> None:
        """Take the stored zone as good without looking it up: stored weeks vouch for it.

        For a report read from the stored weeks alone (call it inside `reading()`). Weeks are
        stored only when nothing was skipped in computing them, the zone included, and a change
        of zone removes every stored week; so while any is stored, the zone is the one they were
        computed in, found good then.
        """
        self._zone_known = kv.get(self.conn, Setting.TIMEZONE) or "UTC"

    @property
    def tz(self) -> ZoneInfo:
        """The user's zone as a ZoneInfo."""
        if self._tz is None or self._tz.key != self.timezone_name:
            self._tz = zone(self.timezone_name)
        return self._tz

    def set_timezone(self, name: str) -> None:
        """Change the user's zone (validated)."""
        zone(name)
        self.set_setting(Setting.TIMEZONE, name)
        self._tz = None

    # ----------------------------------------------------------------- categories

    @property
    def categories(self) -> CategoryRegistry:
        """Built-in and user categories."""
        if self._registry is None:
            self._registry = category_rows.load_registry(self.conn, self.skipped)
        return self._registry

    def add_category(self, code: str, label: str, cls: CategoryClass | str) -> CategoryInfo:
        """Add a user category with its ledger class."""
        code, klass = self.categories.check_new(code, cls)
        with self.transaction() as c:
            category_rows.insert(c, code, label.strip() or code, klass)
        self._registry = None
        return self.categories.get(code)

    def remove_category(self, code: str) -> None:
        """Remove a user category that no entry uses."""
        if self.categories.known(code).builtin:
            raise BadInput(f"The category '{code}' is built in and cannot be removed.",
                           field="code")
        with self.transaction() as c:
            used = category_rows.times_used(c, code)
            if used:
                raise BadInput(f"The category '{code}' is used by {used} entries; it stays.",
                               field="code")
            category_rows.delete(c, code)
        self._registry = None
