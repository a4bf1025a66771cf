"""The language of a message (contract/language.py) and of a conversation (actions/language.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.language import language_events
from contract.language import detect_language, page_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주문한 물건 어디쯤 왔어요?", "ko"),
        ("환불해줘", "ko"),
        ("ㅠㅠ", "ko"),
        ("refund 해주세요", "ko"),
        ("배송 조회 plz", "ko"),
        ("where is order 10001?", "en"),
        ("I bought 김치 and it arrived broken", "en"),
        ("cancel my order", "en"),
        ("10001", None),
        ("alice@example.com", None),
        ("RF-7K2M9Q", None),
        ("🙂👍", None),
        ("ok", None),
        ("/request_human", None),
        ('/inform{"order_number": "10001"}', None),
        ("", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_page_language() -> None:
    assert page_language({"language": "ko-KR"}) == "ko"
    assert page_language({"lang": "en_GB"}) == "en"
    assert page_language({"locale": "fr"}) is None
    assert page_language(None) is None


def conversation(*texts: str, language: str | None = None, metadata: Any = None) -> Tracker:
    """A tracker whose last user message is the last text."""
    events = [{"event": "user", "text": t} for t in texts]
    latest = {"text": texts[-1], "intent": {}, "entities": [], "metadata": metadata or {}}
    return Tracker("c", {"language": language}, latest, events, False, None, None, "action_listen")


def test_korean_words_switch_and_identifiers_keep_the_language() -> None:
    assert language_events(conversation("배송 조회요")) == [
        {"event": "slot", "timestamp": None, "name": "language", "value": "ko"}
    ]
    assert language_events(conversation("배송 조회요", "10001", language="ko")) == []
    assert language_events(conversation("배송 조회요", "ok", language="ko")) == []
    switched = language_events(conversation("배송 조회요", "where is my order", language="ko"))
    assert [e["value"] for e in switched] == ["en"]


def test_page_language_counts_until_the_words_tell() -> None:
    first = language_events(conversation("10001", metadata={"language": "ko"}))
    assert [e["value"] for e in first] == ["ko"]
    later = conversation("where is my order", "10001", language="en", metadata={"lang": "ko"})
    assert language_events(later) == []
