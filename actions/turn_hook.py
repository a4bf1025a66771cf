"""The one action Rasa calls after every customer message: who the customer is
(actions/identity.py) and how the turn reads (actions/turn_analysis.py); while a Chatwoot agent
has the conversation, the message is also passed on to Chatwoot (actions/handoff.py).

Rasa runs it during slot extraction because the domain's slots name it in `custom` mappings
(ActionExtractSlots), inside forms and while the conversation is paused too. Both parts used to
be separate actions, so every message cost the Rasa server two action-server calls, each with
the conversation serialised, an HTTP round trip and the response checked (benchmarks/README.md).
The parts read the same tracker and neither reads what the other sets, so they run side by side
and their events are returned together.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import forward_while_paused
from actions.identity import ActionIdentifyCustomer
from actions.language import language_events
from actions.turn_analysis import ActionAnalyzeTurn


class ActionReadTurn(Action):
    """Sets the language, identity, mood and handoff slots for the latest message."""

    def name(self) -> str:
        """Name used in the domain's custom slot mappings."""
        return "action_read_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The language first (cheap, read by the replies), then identity, then the mood."""
        identified, analysed, _ = await asyncio.gather(
            ActionIdentifyCustomer().run(dispatcher, tracker, domain),
            ActionAnalyzeTurn().run(dispatcher, tracker, domain),
            forward_while_paused(tracker),
        )
        return [*language_events(tracker), *identified, *analysed]
