"""Carelog's desktop window: PySide6 views over what core computes."""
