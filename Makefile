# Amtslotse: `make run` starts the assistant, `make test` runs every test.
# Each target sets up what is missing first (virtual environment, spaCy
# pipeline, trained model); nothing is redone that is already done.

VENV := .venv
BIN := $(VENV)/bin
AMTSLOTSE := $(BIN)/amtslotse

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast bench train lint content-check lock clean

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Create .venv (Python 3.10) and install the pinned dependencies
	@scripts/bootstrap.sh

run: setup ## Start the whole assistant on http://127.0.0.1:8080 (Ctrl-C stops it)
	@$(AMTSLOTSE) run

train: setup ## Train the Rasa model if training data, domain, config or content changed
	@$(AMTSLOTSE) train

lint: setup ## Code style (ruff), types (mypy) and the Leichte Sprache check of all content
	@$(BIN)/ruff check amtslotse actions tests
	@$(BIN)/ruff format --check amtslotse actions tests
	@$(BIN)/mypy amtslotse actions
	@$(AMTSLOTSE) content check

content-check: setup ## Validate content and lint every citizen-facing text
	@$(AMTSLOTSE) content check

test: setup ## Install what the tests need, train if needed, run the whole test suite
	@scripts/system-deps.sh
	@scripts/browser-deps.sh
	@$(AMTSLOTSE) train
	@$(BIN)/python -m pytest

test-fast: setup ## Only the tests that start no processes and no servers
	@$(BIN)/python -m pytest -m "not integration and not postgres and not browser"

bench: setup ## Benchmarks: writes bench/results.json and docs/benchmarks.md
	@scripts/system-deps.sh
	@$(AMTSLOTSE) bench

lock: setup ## Re-pin every transitive package in constraints.txt
	@{ echo "# Every transitive package, pinned to the set the test suite ran with."; \
	   echo "# Regenerate after changing pyproject.toml: make lock"; \
	   $(BIN)/pip freeze --exclude-editable; } > constraints.txt

clean: ## Remove build output and the trained model (keeps .venv)
	rm -rf build models .pytest_cache
