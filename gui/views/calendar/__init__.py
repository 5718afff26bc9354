"""The week calendar: seven days side by side, where entries are drawn, moved and resized."""
