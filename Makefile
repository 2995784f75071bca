# The two quick-start commands: `make demo` and `make test`. Each makes .venv
# with the machine's Python, installs skemoji into it, then runs its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/skemoji demo --out skemoji-demo

test: $(STAMP)
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_vae.py
	$(BIN)/python benchmarks/bench_ranker.py

clean:
	rm -rf $(VENV) skemoji-demo docs/_build docs/auto_examples docs/generated
