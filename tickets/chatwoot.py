"""Chatwoot as the helpdesk (HANDOFF_TARGET=chatwoot): the only code that calls its API.

A handoff becomes a Chatwoot conversation in the shop's API inbox (`open_conversation`): the
contact is found by the proven email (or by this conversation's identifier) or created, the
conversation opens with the transcript and a note for the agent as private notes (summary,
reason, mood trend, proven order) and labels. Customer messages written while the assistant is
paused follow as incoming messages (`forward_customer_message`). What agents do not need is
hidden as in the desk (`contract.privacy.mask_for_desk`: phone numbers, street addresses).
The way back (agent replies, resolving) is Chatwoot's webhook, received by the agent desk
(agent_desk/chatwoot_hook.py).

What we post is never an outgoing public message: Chatwoot sends a `message_created` webhook
for every message, ours included, and only outgoing public ones are relayed to the customer,
so nothing posted here can come back to them.

Blocking (requests, with timeouts); the action server calls it through asyncio.to_thread.
POSTs are never retried: a retried POST could open a second conversation or repeat a message.
Application API reference: https://developers.chatwoot.com/api-reference/ (contacts,
conversations, messages, conversation labels).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from contract.labels import channel_label
from contract.privacy import mask_for_desk
from tickets.model import Ticket
from tickets.settings import ChatwootAccount

logger = logging.getLogger(__name__)

# Who holds a Chatwoot ticket in the ticket store (tickets/store.py): Chatwoot's agents.
HOLDER = "chatwoot"
# What the contact is filed under when no email is proven: the Rasa conversation.
IDENTIFIER_PREFIX = "rasa:"
MAX_NOTE_CHARS = 20_000
MAX_TREND_POINTS = 6


class ChatwootError(Exception):
    """Chatwoot did not do what was asked; the message says what happened."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Contact:
    """A Chatwoot contact and its source id in our API inbox (None until it has one)."""

    id: int
    source_id: str | None


class ChatwootClient:
    """Blocking client of Chatwoot's application API for one account and API inbox."""

    def __init__(self, account: ChatwootAccount, session: requests.Session | None = None) -> None:
        """Nothing is contacted until the first call."""
        self.account = account
        self._base = f"{account.url}/api/v1/accounts/{account.account_id}"
        self._session = session or requests.Session()
        # Chatwoot's documentation names the header `api_access_token`, but proxies drop
        # headers with underscores (nginx by default, and werkzeug) and Rails reads the
        # hyphenated spelling as the same header, so this one survives the way there.
        self._session.headers.update({"api-access-token": account.api_token})

    def _call(self, method: str, path: str, retries: int = 0, **kwargs: Any) -> Any:
        timeout = (min(self.account.timeout_s, 3.0), self.account.timeout_s)
        for attempt in range(retries + 1):
            try:
                response = self._session.request(
                    method, self._base + path, timeout=timeout, **kwargs
                )
            except requests.RequestException as exc:
                if attempt < retries:
                    continue
                raise ChatwootError(
                    f"Chatwoot at {self.account.url} did not answer ({type(exc).__name__})"
                ) from exc
            if response.status_code in (401, 403):
                raise ChatwootError(
                    "Chatwoot refused the access token (CHATWOOT_API_TOKEN), or its user is "
                    "not a member of the inbox",
                    response.status_code,
                )
            if response.status_code >= 500 and attempt < retries:
                continue
            if not 200 <= response.status_code < 300:
                raise ChatwootError(
                    f"Chatwoot answered {response.status_code} to {method} {path.split('?')[0]}",
                    response.status_code,
                )
            try:
                return response.json()
            except ValueError as exc:
                raise ChatwootError(f"Chatwoot's answer to {method} {path} was not JSON") from exc
        raise AssertionError("unreachable")

    def _source_id(self, contact: dict[str, Any]) -> str | None:
        for link in contact.get("contact_inboxes") or []:
            inbox = link.get("inbox") or {}
            if inbox.get("id") == self.account.inbox_id and link.get("source_id"):
                return str(link["source_id"])
        return None

    def find_contact(self, email: str, identifier: str) -> Contact | None:
        """The contact with exactly this email (when given) or identifier.

        The search matches parts of names, emails, phone numbers and identifiers, so the
        answers are checked for an exact match.
        """
        for query, key, wanted in (("email", "email", email), ("id", "identifier", identifier)):
            if not wanted:
                continue
            found = self._call("GET", "/contacts/search", retries=1, params={"q": wanted})
            for contact in (found or {}).get("payload") or []:
                value = str(contact.get(key) or "")
                if value.casefold() == wanted.casefold():
                    return Contact(int(contact["id"]), self._source_id(contact))
            logger.debug("no Chatwoot contact by %s", query)
        return None

    def create_contact(self, name: str, email: str, identifier: str) -> Contact:
        """A new contact with a source id in our API inbox."""
        body: dict[str, Any] = {
            "inbox_id": self.account.inbox_id,
            "name": name,
            "identifier": identifier,
        }
        if email:
            body["email"] = email
        answer = self._call("POST", "/contacts", json=body)
        payload = (answer or {}).get("payload") or {}
        contact = payload.get("contact") or payload
        source = (payload.get("contact_inbox") or {}).get("source_id")
        if not contact.get("id"):
            raise ChatwootError("Chatwoot's new contact came back without an id")
        return Contact(int(contact["id"]), str(source) if source else self._source_id(contact))

    def add_to_inbox(self, contact_id: int) -> str:
        """Links an existing contact to our API inbox; returns its new source id."""
        answer = self._call(
            "POST",
            f"/contacts/{contact_id}/contact_inboxes",
            json={"inbox_id": self.account.inbox_id},
        )
        source = (answer or {}).get("source_id")
        if not source:
            raise ChatwootError("Chatwoot linked the contact to the inbox without a source id")
        return str(source)

    def contact_for(self, name: str, email: str, identifier: str) -> Contact:
        """Finds or creates the contact, linked to our API inbox."""
        contact = self.find_contact(email, identifier)
        if contact is None:
            try:
                contact = self.create_contact(name, email, identifier)
            except ChatwootError as error:
                # 422: taken meanwhile (two handoffs at once), or an email on another contact.
                if error.status != 422:
                    raise
                contact = self.find_contact(email, identifier)
                if contact is None:
                    contact = self.create_contact(name, "", identifier)
        if contact.source_id is None:
            contact = Contact(contact.id, self.add_to_inbox(contact.id))
        return contact

    def create_conversation(self, contact: Contact, custom_attributes: dict[str, str]) -> str:
        """An open conversation in our API inbox; returns its id as the dashboard shows it."""
        answer = self._call(
            "POST",
            "/conversations",
            json={
                "source_id": contact.source_id,
                "inbox_id": self.account.inbox_id,
                "contact_id": contact.id,
                "status": "open",
                "custom_attributes": custom_attributes,
            },
        )
        conversation = answer or {}
        found = conversation.get("display_id") or conversation.get("id")
        if not found:
            raise ChatwootError("Chatwoot's new conversation came back without an id")
        return str(found)

    def post_message(self, conversation_id: str, content: str, private: bool) -> str:
        """A private note (for agents only) or an incoming message (the customer's words)."""
        answer = self._call(
            "POST",
            f"/conversations/{conversation_id}/messages",
            json={
                "content": content[:MAX_NOTE_CHARS],
                "message_type": "incoming" if not private else "outgoing",
                "private": private,
                "content_type": "text",
            },
        )
        return str((answer or {}).get("id") or "")

    def set_labels(self, conversation_id: str, labels: Sequence[str]) -> None:
        """Sets the conversation's labels (Chatwoot replaces the whole list)."""
        self._call(
            "POST", f"/conversations/{conversation_id}/labels", json={"labels": list(labels)}
        )


def _label_part(text: str) -> str:
    """Chatwoot label titles hold letters, digits, '-' and '_' only."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.lower())
    return cleaned.strip("-")


def labels_for(ticket: Ticket) -> list[str]:
    """Why it was handed over, how the customer felt, and the proven order."""
    labels = [f"handoff-{_label_part(ticket.reason)}", f"mood-{_label_part(ticket.level)}"]
    order = ticket.customer.get("proven_order") or ""
    if order:
        labels.append(f"order-{_label_part(order)}")
    return labels


def mood_trend(sentiment: Sequence[dict[str, Any]]) -> str:
    """The customer's level and smoothed frustration over the latest turns, oldest first."""
    if not sentiment:
        return "no turns analysed"
    points = [
        f"{turn.get('level', '?')} {float(turn.get('smoothed') or 0.0):.2f}"
        for turn in sentiment[-MAX_TREND_POINTS:]
    ]
    first = float(sentiment[0].get("smoothed") or 0.0)
    last = float(sentiment[-1].get("smoothed") or 0.0)
    direction = "rising" if last > first + 0.05 else "falling" if last < first - 0.05 else "steady"
    return f"{direction}: " + " → ".join(points) + f" ({len(sentiment)} turns)"


def handoff_note(ticket: Ticket) -> str:
    """The private note an agent reads first: summary, reason, mood trend, proven order."""
    customer = ticket.customer
    lines = [
        f"Handed over by the assistant (ticket {ticket.reference}): {ticket.reason_label}.",
        f"Channel: {channel_label(ticket.channel)}.",
        f"Mood: {ticket.level} (frustration {ticket.frustration:.2f}), "
        f"{mood_trend(ticket.sentiment)}.",
    ]
    if customer.get("proven_order"):
        lines.append(
            f"Proven order: {customer['proven_order']} (owned by {customer.get('verified_email')})."
        )
    elif customer.get("order_number"):
        lines.append(f"Order mentioned, not proven: {customer['order_number']}.")
    lines += ["", "Summary:", *(f"- {line}" for line in ticket.summary)]
    lines += ["", "Resolve this conversation to hand the customer back to the assistant."]
    return mask_for_desk("\n".join(lines))


def transcript_note(ticket: Ticket) -> str:
    """The conversation so far as one private note (one message each would be echoed as
    Chatwoot messages of the wrong kind: the assistant's lines are no agent replies)."""
    who = {"customer": "Customer", "assistant": "Assistant", "agent": "Agent"}
    lines = ["Conversation with the assistant before the handoff:"]
    for entry in ticket.transcript:
        if entry.get("who") == "note":
            lines.append(f"({entry.get('text')})")
        else:
            lines.append(f"{who.get(str(entry.get('who')), 'Someone')}: {entry.get('text')}")
    return mask_for_desk("\n".join(lines))


def open_conversation(client: ChatwootClient, ticket: Ticket) -> str:
    """Opens the Chatwoot conversation for `ticket`; returns its id.

    Only finding the contact and opening the conversation must work: a note or the labels
    that fail are logged, since the agent already sees the conversation and the customer.
    """
    email = ticket.customer.get("verified_email") or ""
    identifier = IDENTIFIER_PREFIX + ticket.conversation_id
    name = email or f"Customer on {channel_label(ticket.channel)}"
    contact = client.contact_for(name, email, identifier)
    conversation = client.create_conversation(
        contact,
        {"ticket_reference": ticket.reference, "rasa_conversation": ticket.conversation_id},
    )
    for content in (transcript_note(ticket), handoff_note(ticket)):
        try:
            client.post_message(conversation, content, private=True)
        except ChatwootError as error:
            logger.error("Chatwoot note on %s not posted: %s", conversation, error)
    try:
        client.set_labels(conversation, labels_for(ticket))
    except ChatwootError as error:
        logger.error("Chatwoot labels on %s not set: %s", conversation, error)
    return conversation


def forward_customer_message(client: ChatwootClient, conversation_id: str, text: str) -> None:
    """A message the customer wrote while the assistant is paused, for the agent to read
    (phone numbers and street addresses hidden, as the desk hides them)."""
    client.post_message(conversation_id, mask_for_desk(text), private=False)
