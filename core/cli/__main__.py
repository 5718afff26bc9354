"""`python -m carelog.core.cli` runs the `carelog` command."""

from carelog.core.cli.main import run

run()
