# labourlens developer tasks. `make install` is quick once done: it reinstalls only when
# pyproject.toml changes (the stamp file .venv/.installed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := src/labourlens/examples/johor-furniture-workers.md

.PHONY: install demo report test lint format bench clean-venv

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The report on the bundled example, then the web app on it: prints the URL and a one-time
# admin password, and serves until Ctrl-C. `make report` prints the report alone.
demo: install
	@$(BIN)/labourlens analyze $(EXAMPLE)
	@$(BIN)/labourlens serve --demo

report: install
	@$(BIN)/labourlens analyze $(EXAMPLE)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

clean-venv:
	rm -rf $(VENV)
