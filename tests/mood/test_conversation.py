"""Across messages: the smoothed mood, its level, and when it hands the customer to a person."""

from __future__ import annotations

from collections.abc import Sequence

from mood.analyzer import TurnAnalyzer, TurnScore
from mood.conversation import ConversationMood
from mood.settings import FrustrationSettings


def moods_of(
    texts: Sequence[str], analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> list[ConversationMood]:
    """The mood after each message of a conversation."""
    mood = ConversationMood.initial()
    moods = []
    for text in texts:
        mood = mood.update(analyzer.analyze(text), settings)
        moods.append(mood)
    return moods


def test_a_new_conversation_is_calm(settings: FrustrationSettings) -> None:
    mood = ConversationMood.initial()
    assert (mood.level, mood.turns, mood.smoothed) == ("calm", 0, 0.0)
    assert not mood.should_hand_over(settings)


def test_worsening_conversation_hands_over_within_four_turns(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    moods = moods_of(
        [
            "where is my order",
            "it was supposed to arrive last week, this is not ok",
            "this is the third time I'm asking, nobody answers!!",
            "UNBELIEVABLE. useless.",
        ],
        analyzer,
        settings,
    )
    handed_over = [mood.should_hand_over(settings) for mood in moods]
    assert handed_over[:2] == [False, False]
    assert handed_over[3]
    assert moods[3].level == "frustrated"
    assert [m.smoothed for m in moods] == sorted(m.smoothed for m in moods)


def test_one_blunt_no_does_not_hand_over(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    moods = moods_of(
        ["hi, where is order 100234?", "thanks, great!", "no", "ok, and when will it arrive?"],
        analyzer,
        settings,
    )
    assert not any(mood.should_hand_over(settings) for mood in moods)
    assert not any(mood.sharp_drop for mood in moods)  # "thanks, great!" -> "no" is no drop
    assert all(mood.level == "calm" for mood in moods)


def test_single_furious_message_is_frustrated_at_once(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    first, calmer = moods_of(
        ["WHERE THE F*** IS MY ORDER, THIS IS A JOKE!!!", "ok, it's order 100234"],
        analyzer,
        settings,
    )
    assert first.level == "frustrated"
    # The assistant answers once in the frustrated tone (which offers a person) first...
    assert not first.should_hand_over(settings)
    # ...and a customer who calms down stays with it.
    assert not calmer.should_hand_over(settings)
    assert calmer.smoothed < first.smoothed


def test_two_furious_messages_hand_over(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    moods = moods_of(
        ["WHERE THE F*** IS MY ORDER, THIS IS A JOKE!!!", "ARE YOU EVEN LISTENING?? useless bot"],
        analyzer,
        settings,
    )
    assert moods[1].should_hand_over(settings)


def turn(sentiment: float, frustration: float) -> TurnScore:
    """A scored message with the given values (the rule under test only reads these)."""
    return TurnScore(sentiment, frustration, ("negative",), says_repeat_contact=False)


def test_sharp_drop_hands_over_below_the_threshold(settings: FrustrationSettings) -> None:
    rule = settings.handoff.sharp_drop
    # A conversation that is annoyed, though below the handoff threshold...
    mood = ConversationMood.from_slots(
        frustration_score=rule.min_smoothed, sentiment_score=0.6, turns=3
    )
    # ...whose next message falls sharply in sentiment.
    dropped = mood.update(turn(0.6 - rule.sentiment_drop - 0.05, rule.min_smoothed), settings)
    assert dropped.smoothed < settings.handoff.threshold
    assert dropped.sharp_drop
    assert dropped.should_hand_over(settings)


def test_sharp_drop_needs_an_already_low_mood(settings: FrustrationSettings) -> None:
    mood = ConversationMood.from_slots(frustration_score=0.0, sentiment_score=0.9, turns=3)
    dropped = mood.update(turn(-0.3, 0.1), settings)
    assert not dropped.sharp_drop
    assert not dropped.should_hand_over(settings)


def test_no_handoff_before_the_minimum_turns(settings: FrustrationSettings) -> None:
    mood = ConversationMood.initial().update(turn(-1.0, 1.0), settings)
    assert mood.smoothed >= settings.handoff.threshold  # as bad as a first message gets...
    assert mood.turns < settings.handoff.min_turns  # ...yet the assistant answers it once
    assert not mood.should_hand_over(settings)


def test_state_kept_in_slots_continues_the_same_conversation(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    texts = ["where is my parcel", "still nothing??", "this is useless, nobody answers"]
    direct = moods_of(texts, analyzer, settings)[-1]

    mood = ConversationMood.from_slots(None, None, 0)
    for text in texts:
        mood = mood.update(analyzer.analyze(text), settings)
        # What the action server writes to the slots, and reads back on the next message:
        mood = ConversationMood.from_slots(
            mood.smoothed, mood.previous_sentiment, mood.turns, mood.level
        )
    assert (mood.smoothed, mood.previous_sentiment, mood.turns, mood.level) == (
        direct.smoothed,
        direct.previous_sentiment,
        direct.turns,
        direct.level,
    )


def test_empty_slots_are_a_new_conversation() -> None:
    assert ConversationMood.from_slots(None, None, None) == ConversationMood.initial()
    assert ConversationMood.from_slots(0.0, 0.4, 0).previous_sentiment is None


def test_one_neutral_line_after_an_angry_one_does_not_look_calm(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    angry, neutral = moods_of(
        ["this is ridiculous, it is late AGAIN!!!", "I want to speak to a person"],
        analyzer,
        settings,
    )
    assert angry.level != "calm"
    assert neutral.level != "calm"
    assert neutral.smoothed < angry.smoothed
