"""The signed link of a follow-up email: it opens its own conversation, for a limited time,
and nothing else does (a changed token, a widget session id, another key)."""

from __future__ import annotations

from contract.resume_links import Refusal, ResumeLinks

CONVERSATION = "0123456789abcdef0123456789abcdef"
WEEK_S = 7 * 86400


def links_at(when: float, secret: str = "a-secret") -> ResumeLinks:
    return ResumeLinks(secret, WEEK_S, clock=lambda: when)


def test_a_token_opens_its_conversation_until_it_expires() -> None:
    token = links_at(1_800_000_000).token(CONVERSATION)
    assert links_at(1_800_000_000 + WEEK_S - 60).conversation(token) == CONVERSATION
    assert links_at(1_800_000_000 + WEEK_S + 60).conversation(token) is Refusal.EXPIRED


def test_a_changed_or_foreign_token_is_refused() -> None:
    links = links_at(1_800_000_000)
    token = links.token(CONVERSATION)
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert links.conversation(flipped) is Refusal.INVALID
    assert links.conversation(token + "x") is Refusal.INVALID
    assert links_at(1_800_000_000, "another-secret").conversation(token) is Refusal.INVALID
    for junk in ("", "not a token", None, 42, "x" * 500):
        assert links.conversation(junk) is Refusal.INVALID


def test_only_conversation_ids_are_opened() -> None:
    links = links_at(1_800_000_000)
    assert links.conversation(links.token("../../etc/passwd")) is Refusal.INVALID
