"""One message at a time: the level a customer's message gets and the reasons shown for it."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from mood.dialogue import BOT, USER, Line
from mood.settings import FrustrationSettings


def level(turn: TurnScore, settings: FrustrationSettings) -> str:
    """The level the agent desk and the tone would show for this message alone."""
    return settings.levels.level_of(turn.frustration)


@pytest.mark.parametrize(
    "text",
    [
        "where is my order?",
        "hi, can you check order 100234 for me please",
        "I'd like to cancel order 4420019, I ordered the wrong size",
        "i wnat to cancle my oder pls",
        "thanks, that's all",
    ],
)
def test_routine_requests_are_calm_with_no_reasons(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert level(turn, settings) == "calm"
    assert turn.reasons == ()
    assert not turn.says_repeat_contact


@pytest.mark.parametrize(
    "text",
    [
        "can you refund it to my bank account?",
        "I'm not home right now, can the courier come later?",
        "is it today or tomorrow?",
        "I'd like to speak to a manager please",
        "how long does shipping to Canada take?",
        "I'm reporting a problem with order 100234",
    ],
)
def test_calm_messages_with_words_of_cue_phrases_fire_no_cue(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert set(turn.reasons) <= {"negative"}  # only the model may find them a little negative
    assert level(turn, settings) != "frustrated"


@pytest.mark.parametrize("text", ["yes", "no", "ok", "nope", "NO", "AB12345", "RF-7K2Q9A"])
def test_one_word_answers_are_calm(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert level(analyzer.analyze(text), settings) == "calm"


def test_negation_not_happy_at_all_is_negative(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze("not happy at all")
    assert turn.sentiment < 0
    assert "negative" in turn.reasons
    assert level(turn, settings) == "annoyed"


def test_negated_anger_stays_calm(analyzer: TurnAnalyzer, settings: FrustrationSettings) -> None:
    turn = analyzer.analyze("I'm not angry, just wondering where my parcel is")
    assert level(turn, settings) == "calm"
    assert turn.sentiment > 0


def test_polite_but_furious_is_frustrated(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze(
        "Dear team, thank you for your reply. I am extremely disappointed: this is the third "
        "time I am writing about order 100234 and it is frankly unacceptable. Kind regards"
    )
    assert level(turn, settings) == "frustrated"
    assert {"negative", "repeat_contact_phrase"} <= set(turn.reasons)
    assert turn.says_repeat_contact


@pytest.mark.parametrize(
    "text",
    [
        "my order AB12345 hasn't arrived yet, can you check?",
        "please check AB12345 and RF-7K2Q9A, thanks",
        "Refund RF-7K2Q9A for order 100234 via UPS, ok?",
    ],
)
def test_capital_order_numbers_and_acronyms_are_not_shouting(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert "capitals" not in turn.reasons
    assert level(turn, settings) == "calm"


def test_shouting_with_question_marks_is_frustrated(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    # Plain VADER scores this 0.0: capitals and '?' only amplify words that carry sentiment.
    turn = analyzer.analyze("WHERE IS MY REFUND???")
    assert {"capitals", "exclamations"} <= set(turn.reasons)
    assert level(turn, settings) == "frustrated"


def test_one_emphasised_word_is_not_shouting(analyzer: TurnAnalyzer) -> None:
    assert "capitals" not in analyzer.analyze("I NEED it by Friday, is that possible?").reasons


def test_double_question_mark_is_annoyed_single_is_not(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    assert level(analyzer.analyze("where is my parcel?"), settings) == "calm"
    doubled = analyzer.analyze("where is my parcel??")
    assert doubled.reasons == ("exclamations",)
    assert level(doubled, settings) == "annoyed"


@pytest.mark.parametrize("text", ["great, just great", "oh great, the parcel is lost again"])
def test_sarcasm_markers_turn_praise_into_a_complaint(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert SentimentIntensityAnalyzer().polarity_scores(text)["compound"] > 0  # VADER is fooled
    turn = analyzer.analyze(text)
    assert "sarcasm" in turn.reasons
    assert turn.sentiment < 0
    assert level(turn, settings) in ("annoyed", "frustrated")


def test_sincere_thanks_is_not_sarcasm(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze("great, thanks for your help!")
    assert turn.sentiment > 0
    assert level(turn, settings) == "calm"


@pytest.mark.parametrize(
    "text",
    ["where the f*** is my parcel", "this is sh*t", "f#ck this", "$hit service", "what the f**k"],
)
def test_masked_profanity_is_recognised(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert "profanity" in turn.reasons
    assert turn.sentiment < 0  # VADER reads the word the mask hides
    assert level(turn, settings) == "frustrated"


@pytest.mark.parametrize(
    "text",
    [
        "I paid $50 for *express* delivery",
        "I live in Scunthorpe, is delivery free?",
        "the class was cancelled, can I get a refund",
        "my email is a***@example.com",
    ],
)
def test_symbols_and_innocent_words_are_not_profanity(analyzer: TurnAnalyzer, text: str) -> None:
    assert "profanity" not in analyzer.analyze(text).reasons


def test_furious_message_with_profanity_and_capitals(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze("WHERE THE F*** IS MY ORDER AB12345, THIS IS A JOKE!!!")
    assert {"profanity", "capitals", "exclamations"} <= set(turn.reasons)
    assert turn.frustration > 0.9


@pytest.mark.parametrize(
    "text",
    [
        "this is the THIRD TIME i'm asking",
        "i have already TOLD you",
        "still havent received it",
        "I still haven't received it",
        "nobody answered my email",
    ],
)
def test_repeat_contact_phrases_match_any_case_and_inflection(
    analyzer: TurnAnalyzer, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert turn.says_repeat_contact
    assert "repeat_contact_phrase" in turn.reasons


@pytest.mark.parametrize(
    "text", ["Can I order it again?", "I'd like to order a second one", "still life print, size M"]
)
def test_words_of_a_phrase_alone_do_not_match(analyzer: TurnAnalyzer, text: str) -> None:
    assert not analyzer.analyze(text).says_repeat_contact


@pytest.mark.parametrize(
    "text", ["that didn't help", "That DIDNT help", "this did not help at all", "not what I asked"]
)
def test_rejection_phrases_in_the_text(analyzer: TurnAnalyzer, text: str) -> None:
    assert "rejected_answer" in analyzer.analyze(text).reasons


def test_thanks_for_an_answer_is_not_a_rejection(analyzer: TurnAnalyzer) -> None:
    assert analyzer.analyze("that answers my question, thanks").reasons == ()


def test_dialogue_signals_add_their_cues(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    plain = analyzer.analyze("no")
    rejected = analyzer.analyze("no", DialogueSignals(rejected_answer=True))
    assert "rejected_answer" in rejected.reasons
    assert rejected.frustration > plain.frustration

    failing = analyzer.analyze("blorf wuzzle", DialogueSignals(consecutive_failures=2))
    assert failing.reasons == ("consecutive_failures",)
    assert level(failing, settings) == "annoyed"

    repeated = analyzer.analyze("where is my parcel", DialogueSignals(repeated_request=True))
    assert repeated.reasons == ("repeated_request",)


def test_task_dialogue_signals_are_named_cues(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """Read from the conversation's lines (mood/dialogue.py), weighed by config/handoff.yml."""
    booked = [Line(USER, "can the courier come on Tuesday?"), Line(BOT, "Booked for Thursday.")]
    corrected = analyzer.analyze("no, Tuesday", DialogueSignals.of(booked, "no, Tuesday"))
    assert corrected.reasons == ("correction",)
    assert level(corrected, settings) == "annoyed"

    denied = analyzer.analyze("wrong.", DialogueSignals.of(booked, "wrong."))
    assert "short_negative_reply" in denied.reasons
    assert denied.frustration > analyzer.analyze("wrong.").frustration
    no = analyzer.analyze("no.", DialogueSignals.of(booked, "no."))
    assert (no.reasons, level(no, settings)) == (("short_negative_reply",), "annoyed")

    again = "can the courier come on Tuesday?"
    repeated = analyzer.analyze(again, DialogueSignals.of(booked, again))
    assert "repeated_request" in repeated.reasons


def test_a_rejection_phrase_is_not_also_a_correction(analyzer: TurnAnalyzer) -> None:
    """'not what I asked' both rejects the answer and points at the request: one piece of
    evidence, not two."""
    earlier = [Line(USER, "what is your return policy"), Line(BOT, "Shipping is free.")]
    text = "that's not what I asked"
    assert DialogueSignals.of(earlier, text).correction
    turn = analyzer.analyze(text, DialogueSignals.of(earlier, text))
    assert "rejected_answer" in turn.reasons
    assert "correction" not in turn.reasons
    assert turn.frustration == analyzer.analyze(text).frustration


@pytest.mark.parametrize(
    "text",
    [
        "This is the worst service I have ever had from a shop.",
        "I am deeply disappointed with how this has been handled.",
        "Frankly, this is unacceptable.",
        "I demand that someone fixes this today.",
    ],
)
def test_polite_fury_is_a_named_reason(analyzer: TurnAnalyzer, text: str) -> None:
    """The reason is reported; the conversation, not the message's score, counts it as
    frustrated (mood/conversation.py)."""
    turn = analyzer.analyze(text)
    assert turn.strong_dissatisfaction
    assert turn.reasons[0] == "strong_dissatisfaction"
    assert not analyzer.analyze("the service was quick, thank you").strong_dissatisfaction


def test_escalation_and_impatience(analyzer: TurnAnalyzer, settings: FrustrationSettings) -> None:
    threat = analyzer.analyze("I'll be filing a chargeback with my bank")
    assert "escalation" in threat.reasons
    assert level(threat, settings) == "frustrated"
    waiting = analyzer.analyze("this is taking forever")
    assert "impatience" in waiting.reasons
    assert level(waiting, settings) != "calm"


def test_reporting_a_problem_is_not_being_upset(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze("my parcel arrived damaged, can I get a refund?")
    assert turn.sentiment < 0  # VADER's sentiment is kept as it is...
    assert level(turn, settings) == "calm"  # ...but "damaged" names the problem, not a mood


def test_reasons_put_the_strongest_cue_first(analyzer: TurnAnalyzer) -> None:
    turn = analyzer.analyze("where is my refund?? this is the second time I ask")
    assert turn.reasons[0] == "repeat_contact_phrase"
    assert "exclamations" in turn.reasons


def test_sentiment_is_vaders_compound_for_ordinary_text(analyzer: TurnAnalyzer) -> None:
    text = "The delivery was quick and the jacket is lovely, but the zip is a bit stiff."
    expected = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    assert analyzer.analyze(text).sentiment == expected


def test_only_angry_messages_have_their_sentiment_held_down(analyzer: TurnAnalyzer) -> None:
    """Capitals and '!!!' alone are excitement too: the cap needs upset wording as well."""
    vader = SentimentIntensityAnalyzer()
    excited = "LOVE IT!!! best jacket EVER, thank you"
    assert analyzer.analyze(excited).sentiment == vader.polarity_scores(excited)["compound"]
    angry = "WHERE IS MY REFUND??? this is a joke, I want my money NOW"
    assert analyzer.analyze(angry).sentiment < min(0.0, vader.polarity_scores(angry)["compound"])


def test_empty_message_is_neutral(analyzer: TurnAnalyzer, settings: FrustrationSettings) -> None:
    turn = analyzer.analyze("")
    assert (turn.sentiment, turn.frustration, turn.reasons) == (0.0, 0.0, ())


def test_scores_stay_in_range(analyzer: TurnAnalyzer) -> None:
    turn = analyzer.analyze(
        "F*** YOU!!!! THIRD TIME, NOBODY ANSWERS, THANKS FOR NOTHING, USELESS, I'M CALLING MY "
        "LAWYER, THAT DIDN'T HELP, HOW HARD CAN IT BE",
        DialogueSignals(consecutive_failures=5, repeated_request=True, rejected_answer=True),
    )
    assert 0.0 <= turn.frustration <= 1.0
    assert -1.0 <= turn.sentiment <= 1.0
    assert len(turn.reasons) == len(set(turn.reasons)) >= 8
