"""The schema, built by named migrations. Names are permanent: never rename or reorder one.

Each migration also raises `PRAGMA user_version` to its position, so a database written by a
newer Carelog (a higher number, or a migration name this version does not know) is recognised
and refused before anything touches it.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database, Migrations

# The built-in categories as they were when m001 was written: frozen here, never read from
# today's registry, so a category added later arrives through a migration of its own.
_M001_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("individual", "Session", "direct"),
    ("intake", "Intake", "direct"),
    ("group", "Group", "direct"),
    ("urgent", "Urgent visit", "direct"),
    ("documentation", "Charting", "ipc"),
    ("messages", "Messages", "ipc"),
    ("treatment_planning", "Treatment planning", "ipc"),
    ("care_coordination", "Care coordination", "ipc"),
    ("community_linkage", "Community linkage", "ipc"),
    ("safety_mandated", "Safety / mandated", "ipc"),
    ("group_prep", "Group prep", "ipc"),
    ("patient_forms", "Patient forms", "ipc"),
    ("meeting", "Meeting", "other"),
    ("training", "Training", "other"),
    ("admin", "Admin", "other"),
    ("supervision_teaching", "Supervision / teaching", "other"),
    ("committee", "Committee", "other"),
    ("break", "Break", "other"),
)

# The import rules a new database started with when m003 was written (frozen, in order).
_M003_RULES: tuple[tuple[str, str], ...] = (
    ("cancel", "skip"), ("no show", "skip"), ("no-show", "skip"), ("out of office", "skip"),
    ("pto", "skip"), ("vacation", "skip"), ("ipc", "skip"), ("charting", "skip"),
    ("documentation", "skip"), ("lunch", "break"), ("break", "break"),
    ("staff meeting", "meeting"), ("team meeting", "meeting"), ("huddle", "meeting"),
    ("meeting", "meeting"), ("group prep", "group_prep"), ("intake", "intake"),
    ("assessment", "intake"), ("group", "group"), ("urgent", "urgent"), ("crisis", "urgent"),
    ("same-day", "urgent"), ("same day", "urgent"), ("consult", "care_coordination"),
    ("training", "training"), ("supervision", "supervision_teaching"),
    ("committee", "committee"),
)

migrations = Migrations("carelog")


@migrations(name="m001_entries_journal_settings")
def m001(db: Database) -> None:
    """The log itself: categories, entries, the change journal, settings and the timer."""
    db.execute("""
        CREATE TABLE categories (
            code TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            cls TEXT NOT NULL CHECK (cls IN ('direct', 'ipc', 'other')),
            builtin INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("""
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            category TEXT NOT NULL REFERENCES categories(code),
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL CHECK (end_utc > start_utc),
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'manual',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX entries_start ON entries(start_utc)")
    db.execute("""
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            grp INTEGER NOT NULL,
            at TEXT NOT NULL,
            label TEXT NOT NULL,
            entry_id INTEGER NOT NULL,
            before TEXT,
            after TEXT,
            undone INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE INDEX journal_grp ON journal(grp)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("""
        CREATE TABLE timer (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            category TEXT NOT NULL REFERENCES categories(code),
            started_utc INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )""")
    rows: list[dict[str, Any]] = [
        {"code": code, "label": label, "cls": cls, "builtin": 1}
        for code, label, cls in _M001_CATEGORIES
    ]
    db.table("categories").insert_all(rows)


@migrations(name="m002_schedule_leave_blocks_access")
def m002(db: Database) -> None:
    """What the weekly ledger needs: schedule versions, leave, block tags, access observations."""
    db.execute("""
        CREATE TABLE schedules (
            effective_from TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            saved TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE leave (
            day TEXT PRIMARY KEY,
            minutes INTEGER CHECK (minutes IS NULL OR minutes > 0),
            type TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE block_tags (
            day TEXT NOT NULL,
            start_minute INTEGER NOT NULL,
            reason TEXT NOT NULL,
            escalated INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, start_minute)
        )""")
    db.execute("""
        CREATE TABLE access (
            day TEXT PRIMARY KEY,
            days INTEGER NOT NULL CHECK (days >= 0)
        )""")


@migrations(name="m003_import_rules_and_uids")
def m003(db: Database) -> None:
    """Calendar and spreadsheet import: the mapping rules and the links to imported events.

    A link holds a keyed hash of a calendar event's UID (never the UID, title or anything else
    from the event), the entry made from it, and the change (journal group) that wrote it, so a
    second import of the same file adds nothing and an undone import is forgotten.
    """
    db.execute("""
        CREATE TABLE import_rules (
            position INTEGER PRIMARY KEY,
            pattern TEXT NOT NULL,
            category TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE import_links (
            key TEXT NOT NULL,
            entry_id INTEGER NOT NULL,
            created TEXT NOT NULL,
            grp INTEGER,
            event_start INTEGER NOT NULL,
            event_end INTEGER NOT NULL,
            event_category TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX import_links_key ON import_links(key)")
    db.execute("CREATE INDEX import_links_entry ON import_links(entry_id)")
    db.table("import_rules").insert_all(
        [{"position": i, "pattern": p, "category": c}
         for i, (p, c) in enumerate(_M003_RULES, start=1)])
    db.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('import_key', ?)",
               [secrets.token_hex(32)])


# The history and seal tables accept new rows only: these triggers abort any change or removal,
# so neither the window, the command line nor a stray statement can rewrite the record.
_APPEND_ONLY_M004 = ("history", "amendments", "seals", "seal_entries", "exports")


@migrations(name="m004_entry_history_and_seals")
def m004(db: Database) -> None:
    """The record (DESIGN §2.6): every entry's history, and the seals of exported weeks.

    `history` holds one row per event: the entry's category and times after it (NULL after a
    delete), whether the note changed (never the note), how it came and what it was, and for a
    change to a sealed week the reason's category, and `amendments` which sealed weeks that
    change amended. The free text of a reason is private and lives apart in `history_reasons`,
    so it can be erased like a note. `seals` is the chain of
    week seals, `seal_entries` the entries each seal covered (times and category only), and
    `exports` the digest of every committee JSON written, so `verify` knows a file as written.
    Every entry already in the log gets one event, "recorded before history was kept", dated by
    its own `created` stamp: the history starts there and invents no earlier past.
    """
    db.execute("""
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'edit', 'delete', 'import', 'undo',
                                                   'redo', 'before_history')),
            via TEXT NOT NULL,
            category TEXT,
            start_utc INTEGER,
            end_utc INTEGER,
            note_changed INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            grp INTEGER,
            CHECK ((category IS NULL) = (start_utc IS NULL)
                   AND (start_utc IS NULL) = (end_utc IS NULL))
        )""")
    db.execute("CREATE INDEX history_entry ON history(entry_id, id)")
    db.execute("""
        CREATE TABLE history_reasons (
            history_id INTEGER PRIMARY KEY REFERENCES history(id),
            text TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE amendments (
            history_id INTEGER NOT NULL REFERENCES history(id),
            week TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX amendments_week ON amendments(week)")
    db.execute("""
        CREATE TABLE seals (
            id INTEGER PRIMARY KEY,
            week TEXT NOT NULL,
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL CHECK (end_utc > start_utc),
            sealed_at TEXT NOT NULL,
            previous TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE
        )""")
    db.execute("CREATE INDEX seals_week ON seals(week, id)")
    db.execute("CREATE INDEX seals_start ON seals(start_utc)")
    db.execute("""
        CREATE TABLE seal_entries (
            seal_id INTEGER NOT NULL REFERENCES seals(id),
            entry_id INTEGER NOT NULL,
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL,
            category TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX seal_entries_seal ON seal_entries(seal_id)")
    db.execute("""
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            period TEXT NOT NULL,
            digest TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX exports_digest ON exports(digest)")
    for table in _APPEND_ONLY_M004:
        for verb in ("UPDATE", "DELETE"):
            db.execute(f"""
                CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""")
    db.execute("""
        INSERT INTO history(entry_id, at, action, via, category, start_utc, end_utc,
                            note_changed)
        SELECT id, created, 'before_history', 'unknown', category, start_utc, end_utc,
               note != ''
        FROM entries ORDER BY id""")


@migrations(name="m005_escalations_and_capacity")
def m005(db: Database) -> None:
    """What a committee hears besides the ledger: escalations to a manager and capacity counts.

    An escalation concerns one protected block (start_minute) or a whole day (NULL); its note
    is private and never exported. Capacity holds the therapist's own counts per date, nothing
    about any patient.
    """
    db.execute("""
        CREATE TABLE escalations (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            start_minute INTEGER CHECK (start_minute IS NULL
                                        OR (start_minute >= 0 AND start_minute < 1440)),
            told_utc INTEGER NOT NULL,
            to_role TEXT NOT NULL,
            how TEXT,
            asked TEXT NOT NULL,
            response TEXT NOT NULL DEFAULT 'none'
                CHECK (response IN ('none', 'granted', 'partly', 'refused')),
            response_on TEXT,
            resolved INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX escalations_day ON escalations(day)")
    db.execute("""
        CREATE TABLE capacity (
            day TEXT PRIMARY KEY,
            caseload INTEGER NOT NULL CHECK (caseload BETWEEN 0 AND 2000),
            return_not_offered INTEGER
                CHECK (return_not_offered IS NULL OR return_not_offered BETWEEN 0 AND 2000)
        )""")



# What each table that the ledger reads tells the stored weeks when one of its rows changes,
# as it was when m006 was written (frozen here): the weeks a span of time touches, the week
# holding a date, every week from a date on, or every week. {row} is NEW or OLD.
_M006_SPAN = ("DELETE FROM week_records WHERE start_utc < {row}.end_utc "
              "AND end_utc > {row}.start_utc")
_M006_DAY = "DELETE FROM week_records WHERE {row}.day BETWEEN monday AND sunday"
_M006_FROM = "DELETE FROM week_records WHERE sunday >= {row}.effective_from"
_M006_ALL = "DELETE FROM week_records"
_M006_TABLES: tuple[tuple[str, str], ...] = (
    ("entries", _M006_SPAN),
    ("leave", _M006_DAY),
    ("block_tags", _M006_DAY),
    ("access", _M006_DAY),
    ("capacity", _M006_DAY),
    ("escalations", _M006_DAY),
    ("schedules", _M006_FROM),
    ("categories", _M006_ALL),
)
# Of the settings, the zone and the meal-break length, when their value changes.
_M006_SETTINGS = "{row}.key IN ('timezone', 'meal_break_min')"
_M006_SETTINGS_UPDATE = (f"({_M006_SETTINGS.format(row='OLD')} OR "
                         f"{_M006_SETTINGS.format(row='NEW')}) AND (OLD.key IS NOT NEW.key "
                         "OR OLD.value IS NOT NEW.value)")
# The record tables only grow (m004's triggers refuse any other change).
_M006_APPENDED: tuple[tuple[str, str, str | None], ...] = (
    ("history", _M006_SPAN, "NEW.start_utc IS NOT NULL"),
    ("amendments", "DELETE FROM week_records WHERE week = NEW.week", None),
    ("seals", _M006_SPAN, None),
)


@migrations(name="m006_week_records")
def m006(db: Database) -> None:
    """The stored ledger: the record of each complete week, kept until a change touches it.

    `body` is the week's record as JSON (carelog.core.ledger.week), `ledger` the version of the
    computation that wrote it (a row of another version is never read), `start_utc`/`end_utc`
    the week's span in the zone it was computed in. A report reads these rows instead of
    recomputing the week; the week in progress and weeks not begun are never stored. Triggers
    on every table the ledger reads remove the rows a change touches, in the same transaction
    as the change, so no code path can leave a stale week behind.
    """
    db.execute("""
        CREATE TABLE week_records (
            monday TEXT PRIMARY KEY,
            sunday TEXT NOT NULL,
            week TEXT NOT NULL,
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL CHECK (end_utc > start_utc),
            ledger INTEGER NOT NULL,
            body TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX week_records_week ON week_records(week)")
    for table, action in _M006_TABLES:
        _m006_trigger(db, table, "INSERT", action.format(row="NEW"))
        old, new = action.format(row="OLD"), action.format(row="NEW")
        _m006_trigger(db, table, "UPDATE", old if old == new else f"{old}; {new}")
        _m006_trigger(db, table, "DELETE", action.format(row="OLD"))
    _m006_trigger(db, "settings", "INSERT", _M006_ALL, _M006_SETTINGS.format(row="NEW"))
    _m006_trigger(db, "settings", "UPDATE", _M006_ALL, _M006_SETTINGS_UPDATE)
    _m006_trigger(db, "settings", "DELETE", _M006_ALL, _M006_SETTINGS.format(row="OLD"))
    for table, action, when in _M006_APPENDED:
        _m006_trigger(db, table, "INSERT", action.format(row="NEW"), when)


def _m006_trigger(db: Database, table: str, event: str, body: str,
                  when: str | None = None) -> None:
    guard = "" if when is None else f"WHEN {when} "
    db.execute(f"CREATE TRIGGER week_records_{table}_{event.lower()} AFTER {event} ON {table} "
               f"{guard}BEGIN {body}; END")

def registered_names() -> list[str]:
    """The names of the registered migrations, in order (store.schema must match them)."""
    return [m.name for m in migrations._migrations]
