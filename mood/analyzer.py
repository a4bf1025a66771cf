"""Scores one customer message: sentiment, frustration and the named cues behind it.

Plain VADER misses most of what frustrated customers write ("WHERE IS MY REFUND???" and
"nobody answers" score 0), so the frustration score combines VADER's valence with cues of
its own; the sentiment stays VADER's compound, which is what human ratings validate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mood.nlp import (
    PhraseFinder,
    ProfanityFinder,
    build_pipeline,
    longest_mark_run,
    mark_run_strength,
    shouted_share,
)
from mood.settings import CUES, FrustrationSettings


@dataclass(frozen=True)
class DialogueSignals:
    """What the action server knows from the conversation, beyond the message's text."""

    consecutive_failures: int = 0
    """User messages in a row, this one included, that the assistant did not understand."""
    repeated_request: bool = False
    """The customer asks again for something the assistant has not resolved."""
    rejected_answer: bool = False
    """The customer rejected the assistant's previous answer (e.g. denied after it)."""


@dataclass(frozen=True)
class TurnScore:
    """The analysis of one message."""

    sentiment: float
    """VADER compound in [-1, 1]; made negative when a sarcasm marker is found."""
    frustration: float
    """In [0, 1]; compare with the configured levels."""
    reasons: tuple[str, ...]
    """Names of the cues that fired, the strongest first."""
    says_repeat_contact: bool
    """The customer says they had to come back or are still waiting."""


def _support_lexicon_analyzer(overrides: Mapping[str, float]) -> SentimentIntensityAnalyzer:
    """A VADER whose lexicon carries the support-chat corrections (0 removes a word)."""
    analyzer = SentimentIntensityAnalyzer()
    for word, valence in overrides.items():
        if valence == 0:
            analyzer.lexicon.pop(word, None)
        else:
            analyzer.lexicon[word] = valence
    return analyzer


def _combine(contributions: Mapping[str, float]) -> float:
    """Independent evidence: 1 - product of (1 - contribution)."""
    remaining = 1.0
    for value in contributions.values():
        remaining *= 1.0 - value
    return 1.0 - remaining


class TurnAnalyzer:
    """Builds the pipeline and lexicons once; `analyze` is then cheap (well under a ms)."""

    def __init__(self, settings: FrustrationSettings) -> None:
        self._settings = settings
        self._nlp = build_pipeline(settings.profanity)
        self._phrases = PhraseFinder(
            self._nlp,
            {
                "repeat_contact_phrase": settings.repeat_contact.phrases,
                "rejected_answer": settings.rejection_phrases,
                "sarcasm": settings.sarcasm_markers,
                "impatience": settings.impatience_phrases,
                "escalation": settings.escalation_phrases,
            },
        )
        self._profanity = ProfanityFinder(settings.profanity)
        self._vader = SentimentIntensityAnalyzer()
        self._support_vader = _support_lexicon_analyzer(settings.negativity.valence_overrides)

    def analyze(self, text: str, signals: DialogueSignals = DialogueSignals()) -> TurnScore:
        """Scores one message given what the conversation says about it."""
        doc = self._nlp(text)
        swearing = self._profanity.find(doc)
        unmasked = {i: word for i, word in swearing.items() if doc[i].lower_ != word}
        phrases = self._phrases.count(doc)
        sentiment = self._vader.polarity_scores(_vader_text(doc[:], unmasked))["compound"]
        if phrases.get("sarcasm"):
            sentiment = -abs(sentiment)
        strengths = self._strengths(doc, unmasked, bool(swearing), phrases, signals)
        contributions = {
            cue: self._settings.weights[cue] * strength
            for cue, strength in strengths.items()
            if self._settings.weights[cue] * strength > 0
        }
        reasons = sorted(contributions, key=lambda cue: (-contributions[cue], CUES.index(cue)))
        return TurnScore(
            sentiment=sentiment,
            frustration=_combine(contributions),
            reasons=tuple(reasons),
            says_repeat_contact=bool(phrases.get("repeat_contact_phrase")),
        )

    def _strengths(
        self,
        doc: Doc,
        unmasked: Mapping[int, str],
        swears: bool,
        phrases: Mapping[str, int],
        signals: DialogueSignals,
    ) -> dict[str, float]:
        """Each cue's strength in [0, 1] for this message."""
        settings = self._settings
        return {
            "negative": self._negativity(doc, unmasked),
            "capitals": shouted_share(doc, settings.capitals),
            "exclamations": mark_run_strength(longest_mark_run(doc), settings.exclamations),
            "profanity": 1.0 if swears else 0.0,
            "repeat_contact_phrase": 1.0 if phrases.get("repeat_contact_phrase") else 0.0,
            "sarcasm": 1.0 if phrases.get("sarcasm") else 0.0,
            "impatience": 1.0 if phrases.get("impatience") else 0.0,
            "escalation": 1.0 if phrases.get("escalation") else 0.0,
            "rejected_answer": (
                1.0 if signals.rejected_answer or phrases.get("rejected_answer") else 0.0
            ),
            "consecutive_failures": min(
                1.0, max(0, signals.consecutive_failures) / settings.failures_full_at
            ),
            "repeated_request": 1.0 if signals.repeated_request else 0.0,
        }

    def _negativity(self, doc: Doc, unmasked: Mapping[int, str]) -> float:
        """Strength of the most negative sentence, scored with the support-chat lexicon.

        Sentence by sentence because a polite opening ("Thanks for your reply.") must not
        cancel a furious sentence after it.
        """
        sentences = list(doc.sents) if len(doc) else []
        spans = [doc[:], *sentences] if len(sentences) > 1 else [doc[:]]
        lowest = min(
            self._support_vader.polarity_scores(_vader_text(span, unmasked))["compound"]
            for span in spans
        )
        return self._settings.negativity.strength(lowest)


def _vader_text(span: Span, unmasked: Mapping[int, str]) -> str:
    """The span's text from its tokens, masked swear words written out so VADER knows them.

    `unmasked` maps token indices to the word a masked token hides; other tokens keep their
    text (and capitals, which VADER reads as emphasis)."""
    if not any(token.i in unmasked for token in span):
        return span.text
    return "".join(unmasked.get(token.i, token.text) + token.whitespace_ for token in span)
