"""The bundled `carelog` command: the same entry point as the installed one."""

from carelog.core.cli.main import main

raise SystemExit(main())
