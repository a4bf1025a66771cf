"""Slot names shared by the action server, the handoff policy and the agent desk.

Authority for the customer's mood: the `frustration_score` and `frustration_level` slots of the
tracker. `action_read_turn` writes them after every customer message and the desk's hand-back
resets them; everything that decides (the handoff policy, the handoff action's queue priority,
response conditions) reads them. The per-turn series in Redis (`contract.turns`) is a history
for people to read (the desk's sentiment curve, the ticket summary); it never decides.
"""

from typing import Final

LIVE_AGENT_HANDOFF: Final = "live_agent_handoff"
HANDOFF_REASON: Final = "handoff_reason"
# True on the turn a customer who stayed annoyed is offered a person (actions/offer.py).
PERSON_OFFERED: Final = "person_offered"
SENTIMENT_SCORE: Final = "sentiment_score"
FRUSTRATION_SCORE: Final = "frustration_score"
FRUSTRATION_LEVEL: Final = "frustration_level"
ORDER_NUMBER: Final = "order_number"
EMAIL: Final = "email"

# Who the customer is proven to be (actions/identity.py, actions/order_forms.py): the email of
# a signed widget token, a remembered Slack/Telegram user, or an email the shop confirmed.
VERIFIED_EMAIL: Final = "verified_email"
# The order that `verified_email` was shown to own, so one order is checked with the shop once.
PROVEN_ORDER: Final = "proven_order"
# The customer's answer to "what's the email on the order?", and the wrong answers so far.
OWNER_EMAIL: Final = "owner_email"
VERIFY_ATTEMPTS: Final = "verify_attempts"
# Set by a form's validation to end the form early (refused, locked, shop down): the form's
# own required slots then come back empty and its submit action does nothing.
FLOW_STOPPED: Final = "flow_stopped"
IDENTITY_SLOTS: Final = (VERIFIED_EMAIL, PROVEN_ORDER, OWNER_EMAIL, VERIFY_ATTEMPTS)
"""Never carried into a new session: a new conversation proves ownership again."""

CALM: Final = "calm"
ANNOYED: Final = "annoyed"
FRUSTRATED: Final = "frustrated"
LEVELS: Final = (CALM, ANNOYED, FRUSTRATED)
"""The values of `frustration_level`, mildest first."""
