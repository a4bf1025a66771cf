"""The analyser caches per-word work (lemmas, swear words, n-gram features) to stay fast; a
message must still score the same whatever was scored before it."""

from __future__ import annotations

import spacy
from spacy.attrs import IDS

from evaluation.sentiment_eval import DEFAULT_LABELLED, read_labelled
from mood.analyzer import TurnAnalyzer, TurnScore
from mood.combiner import Combiner, features
from mood.model import MessageWords, grams_of
from mood.nlp import LEXEME_ATTRIBUTES, phrase_pattern
from mood.settings import FrustrationSettings

# Words the caches treat specially: masked and written-out swearing, auxiliaries written
# several ways, mark runs, capitals.
EXTRA = [
    "this is f***ing ridiculous",
    "That DIDNT help!!!",
    "that's not what I asked, it's the third time I'm writing",
    "I'm done here, thanks",
    "I am doing a return for order 12345",
    "WHERE IS MY REFUND???",
]


def test_a_message_scores_the_same_in_any_order_and_with_cold_caches(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    texts = EXTRA + [
        text for pairs in read_labelled(DEFAULT_LABELLED).values() for text, _ in pairs
    ]
    warm: list[TurnScore] = [analyzer.analyze(text) for text in reversed(texts)][::-1]
    fresh = TurnAnalyzer(settings)
    cold = [fresh.analyze(text) for text in texts]
    assert cold == warm


def test_words_and_marks_never_seen_before_still_match_phrases(
    settings: FrustrationSettings,
) -> None:
    """New words get only the attributes the analyser reads (`LEXEME_ATTRIBUTES`); punctuation
    first met between a phrase's words must still count as punctuation."""
    fresh = TurnAnalyzer(settings)
    for text in ("how ‽‽ many times", "how… many — times", "I ALREADY... told you"):
        turn = fresh.analyze(text)
        assert turn.says_repeat_contact, text
        assert "repeat_contact_phrase" in turn.reasons


def test_phrase_patterns_read_only_the_attributes_new_words_get() -> None:
    """A pattern on any other word attribute would silently never match a word first met after
    start-up, since spaCy no longer computes it for new words."""
    nlp = spacy.blank("en")
    token_level = {IDS["LEMMA"]}  # set on each token by the lemmatizer, not on the word
    for attribute in ("NORM", "LEMMA"):
        pattern = phrase_pattern(nlp, "test", "told you, again", attribute)
        read = {IDS[name] for step in pattern for name in step if name != "OP"}
        assert read <= LEXEME_ATTRIBUTES | token_level


def test_a_message_scores_as_the_combiner_and_the_cues_say_written_out(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """The analyser reuses work between its parts (the cues' weighed contributions, word
    n-grams shared by two models); its scores stay exactly what the parts give weighed one by
    one, the way the combiner's training script reads them."""
    texts = EXTRA + [text for text, _ in read_labelled(DEFAULT_LABELLED)["tuning"][:300]]
    combiner = Combiner.load(settings.model.combiner_file)
    for text, parts in zip(texts, analyzer.combiner_inputs(texts), strict=True):
        said = analyzer.cue_mix(parts.strengths)
        text_score = (
            1.0
            - (
                1.0
                - combiner.score(
                    features(parts.goemotions, parts.upset, parts.compound, parts.strengths),
                    parts.gate,
                )
            )
            * (1.0 - analyzer.text_cue_mix(parts.strengths))
            if parts.upset
            else said
        )
        calibrated = settings.levels.calibrated(text_score)
        expected = (
            calibrated if said >= 1.0 else 1.0 - (1.0 - calibrated) * (1.0 - said) / (1.0 - said)
        )
        assert analyzer.analyze(text).frustration == expected, text


def test_word_ngrams_made_once_are_the_ngrams_of_the_tokens() -> None:
    words = MessageWords.of("That DIDNT help, it's the third time I'm writing!!!")
    first = words.word_grams(1, 2)
    assert first == grams_of(words.tokens, 1, 2)
    assert words.word_grams(1, 2) is first
    assert words.word_grams(1, 1) == list(words.tokens)
