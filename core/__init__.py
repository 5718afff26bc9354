"""Carelog's core: the log, the weekly ledger and the command line, with no screen attached."""

APP_NAME = "Carelog"
__version__ = "0.1.0"
