"""Work that runs off the GUI thread: plain functions, and the one helper that runs them."""
