"""Handing the conversation to a person: open a ticket, tell the customer honestly, pause.

The ticket (tickets/) is what the agent desk shows: who, why, a summary from the tracker's
structured facts, the transcript and the sentiment series. The customer hears their place in
the queue and a wait estimate while the team is on duty, otherwise when a person will reply,
with the ticket reference either way. A new ticket counts against the conversation's and the
customer's address's handoff limits (tickets/rate_limit.py); over a limit, no ticket opens and
the customer is told so.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.metrics import count_blocking
from actions.responses import pick_response
from actions.settings import load_settings
from contract.events import conversation_id, latest_client_address, turns_since_resume
from contract.metadata import RESPONSE_LIMITED, RESPONSE_UNAVAILABLE
from contract.slots import (
    CALM,
    EMAIL,
    FRUSTRATION_LEVEL,
    FRUSTRATION_SCORE,
    HANDOFF_REASON,
    LIVE_AGENT_HANDOFF,
    ORDER_NUMBER,
    VERIFIED_EMAIL,
)
from tickets.model import Ticket
from tickets.rate_limit import HandoffLimiter
from tickets.settings import load_ticket_config
from tickets.store import TicketStore, connect
from tickets.summary import summarize
from tickets.transcript import transcript
from tickets.waiting import NextStep, next_step

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_ticket_store() -> TicketStore:
    """The process's ticket store, created on first use (never at import)."""
    config = load_ticket_config()
    return TicketStore(
        connect(load_settings().redis_url),
        frustration_head_start_s=config.queue.frustration_head_start_minutes * 60,
    )


@lru_cache(maxsize=1)
def get_handoff_limiter() -> HandoffLimiter:
    """The process's handoff limiter (config/desk.yml `handoff_limits`), created on first use."""
    return HandoffLimiter(load_settings().redis_url, load_ticket_config().handoff_limits)


class HandoffLimited(Exception):
    """The conversation or the address has opened as many tickets as the window allows."""


def client_address(tracker: Tracker) -> str | None:
    """The address the channel saw the latest customer message come from (REST, widget)."""
    return latest_client_address(tracker.events)


def _typed_email(slots: dict[str, Any]) -> dict[str, str]:
    """The email typed in the chat when it is not the verified one: {"email_unverified": ...}."""
    typed = str(slots.get(EMAIL) or "").strip().lower()
    verified = str(slots.get(VERIFIED_EMAIL) or "").strip().lower()
    return {"email_unverified": typed} if typed and typed != verified else {}


def _frustration(tracker: Tracker) -> tuple[float, str]:
    """The customer's state at handoff, from the slots (the authority: contract.slots)."""
    score = tracker.get_slot(FRUSTRATION_SCORE)
    return float(score or 0.0), str(tracker.get_slot(FRUSTRATION_LEVEL) or CALM)


def open_ticket(tracker: Tracker, reason: str) -> tuple[Ticket, int | None]:
    """Blocking: writes the ticket (or finds the open one) and reads its queue position.

    Raises HandoffLimited when a new ticket would pass a handoff limit.
    """
    store = get_ticket_store()
    sender_id = tracker.sender_id
    if store.open_for_conversation(sender_id) is None and not (
        get_handoff_limiter().allow(sender_id, client_address(tracker))
    ):
        raise HandoffLimited(sender_id)
    turns = store.turns(sender_id)
    frustration, level = _frustration(tracker)
    slots = tracker.current_slot_values()
    draft = Ticket(
        conversation_id=sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        reason=reason,
        created_at=time.time(),
        customer={
            "sender_id": sender_id,
            # Only a proven email names the customer (widget token, remembered user, or checked
            # by the shop); one merely typed is kept apart, marked unverified on the desk.
            "email": str(slots.get(VERIFIED_EMAIL) or ""),
            **_typed_email(slots),
            "order_number": str(slots.get(ORDER_NUMBER) or ""),
        },
        summary=summarize(slots, tracker.events, reason, turns),
        transcript=transcript(tracker.events),
        sentiment=turns,
        frustration=frustration,
        level=level,
    )
    ticket, created = store.open_ticket(draft)
    if created:
        since_resume = len(turns_since_resume(tracker.events))
        recent = turns[-since_resume:] if since_resume else []
        cues = [str(cue) for turn in recent for cue in turn.get("reasons") or []]
        conversation = conversation_id(sender_id, tracker.events)
        count_blocking(lambda recorder: recorder.handoff(ticket, conversation, cues))
    return ticket, store.position(ticket.reference)


class ActionHandoff(Action):
    """Opens the ticket, says why a person takes over and what happens next, then pauses.

    Predicted by addons/handoff_policy.py whenever `live_agent_handoff` was set this turn,
    so it also ends whatever form was active. Needs in the domain: utter_handoff_<reason>,
    utter_handoff_queue, utter_handoff_after_hours, utter_handoff_unavailable.
    """

    def name(self) -> str:
        """Name used in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Pauses after the messages, so the assistant stays silent until hand-back.

        If Redis cannot take the ticket, or a handoff limit is reached, no agent would ever
        see the conversation: the customer is told so and the assistant is NOT paused, so
        they are never left talking to nobody.
        """
        reason = tracker.get_slot(HANDOFF_REASON) or "customer_request"
        end_form = [ActiveLoop(None), SlotSet("requested_slot", None)]
        try:
            ticket, position = await asyncio.to_thread(open_ticket, tracker, reason)
        except (redis.RedisError, HandoffLimited) as error:
            limited = isinstance(error, HandoffLimited)
            logger.error("handoff ticket for %s not created: %r", tracker.sender_id, error)
            dispatcher.utter_message(response=RESPONSE_LIMITED if limited else RESPONSE_UNAVAILABLE)
            return end_form + [
                SlotSet(LIVE_AGENT_HANDOFF, False),
                SlotSet(HANDOFF_REASON, None),
            ]
        step: NextStep = next_step(
            ticket, position, load_ticket_config(), datetime.now(timezone.utc)
        )
        dispatcher.utter_message(
            response=pick_response(
                domain, f"utter_handoff_{reason}", "utter_handoff_customer_request"
            )
        )
        dispatcher.utter_message(response=step.response, **step.params)
        return end_form + [
            SlotSet(LIVE_AGENT_HANDOFF, True),
            SlotSet(HANDOFF_REASON, reason),
            ConversationPaused(),
        ]
