"""Dialogs opened over the main window: settings, import, an entry's history, the welcome."""
