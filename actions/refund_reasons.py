"""Reading a refund reason out of what the customer wrote.

"I want to return my running shoes, order 10002, they're too small" already says what went
wrong: the clause holding a reason cue (config/refund.yml) is kept, so the customer is not
asked again. Inside the form anything the customer types is a reason, except a bare "yes",
"ok" or "no", which answers nothing.
"""

from __future__ import annotations

import re

from actions.settings import RefundWording

# Clauses are split at punctuation and at the words that introduce a reason.
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\-–—]+|\b(?:because|since|as|but|and)\b", re.IGNORECASE)
_ORDER_WORDS = re.compile(r"#?\b\d{5,12}\b|\border\s*(?:number|no\.?|nr)?\b", re.IGNORECASE)
_TRIM = " \t\n.,;:!?-\"'"


def _has_cue(text: str, cues: tuple[str, ...]) -> bool:
    lowered = text.lower().replace("’", "'")
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", lowered) for cue in cues)


def reason_in_request(text: str, wording: RefundWording) -> str | None:
    """The part of a refund request that says what went wrong, or None when none does."""
    if not _has_cue(text, wording.reason_cues):
        return None
    clauses = [c.strip(_TRIM) for c in _CLAUSE_BREAK.split(text) if c and c.strip(_TRIM)]
    with_cue = [c for c in clauses if _has_cue(c, wording.reason_cues)]
    reason = ", ".join(with_cue) if with_cue else text.strip(_TRIM)
    reason = _ORDER_WORDS.sub(" ", reason)
    return re.sub(r"\s{2,}", " ", reason).strip(_TRIM) or None


def is_reason(text: str, wording: RefundWording) -> bool:
    """Whether an answer to "what went wrong?" says anything: not blank, not a bare yes/no."""
    bare = text.strip().lower().strip(_TRIM)
    return bool(re.search(r"\w", bare)) and bare not in wording.not_a_reason


def sounds_like_reason(text: str, wording: RefundWording) -> bool:
    """A message at the confirmation step that corrects the reason rather than answering."""
    lowered = text.strip().lower()
    return lowered.startswith(("the reason", "reason:", "reason is", "actually")) or _has_cue(
        text, wording.reason_cues
    )
