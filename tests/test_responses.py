"""Every response the assistant can send: honest, short, and never mimicking feelings."""

from __future__ import annotations

import re

import pytest
from rasa.shared.core.domain import Domain

from harness.helpers import REPO_ROOT

# Wording that claims the assistant feels something. An assistant acknowledges, apologises
# where fitting, and acts; it does not pretend to be annoyed, glad or hurt.
MIMICKED_FEELINGS = re.compile(
    r"\bI\s+(?:really\s+|truly\s+|also\s+|too\s+)?(?:feel|felt)\b"
    r"|\bI(?:'m|\s+am)\s+(?:also\s+|so\s+|really\s+|very\s+|too\s+)?"
    r"(?:annoyed|frustrated|upset|angry|sad|happy|glad|thrilled|delighted|excited|disappointed|hurt)\b"
    r"|\b(?:frustrates|annoys|upsets|saddens|angers)\s+me\b"
    r"|\bmakes?\s+me\s+(?:sad|angry|happy|upset|mad)\b"
    r"|\bI\s+(?:also\s+)?get\s+(?:annoyed|frustrated|angry|upset)\b"
    r"|\bI\s+(?:understand|know)\s+how\s+(?:you\s+feel|frustrating|annoying|upsetting)\b"
    r"|\bI\s+(?:love|hate)\b"
    r"|\bme\s+too\b",
    re.IGNORECASE,
)
# A response is read by someone in a hurry.
MAX_WORDS = 45


def all_response_texts() -> dict[str, list[str]]:
    """Every text variant of every response in the domain, by response name."""
    domain = Domain.load(str(REPO_ROOT / "domain"))
    return {
        name: [variant["text"] for variant in variants if variant.get("text")]
        for name, variants in domain.responses.items()
    }


@pytest.mark.parametrize(
    "text",
    [
        "I feel your pain, that parcel is late.",
        "I'm also annoyed when parcels are late.",
        "That frustrates me too.",
        "I understand how you feel.",
        "I'm so happy to help!",
        "Honestly, I get frustrated by carriers.",
    ],
)
def test_the_scan_recognises_mimicked_feelings(text: str) -> None:
    assert MIMICKED_FEELINGS.search(text)


@pytest.mark.parametrize(
    "text",
    ["Sorry, order 10003 is late.", "I can't find that order.", "I'm an automated assistant."],
)
def test_the_scan_lets_plain_acknowledgement_through(text: str) -> None:
    assert not MIMICKED_FEELINGS.search(text)


def test_no_response_claims_a_feeling() -> None:
    offending = [
        f"{name}: {text}"
        for name, texts in all_response_texts().items()
        for text in texts
        if MIMICKED_FEELINGS.search(text)
    ]
    assert not offending, "responses that mimic feelings:\n" + "\n".join(offending)


def test_responses_are_short() -> None:
    long = [
        f"{name} ({len(text.split())} words)"
        for name, texts in all_response_texts().items()
        for text in texts
        if len(text.split()) > MAX_WORDS
    ]
    assert not long, "responses too long for a customer in a hurry:\n" + "\n".join(long)


def test_the_assistant_says_it_is_not_a_person() -> None:
    [answer] = all_response_texts()["utter_iamabot"]
    assert "assistant" in answer.lower() and "not a person" in answer.lower()
