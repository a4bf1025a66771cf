"""Korean mood cues on top of the English analyser (mood/analyzer.py).

The analyser's trained model, VADER and phrase lists read English: a Korean message gets
little more than its '!!!' and '?!' runs from them. For a message with Hangul, the Korean
lists of config/mood_ko.yml add their cues (swearing in full, initial-consonant, spaced and
masked forms; harsh judgements; ㅡㅡ and ;;; still waiting and coming back; impatience; threats;
rejecting the answer; sarcasm) with the weights config/handoff.yml gives those cues, combined
with the English reading as independent evidence, like the analyser combines its own cues.
A claim of earlier contact ("몇 번째 문의하는 건데") is reported as the English ones are, so it
hands over with reason repeated_contact. ㅠㅠ is sadness and adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from mood.analyzer import TurnScore
from mood.settings import CUES, FrustrationSettings

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


@lru_cache(maxsize=1)
def korean_cues() -> KoreanCues:
    """The configured cues, read once per process."""
    return load_korean_cues()


def with_korean_cues(
    turn: TurnScore, text: str, settings: FrustrationSettings, cues: KoreanCues | None = None
) -> TurnScore:
    """`turn` with the Korean cues of `text` added (unchanged for a message without Hangul)."""
    if not _HANGUL.search(text):
        return turn
    cues = cues or korean_cues()
    claims = cues.claims_earlier_contact(text)
    strengths = cues.strengths(text)
    if claims:
        strengths["repeat_contact_phrase"] = 1.0
    contributions = {cue: settings.weights[cue] * s for cue, s in strengths.items()}
    remaining = 1.0 - turn.frustration
    for value in contributions.values():
        remaining *= 1.0 - value
    frustration = 1.0 - remaining
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
        reasons=reasons,
        says_repeat_contact=turn.says_repeat_contact or "repeat_contact_phrase" in strengths,
        claims_earlier_contact=turn.claims_earlier_contact or claims,
    )
