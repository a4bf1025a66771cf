"""The pipeline's tokenizer (addons/tokenizer.py): noise is cut, identifiers read by their kind.

A 20,000-character run of one letter after "where is my parcel" used to reach DIET as one
token and came out as a request for a person with full confidence (tests/e2e/test_bad_input.py
has the conversation); "hi, bob@example.com here. where is my parcel?" was a greeting because
of the letters of the address (tests/e2e/test_handoff_triggers.py). These pin the tokens the
featurizers get instead.
"""

from __future__ import annotations

import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.tokenizer import BoundedWhitespaceTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> BoundedWhitespaceTokenizer:
    """The tokenizer with its default limit, as config.yml uses it."""
    return BoundedWhitespaceTokenizer(BoundedWhitespaceTokenizer.get_default_config())


def spans(tokens: list[Token]) -> list[tuple[str, int, int]]:
    """Text and offsets of each token."""
    return [(token.text, token.start, token.end) for token in tokens]


def test_a_run_of_noise_is_cut_to_the_limit(tokenizer: BoundedWhitespaceTokenizer) -> None:
    text = "where is my parcel " + "a" * 20_000 + " please"
    tokens = tokenizer.tokenize(Message({TEXT: text}), TEXT)
    assert spans(tokens) == [
        ("where", 0, 5),
        ("is", 6, 8),
        ("my", 9, 11),
        ("parcel", 12, 18),
        ("a" * 50, 19, 69),
        ("please", 20_020, 20_026),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "hi, where is my order #10003??",
        "my email is j.smith@mailbox.co.uk and the order is 10004",
        "I want my money back for order 10002: the zip broke after one day!",
        "😡😡😡",
    ],
)
def test_real_messages_are_tokenized_as_by_the_whitespace_tokenizer(
    tokenizer: BoundedWhitespaceTokenizer, text: str
) -> None:
    """Nothing a customer really types comes near the limit: the trained model sees the same."""
    plain = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    expected = spans(plain.tokenize(Message({TEXT: text}), TEXT))
    assert spans(tokenizer.tokenize(Message({TEXT: text}), TEXT)) == expected


def lemmas(tokenizer: BoundedWhitespaceTokenizer, text: str) -> list[str]:
    """What the featurizers read for each token (CountVectorsFeaturizer uses the lemma)."""
    return [token.lemma for token in tokenizer.tokenize(Message({TEXT: text}), TEXT)]


def test_every_address_reads_the_same_to_the_classifier(
    tokenizer: BoundedWhitespaceTokenizer,
) -> None:
    """Whose address it is never moves the intent: only that one was given."""
    bob = lemmas(tokenizer, "hi, bob@example.com here. where is my parcel?")
    jane = lemmas(tokenizer, "hi, Jane.Roe+shop@mail.example.org here. where is my parcel?")
    assert bob == jane == ["hi", "__email__", "here", "where", "is", "my", "parcel"]


def test_a_refund_reference_reads_as_its_kind(tokenizer: BoundedWhitespaceTokenizer) -> None:
    assert lemmas(tokenizer, "status of RF-3QX8ZP and #rf-zzzzzz?") == [
        "status",
        "of",
        "__refund_reference__",
        "and",
        "__refund_reference__",
    ]


def test_words_that_only_hold_an_at_sign_keep_their_own_reading(
    tokenizer: BoundedWhitespaceTokenizer,
) -> None:
    assert lemmas(tokenizer, "meet @ noon, email me at home") == [
        "meet",
        "@",
        "noon",
        "email",
        "me",
        "at",
        "home",
    ]


def test_korean_words_are_not_taken_for_emoji(tokenizer: BoundedWhitespaceTokenizer) -> None:
    # Rasa's emoji pattern covers all of Hangul: without the fix only "10001" was left.
    tokens = tokenizer.tokenize(Message({TEXT: "10001 배송 조회요 🙂"}), TEXT)
    assert [token.text for token in tokens] == ["10001", "배송", "조회요"]
