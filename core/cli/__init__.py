"""The `carelog` command, one module per command group."""
