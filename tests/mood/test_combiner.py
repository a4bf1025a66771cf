"""The shipped combiner: its gate tells a support-chat turn from a social-media comment, the
score follows the side the gate chooses, and a file that does not fit the scorer is refused."""

from __future__ import annotations

import json

import pytest

from mood.combiner import DEFAULT_COMBINER, FEATURES, Combiner
from mood.model import MessageWords

# Written for this test (none is in the training turns or a public data set).
CHAT_TURNS = [
    "hi, my parcel for order 10007 hasn't arrived yet, can you check?",
    "I want a refund for the blender, it stopped working after two days",
]
COMMENTS = [
    "lol this thread is gold, my cat does the exact same thing every morning",
    "honestly the second season was way better than the first, fight me",
]


@pytest.fixture(scope="module")
def combiner() -> Combiner:
    """The weights file as shipped."""
    return Combiner.load()


def test_gate_reads_chat_turns_above_comments(combiner: Combiner) -> None:
    chat = combiner.gates([MessageWords.of(text) for text in CHAT_TURNS])
    comments = combiner.gates([MessageWords.of(text) for text in COMMENTS])
    assert min(chat) > 0.5 > max(comments)


def test_score_follows_the_gate(combiner: Combiner) -> None:
    row = [0.0] * len(FEATURES)
    chat, other, half = (combiner.score(row, gate) for gate in (1.0, 0.0, 0.5))
    assert min(chat, other) <= half <= max(chat, other)
    assert all(0.0 < score < 1.0 for score in (chat, other, half))


def test_a_file_with_other_features_is_refused() -> None:
    raw = json.loads(DEFAULT_COMBINER.read_text(encoding="utf-8"))
    raw["features"] = raw["features"][:-1]
    with pytest.raises(ValueError, match="features"):
        Combiner(raw)
