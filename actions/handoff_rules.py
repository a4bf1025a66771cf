"""The handoff rules of a customer turn: pure functions of the tracker and the settings.

Kept apart from the action (actions/turn_analysis.py), which fetches what they need (settings,
the contact history in Redis, the mood) and applies their answer, so each rule is tested on a
tracker built by hand. What hands over: asking for a person, repeated contact (proven by the
contact history or claimed by the customer), failures in a row, then the mood
(config/handoff.yml, `triggers`; config/topics.yml for what each request is about).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from rasa_sdk import Tracker

from actions.shop_access import normalize_order_number
from contract.events import intent_of
from mood.settings import HandoffTriggers


def has_words(event: dict[str, Any]) -> bool:
    """The message holds a letter or digit: blank and emoji-only messages say nothing to fail."""
    return any(char.isalnum() for char in event.get("text") or "")


def consecutive_failures(
    turns: list[dict[str, Any]],
    failure_intents: frozenset,
    answers: AbstractSet[float] = frozenset(),
    rejected: AbstractSet[float] = frozenset(),
) -> int:
    """How many of the latest user messages in a row were not understood (blank or emoji-only
    messages and answers to a form's question are not failures, and end the run; so does an
    unclear message answered with choices, actions/choices.py). A refusal of the offered
    choices (`rejected`) is a failure whatever its intent."""
    count = 0
    for event in reversed(turns):
        stamp = event.get("timestamp") or 0.0
        failed = (intent_of(event) in failure_intents or stamp in rejected) and has_words(event)
        if not failed or stamp in answers:
            break
        count += 1
    return count


def repeated_request(turns: list[dict[str, Any]], topics: dict[str, str]) -> bool:
    """The latest message asks for the same kind of thing as an earlier one of this conversation.

    A customer who asks where the parcel is twice was not helped by the first answer.
    """
    if not turns:
        return False
    topic = topics.get(intent_of(turns[-1]) or "")
    return topic is not None and any(topics.get(intent_of(e) or "") == topic for e in turns[:-1])


def conversation_topic(turns: list[dict[str, Any]], topics: dict[str, str]) -> str | None:
    """The kind of problem the conversation is about: the latest routine request's topic."""
    for event in reversed(turns):
        topic = topics.get(intent_of(event) or "")
        if topic:
            return topic
    return None


def request_intent(turns: list[dict[str, Any]], topics: dict[str, str]) -> str | None:
    """The question the customer is asking now: the latest routine request's intent."""
    for event in reversed(turns):
        intent = intent_of(event)
        if intent in topics:
            return intent
    return None


def closed_by_person(tracker: Tracker, topics: dict[str, str]) -> tuple[float, set[str]] | None:
    """When a person last gave this session back to the assistant (the desk closed the ticket
    or handed it back: a `resume` event), and the requests (intents) asked before that; None
    when no person has had the conversation."""
    asked: set[str] = set()
    closed: tuple[float, set[str]] | None = None
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            asked, closed = set(), None
        elif kind == "user" and intent_of(event) in topics:
            asked.add(str(intent_of(event)))
        elif kind == "resume":
            closed = (float(event.get("timestamp") or 0.0), set(asked))
    return closed


def counted_since(tracker: Tracker, turns: list[dict[str, Any]], topics: dict[str, str]) -> float:
    """From when earlier contacts count: a person who closed the conversation dealt with the
    requests before; a different question afterwards is no "you've had to come back", while
    the same question again still is (what the person did did not hold)."""
    closed = closed_by_person(tracker, topics)
    if closed is None or request_intent(turns, topics) in closed[1]:
        return 0.0
    return closed[0]


def current_order(
    tracker: Tracker, turns: list[dict[str, Any]], topics: dict[str, str]
) -> str | None:
    """The order the current request is about: the latest order number the customer gave since
    the request was made (this message included). An order mentioned for an earlier request
    of the conversation is not this request's order."""
    start = max(
        (i for i, event in enumerate(turns) if topics.get(intent_of(event) or "")), default=0
    )
    events = [*turns[start:], {"parse_data": {"entities": tracker.latest_message.get("entities")}}]
    for event in reversed(events):
        entities = (event.get("parse_data") or {}).get("entities") or []
        for entity in reversed(entities):
            if entity.get("entity") == "order_number" and isinstance(entity.get("value"), str):
                number = normalize_order_number(entity["value"])
                if number:
                    return number
    return None


def identities(
    sender_id: str, order: str | None, proven_email: str | None, order_proven: bool
) -> tuple[tuple[str, str], ...]:
    """What a contact is filed under in the contact history (and counted from).

    Only what the customer proved links conversations: the sender id (their own conversations),
    a proven email (a signed widget token, a remembered Slack/Telegram user, an email the shop
    confirmed for an order) and the order of the current request when its owner is proven. An
    order number or an email merely typed is anybody's: three strangers naming order 10004 must
    not hand its owner to a person, so an unproven mention counts only under its own sender.
    """
    found = [("sender", sender_id)]
    if isinstance(proven_email, str) and "@" in proven_email:
        found.append(("email", proven_email.strip().lower()))
    if order and order_proven:
        found.append(("order", order))
    return tuple(found)


def decide_handoff(
    triggers: HandoffTriggers,
    intent: str | None,
    failures: int,
    repeat_contact: bool,
    mood_hands_over: bool,
    claims_contact: bool = False,
) -> str | None:
    """The reason to hand over after this turn, most specific first, or None.

    Repeated contact is proven by the contact history or claimed by the customer ("this is the
    third time I'm writing about 10004", "I've emailed twice and got no answer").
    """
    if intent in triggers.person_request_intents:
        return "customer_request"
    if repeat_contact or claims_contact:
        return "repeated_contact"
    if failures >= triggers.consecutive_failures:
        return "repeated_failure"
    if mood_hands_over:
        return "frustration"
    return None
