"""The import dialog: a calendar or spreadsheet read, previewed, adjusted and imported."""
