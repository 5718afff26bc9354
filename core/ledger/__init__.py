"""The weekly ledger: from entries and a schedule to one record per ISO week."""
