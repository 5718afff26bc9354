"""Carelog's desktop window: PySide6 views over what core computes.

Where a change goes:

- `app.py`: the `carelog-gui` entry point (start-up, the lock, opening the database, screenshots);
  `qt_libraries.py` names the system libraries Qt lacks when it cannot start.
- `main_window/`: the window and its parts: `menus.py` (every command, its shortcut and when it
  is enabled), `databases.py` (the own, demo and restored databases), `reminder.py`, `tray.py`.
- `views/<area>/`: the tabs, one folder per area: `today/` (day view, quick log, timeline, entry
  form), `week/`, `trends/`, `reports/` (committee export, clinic roll-up and the save flow they
  share). A file ending in `_ui.py` holds only the layout of the view beside it.
- `dialogs/`: `settings/` (one module per page), `importing/`, `history_dialog.py`,
  `escalation_dialog.py`, `welcome_dialog.py`.
- `models/`: the Qt table models, all on `RowTableModel`: whole rows set at once, `COL_*`
  constants, one `SORT_ROLE`, no database reads.
- `workers/`: plain functions that run off the GUI thread (`importing.py`, `merging.py`) and the
  one helper that runs them and brings the result back (`background.py`).
- `widgets/`: small pieces the views share (named controls, labels, sorted tables, layouts).
- `state.py` (the open store, the day looked at, the clock), `quick_commands.py` (quick logging
  for the bar, the menus and the tray), `formatting.py` and `theme.py` (words and colours).

The window holds no business rules and no SQL: it calls core, and shows what core returns.
"""
