"""The learning loop's capture: after every customer message the assistant answers, which
messages it has shown it misread, kept for staff to review (analytics/review_store.py).

Read from the tracker's events alone, so it needs nothing from the dialogue it watches:
- the message fell back (`nlu_fallback`) outside a form;
- the customer picked what they meant from buttons after the assistant asked "did you mean"
  (Rasa's two-stage fallback, `action_two_stage_fallback` / `action_default_ask_affirmation`,
  or any buttons offered right after a fallback): the message before is kept with the pick;
- the customer's message says the assistant's answer to their request missed (`not_helpful`,
  or `deny` when the assistant had asked nothing): the request is kept;
- a handoff follows a request the assistant answered (the customer asked for a person, kept
  failing or got frustrated; not coming back about the same thing): the request is kept.
The request is the latest earlier message that is not a pick or another such reaction;
answers and courtesies (yes, hello, thanks) are not requests.
A button's payload ("/refund_status") is never kept itself: it is the customer's pick, and the
message it was about is. Form answers, blank and code-like messages are never kept.

Called from the per-turn analysis (actions/turn_analysis.py) while the assistant, not a
person, has the conversation; counts the message as answered, and as misunderstood when it
showed a new misreading (analytics/recorder.py). The Redis calls run off the event loop, and
a Redis error is logged and the turn goes on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Tracker

from actions.metrics import channel_of, get_recorder
from actions.settings import load_settings
from analytics.review_store import (
    CORRECTED,
    DISAMBIGUATED,
    FALLBACK,
    HANDOFF,
    ReviewStore,
    Sighting,
)
from contract.events import conversation_id, intent_of
from contract.form_answers import answer_times
from tickets.store import connect

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
DISAMBIGUATION_ACTIONS = frozenset({"action_two_stage_fallback", "action_default_ask_affirmation"})
"""Actions that ask the customer which of the likeliest intents they meant."""
CORRECTION_INTENTS = frozenset({"not_helpful", "deny"})
NOT_REQUESTS = frozenset({"affirm", "greet", "thank", "goodbye", "request_human"})
"""Answers and courtesies: a reaction after them is not about a misread request."""
NEVER_KEPT = frozenset({"blank", "unsafe_input"})
"""Set by addons/message_guard.py from fixed rules: nothing for the classifier to learn."""
HANDOFFS_AFTER_MISREADING = frozenset({"customer_request", "repeated_failure", "frustration"})
"""Handoff reasons that can follow a misreading; coming back about the same thing cannot."""
BOUNDARIES = frozenset({"session_started", "restart", "resume"})
# Events of the per-turn hook itself, not the assistant acting.
_QUIET_ACTIONS = frozenset({"action_listen", "action_read_turn", "action_extract_slots"})


@lru_cache(maxsize=1)
def get_review_store() -> ReviewStore:
    """The process's review store, created on first use (never at import)."""
    return ReviewStore(connect(load_settings().redis_url))


def is_payload(event: dict[str, Any]) -> bool:
    """A button's payload ("/refund_status") rather than words the customer typed."""
    return str(event.get("text") or "").lstrip().startswith("/")


def prediction(event: dict[str, Any]) -> tuple[str, float]:
    """What the classifier made of a message: its likeliest intent other than the fallback
    (which only says the likeliest was not likely enough), and that intent's confidence."""
    parse = event.get("parse_data") or {}
    for ranked in parse.get("intent_ranking") or []:
        if ranked.get("name") and ranked.get("name") != FALLBACK_INTENT:
            return str(ranked["name"]), float(ranked.get("confidence") or 0.0)
    intent = parse.get("intent") or {}
    return str(intent.get("name") or "unknown"), float(intent.get("confidence") or 0.0)


@dataclass(frozen=True)
class Found:
    """A message to keep, why, and what the customer picked instead (if they did)."""

    event: dict[str, Any]
    reason: str
    picked: str = ""


def _user_indexes(events: Sequence[dict[str, Any]]) -> list[int]:
    """Indexes of the user events since the latest session start, restart or hand-back."""
    found: list[int] = []
    for index in range(len(events) - 1, -1, -1):
        kind = events[index].get("event")
        if kind in BOUNDARIES:
            break
        if kind == "user":
            found.append(index)
    return list(reversed(found))


def _asked_which(between: Sequence[dict[str, Any]], previous: dict[str, Any]) -> bool:
    """The assistant asked which intent the customer meant: a disambiguation action ran, or
    it offered buttons right after the message fell back."""
    if any(e.get("event") == "action" and e.get("name") in DISAMBIGUATION_ACTIONS for e in between):
        return True
    offered = any((e.get("data") or {}).get("buttons") for e in between if e.get("event") == "bot")
    return offered and intent_of(previous) == FALLBACK_INTENT


def _offered_payloads(between: Sequence[dict[str, Any]]) -> set[str]:
    return {
        str(button.get("payload") or "").strip()
        for e in between
        if e.get("event") == "bot"
        for button in (e.get("data") or {}).get("buttons") or []
    }


def _acted(between: Sequence[dict[str, Any]]) -> bool:
    """The assistant answered or did something between two customer messages."""
    return any(
        e.get("event") == "bot"
        or (e.get("event") == "action" and e.get("name") not in _QUIET_ACTIONS)
        for e in between
    )


def _asked_a_question(between: Sequence[dict[str, Any]]) -> bool:
    """The assistant's last words were a question (a "no" then answers it, corrects nothing)."""
    said = [e for e in between if e.get("event") == "bot"]
    if not said:
        return False
    last = said[-1]
    return bool((last.get("data") or {}).get("buttons")) or "?" in str(last.get("text") or "")


def _keepable(event: dict[str, Any], answers: set[float]) -> bool:
    """Words the customer typed as a request: not a payload, a form answer, blank or code."""
    return (
        not is_payload(event)
        and any(char.isalpha() for char in str(event.get("text") or ""))
        and intent_of(event) not in NEVER_KEPT
        and (event.get("timestamp") or 0.0) not in answers
    )


def misread_messages(
    events: Sequence[dict[str, Any]], in_form: bool, handed_over: bool
) -> list[Found]:
    """The messages this turn shows the assistant misread (see the module's docstring).

    `events`: the tracker's, the latest customer message last among the user events;
    `in_form`: a form (not the two-stage fallback) is asking for something;
    `handed_over`: this message hands the conversation to a person.
    """
    users = _user_indexes(events)
    if not users:
        return []
    answers = answer_times(events)
    latest_index = users[-1]
    latest = events[latest_index]
    found: list[Found] = []
    if intent_of(latest) == FALLBACK_INTENT and not in_form and _keepable(latest, answers):
        found.append(Found(latest, FALLBACK))
    if len(users) < 2:
        return found
    previous_index = users[-2]
    previous = events[previous_index]
    between = events[previous_index + 1 : latest_index]
    # The request the customer's reaction is about: back past picks and earlier reactions
    # ("that didn't help", then "/request_human" from its button, are about the same request).
    target_index = next(
        (
            i
            for i in reversed(users[:-1])
            if not is_payload(events[i]) and intent_of(events[i]) not in CORRECTION_INTENTS
        ),
        None,
    )
    target = events[target_index] if target_index is not None else None
    chose = is_payload(latest) or str(latest.get("text") or "").strip() in _offered_payloads(
        between
    )
    if (
        chose
        and intent_of(latest) not in (None, FALLBACK_INTENT)
        and _asked_which(between, previous)
        and _keepable(previous, answers)
    ):
        found.append(Found(previous, DISAMBIGUATED, str(intent_of(latest))))
    if (
        target is None
        or not _keepable(target, answers)
        or intent_of(target) in NOT_REQUESTS
        or not _acted(between)
    ):
        return found
    corrected = intent_of(latest) == "not_helpful" or (
        intent_of(latest) == "deny" and not in_form and not _asked_a_question(between)
    )
    if corrected and (latest.get("timestamp") or 0.0) not in answers:
        found.append(Found(target, CORRECTED))
    if handed_over:
        found.append(Found(target, HANDOFF))
    return found


def sightings(tracker: Tracker, handed_over: bool, now: float) -> list[Sighting]:
    """This turn's misread messages as the store keeps them."""
    loop = (tracker.active_loop or {}).get("name")
    in_form = bool(loop) and loop not in DISAMBIGUATION_ACTIONS
    conversation = conversation_id(tracker.sender_id, tracker.events)
    channel = channel_of(tracker)
    out = []
    for found in misread_messages(tracker.events, in_form, handed_over):
        predicted, confidence = prediction(found.event)
        ts = float(found.event.get("timestamp") or now)
        out.append(
            Sighting(
                text=str(found.event.get("text") or ""),
                predicted=predicted,
                confidence=confidence,
                reason=found.reason,
                channel=channel,
                ts=ts,
                message=f"{conversation}|{ts}",
                picked=found.picked,
            )
        )
    return out


def keep_blocking(found: list[Sighting], channel: str, now: float) -> int:
    """Keeps the sightings and counts the turn (off the event loop); how many were new."""
    try:
        store = get_review_store()
        new = sum(store.keep(sighting) for sighting in found)
        get_recorder().answered(channel, new, now)
        return new
    except redis.RedisError as error:
        logger.warning("review capture not recorded: %s", error)
        return 0


async def keep_for_review(tracker: Tracker, handoff_reason: str | None) -> int:
    """Keeps what this turn shows was misread (`handoff_reason`: the handoff this message
    causes, if any); returns how many misreadings were new."""
    now = time.time()
    found = sightings(tracker, handoff_reason in HANDOFFS_AFTER_MISREADING, now)
    return await asyncio.to_thread(keep_blocking, found, channel_of(tracker), now)
