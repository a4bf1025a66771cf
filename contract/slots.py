"""Slot names shared by the action server, the handoff policy and the agent desk.

Authority for the customer's mood: the `frustration_score` and `frustration_level` slots of the
tracker. `action_analyze_turn` writes them after every customer message and the desk's hand-back
resets them; everything that decides (the handoff policy, the handoff action's queue priority,
response conditions) reads them. The per-turn series in Redis (`contract.turns`) is a history
for people to read (the desk's sentiment curve, the ticket summary); it never decides.
"""

from typing import Final

LIVE_AGENT_HANDOFF: Final = "live_agent_handoff"
HANDOFF_REASON: Final = "handoff_reason"
SENTIMENT_SCORE: Final = "sentiment_score"
FRUSTRATION_SCORE: Final = "frustration_score"
FRUSTRATION_LEVEL: Final = "frustration_level"
ORDER_NUMBER: Final = "order_number"
EMAIL: Final = "email"

CALM: Final = "calm"
ANNOYED: Final = "annoyed"
FRUSTRATED: Final = "frustrated"
LEVELS: Final = (CALM, ANNOYED, FRUSTRATED)
"""The values of `frustration_level`, mildest first."""
