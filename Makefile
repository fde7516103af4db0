# Two commands on a fresh machine:
#   make run    set up, index what is configured, then start the bot (Slack tokens in .env) or the console
#   make test   set up and run the test suite (.ci/run calls this)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test index constraints clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: pip takes the CPU build from local disk instead of a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: setup
	@[ -f .env ] || cp .env.example .env
	$(BIN)/schakel run

test: setup
	$(BIN)/python -m pytest -q

index: setup
	$(BIN)/schakel index

# Refresh the pinned versions after changing dependencies in pyproject.toml.
constraints:
	$(BIN)/pip freeze --exclude-editable | sed 's/+cpu//' > constraints.txt

clean:
	rm -rf $(VENV) data
