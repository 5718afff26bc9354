"""The bundled `carelog` command: the same entry point as the installed one."""

from bundle_paths import keep_matplotlib_cache

keep_matplotlib_cache()

from carelog.core.cli.main import main  # noqa: E402

raise SystemExit(main())
