"""The conversation's mood across messages: smoothed frustration, sharp drops, sustained
annoyance, handoff.

The whole state is the smoothed score, the last sentiment, the number of messages, the latest
messages' own scores and whether a person was offered, so the action server can rebuild it each
turn with `ConversationMood.from_slots` from the tracker: the slots frustration_score and
sentiment_score, the messages' own scores recovered from the frustration_score set after each
earlier message (`message_scores`), and the person_offered slot.

Sustained annoyance: a customer who stays annoyed without reaching the handoff threshold
(several annoyed messages in a row, or a score rising message after message) is first offered
a person (`should_offer`); if the next message still reads annoyed, a person takes over.

One message is not a trend: the smoothed score reaching the threshold hands over only when the
message is very sure on its own (`handoff.single_message_threshold`, a strong cue such as
swearing or a threat) or the one before it read at least annoyed too; a lone upset message is
answered in the upset tone, and the next one decides (`sustained.after_frustrated`).
The level the replies follow is the smoothed score's, raised by the latest message's own level
up to annoyed: an impatient first message gets the plainer annoyed answer at once, while only
the conversation's score can make it frustrated. The message's own level there is what its words
show: what the dialogue's signals add (a repeated request read from the intents, which a pressed
button answering the assistant's question also looks like) counts through the smoothed score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contract.slots import ANNOYED, CALM, LEVELS
from mood.analyzer import TurnScore
from mood.settings import FrustrationSettings


def message_scores(
    smoothed: Sequence[float], start: float, settings: FrustrationSettings
) -> list[float]:
    """The messages' own scores, given the smoothed score after each (oldest first) and the one
    before the first: `ConversationMood.update` undone (a falling score used `calming_alpha`)."""
    found = []
    before = start
    for after in smoothed:
        alpha = settings.smoothing_calming_alpha if after < before else settings.smoothing_alpha
        found.append(min(1.0, max(0.0, (after - (1.0 - alpha) * before) / alpha)))
        before = after
    return found


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
    """calm, annoyed or frustrated: the level of `smoothed`, or the latest message's words' own
    level if higher, at most annoyed (`tone_level`)."""
    recent: tuple[float, ...] = ()
    """The latest messages' own frustration, this one last (at most `SustainedAnnoyance.keep`)."""
    offered: bool = False
    """A person was offered earlier in the conversation (`should_offer`)."""
    annoyed_after_offer: bool = False
    """The latest message, after a person was offered, is still at least annoyed."""
    still_upset: bool = False
    """A frustrated message was followed by `sustained.after_frustrated` messages that each
    still read at least annoyed, this one last."""
    confirmed: bool = False
    """`smoothed` may hand over: the latest message is very sure on its own
    (`handoff.single_message_threshold` or one of `handoff.single_message_cues`), or the
    message before it read at least annoyed too."""

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
        recent: Sequence[float] = (),
        offered: bool = False,
    ) -> ConversationMood:
        """The mood kept in slots (empty slots mean a new conversation).

        `level` is the frustration_level slot; it only matters if the mood is read before the
        next `update`, which recomputes it. A sharp drop is an event of one update and is not
        carried over. `recent` (the earlier messages' own scores, `message_scores`) keeps at
        most `turns` values (a hand-back starts the count afresh).
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
            recent=tuple(float(v) for v in recent)[-count:] if count else (),
            offered=offered and count > 0,
        )

    def update(self, turn: TurnScore, settings: FrustrationSettings) -> ConversationMood:
        """The mood after one more message."""
        # Worse news counts at once; calmer messages bring the score down gradually, so one
        # neutral line right after an angry one does not make the conversation look calm.
        frustration = turn.frustration
        if turn.strong_dissatisfaction:
            # Polite fury: as upset as shouting, though the wording's score may not show it.
            frustration = max(frustration, settings.levels.frustrated)
        calming = frustration < self.smoothed
        alpha = settings.smoothing_calming_alpha if calming else settings.smoothing_alpha
        smoothed = alpha * frustration + (1.0 - alpha) * self.smoothed
        handoff = settings.handoff
        rule = handoff.sharp_drop
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
            level=tone_level(smoothed, frustration - turn.dialogue_share, settings),
            recent=(*self.recent, frustration)[-handoff.sustained.keep :],
            offered=self.offered,
            annoyed_after_offer=self.offered and frustration >= settings.levels.annoyed,
            still_upset=_still_upset((*self.recent, frustration), settings),
            confirmed=(
                frustration >= handoff.single_message_threshold
                or not handoff.single_message_cues.isdisjoint(turn.reasons)
                or (bool(self.recent) and self.recent[-1] >= settings.levels.annoyed)
            ),
        )

    def should_hand_over(self, settings: FrustrationSettings) -> bool:
        """A person should take over: the mood is bad enough, or just dropped sharply, or the
        customer stayed annoyed after a person was offered or after a frustrated message."""
        handoff = settings.handoff
        if self.turns < handoff.min_turns:
            return False
        return (
            (self.smoothed >= handoff.threshold and self.confirmed)
            or self.sharp_drop
            or self.annoyed_after_offer
            or self.still_upset
        )

    def should_offer(self, settings: FrustrationSettings) -> bool:
        """Offer a person now: the customer has stayed annoyed (`handoff.sustained`), no person
        was offered yet and no handoff is due anyway."""
        rule = settings.handoff.sustained
        if self.offered or self.should_hand_over(settings):
            return False
        annoyed = settings.levels.annoyed
        streak = 0
        for value in reversed(self.recent):
            if value < annoyed:
                break
            streak += 1
        rising = self.recent[-rule.rising_turns :] if rule.rising_turns else ()
        trend = (
            len(rising) == rule.rising_turns > 1
            and rising[-1] >= annoyed
            and all(b - a >= rule.min_rise for a, b in zip(rising, rising[1:], strict=False))
        )
        return 0 < rule.annoyed_turns <= streak or trend


def tone_level(smoothed: float, message: float, settings: FrustrationSettings) -> str:
    """The level the replies follow: the conversation's (`smoothed`), or the message's own if
    higher, at most annoyed. Frustrated takes the conversation: one message is not a trend."""
    levels = settings.levels
    own = min(LEVELS.index(levels.level_of(message)), LEVELS.index(ANNOYED))
    return LEVELS[max(LEVELS.index(levels.level_of(smoothed)), own)]


def _still_upset(scores: Sequence[float], settings: FrustrationSettings) -> bool:
    """The last `sustained.after_frustrated` messages' own scores are at least annoyed and the
    message before them is frustrated."""
    after = settings.handoff.sustained.after_frustrated
    if after == 0 or len(scores) <= after:
        return False
    levels = settings.levels
    return scores[-after - 1] >= levels.frustrated and all(
        score >= levels.annoyed for score in scores[-after:]
    )
