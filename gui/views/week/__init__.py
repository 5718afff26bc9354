"""The Week view: one ISO week's ledger and its protected blocks."""
