"""One conversation served by two Rasa servers (and two action servers) on one Redis.

Messages land on different instances, through the balancer's round robin or sent to an
instance on purpose, and the conversation reads as if one server had served it.
"""

from __future__ import annotations

import threading
from typing import Any

from tests.scale.conftest import Reply, ScaledSystem, new_sender, say, tracker


def answers_by_message(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(customer message, the assistant's texts before the next customer message) in order."""
    turns: list[tuple[str, str]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], ""))
        elif event["event"] == "bot" and turns:
            text, answer = turns[-1]
            turns[-1] = (text, f"{answer} {event.get('text') or ''}".strip())
    return turns


def assert_in_order(events: list[dict[str, Any]], said: list[tuple[str, Reply]]) -> None:
    """Each message is followed by exactly the answer its sender got, nothing in between."""
    stored = answers_by_message(events)
    assert sorted(stored) == sorted((text, reply.text) for text, reply in said)


def test_balanced_messages_land_on_both_instances_and_stay_in_order(
    scaled: ScaledSystem,
) -> None:
    sender = new_sender("order")
    texts = [
        "hello there",
        "where is my order 10001?",
        "how do returns work at your shop?",
        "has order 10003 shipped yet",
    ]
    said = [(text, say(scaled, sender, text)) for text in texts]

    assert {reply.served_by for _, reply in said} == {"rasa-1", "rasa-2"}
    assert "10001" in said[1][1].text and "10003" in said[3][1].text
    events = tracker(scaled, sender)["events"]
    assert [text for text, _ in answers_by_message(events)] == texts
    assert_in_order(events, said)
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps)


def test_simultaneous_messages_on_two_instances_are_answered_one_after_the_other(
    scaled: ScaledSystem,
) -> None:
    sender = new_sender("race")
    say(scaled, sender, "hi", instance="rasa-1")
    said: list[tuple[str, Reply]] = []
    jobs = [("where is my order 10001?", "rasa-1"), ("has order 10003 shipped yet", "rasa-2")]

    def send(text: str, instance: str) -> None:
        said.append((text, say(scaled, sender, text, instance=instance)))

    threads = [threading.Thread(target=send, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert {reply.served_by for _, reply in said} == {"rasa-1", "rasa-2"}
    events = tracker(scaled, sender)["events"]
    # The Redis lock let one message finish before the other started: no interleaved answers.
    # (Timestamps may cross: Rasa stamps a message when it arrives, before it waits for the lock.)
    assert_in_order(events, [*said, ("hi", Reply(answers_by_message(events)[0][1], "rasa-1"))])
    assert "10001" in dict(said)["where is my order 10001?"].text
    assert "10003" in dict(said)["has order 10003 shipped yet"].text


def test_a_form_started_on_one_instance_continues_on_the_other(scaled: ScaledSystem) -> None:
    sender = new_sender("form")
    asked = say(scaled, sender, "I'd like my money back please", instance="rasa-1")
    assert "order number" in asked.text.lower()

    reason = say(scaled, sender, "it's order 10002", instance="rasa-2")

    # Next the customer proves the order is theirs (issue 10): the form asks for the email.
    assert "email address" in reason.text.lower()
    state = tracker(scaled, sender)
    assert state["active_loop"]["name"] == "refund_form"
    assert state["slots"]["order_number"] == "10002"
    assert state["slots"]["requested_slot"] == "owner_email"


def test_the_conversation_continues_when_one_rasa_instance_dies(scaled: ScaledSystem) -> None:
    sender = new_sender("kill")
    say(scaled, sender, "hello there")
    asked = say(scaled, sender, "I'd like my money back please")
    assert "order number" in asked.text.lower()
    # Round robin sends the next message to the other instance: that one dies.
    victim = next(name for name in scaled.instance_urls if name != asked.served_by)
    scaled.kill(victim)
    try:
        reason = say(scaled, sender, "it's order 10002")
        assert "email address" in reason.text.lower()
        assert reason.served_by == asked.served_by
        state = tracker(scaled, sender)
        assert state["slots"]["order_number"] == "10002"
        assert [event["text"] for event in state["events"] if event["event"] == "user"] == [
            "hello there",
            "I'd like my money back please",
            "it's order 10002",
        ]
    finally:
        scaled.revive(victim)
