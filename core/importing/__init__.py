"""Bringing time in: calendars (ICS), spreadsheets (CSV) and sample data."""
