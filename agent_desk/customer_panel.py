"""The customer panel of the conversation page: who the customer is, their orders in the shop,
and their earlier conversations and tickets.

It exists so the handoff message's promise ("they'll see your earlier conversations") is true:
an agent sees at once that this customer wrote about the same parcel on Slack yesterday.
Sources, all already kept: the shop (orders of the email the customer gave), the contact
history the action server files per identity (`contract.keys.contacts`: sender id, email,
order number, within the repeated-contact window), and the ticket store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import redis

from contract import keys
from orders.client import Order, OrderSystem, ShopError
from tickets.model import Ticket
from tickets.store import TicketStore

# Closed tickets searched for the same customer (newest first).
CLOSED_TICKETS_SEARCHED = 200


@dataclass(frozen=True)
class EarlierContact:
    """One conversation about one topic, as the contact history filed it."""

    topic: str
    ts: float
    same_visitor: bool


@dataclass
class CustomerPanel:
    """What the page shows; `orders_note` says why there are no orders, when there are none."""

    email: str
    email_unverified: str = ""
    orders: list[Order] = field(default_factory=list)
    orders_note: str = ""
    contacts: list[EarlierContact] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)


def identities(ticket: Ticket) -> list[tuple[str, str]]:
    """The identities the contact history is filed under (actions/turn_analysis.py)."""
    found = [("sender", ticket.customer.get("sender_id") or ticket.conversation_id)]
    if ticket.customer.get("email"):
        found.append(("email", ticket.customer["email"].strip().lower()))
    if ticket.customer.get("order_number"):
        found.append(("order", ticket.customer["order_number"]))
    return found


def customer_panel(
    ticket: Ticket, shop: OrderSystem, client: redis.Redis, store: TicketStore
) -> CustomerPanel:
    """Everything the desk knows about this ticket's customer, from the three sources."""
    panel = CustomerPanel(
        email=ticket.customer.get("email", ""),
        email_unverified=ticket.customer.get("email_unverified", ""),
    )
    _add_orders(panel, shop)
    panel.contacts = _contacts(ticket, client)
    panel.tickets = _tickets(ticket, store)
    return panel


def _add_orders(panel: CustomerPanel, shop: OrderSystem) -> None:
    if not panel.email:
        panel.orders_note = "The customer has not proven an email, so their orders are unknown."
        return
    try:
        panel.orders = shop.list_orders(email=panel.email)
    except ShopError as error:
        panel.orders_note = f"The shop did not answer ({error.code}); orders are unavailable."
        return
    if not panel.orders:
        panel.orders_note = f"The shop has no orders for {panel.email}."


def _contacts(ticket: Ticket, client: redis.Redis) -> list[EarlierContact]:
    """Each conversation and topic once, newest first; members are "topic|sender@session"."""
    sender = ticket.customer.get("sender_id") or ticket.conversation_id
    seen: dict[str, EarlierContact] = {}
    for kind, value in identities(ticket):
        for member, score in client.zrange(keys.contacts(kind, value), 0, -1, withscores=True):
            text = member.decode() if isinstance(member, bytes) else str(member)
            topic, _, conversation = text.partition("|")
            seen[text] = EarlierContact(
                topic.replace("_", " "), float(score), conversation.split("@")[0] == sender
            )
    return sorted(seen.values(), key=lambda contact: contact.ts, reverse=True)


def _tickets(ticket: Ticket, store: TicketStore) -> list[Ticket]:
    """Other tickets (open or recently closed) of the same visitor, email or order."""
    mine = set(identities(ticket))

    def same_customer(other: Ticket) -> bool:
        return other.reference != ticket.reference and bool(mine & set(identities(other)))

    candidates = store.queue() + store.recently_closed(CLOSED_TICKETS_SEARCHED)
    return sorted(
        (t for t in candidates if same_customer(t)), key=lambda t: t.created_at, reverse=True
    )
