"""Qt table models: whole rows of core's records, set at once; no database reads."""
