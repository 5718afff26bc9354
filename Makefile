# Two commands for a newcomer: `make run` opens Carelog, `make test` runs every check.
# Both create .venv from pyproject.toml when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint typecheck imports bench screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Carelog needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m carelog.gui.app

lint: $(STAMP)
	$(BIN)/ruff check core gui tests bench

# mypy reads the installed names (carelog.core, carelog.gui) through a tree of links, because
# the top-level folders are mapped into the carelog namespace only at install time.
typecheck: $(STAMP)
	@mkdir -p $(VENV)/typecheck/carelog
	@for d in core gui resources; do ln -sfn ../../../$$d $(VENV)/typecheck/carelog/$$d; done
	MYPYPATH=$(VENV)/typecheck $(BIN)/mypy -p carelog.core -p carelog.gui

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports

test: check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/ledger.py

screenshots: $(STAMP)
	@rm -rf .screenshot-demo && mkdir -p .screenshot-demo
	$(BIN)/python -m carelog.core.cli --db .screenshot-demo/demo.db demo --weeks 26
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m carelog.gui.app --db .screenshot-demo/demo.db \
		--screenshot docs/screenshots
	@rm -rf .screenshot-demo

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
