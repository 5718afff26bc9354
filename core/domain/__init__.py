"""The vocabulary of the log: categories, entries, schedules, time and its words."""
