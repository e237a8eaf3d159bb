# Figment: `make run` installs and starts the app; `make test` installs and runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two pytest workers, one per core: the suite is CPU-bound (renders, embeddings, encodes). A file's
# tests stay on one worker (--dist loadfile), so module-scoped fixtures are built once.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run install install-dev test lint typecheck pytest bench eval gallery gpu-check system-test-deps clean help

help:
	@echo "make run    install, migrate, seed demo content, serve on http://127.0.0.1:8000"
	@echo "make test   install everything (Debian chromium too) and run ruff, mypy and pytest"
	@echo "make bench  run the benchmarks and print tables"
	@echo "make gallery  render 24 varied prompts into ./gallery/ with a contact sheet"
	@echo "make eval   offline recommender evaluation on MovieLens-100K (fetches the data at run time)"
	@echo "make gpu-check  the tiny ltx2 and wan pipelines on CUDA in bf16: peak GPU memory and step time"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Figment needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

# The tests run the video model backends on tiny random models (the `models` extra: torch on the CPU,
# diffusers) and the hosted backends' real clients against local provider servers (the `hosted` extra);
# `make run` installs neither.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev,hosted,models]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/figment run

system-test-deps:
	@scripts/install-test-system-deps

# bandit: medium and high severity fail; each deliberate exception says why on its line
# (`# nosec BXXX  # reason`: bandit reads words after the id as more ids, so the reason is a second comment).
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/bandit -r src --severity-level medium --quiet

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev system-test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install-dev
	$(BIN)/python -m bench

# 24 varied prompts rendered to ./gallery/ (git-ignored) with a contact sheet of their frames.
gallery: install-dev
	$(BIN)/python -m figment.generation.backends.procedural.gallery --out gallery

# Needs a CUDA GPU (says so and fails without one). Install CUDA torch first on such a host.
gpu-check: install-dev
	$(BIN)/python -m figment.generation.backends.diffusion.gpu_check

eval: install-dev
	$(BIN)/python -m bench.eval

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
