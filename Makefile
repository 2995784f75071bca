# The two quick-start commands: `make demo` and `make test`. Each makes .venv
# with the machine's Python, installs skemoji into it, then runs its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k persistence -x"`. The 15 slowest
# tests are listed at the end of each run, to keep CI's time in view.
PYTEST_ARGS ?=

.PHONY: demo test test-slow test-all lint docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/skemoji demo --out skemoji-demo

# Everything but the tests marked slow (TweetEval-scale training, the README's snippets).
test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" --durations=15 $(PYTEST_ARGS)

# Only the slow tests; pytest's exit code 5 (none selected) is not a failure.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-all: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_vae.py
	$(BIN)/python benchmarks/bench_ranker.py
	$(BIN)/python benchmarks/bench_pretrained.py

clean:
	rm -rf $(VENV) skemoji-demo docs/_build docs/auto_examples docs/generated
