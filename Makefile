# The two commands of the README: `make main` (train + evaluate) and `make test`.
# Both set up everything on a fresh machine: a virtualenv in .venv with the project installed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install main test
install: $(VENV)/.installed

main: install
	$(PY) scripts/prepare_model.py
	$(PY) scripts/train.py $(ARGS)

test: install
	$(PY) -m pytest -q $(ARGS)
