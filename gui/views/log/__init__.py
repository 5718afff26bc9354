"""The searchable log of every entry: filters, many entries changed at once, the CSV."""
