"""On the running system over REST: the satisfaction rating after thanks (buttons, the rating
counted, the optional comment), and what a handed-over customer is told with and without an
agent available at the desk."""

from __future__ import annotations

import json

import redis

from contract import keys
from contract.csat import load_csat
from harness.ticket_helpers import make_available
from launcher.stack import Stack
from tests.e2e.customer import Customer


def day_counters(stack: Stack) -> dict[str, float]:
    client = redis.Redis.from_url(stack.settings.redis.url, decode_responses=True)
    try:
        found: dict[str, float] = {}
        for key in client.keys(keys.analytics_day("*")):
            for name, value in client.hgetall(key).items():
                found[name] = found.get(name, 0.0) + float(value)
        return found
    finally:
        client.close()


def test_thanks_gets_a_rating_question_and_a_rating_is_counted(
    stack: Stack, customer: Customer
) -> None:
    assert "10003" in customer.ask("where is order 10003?")
    answers = customer.say("great, thanks, that's all")
    [question] = [m for m in answers if m.get("buttons")]
    assert "rate this conversation" in question["text"]
    assert [b["title"] for b in question["buttons"]] == [t for _, t in load_csat().scale]
    payload = question["buttons"][3]["payload"]
    assert json.loads(payload.removeprefix("/rate_conversation")) == {"csat_score": 4}

    rated = customer.say(payload)
    assert any("thanks for rating" in m.get("text", "").lower() for m in rated), rated
    noted = customer.ask("quick and clear, thank you")
    assert "your comment is noted" in noted, noted
    counters = day_counters(stack)
    assert counters.get("csat_ratings|rest|assistant:thanks:") == 1.0
    assert counters.get("csat_score_sum|rest|assistant:thanks:") == 4.0
    # Asked once per session: thanking again asks nothing.
    again = customer.say("thanks again")
    assert not any(m.get("buttons") for m in again)


def test_the_customer_hears_a_queue_place_only_while_an_agent_is_available(
    stack: Stack, customer: Customer
) -> None:
    nobody = customer.ask("I want to talk to a person")
    assert "nobody from our team is available right now" in nobody, nobody
    assert "in the queue" not in nobody

    make_available(stack.settings.redis.url, "alex")
    other = Customer.new(stack.settings, "available-agent")
    try:
        live = other.ask("I want to talk to a person")
        assert "in the queue" in live and "wait is about" in live, live
    finally:
        client = redis.Redis.from_url(stack.settings.redis.url)
        client.delete(keys.agents_available())
        client.close()
