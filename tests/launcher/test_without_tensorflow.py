"""The action server runs without TensorFlow and scores every message as it did with it.

The check runs the action server's own entry module in a fresh process (the test process has
Rasa, and so TensorFlow, loaded already), analyses messages there and compares the scores with
this process's analyser, which runs with TensorFlow importable.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict

import pytest

from actions.turn_analysis import get_analyzer
from harness.helpers import REPO_ROOT
from launcher.action_server import without_tensorflow

MESSAGES = [
    "where is my order 10001?",
    "THIS IS RIDICULOUS, the third time I write about it!!!",
    "you people are useless, get me a human",
    "환불 언제 돼요? 진짜 짜증나네",
]

# Imports the entry module as `python -m launcher.action_server` does (without serving),
# then the actions, then scores the messages.
CHILD = """
import json, sys
from dataclasses import asdict
import launcher.action_server.__main__
from actions.turn_analysis import get_analyzer
import thinc.compat
analyzer = get_analyzer()
print(json.dumps({
    "tensorflow_loaded": sys.modules.get("tensorflow") is not None,
    "thinc_has_tensorflow": thinc.compat.has_tensorflow,
    "scores": [asdict(analyzer.analyze(text)) for text in json.loads(sys.argv[1])],
}))
"""


def test_the_action_server_scores_alike_without_tensorflow() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(MESSAGES)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    child = json.loads(done.stdout.strip().splitlines()[-1])
    assert child["tensorflow_loaded"] is False
    assert child["thinc_has_tensorflow"] is False
    here = [json.loads(json.dumps(asdict(get_analyzer().analyze(text)))) for text in MESSAGES]
    assert child["scores"] == here


def test_keeping_it_out_after_spacy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "thinc", sys.modules.get("thinc") or object())
    with pytest.raises(RuntimeError, match="before spaCy"):
        without_tensorflow.keep_out()
