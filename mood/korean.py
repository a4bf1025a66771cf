"""Korean mood cues on top of the English analyser (mood/analyzer.py).

The analyser's trained model, VADER and phrase lists read English: a Korean message gets
little more than its '!!!' and '?!' runs from them. For a message with Hangul, the Korean
lists of config/mood_ko.yml add their cues (swearing in full, initial-consonant, spaced and
masked forms; harsh judgements; ㅡㅡ and ;;; still waiting and coming back; impatience; threats;
rejecting the answer; sarcasm) with the weights config/handoff.yml gives those cues, combined
with the English reading as independent evidence, like the analyser combines its own cues.
A claim of earlier contact ("몇 번째 문의하는 건데") is reported as the English ones are, so it
hands over with reason repeated_contact. ㅠㅠ is sadness and adds nothing.

A cue list only catches what it names; the wording of "정말 실망스럽습니다" or "이런 식이면
곤란하죠" is read by a model trained on KOTE (mood/weights/korean_model.json, see
mood/training/README.md), which adds to the `negative` cue once its probability passes the
`model.from` of config/mood_ko.yml, with its own `model.weight`: a light one, because comments
on news and videos are not support chats, and a calm customer's factual complaint about a
parcel must stay calm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from mood.analyzer import TurnScore
from mood.model import KoreanMoodModel, KoreanSupportModel
from mood.settings import CUES, FrustrationSettings, Levels

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = PROJECT_ROOT / "config" / "mood_ko.yml"
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_SPACES = re.compile(r"\s+")
# A contact word followed by a future ending is a plan ("다음에 또 문의할게요"), not a claim.
_FUTURE = r"(?!할게|할께|드릴게|드릴께|하겠|할거|볼게|볼께|해볼)"


@dataclass(frozen=True)
class KoreanCues:
    """Each cue's patterns and strength, and the earlier-contact claim pattern."""

    cues: dict[str, tuple[float, re.Pattern[str]]]
    claims: re.Pattern[str]

    def strengths(self, text: str) -> dict[str, float]:
        """The strength of every Korean cue found in `text` (spaces removed, lower-cased)."""
        compact = _SPACES.sub("", text.lower())
        return {
            cue: strength
            for cue, (strength, pattern) in self.cues.items()
            if pattern.search(compact)
        }

    def claims_earlier_contact(self, text: str) -> bool:
        """ "몇 번째 문의", "저번에도 연락했는데": a count or "again" word near a contact word."""
        return bool(self.claims.search(_SPACES.sub("", text.lower())))


class ReadsUpset(Protocol):
    """A model of how upset a Korean message reads (the support-chat model; its training
    script stands in probabilities computed out of fold)."""

    def probability(self, text: str) -> float:
        """The probability in (0, 1) that the message reads annoyed or frustrated."""
        ...


@dataclass(frozen=True)
class ModelReading:
    """The model, the probability from which it counts as upset wording, and how much it
    weighs at full strength."""

    model: ReadsUpset
    start: float
    weight: float

    def strength(self, text: str) -> float:
        """0 up to `start`, then rising linearly to 1 at probability 1."""
        return max(0.0, (self.model.probability(text) - self.start) / (1.0 - self.start))


@dataclass(frozen=True)
class KoreanReading:
    """Everything the Korean mood reading adds: the cue lists, the earlier-contact claims and
    (unless left out, as `evaluation.ko_mood` does to compare) the KOTE model."""

    cues: KoreanCues
    model: ModelReading | None


def load_korean_cues(path: Path = DEFAULT_PATH) -> KoreanCues:
    """Reads config/mood_ko.yml; an unknown cue name or a bad pattern stops start-up."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues: dict[str, tuple[float, re.Pattern[str]]] = {}
    for cue, section in raw["cues"].items():
        if cue not in CUES:
            raise ValueError(f"{path}: unknown cue {cue!r} (known: {', '.join(CUES)})")
        strength = float(section["strength"])
        if not 0.0 <= strength <= 1.0:
            raise ValueError(f"{path}: cues.{cue}.strength must be within 0..1")
        try:
            pattern = re.compile("|".join(f"(?:{p})" for p in section["phrases"]))
        except re.error as error:
            raise ValueError(f"{path}: cues.{cue}: {error}") from error
        cues[cue] = (strength, pattern)
    claims = raw["earlier_contact_claims"]
    within = int(claims["within"])
    claim = re.compile(
        f"(?:{claims['counts']}).{{0,{within}}}?(?:{claims['contact_words']}){_FUTURE}"
    )
    return KoreanCues(cues, claim)


def load_korean_reading(path: Path = DEFAULT_PATH) -> KoreanReading:
    """The cues of config/mood_ko.yml and the models its `model` section points at: the
    support-chat model on top of the KOTE model."""
    section = yaml.safe_load(path.read_text(encoding="utf-8"))["model"]
    start, weight = float(section["from"]), float(section["weight"])
    if not 0.0 <= start < 1.0:
        raise ValueError(f"{path}: model.from must be within 0..1 (1 excluded)")
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"{path}: model.weight must be within 0..1")
    kote = KoreanMoodModel.load(PROJECT_ROOT / section["weights"])
    model = KoreanSupportModel.load(PROJECT_ROOT / section["support_weights"], kote)
    return KoreanReading(load_korean_cues(path), ModelReading(model, start, weight))


@lru_cache(maxsize=1)
def korean_reading() -> KoreanReading:
    """The configured reading, loaded once per process."""
    return load_korean_reading()


def with_korean_cues(
    turn: TurnScore,
    text: str,
    settings: FrustrationSettings,
    reading: KoreanReading | None = None,
    levels: Levels | None = None,
) -> TurnScore:
    """`turn` with the Korean reading of `text` added (unchanged for a message without Hangul):
    each cue as one more independent piece of evidence, the model as the `negative` cue. The
    words' score is then stretched to the Korean cut points (`levels`, by default
    config/handoff.yml's `korean_levels`, chosen on Korean training turns: the English ones
    were chosen on English scores), and what the dialogue added is put back on top unstretched,
    as the analyser does for English."""
    if not _HANGUL.search(text):
        return turn
    reading = reading or korean_reading()
    claims = reading.cues.claims_earlier_contact(text)
    strengths = reading.cues.strengths(text)
    if claims:
        strengths["repeat_contact_phrase"] = 1.0
    contributions = {cue: settings.weights[cue] * s for cue, s in strengths.items()}
    if reading.model is not None:
        # The model and the harsh-judgement list read the same thing (upset wording): one
        # piece of evidence, the stronger of the two, so "실망스러워요" is not counted twice.
        found = reading.model.weight * reading.model.strength(text)
        contributions["negative"] = max(found, contributions.get("negative", 0.0))
    dialogue = turn.dialogue_remainder
    words = 1.0 - (1.0 - turn.frustration) / dialogue if dialogue > 0.0 else turn.frustration
    remaining = 1.0 - words
    for value in contributions.values():
        remaining *= 1.0 - value
    stretched = (levels or settings.korean_levels).calibrated(1.0 - remaining)
    frustration = 1.0 - (1.0 - stretched) * dialogue
    added = sorted(
        (c for c, v in contributions.items() if v >= settings.reported_from),
        key=lambda c: -contributions[c],
    )
    reasons = turn.reasons + tuple(c for c in added if c not in turn.reasons)
    sentiment = turn.sentiment
    if added and frustration >= settings.levels.frustrated:
        sentiment = max(-1.0, min(sentiment, settings.sentiment_cap.cap(frustration)))
    return replace(
        turn,
        sentiment=sentiment,
        frustration=frustration,
        dialogue_share=frustration - stretched,
        reasons=reasons,
        says_repeat_contact=turn.says_repeat_contact or "repeat_contact_phrase" in strengths,
        claims_earlier_contact=turn.claims_earlier_contact or claims,
    )
