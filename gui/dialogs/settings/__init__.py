"""The Settings dialog and its pages: schedule, target, leave, categories, reminders, data."""
