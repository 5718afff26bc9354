"""The views shown as the main window's tabs, one folder per area."""
