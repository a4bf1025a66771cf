"""The Korean held-out splits stay held out: none of their sentences is in the Korean training
data (data/nlu/ko/), and the Korean mood test part is never trained on either."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from harness.helpers import REPO_ROOT

KO_DATA = REPO_ROOT / "data" / "nlu" / "ko"
HELD_OUT = REPO_ROOT / "evaluation" / "data"


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _korean_training_sentences() -> set[str]:
    sentences: set[str] = set()
    for path in KO_DATA.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples", "")).splitlines():
                plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip().removeprefix("- "))
                sentences.add(_normalised(plain))
    return sentences


def _texts(path: Path) -> list[str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict) and "messages" in raw:
        return [str(m["text"]) for m in raw["messages"]]
    if isinstance(raw, dict):
        return [str(t) for texts in raw.values() if isinstance(texts, list) for t in texts]
    return []


def test_korean_training_data_exists() -> None:
    assert len(_korean_training_sentences()) > 1000


def test_no_korean_test_sentence_is_trained_on() -> None:
    trained = _korean_training_sentences()
    # Short stock phrases (네, 감사합니다) are what every Korean writer writes: not a leak.
    overlap = {
        path.name: [t for t in _texts(path) if _normalised(t) in trained and len(t) > 8]
        for path in (
            HELD_OUT / "ko_nlu_test.yml",
            HELD_OUT / "ko_mood_test.yml",
            HELD_OUT / "ko_nlu_dev.yml",
            HELD_OUT / "ko_nlu_dev2.yml",
        )
        if path.is_file()
    }
    assert all(not found for found in overlap.values()), overlap


def test_the_korean_mood_training_turns_are_apart_from_the_test_part() -> None:
    """The Korean mood model trains on the tuning part and the written support turns, and
    config/mood_ko.yml's `model` section is chosen on them: neither may hold a test message."""
    test = {_normalised(t) for t in _texts(HELD_OUT / "ko_mood_test.yml")}
    for path in (
        REPO_ROOT / "tests" / "data" / "ko_frustration_tuning.yml",
        REPO_ROOT / "mood" / "training" / "ko_support_turns.yml",
    ):
        turns = {_normalised(t) for t in _texts(path)}
        shared = sorted(turns & test)
        assert len(turns) > 100, path.name
        # Only the shared messages are printed: a failure must not show the test part.
        assert not shared, (path.name, shared)
