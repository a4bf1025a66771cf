"""Scores one customer message: sentiment, frustration and the named cues behind it.

The frustration score's main cue is a model trained on GoEmotions (mood/model.py), which reads
disappointment and disapproval ("it STILL does not work", "that is not what I asked") that no
word list catches; explicit cues (capitals, runs of '!'/'?', profanity, configured phrases) stay
on top of it as strong signals with names an agent can read. The sentiment is VADER's compound,
which is what human ratings validate, capped in angry messages so it never rises as the
customer gets angrier.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Span

from contract.slots import ANNOYED, FRUSTRATED
from mood.combiner import TEXT_CUES, Combiner, features
from mood.dialogue import Line, text_signals
from mood.model import FrustrationModel, MessageWords, SupportModel
from mood.nlp import (
    ContactClaimFinder,
    PhraseFinder,
    ProfanityFinder,
    TokenShapes,
    build_pipeline,
    doc_maker,
    mark_run_strength,
    norms_of,
    token_keys,
)
from mood.settings import CUES, STRONG_DISSATISFACTION, FrustrationSettings
from mood.speech_level import switched_to_banmal
from mood.vader import Vader

_NOT_WORDS = re.compile(r"[^\w\s']+")
_CUE_RANK = {cue: rank for rank, cue in enumerate(CUES)}
_TEXT_CUE_SET = frozenset(TEXT_CUES)


@dataclass(frozen=True)
class DialogueSignals:
    """What the action server knows from the conversation, beyond the message's text."""

    consecutive_failures: int = 0
    """User messages in a row, this one included, that the assistant did not understand."""
    repeated_request: bool = False
    """The customer asks again for something the assistant has not resolved."""
    rejected_answer: bool = False
    """The customer rejected the assistant's previous answer (e.g. denied after it)."""
    correction: bool = False
    """The customer corrects what the assistant understood (`mood.dialogue`, from the text)."""
    short_negative_reply: bool = False
    """A short denial right after the assistant's answer (`mood.dialogue`, from the text)."""
    banmal_switch: bool = False
    """A Korean customer drops from 존댓말 to 반말 (`mood.speech_level`, from their own lines)."""

    @classmethod
    def of(
        cls,
        earlier: Sequence[Line],
        text: str,
        consecutive_failures: int = 0,
        repeated_topic: bool = False,
    ) -> DialogueSignals:
        """The signals of `text` after the conversation's `earlier` lines (oldest first): one
        reading for the action server and the evaluation of labelled scenarios. The same
        request again counts whether the intents (`repeated_topic`, action server only) or
        the words (`mood.dialogue`) show it."""
        found = text_signals(earlier, text)
        return cls(
            consecutive_failures=consecutive_failures,
            repeated_request=repeated_topic or found.repeated_request,
            correction=found.correction,
            short_negative_reply=found.short_negative_reply,
            banmal_switch=switched_to_banmal(earlier, text),
        )


@dataclass(frozen=True)
class TurnScore:
    """The analysis of one message."""

    sentiment: float
    """VADER compound in [-1, 1], made negative by sarcasm, capped once the message reads angry."""
    frustration: float
    """In [0, 1]; compare with the configured levels."""
    reasons: tuple[str, ...]
    """Names of the cues that count, the strongest first."""
    says_repeat_contact: bool
    """The customer says they had to come back or are still waiting."""
    claims_earlier_contact: bool = False
    """The customer says they contacted the shop before ("third time I'm writing")."""
    strong_dissatisfaction: bool = False
    """Strong but polite dissatisfaction ("deeply disappointed", "unacceptable"): the
    conversation counts the message at least at the frustrated level (mood/conversation.py)."""
    dialogue_remainder: float = 1.0
    """The share of the calm remainder the dialogue's cues leave: frustration = 1 - (1 - the
    words' own score) * dialogue_remainder (1: the dialogue added nothing). mood/korean.py
    stretches the words' part to the Korean cut points and puts this back on top."""
    dialogue_share: float = 0.0
    """How much the dialogue's signals (a repeated request, a correction read from the lines,
    failures) added to `frustration`: the reply's tone follows the words alone
    (mood/conversation.py `tone_level`)."""


_NO_SIGNALS = DialogueSignals()
"""A message read alone: what its words say, with nothing from the conversation."""


@dataclass(frozen=True)
class CombinerInputs:
    """What the combiner (mood/combiner.py) reads of one message, text alone."""

    goemotions: float | None
    """The GoEmotions model's probability; None for a plain answer the models do not score."""
    upset: Mapping[str, float]
    """The support model's class probabilities; empty for a plain answer."""
    compound: float
    strengths: Mapping[str, float]
    gate: float


def _combine(contributions: Mapping[str, float]) -> float:
    """Independent evidence: 1 - product of (1 - contribution)."""
    remaining = 1.0
    for value in contributions.values():
        remaining *= 1.0 - value
    return 1.0 - remaining


def plain_words(text: str) -> str:
    """Lower-case words of the text without punctuation ("No, thanks!" -> "no thanks")."""
    return " ".join(_NOT_WORDS.sub(" ", text.lower()).split())


@dataclass
class _Reading:
    """What one message shows before the cues are weighed."""

    vader: Mapping[str, float]
    """VADER's `polarity_scores`, of the text with masked swear words written out."""
    compound: float
    upset: Mapping[str, float]
    """The support model's probability of each level; empty for plain answers."""
    goemotions: float
    """The GoEmotions model's probability of upset wording; 0 for plain answers."""
    phrases: Mapping[str, int]
    swears: bool
    claims: bool
    shouted: float
    """The share of shouted letters (`TokenShapes.shouted_share`)."""
    mark_run: int
    """The longest run of '!'/'?' marks."""
    gate: float = 1.0
    """How much the message reads like a support-chat turn (`Combiner.gates`); 1 for plain
    answers, which the models do not score."""


class TurnAnalyzer:
    """Builds the pipeline, lexicons and model once; `analyze` is then cheap (well under a ms)."""

    def __init__(self, settings: FrustrationSettings) -> None:
        self._settings = settings
        self._nlp = build_pipeline(settings.profanity)
        self._make_doc = doc_maker(self._nlp)
        self._phrases = PhraseFinder(
            self._nlp,
            {
                "repeat_contact_phrase": settings.repeat_contact.phrases,
                "rejected_answer": settings.rejection_phrases,
                "sarcasm": settings.sarcasm_markers,
                "impatience": settings.impatience_phrases,
                "escalation": settings.escalation_phrases,
                STRONG_DISSATISFACTION: settings.strong_dissatisfaction_phrases,
                "correction": settings.correction_phrases,
            },
        )
        self._claims = ContactClaimFinder(self._nlp, settings.contact_claims)
        self._profanity = ProfanityFinder(settings.profanity)
        self._shapes = TokenShapes(settings.capitals)
        self._vader = Vader()
        self._model = FrustrationModel.load(settings.model.weights_file)
        self._support = SupportModel.load(settings.model.support_weights_file)
        self._combiner = Combiner.load(settings.model.combiner_file)

    def analyze(self, text: str, signals: DialogueSignals = DialogueSignals()) -> TurnScore:
        """Scores one message given what the conversation says about it."""
        return self.analyze_batch([text], [signals])[0]

    def analyze_batch(
        self, texts: Sequence[str], signals: Sequence[DialogueSignals] | None = None
    ) -> list[TurnScore]:
        """Scores several messages at once (`make score`): the models weigh the whole batch
        with numpy, and each message scores exactly as it would alone."""
        readings = self._read_batch(texts)
        given = signals if signals is not None else [DialogueSignals()] * len(texts)
        return [self._score(r, s) for r, s in zip(readings, given, strict=True)]

    def parts(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Each part of the score alone, per message, for the evaluation that sets the full
        score beside them (evaluation/mood_parts.py): the GoEmotions model's probability, the
        support model's strength, VADER's -compound and the explicit cues' summed strengths."""
        found = []
        for reading in self._read_batch(texts):
            strengths = self._strengths(reading, DialogueSignals())
            upset = reading.upset
            found.append(
                {
                    "GoEmotions": reading.goemotions,
                    "support": (
                        self._settings.model.support_strength(upset[ANNOYED], upset[FRUSTRATED])
                        if upset
                        else 0.0
                    ),
                    "VADER": -reading.vader["compound"],
                    "cues": sum(v for cue, v in strengths.items() if cue != "negative"),
                }
            )
        return found

    def combiner_inputs(self, texts: Sequence[str]) -> list[CombinerInputs]:
        """What the combiner reads of each message, for its training script
        (mood/training/train_combiner.py), which puts out-of-fold support-model probabilities
        in place of the shipped model's."""
        return [
            CombinerInputs(
                goemotions=reading.goemotions if reading.upset else None,
                upset=reading.upset,
                compound=reading.compound,
                strengths=self._strengths(reading, _NO_SIGNALS),
                gate=reading.gate,
            )
            for reading in self._read_batch(texts)
        ]

    def cue_mix(self, strengths: Mapping[str, float]) -> float:
        """The hand-weighted mix of the cues' strengths (config `weights`): the dialogue's
        share on top of the combiner's score, and the floor the combiner is trained to keep."""
        return _combine(self._contributions(strengths))

    def text_cue_mix(self, strengths: Mapping[str, float]) -> float:
        """The mix of the text cues alone (`TEXT_CUES`, config `weights`), which adds to the
        combiner's score: a cue's configured weight moves the score, and a strong cue
        (swearing, shouting, '??', sarcasm) is never drowned by a calm model reading."""
        return _combine(self._contributions({cue: strengths[cue] for cue in TEXT_CUES}))

    def _score(self, reading: _Reading, signals: DialogueSignals) -> TurnScore:
        """Weighs the cues of one message."""
        strengths = self._strengths(reading, signals)
        contributions = self._contributions(strengths)
        combined = _combine(contributions)
        if signals == _NO_SIGNALS:
            alone, said_by = strengths, contributions
        else:
            alone = self._strengths(reading, _NO_SIGNALS)
            said_by = self._contributions(alone)
        said = _combine(said_by)
        # A plain answer the models do not score ("no thanks") keeps the cues' mix: the
        # combiner learnt from messages the models read.
        text_score = (
            1.0
            - (
                1.0
                - self._combiner.score(
                    features(reading.goemotions, reading.upset, reading.compound, alone),
                    reading.gate,
                )
            )
            # `text_cue_mix(alone)`, from the contributions already weighed
            * (1.0 - _combine({cue: v for cue, v in said_by.items() if cue in _TEXT_CUE_SET}))
            if reading.upset
            else said
        )
        frustration = self._calibrated(text_score, said, combined)
        reported = [
            c for c, value in contributions.items() if value >= self._settings.reported_from
        ]
        reasons = sorted(reported, key=lambda cue: (-contributions[cue], _CUE_RANK[cue]))
        strong = bool(reading.phrases.get(STRONG_DISSATISFACTION))
        if strong:
            reasons.insert(0, STRONG_DISSATISFACTION)
        angry = (
            frustration >= self._settings.levels.frustrated
            and strengths["negative"] >= self._settings.sentiment_cap.min_negative
            and any(cue != "negative" for cue in reported)
        )
        return TurnScore(
            sentiment=self._sentiment(reading.compound, frustration, angry),
            frustration=frustration,
            reasons=tuple(reasons),
            says_repeat_contact=bool(reading.phrases.get("repeat_contact_phrase"))
            or reading.claims,
            claims_earlier_contact=reading.claims,
            strong_dissatisfaction=strong,
            dialogue_remainder=(1.0 - combined) / (1.0 - said) if said < 1.0 else 1.0,
            dialogue_share=frustration - self._settings.levels.calibrated(text_score),
        )

    def _contributions(self, strengths: Mapping[str, float]) -> dict[str, float]:
        """Each cue that fires, weighted (config `weights`)."""
        weights = self._settings.weights
        found = {cue: weights[cue] * strength for cue, strength in strengths.items()}
        return {cue: value for cue, value in found.items() if value > 0}

    def _calibrated(self, text_score: float, said: float, combined: float) -> float:
        """The message's score: what its words say (`text_score`, the combiner's reading of
        the text alone) stretched to the levels (`levels.calibrated`, learnt on text alone), and
        what the dialogue adds (a correction or repeated request the action server saw) on top
        with the weight it has in the cues' mix: it shrinks the calm remainder by the factor
        that takes the mix of the text's cues (`said`) to the mix with the dialogue's
        (`combined`). Stretching the dialogue's share too made a pressed button after a calm
        question read annoyed."""
        calibrated = self._settings.levels.calibrated(text_score)
        if said >= 1.0:
            return calibrated
        return 1.0 - (1.0 - calibrated) * (1.0 - combined) / (1.0 - said)

    def _sentiment(self, compound: float, frustration: float, angry: bool) -> float:
        """VADER's reading, capped (config `sentiment_cap`) once the message reads angry: at the
        frustrated level, with upset wording and an explicit cue (capitals, '!!!', swearing,
        a phrase) at once.

        Either alone is not enough: capitals and '!!!' also carry excited praise ("LOVE
        IT!!!"), and the support model reads unfamiliar words as upset; capping on either
        bent tweets away from how people rate them (Pearson r 0.854 instead of VADER's 0.872).
        """
        if not angry:
            return compound
        return max(-1.0, min(compound, self._settings.sentiment_cap.cap(frustration)))

    def _read_batch(self, texts: Sequence[str]) -> list[_Reading]:
        """Each message's reading; the models score the messages that are not plain answers
        ("ok", "no thanks") in one batch."""
        readings = [self._read(text) for text in texts]
        plain_answers = self._settings.model.plain_answers
        modelled = [
            i for i, text in enumerate(texts) if (w := plain_words(text)) and w not in plain_answers
        ]
        if not modelled:
            return readings
        chosen = [texts[i] for i in modelled]
        messages = [MessageWords.of(text) for text in chosen]
        scores = [readings[i].vader for i in modelled]
        log_odds = self._model.log_odds(chosen, messages, scores)
        compounds = [s["compound"] for s in scores]
        upsets = self._support.batch_probabilities(
            messages, list(zip(log_odds, compounds, strict=True))
        )
        gates = self._combiner.gates(messages)
        for i, upset, odds, gate in zip(modelled, upsets, log_odds, gates, strict=True):
            readings[i].upset = upset
            readings[i].goemotions = 1.0 / (1.0 + math.exp(-odds))
            readings[i].gate = gate
        return readings

    def _read(self, text: str) -> _Reading:
        """Tokens, VADER and the phrase and profanity finders on one message."""
        doc = self._make_doc(text)
        keys = token_keys(doc)
        swearing = self._profanity.find(doc, keys)
        unmasked = {i: word for i, word in swearing.items() if doc[i].lower_ != word}
        norms = norms_of(keys)
        phrases = self._phrases.count(doc, norms)
        # spaCy keeps the text as it came, so only written-out swear words need rebuilding.
        scores = self._vader.polarity_scores(_vader_text(doc[:], unmasked) if unmasked else text)
        compound = -abs(scores["compound"]) if phrases.get("sarcasm") else scores["compound"]
        shouted, mark_run = self._shapes.read(doc, keys)
        return _Reading(
            vader=scores,
            compound=compound,
            upset={},
            goemotions=0.0,
            phrases=phrases,
            swears=bool(swearing),
            claims=self._claims.claims(doc, norms),
            shouted=shouted,
            mark_run=mark_run,
        )

    def _strengths(self, reading: _Reading, signals: DialogueSignals) -> dict[str, float]:
        """Each cue's strength in [0, 1] for this message."""
        settings = self._settings
        phrases = reading.phrases
        joy = settings.positive_damping.factor(reading.compound)
        upset = reading.upset
        return {
            "negative": (
                settings.model.strength(upset[ANNOYED], upset[FRUSTRATED], reading.goemotions)
                if upset
                else 0.0
            ),
            "capitals": joy * reading.shouted,
            "exclamations": joy * mark_run_strength(reading.mark_run, settings.exclamations),
            "profanity": 1.0 if reading.swears else 0.0,
            "repeat_contact_phrase": (
                1.0 if phrases.get("repeat_contact_phrase") or reading.claims else 0.0
            ),
            "sarcasm": 1.0 if phrases.get("sarcasm") else 0.0,
            "impatience": 1.0 if phrases.get("impatience") else 0.0,
            "escalation": 1.0 if phrases.get("escalation") else 0.0,
            "rejected_answer": (
                1.0 if signals.rejected_answer or phrases.get("rejected_answer") else 0.0
            ),
            # One piece of evidence: a rejection phrase ("not what I asked") is not also a
            # correction read from the dialogue.
            "correction": (
                1.0
                if phrases.get("correction")
                or (signals.correction and not phrases.get("rejected_answer"))
                else 0.0
            ),
            "short_negative_reply": 1.0 if signals.short_negative_reply else 0.0,
            "banmal_switch": 1.0 if signals.banmal_switch else 0.0,
            "consecutive_failures": min(
                1.0, max(0, signals.consecutive_failures) / settings.failures_full_at
            ),
            "repeated_request": 1.0 if signals.repeated_request else 0.0,
        }


def _vader_text(span: Span, unmasked: Mapping[int, str]) -> str:
    """The span's text from its tokens, masked swear words written out so VADER knows them.

    `unmasked` maps token indices to the word a masked token hides; other tokens keep their
    text (and capitals, which VADER reads as emphasis)."""
    if not any(token.i in unmasked for token in span):
        return span.text
    return "".join(unmasked.get(token.i, token.text) + token.whitespace_ for token in span)
