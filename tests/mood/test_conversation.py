"""Across messages: the smoothed mood, its level, and when it hands the customer to a person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from mood.conversation import ConversationMood, message_scores
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


def turn_of(frustration: float) -> TurnScore:
    """A message's score with nothing else to it."""
    return TurnScore(sentiment=0.0, frustration=frustration, reasons=(), says_repeat_contact=False)


def play(
    scores: Sequence[float], settings: FrustrationSettings
) -> list[tuple[bool, bool, ConversationMood]]:
    """(offered now, handed over now, mood) after each message, offering as the action does."""
    mood = ConversationMood.initial()
    found = []
    for score in scores:
        mood = mood.update(turn_of(score), settings)
        hand_over = mood.should_hand_over(settings)
        offer = not hand_over and mood.should_offer(settings)
        if offer:
            mood = replace(mood, offered=True)
        found.append((offer, hand_over, mood))
    return found


def test_three_annoyed_messages_offer_a_person_then_still_annoyed_hands_over(
    settings: FrustrationSettings,
) -> None:
    annoyed = (settings.levels.annoyed + settings.levels.frustrated) / 2
    steps = play([annoyed] * 5, settings)
    assert settings.handoff.sustained.annoyed_turns == 3
    assert [offer for offer, _, _ in steps] == [False, False, True, False, False]
    assert [hand for _, hand, _ in steps] == [False, False, False, True, True]
    assert all(mood.smoothed < settings.handoff.threshold for _, _, mood in steps)


def test_calm_after_the_offer_does_not_hand_over(settings: FrustrationSettings) -> None:
    annoyed = (settings.levels.annoyed + settings.levels.frustrated) / 2
    steps = play([annoyed, annoyed, annoyed, 0.05, annoyed], settings)
    assert [offer for offer, _, _ in steps] == [False, False, True, False, False]
    assert not steps[3][1]
    # one offer per conversation: annoyed again later hands over rather than offering again
    assert steps[4][1]


def test_a_rising_score_offers_a_person(settings: FrustrationSettings) -> None:
    low = settings.levels.annoyed
    steps = play([0.05, low - 0.15, low - 0.05, low + 0.05], settings)
    assert [offer for offer, _, _ in steps] == [False, False, False, True]


def test_a_rule_set_to_zero_never_offers(settings: FrustrationSettings) -> None:
    """config/handoff.yml switches each sustained rule off with 0: the streak..."""
    annoyed = (settings.levels.annoyed + settings.levels.frustrated) / 2
    rule = settings.handoff.sustained
    no_streak = replace(
        settings, handoff=replace(settings.handoff, sustained=replace(rule, annoyed_turns=0))
    )
    assert not any(offer for offer, _, _ in play([annoyed] * 5, no_streak))
    # ...and the rising trend, which alone still offers while the streak is off.
    low = settings.levels.annoyed
    rising = [0.05, low - 0.15, low - 0.05, low + 0.05]
    assert play(rising, no_streak)[-1][0]
    no_trend = replace(
        no_streak,
        handoff=replace(
            no_streak.handoff, sustained=replace(rule, annoyed_turns=0, rising_turns=0)
        ),
    )
    assert not any(offer for offer, _, _ in play(rising, no_trend))


def test_calm_and_mixed_conversations_are_never_offered_a_person(
    settings: FrustrationSettings,
) -> None:
    annoyed = (settings.levels.annoyed + settings.levels.frustrated) / 2
    for scores in ([0.05] * 8, [annoyed, 0.05, annoyed, 0.05, annoyed, 0.05]):
        steps = play(scores, settings)
        assert not any(offer or hand for offer, hand, _ in steps), scores


def test_the_offer_and_recent_scores_are_kept_in_slots(settings: FrustrationSettings) -> None:
    annoyed = (settings.levels.annoyed + settings.levels.frustrated) / 2
    *_, (_, _, mood) = play([annoyed] * 3, settings)
    again = ConversationMood.from_slots(
        mood.smoothed, 0.0, mood.turns, mood.level, list(mood.recent), mood.offered
    )
    assert again.offered and again.recent == mood.recent
    assert again.update(turn_of(annoyed), settings).should_hand_over(settings)
    # after a hand-back the count restarts: nothing earlier is carried
    fresh = ConversationMood.from_slots(0.2, 0.0, 0, "annoyed", list(mood.recent), True)
    assert fresh.recent == () and not fresh.offered


def test_polite_fury_is_handed_over_within_two_turns(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """No capitals, no '!!!', no swearing (mood/LABELLING.md rule 3: frustrated)."""
    moods = moods_of(
        [
            "This is the worst service I have ever received. I am deeply disappointed.",
            "I expect this to be fixed today. I have been a loyal customer for years.",
        ],
        analyzer,
        settings,
    )
    assert moods[0].level != "calm"
    assert moods[1].should_hand_over(settings)


def test_message_scores_are_recovered_from_the_smoothed_series(
    settings: FrustrationSettings,
) -> None:
    """The action server keeps only the smoothed score in a slot; the messages' own scores
    the sustained rule reads are recovered from it exactly."""
    scores = [0.2, 0.55, 0.1, 0.7, 0.65, 0.05]
    *_, (_, _, mood) = play(scores, settings)
    smoothed = []
    state = ConversationMood.initial()
    for score in scores:
        state = state.update(turn_of(score), settings)
        smoothed.append(state.smoothed)
    recovered = message_scores(smoothed, 0.0, settings)
    assert recovered == pytest.approx(scores)
    assert mood.recent == pytest.approx(scores[-settings.handoff.sustained.keep :])


def test_polite_fury_counts_as_frustrated_whatever_the_message_scores(
    settings: FrustrationSettings,
) -> None:
    """A polite message the wording's score reads only annoyed ("deeply disappointed"), then
    one still annoyed: handed over at the second message (config handoff.sustained)."""
    annoyed = settings.levels.annoyed + 0.05
    polite = TurnScore(
        sentiment=0.0,
        frustration=annoyed,
        reasons=("strong_dissatisfaction",),
        says_repeat_contact=False,
        strong_dissatisfaction=True,
    )
    first = ConversationMood.initial().update(polite, settings)
    assert first.recent == (settings.levels.frustrated,)
    assert not first.should_hand_over(settings)
    assert first.update(turn_of(annoyed), settings).should_hand_over(settings)
    # without the phrase, the same scores are two annoyed messages: no handoff yet
    plain = ConversationMood.initial().update(turn_of(annoyed), settings)
    assert not plain.update(turn_of(annoyed), settings).should_hand_over(settings)


def lone_upset_score(settings: FrustrationSettings, before: float) -> float:
    """A message score that takes the smoothed score from `before` to the handoff threshold
    while staying below the single-message threshold: upset, but not sure enough alone."""
    needed = (settings.handoff.threshold - (1 - settings.smoothing_alpha) * before) / (
        settings.smoothing_alpha
    )
    score = (needed + settings.handoff.single_message_threshold) / 2
    assert needed < score < settings.handoff.single_message_threshold
    return score


def test_one_upset_message_after_a_calm_one_needs_a_second(
    settings: FrustrationSettings,
) -> None:
    """One upset message reaching the threshold is not a trend (handoff.single_message_*)..."""
    calm = 0.05
    upset = lone_upset_score(settings, settings.smoothing_alpha * calm)
    first = ConversationMood.initial().update(turn_of(calm), settings)
    lone = first.update(turn_of(upset), settings)
    assert lone.smoothed >= settings.handoff.threshold
    assert not lone.should_hand_over(settings)
    # ...the next message still annoyed hands over (polite fury's two turns)...
    annoyed = settings.levels.annoyed + 0.05
    assert lone.update(turn_of(annoyed), settings).should_hand_over(settings)
    # ...and one that calms down does not.
    assert not lone.update(turn_of(calm), settings).should_hand_over(settings)


def test_one_message_hands_over_alone_when_very_sure_or_with_a_strong_cue(
    settings: FrustrationSettings,
) -> None:
    first = ConversationMood.initial().update(turn_of(0.05), settings)
    sure = first.update(turn_of(settings.handoff.single_message_threshold), settings)
    assert sure.should_hand_over(settings)
    upset = lone_upset_score(settings, first.smoothed)
    for cue in sorted(settings.handoff.single_message_cues):
        strong = TurnScore(0.0, upset, (cue,), says_repeat_contact=False)
        assert first.update(strong, settings).should_hand_over(settings), cue
    plain = TurnScore(0.0, upset, ("negative", "exclamations"), says_repeat_contact=False)
    assert not first.update(plain, settings).should_hand_over(settings)


def test_two_upset_messages_in_a_row_hand_over_at_the_threshold(
    settings: FrustrationSettings,
) -> None:
    annoyed = settings.levels.annoyed + 0.05
    first = ConversationMood.initial().update(turn_of(annoyed), settings)
    second = first.update(turn_of(lone_upset_score(settings, first.smoothed)), settings)
    assert second.should_hand_over(settings)


def test_the_reply_tone_follows_the_message_up_to_annoyed(settings: FrustrationSettings) -> None:
    """An annoyed first message gets the annoyed tone though the smoothed score is lower..."""
    levels = settings.levels
    annoyed = levels.annoyed + 0.02
    first = ConversationMood.initial().update(turn_of(annoyed), settings)
    assert first.smoothed < levels.annoyed
    assert first.level == "annoyed"
    # ...a frustrated message alone raises the tone to annoyed, not to frustrated...
    furious = ConversationMood.initial().update(turn_of(levels.frustrated + 0.1), settings)
    assert furious.smoothed < levels.frustrated
    assert furious.level == "annoyed"
    # ...and a calm message keeps the conversation's level.
    calmer = furious.update(turn_of(0.0), settings)
    assert calmer.level == levels.level_of(calmer.smoothed) == "annoyed"
    assert ConversationMood.initial().update(turn_of(0.05), settings).level == "calm"


def test_a_reproachful_question_mark_run_is_answered_in_the_annoyed_tone(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """mood/LABELLING.md: "??" as reproach is annoyed, also in a first message."""
    (mood,) = moods_of(["when will my parcel arrive??"], analyzer, settings)
    assert mood.level == "annoyed"
    (plain,) = moods_of(["when will my parcel arrive?"], analyzer, settings)
    assert plain.level == "calm"


def test_the_tone_follows_the_words_not_what_the_dialogue_adds(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """A pressed button answering the assistant's question repeats the request's intent: the
    repeated-request signal counts through the smoothed score, not in this reply's tone."""
    pressed = analyzer.analyze("Order 10003", DialogueSignals(repeated_request=True))
    assert (
        pressed.frustration
        >= settings.levels.annoyed
        > pressed.frustration - (pressed.dialogue_share)
    )
    assert ConversationMood.initial().update(pressed, settings).level == "calm"
