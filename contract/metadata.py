"""What bot events carry in `metadata`, who speaks, and the responses that move a conversation
between the assistant and a person (domain/handoff.yml).

User messages from the web widget may carry `verified_customer` (below).

Every bot message reaches a channel as Rasa's `BotUttered.message()`: text and buttons merged
with the event's metadata. Two marks are read from it:
- `agent`: the display name of the person who wrote it; the agent desk sets it on every reply;
- `utter_action`: the domain response a message was made from; Rasa sets it on the assistant's
  own messages and the agent desk on its notices (joined, back, closed);
- `claimed_by`: on the "has joined" notice, the display name of the person who claimed the
  conversation, so the web widget names them before their first reply.
"""

from typing import Final

AGENT_METADATA_KEY: Final = "agent"
VERIFIED_CUSTOMER_KEY: Final = "verified_customer"
"""User-message metadata set by the web-chat channel from a signed widget token: {"email": ...}.
The channel drops any value a browser sends under this key; the action server trusts it only
from the channels in config/identity.yml (`token_channels`)."""
CLIENT_ADDRESS_KEY: Final = "client_address"
"""User-message metadata set by the REST and web-chat channels: the address the customer's
connection comes from (Sanic's `remote_addr` when a proxy is configured, else the peer). A value
the client sends is replaced. The action server limits handoffs per address with it."""
RESPONSE_METADATA_KEY: Final = "utter_action"
CLAIMED_BY_METADATA_KEY: Final = "claimed_by"

CUSTOMER: Final = "customer"
ASSISTANT: Final = "assistant"
AGENT: Final = "agent"
"""Who wrote a message, as transcripts and channels label it."""

HANDOFF_RESPONSE_PREFIX: Final = "utter_handoff_"
RESPONSE_AGENT_JOINED: Final = "utter_handoff_agent_joined"
RESPONSE_BACK: Final = "utter_handoff_back"
RESPONSE_CLOSED: Final = "utter_handoff_closed"
RESPONSE_UNCLAIMED: Final = "utter_handoff_unclaimed"
RESPONSE_UNAVAILABLE: Final = "utter_handoff_unavailable"
RESPONSE_QUEUE: Final = "utter_handoff_queue"
RESPONSE_AFTER_HOURS: Final = "utter_handoff_after_hours"
RESPONSE_LIMITED: Final = "utter_handoff_limited"
