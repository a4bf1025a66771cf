# The commands the README and CI use. Every target sets up first (fast when nothing changed).
PY := .venv/bin/python

.PHONY: setup run test test-fast shell train eval bench lint report score score-conversations

setup:
	deploy/setup.sh

run: setup
	$(PY) -m launcher run

# `make test` runs the lint and type gate first, so CI fails on a finding. pytest-xdist runs
# the suite on TEST_WORKERS processes (one per core; a serial run keeps one core busy); tests
# that share a running stack stay in one worker (--dist loadgroup, tests/parallel.py).
TEST_WORKERS ?= 2

test: lint
	deploy/setup.sh --test
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The inner loop: everything but the suites that start the whole system or a browser
# (markers `system` and `browser`, pytest.ini). `make test` still runs them all.
test-fast: lint
	deploy/setup.sh --test
	$(PY) -m pytest -m "not system and not browser" $(ARGS)

lint:
	deploy/setup.sh --dev --no-model
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

shell: setup
	$(PY) -m launcher shell

train:
	.venv/bin/rasa train --domain domain --out models --fixed-model-name assistant

eval: setup
	$(PY) -m evaluation.bitext_nlu
	$(PY) -m evaluation.own_nlu
	$(PY) -m evaluation.sentiment_eval
	$(PY) -m evaluation.mood_figures

# The benchmark's two-instance bot runs behind HAProxy, so setup installs it here too.
bench:
	deploy/setup.sh --balancer
	$(PY) -m benchmarks $(ARGS)

# The analytics page's figures in the terminal and its charts as PNG (var/report/); pass
# options with ARGS, e.g. make report ARGS="--from 2025-03-01 --to 2025-03-31 --channel socketio".
report:
	deploy/setup.sh --no-model
	$(PY) -m analytics.report $(ARGS)

# One customer message per stdin line -> one JSON object per stdout line (README: Scoring).
score:
	@deploy/setup.sh --no-model >&2
	@$(PY) -m mood.score

score-conversations:
	@deploy/setup.sh --no-model >&2
	@$(PY) -m mood.score --conversations
