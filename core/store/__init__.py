"""The SQLite log on disk: connection, tables, journal, migrations, backups."""
