"""Dialogs opened over the main window: settings, import, history, escalations, the welcome."""
