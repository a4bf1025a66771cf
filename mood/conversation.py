"""The conversation's mood across messages: smoothed frustration, sharp drops, handoff.

The whole state is the smoothed score, the last sentiment and the number of messages, so the
action server can keep it in slots (frustration_score, sentiment_score) and rebuild it each turn
with `ConversationMood.from_slots`.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.slots import CALM, LEVELS
from mood.analyzer import TurnScore
from mood.settings import FrustrationSettings


@dataclass(frozen=True)
class ConversationMood:
    """The mood after the messages analysed so far."""

    smoothed: float
    """Exponentially weighted average of the messages' frustration, in [0, 1]."""
    previous_sentiment: float | None
    """Sentiment of the latest message, None before the first."""
    turns: int
    """Messages analysed."""
    sharp_drop: bool
    """The latest message's sentiment fell sharply while the mood was already low."""
    level: str
    """calm, annoyed or frustrated: the level of `smoothed`."""

    @classmethod
    def initial(cls) -> ConversationMood:
        """A conversation before its first message: calm."""
        return cls(smoothed=0.0, previous_sentiment=None, turns=0, sharp_drop=False, level=CALM)

    @classmethod
    def from_slots(
        cls,
        frustration_score: float | None,
        sentiment_score: float | None,
        turns: int | None,
        level: str | None = None,
    ) -> ConversationMood:
        """The mood kept in slots (empty slots mean a new conversation).

        `level` is the frustration_level slot; it only matters if the mood is read before the
        next `update`, which recomputes it. A sharp drop is an event of one update and is not
        carried over.
        """
        count = max(0, int(turns or 0))
        smoothed = min(1.0, max(0.0, float(frustration_score or 0.0)))
        previous = None if count == 0 or sentiment_score is None else float(sentiment_score)
        return cls(
            smoothed=smoothed,
            previous_sentiment=previous,
            turns=count,
            sharp_drop=False,
            level=level if level in LEVELS else CALM,
        )

    def update(self, turn: TurnScore, settings: FrustrationSettings) -> ConversationMood:
        """The mood after one more message."""
        # Worse news counts at once; calmer messages bring the score down gradually, so one
        # neutral line right after an angry one does not make the conversation look calm.
        calming = turn.frustration < self.smoothed
        alpha = settings.smoothing_calming_alpha if calming else settings.smoothing_alpha
        smoothed = alpha * turn.frustration + (1.0 - alpha) * self.smoothed
        rule = settings.handoff.sharp_drop
        sharp_drop = (
            self.previous_sentiment is not None
            and self.previous_sentiment - turn.sentiment >= rule.sentiment_drop
            and smoothed >= rule.min_smoothed
        )
        return ConversationMood(
            smoothed=smoothed,
            previous_sentiment=turn.sentiment,
            turns=self.turns + 1,
            sharp_drop=sharp_drop,
            level=settings.levels.level_of(smoothed),
        )

    def should_hand_over(self, settings: FrustrationSettings) -> bool:
        """A person should take over: the mood is bad enough, or just dropped sharply."""
        handoff = settings.handoff
        if self.turns < handoff.min_turns:
            return False
        return self.smoothed >= handoff.threshold or self.sharp_drop
