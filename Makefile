# Two commands for a newcomer: `make run` opens Carelog, `make test` runs every check.
# `make run` installs what the app needs and nothing more; `make test` adds the test tools.
# Each install is remembered by a stamp in .venv and redone when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
VERSION   := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)

.PHONY: run test check lint typecheck imports bench screenshots dist bundle bundle-smoke clean

# The virtual environment itself, made with a Python new enough for Carelog.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Carelog needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
		{ echo "Python's venv module is missing; on Debian or Ubuntu install it with: sudo apt-get install python3-venv."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies only (PySide6, sqlite-utils, pydantic, matplotlib, fpdf2, …).
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# Runtime plus the test tools (pytest, ruff, mypy, import-linter); it includes the runtime, so
# it renews the runtime stamp too.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m carelog.gui.app

lint: $(DEV_STAMP)
	$(BIN)/ruff check core gui tests bench .ci

# mypy reads the installed names (carelog.core, carelog.gui) through a tree of links, because
# the top-level folders are mapped into the carelog namespace only at install time.
typecheck: $(DEV_STAMP)
	@mkdir -p $(VENV)/typecheck/carelog
	@for d in core gui resources; do ln -sfn ../../../$$d $(VENV)/typecheck/carelog/$$d; done
	MYPYPATH=$(VENV)/typecheck $(BIN)/mypy -p carelog.core -p carelog.gui

imports: $(DEV_STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports

# The suite runs on every core (pytest-xdist): each test has its own temporary folders, database
# and window settings, so tests share nothing and may run in any order.
test: check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto

bench: $(RUN_STAMP)
	$(BIN)/python bench/ledger.py

screenshots: $(RUN_STAMP)
	@rm -rf .screenshot-demo && mkdir -p .screenshot-demo
	$(BIN)/python -m carelog.core.cli --db .screenshot-demo/demo.db demo --weeks 26
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m carelog.gui.app --db .screenshot-demo/demo.db \
		--screenshot docs/screenshots
	@rm -rf .screenshot-demo

# The sdist and the wheel in dist/, checked by twine and compared file by file with the tree.
SDIST := dist/carelog-$(VERSION).tar.gz
WHEEL := dist/carelog-$(VERSION)-py3-none-any.whl
dist: $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	rm -rf $(SDIST) $(WHEEL) build/lib build/bdist.*
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict $(SDIST) $(WHEEL)
	$(BIN)/python .ci/check_wheel.py $(WHEEL)

# A one-folder app (dist/carelog/) for people without Python, built from a clean install of the
# wheel-to-be in build/bundle-venv, tried from a clean environment, and packed into one file
# to hand out (dist/carelog-VERSION-linux-ARCH.tar.gz).
BUNDLE_VENV := build/bundle-venv
bundle: | $(BIN)/python
	@test -x $(BUNDLE_VENV)/bin/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BUNDLE_VENV)/bin/python -m pip install --quiet '.[bundle]'
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	rm -rf dist/carelog build/pyinstaller
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --distpath dist \
		--workpath build/pyinstaller .ci/bundle/carelog.spec
	$(MAKE) bundle-smoke
	tar -C dist -czf dist/carelog-$(VERSION)-linux-$$(uname -m).tar.gz carelog
	@du -sh dist/carelog dist/carelog-$(VERSION)-linux-*.tar.gz

bundle-smoke:
	$(PYTHON) .ci/bundle/smoke.py dist/carelog --shots build/bundle-shots

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .hypothesis
