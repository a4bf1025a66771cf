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

from agent_desk.i18n import gettext as _
from contract import keys
from orders.client import Order, OrderSystem, ShopError
from tickets.model import Ticket
from tickets.store import TicketStore

# Closed tickets searched for the same customer (newest first).
CLOSED_TICKETS_SEARCHED = 200


# Where a filed contact happened, relative to the ticket's conversation.
THIS_CONVERSATION = "this"
SAME_CHAT = "same_chat"  # the same visitor (sender id), an earlier session
OTHER_CHAT = "other"  # another sender id: another chat or channel, found by email or order


@dataclass(frozen=True)
class EarlierContact:
    """One conversation about one topic, as the contact history filed it."""

    topic: str
    ts: float
    where: str

    @property
    def same_visitor(self) -> bool:
        """Written from the same chat (sender id) as the ticket."""
        return self.where != OTHER_CHAT


@dataclass
class CustomerPanel:
    """What the page shows; `orders_note` says why there are no orders, when there are none."""

    email: str
    email_unverified: str = ""
    orders: list[Order] = field(default_factory=list)
    orders_note: str = ""
    # What this conversation was about so far (topics, newest first), apart from earlier ones.
    this_conversation: list[str] = field(default_factory=list)
    contacts: list[EarlierContact] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    # The email is proven: "" when not, else how (shown beside it).
    verified_how: str = ""


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
    panel.verified_how = verified_how(ticket)
    _add_orders(panel, shop)
    contacts = _contacts(ticket, client)
    panel.this_conversation = [c.topic for c in contacts if c.where == THIS_CONVERSATION]
    panel.contacts = [c for c in contacts if c.where != THIS_CONVERSATION]
    panel.tickets = _tickets(ticket, store)
    return panel


def verified_how(ticket: Ticket) -> str:
    """How the customer's email is known to be theirs, or "" when none is.

    The ticket's `email` is only ever a proven one (actions/handoff.py): the shop confirmed it
    owns the order the customer asked about (`proven_order`), or a signed widget token or a
    remembered Slack/Telegram user gave it. An email merely typed is `email_unverified`.
    """
    if not ticket.customer.get("email", ""):
        return ""
    order = ticket.customer.get("proven_order", "")
    if order:
        return _("the shop confirmed it owns order %(order)s") % {"order": order}
    return _("signed in or known from this channel")


def _add_orders(panel: CustomerPanel, shop: OrderSystem) -> None:
    if not panel.email:
        panel.orders_note = _("The customer has not proven an email, so their orders are unknown.")
        return
    try:
        panel.orders = shop.list_orders(email=panel.email)
    except ShopError as error:
        panel.orders_note = _("The shop did not answer (%(code)s); orders are unavailable.") % {
            "code": error.code
        }
        return
    if not panel.orders:
        panel.orders_note = _("The shop has no orders for %(email)s.") % {"email": panel.email}


def _where(conversation: str, ticket: Ticket) -> str:
    sender = ticket.customer.get("sender_id") or ticket.conversation_id
    if conversation == ticket.customer.get("conversation"):
        return THIS_CONVERSATION
    return SAME_CHAT if conversation.split("@")[0] == sender else OTHER_CHAT


def _contacts(ticket: Ticket, client: redis.Redis) -> list[EarlierContact]:
    """Each conversation and topic once, newest first.

    Members are "topic|order|sender@session" (actions/history.py); the conversation is the
    part after the last "|" (an order number never holds one).
    """
    seen: dict[str, EarlierContact] = {}
    for kind, value in identities(ticket):
        for member, score in client.zrange(keys.contacts(kind, value), 0, -1, withscores=True):
            text = member.decode() if isinstance(member, bytes) else str(member)
            topic, _, rest = text.partition("|")
            conversation = rest.rpartition("|")[2]
            key = f"{topic}|{conversation}"
            contact = EarlierContact(
                topic.replace("_", " "), float(score), _where(conversation, ticket)
            )
            if key not in seen or seen[key].ts < contact.ts:
                seen[key] = contact
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
