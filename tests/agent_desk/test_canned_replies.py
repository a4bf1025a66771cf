"""Saved replies (config/canned_replies.yml) in the conversation's language: a Korean customer
reads what the agent sends, so a Korean conversation offers the Korean set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent_desk.canned import CannedReply, load_canned_replies, replies_in
from contract.language import detect_language
from harness.helpers import REPO_ROOT
from settings.yaml_file import ConfigError
from tests.agent_desk.desk_helpers import DeskUnderTest, post

SHIPPED = REPO_ROOT / "config" / "canned_replies.yml"


def _options(desk: DeskUnderTest, conversation_id: str, language: str) -> str:
    """The conversation page's HTML as its holder sees it, the customer writing `language`."""
    reference = desk.ticket(conversation_id)
    desk.rasa.events[conversation_id].append(
        {"event": "slot", "name": "language", "value": language}
    )
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    return alex.get(page).get_data(as_text=True)


def test_a_korean_conversation_offers_the_korean_replies(desk: DeskUnderTest) -> None:
    html = _options(desk, "cust-ko", "ko")
    assert ">인사</option>" in html and "저는 상담원 Alex입니다" in html
    assert ">Greeting</option>" not in html


def test_an_english_conversation_keeps_the_english_replies(desk: DeskUnderTest) -> None:
    html = _options(desk, "cust-en", "en")
    assert ">Greeting</option>" in html and "this is Alex from the support team" in html
    assert ">인사</option>" not in html


def test_every_saved_reply_has_a_korean_one() -> None:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert len(raw["replies_ko"]) == len(raw["replies"])
    korean = [reply for reply in load_canned_replies(SHIPPED) if reply.language == "ko"]
    assert all(detect_language(r.text.replace("{agent}", "")) == "ko" for r in korean)


def test_a_language_without_replies_gets_the_english_ones() -> None:
    replies = (CannedReply("Hi", "Hi"),)
    assert replies_in(replies, "ko") == list(replies)


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "canned.yml"
    path.write_text('replies: {"Hi": "Hi"}\nreplies_jp: {"Hi": "Hi"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'replies_jp' is not a known setting"):
        load_canned_replies(path)
