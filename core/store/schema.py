"""The names of the schema's migrations, in order, without importing the migration code.

Opening an up-to-date database needs only these names; sqlite-utils (and its imports) are loaded
only when a migration is actually pending. A test checks this
list against carelog.core.store.migrations.
"""

MIGRATION_NAMES: tuple[str, ...] = (
    "m001_entries_journal_settings",
    "m002_schedule_leave_blocks_access",
    "m003_import_rules_and_uids",
    "m004_entry_history_and_seals",
    "m005_escalations_and_capacity",
    "m006_week_records",
)
SCHEMA_VERSION = len(MIGRATION_NAMES)
MIGRATIONS_TABLE = "_sqlite_migrations"
