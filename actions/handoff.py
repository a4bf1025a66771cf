"""Handing the conversation to a person: open a ticket, tell the customer honestly, pause.

The ticket (tickets/) is what the agent desk shows: who, why, a summary from the tracker's
structured facts, the transcript and the sentiment series. The customer hears their place in
the queue and a wait estimate while an agent is available at the desk (tickets/availability.py),
otherwise when a person will reply,
with the ticket reference either way. A new ticket counts against the conversation's and the
customer's address's handoff limits (tickets/rate_limit.py); over a limit, no ticket opens and
the customer is told so. With HANDOFF_TARGET=chatwoot the ticket also opens a Chatwoot
conversation (tickets/chatwoot.py); if Chatwoot cannot take it, the ticket closes at once and
the customer is told that nobody could be reached, as when Redis fails.
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
from contract.csat import CSAT_COMMENT_OPEN
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
    PROVEN_ORDER,
    VERIFIED_EMAIL,
)
from tickets.availability import Availability
from tickets.chatwoot import (
    HOLDER,
    ChatwootClient,
    ChatwootError,
    forward_customer_message,
    open_conversation,
)
from tickets.model import UNDELIVERED, Ticket
from tickets.rate_limit import HandoffLimiter
from tickets.settings import load_chatwoot_account, load_ticket_config
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


@lru_cache(maxsize=1)
def get_helpdesk() -> ChatwootClient | None:
    """The Chatwoot client when HANDOFF_TARGET=chatwoot, else None (the built-in desk)."""
    account = load_chatwoot_account()
    return ChatwootClient(account) if account else None


class HandoffLimited(Exception):
    """The conversation or the address has opened as many tickets as the window allows."""


class HelpdeskUnavailable(Exception):
    """The helpdesk (Chatwoot) did not take the conversation; its ticket was closed."""


def hand_to_helpdesk(store: TicketStore, ticket: Ticket, helpdesk: ChatwootClient) -> Ticket:
    """Opens the Chatwoot conversation of a new ticket and keeps its id with the ticket.

    On failure the ticket is closed (outcome `undelivered`): no desk is watched, so a waiting
    ticket would leave the customer talking to nobody. Raises HelpdeskUnavailable then.
    """
    try:
        chatwoot_id = open_conversation(helpdesk, ticket)
    except ChatwootError as error:
        logger.error("Chatwoot did not take %s: %s", ticket.reference, error)
        now = time.time()
        store.claim(ticket.reference, HOLDER, "Chatwoot", now)
        store.finish(ticket.reference, HOLDER, UNDELIVERED, now)
        raise HelpdeskUnavailable(ticket.reference) from error
    store.link_chatwoot(ticket.reference, chatwoot_id)
    ticket.chatwoot_conversation_id = chatwoot_id
    return ticket


def _forward(helpdesk: ChatwootClient, sender_id: str, text: str) -> None:
    ticket = get_ticket_store().open_for_conversation(sender_id)
    if ticket is not None and ticket.chatwoot_conversation_id:
        forward_customer_message(helpdesk, ticket.chatwoot_conversation_id, text)


async def forward_while_paused(tracker: Tracker) -> None:
    """A customer message written while a Chatwoot agent has the conversation goes to that
    conversation as an incoming message (called after every message by actions/turn_hook.py).

    A failure loses only this copy (logged): Rasa's tracker still holds the message.
    """
    helpdesk = get_helpdesk()
    text = str(tracker.latest_message.get("text") or "")
    if helpdesk is None or not tracker.is_paused() or not text.strip():
        return
    try:
        await asyncio.to_thread(_forward, helpdesk, tracker.sender_id, text)
    except (redis.RedisError, ChatwootError) as error:
        logger.warning("message of %s not forwarded to Chatwoot: %s", tracker.sender_id, error)


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


def customer_facts(tracker: Tracker) -> dict[str, str]:
    """Who the customer is, for the desk: the email and order they gave, what of it is proven
    (the shop confirmed the verified email owns `proven_order`, or a signed widget token or
    remembered channel user gave it: actions/identity.py), and this conversation's key in the
    contact history (so the customer panel tells this conversation from earlier ones).

    Only a proven email names the customer; one merely typed is kept apart, marked unverified
    on the desk.
    """
    slots = tracker.current_slot_values()
    verified = str(slots.get(VERIFIED_EMAIL) or "")
    return {
        "sender_id": tracker.sender_id,
        "email": verified,
        **_typed_email(slots),
        "order_number": str(slots.get(ORDER_NUMBER) or ""),
        "verified_email": verified,
        "proven_order": str(slots.get(PROVEN_ORDER) or ""),
        "conversation": conversation_id(tracker.sender_id, tracker.events),
    }


def open_ticket(tracker: Tracker, reason: str, now: float) -> tuple[Ticket, int | None, int]:
    """Blocking: writes the ticket (or finds the open one), reads its queue position and how
    many agents are available at `now`.

    Raises HandoffLimited when a new ticket would pass a handoff limit, HelpdeskUnavailable
    when Chatwoot (HANDOFF_TARGET=chatwoot) did not take it.
    """
    store = get_ticket_store()
    available = len(Availability(store.client, load_ticket_config().idle_timeout_s).available(now))
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
        created_at=now,
        customer=customer_facts(tracker),
        summary=summarize(slots, tracker.events, reason, turns),
        transcript=transcript(tracker.events),
        sentiment=turns,
        frustration=frustration,
        level=level,
        after_hours=available == 0,
    )
    ticket, created = store.open_ticket(draft)
    helpdesk = get_helpdesk()
    if created and helpdesk is not None:
        ticket = hand_to_helpdesk(store, ticket, helpdesk)
    if created:
        since_resume = len(turns_since_resume(tracker.events))
        recent = turns[-since_resume:] if since_resume else []
        cues = [str(cue) for turn in recent for cue in turn.get("reasons") or []]
        conversation = conversation_id(sender_id, tracker.events)
        count_blocking(lambda recorder: recorder.handoff(ticket, conversation, cues))
    return ticket, store.position(ticket.reference), available


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
            now = time.time()
            ticket, position, available = await asyncio.to_thread(open_ticket, tracker, reason, now)
        except (redis.RedisError, HandoffLimited, HelpdeskUnavailable) as error:
            limited = isinstance(error, HandoffLimited)
            logger.error("handoff ticket for %s not created: %r", tracker.sender_id, error)
            dispatcher.utter_message(response=RESPONSE_LIMITED if limited else RESPONSE_UNAVAILABLE)
            return end_form + [
                SlotSet(LIVE_AGENT_HANDOFF, False),
                SlotSet(HANDOFF_REASON, None),
            ]
        step: NextStep = next_step(
            ticket,
            position,
            load_ticket_config(),
            datetime.fromtimestamp(now, tz=timezone.utc),
            available,
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
            SlotSet(CSAT_COMMENT_OPEN, False),  # an upset comment handed over: not a comment
            ConversationPaused(),
        ]
