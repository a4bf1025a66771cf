# The commands the README and CI use. Every target sets up first (fast when nothing changed).
PY := .venv/bin/python

.PHONY: setup run test shell train eval bench lint

setup:
	scripts/setup.sh

run: setup
	$(PY) -m launcher run

test:
	scripts/setup.sh --test
	$(PY) -m pytest

shell: setup
	$(PY) -m launcher shell

train:
	.venv/bin/rasa train --domain domain --out models --fixed-model-name assistant

eval: setup
	$(PY) -m evaluation.bitext_nlu
	$(PY) -m evaluation.sentiment_eval

bench: setup
	$(PY) -m benchmarks
