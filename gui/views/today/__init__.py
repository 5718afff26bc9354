"""The Today view and its parts: quick log, timeline, entry table and entry form."""
