"""Dialogs opened over the main window: settings, import and the first-run welcome."""
