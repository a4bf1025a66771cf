"""Signals of dissatisfaction that only the conversation shows, read from its lines' text.

In task dialogues most displeasure is implicit: the customer corrects what the assistant
understood ("no, I said Tuesday"), repeats a request the assistant missed, or answers the
assistant's answer with a short "no." / "wrong". None of that is in the message's wording
alone, so the action server (actions/turn_analysis.py, from the tracker's events through
`contract.events.dialogue_lines`) and the evaluation (evaluation/mood_test_part.py, from a
labelled scenario's earlier turns) both call `text_signals` here: a turn of a labelled scenario
is read exactly as the action server reads the same turn of a live conversation.

Only the text of the lines is used (no intents), so the signals are the same wherever the
lines come from; what needs intents (messages not understood in a row, the same topic asked
again) is added by the action server on top (`DialogueSignals`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

BOT = "bot"
USER = "user"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Words that carry no request of their own: a repetition is judged on the rest.
_FILLER = frozenset(
    """
    a an the i i'm im me my mine you your it it's its is are was were be been am to of for on in
    at by with and or but so do does did can could would will please pls plz just now then
    this that these those there here hi hello hey ok okay yes yeah no not again still what
    where when why how which who about already said asked told say ask tell want need like
    thanks thank cheers sorry well oh um uh
    """.split()
)

# A short reply made of these words only rejects what came before it.
_NEGATIVE_WORDS = frozenset(
    """
    no nope nah nay wrong incorrect not wtf what huh eh seriously really rubbish useless
    nonsense false that's that is isn't it's its again
    """.split()
)
# ...and must start with one of these.
_NEGATIVE_STARTS = frozenset("no nope nah wrong incorrect not what huh seriously wtf".split())

# The customer corrects the assistant: a reply starting with a denial followed by what they
# meant ("no, Tuesday"), or pointing at what they said or asked. A reply starting with "not" is
# a correction only as "not X, Y" where X is something the assistant just said ("not Thursday,
# Tuesday"): "not impressed, to be honest" or "not great" judge the answer, they correct nothing.
_DENIAL_STARTS = frozenset("no nope nah wrong incorrect".split())
# "not X, Y" / "no, not X, Y": the denied words X, then a break and what replaces them.
_NOT_X_Y = re.compile(r"^(?:(?:no|nope|nah)\W+)?not ([^,.;:!?]+?)\s*[,.;:!?-]+\s*\w")
_POINTING = re.compile(
    r"\b(i|i've|ive) (just |already )?(said|asked|told you|wrote|typed|gave you|put)\b"
    r"|\b(as|like) i (said|asked|told you|wrote)\b"
    r"|\bnot what i (said|asked|meant|wanted)\b"
    r"|\bi (didn't|did not|never) (say|ask|want|order|mean)\b"
    r"|\b(i'm|im|i am) (asking|talking) about\b"
    r"|\bmy question (is|was)\b"
    r"|\b(in|from) my (first |last |previous |earlier )?message\b"
    r"|\byou('ve| have)? (just |already )asked\b"
)
# A denial of part of the answer after the words that replace it: "socks. not shoes",
# "I want to return it, not track it"; the denied words must be in the assistant's answer
# ("to be honest, not impressed" denies nothing it said).
_NOT_THAT = re.compile(r"[,.;:!]\s*not (?:the |a |my )?([\w'-]+(?: [\w'-]+)?)\s*[.!]*$")
# "No" that denies nothing: "no worries", "no need", "not a problem".
_KIND_NO = re.compile(
    r"^(no|not) (worries|worry|need|problem|a problem|rush|hurry|stress|bother)\b"
)
# Order numbers and references the customer gives: the same one again is the same request.
_REFERENCE = re.compile(r"\b(?=[a-z-]*\d)[a-z0-9-]{4,}\b")
# The customer takes the blame: a correction of their own slip is calm.
_OWN_SLIP = re.compile(r"\b(sorry|my bad|my mistake|oops|whoops|typo|apologies|i mean|i meant)\b")
# At least this share of a message's request words must be in an earlier message of the
# customer's for it to be the same request again.
REPEAT_OVERLAP = 0.6
REPEAT_MIN_WORDS = 2
SHORT_REPLY_WORDS = 4


@dataclass(frozen=True)
class Line:
    """One line of a conversation: who said it (`BOT` or `USER`) and what."""

    speaker: str
    text: str


@dataclass(frozen=True)
class TextSignals:
    """What the conversation's earlier lines tell about the latest customer message."""

    repeated_request: bool = False
    """The customer repeats a request of theirs from earlier in the conversation."""
    correction: bool = False
    """The customer corrects the assistant ("no, I said Tuesday", "I asked about a refund")."""
    short_negative_reply: bool = False
    """A short denial ("no.", "wrong", "what?") right after an answer of the assistant."""


def words_of(text: str) -> list[str]:
    """Lower-case words (apostrophes kept inside: "didn't"), typographic quotes unified."""
    return _WORD.findall(text.lower().replace("’", "'"))


def request_words(words: Sequence[str]) -> frozenset[str]:
    """The words of a message that say what it asks for."""
    return frozenset(w for w in words if w not in _FILLER and len(w) > 1)


def is_question(text: str) -> bool:
    """The assistant asked something (its line ends with a question mark)."""
    return text.rstrip().rstrip(")\"'").endswith("?")


def text_signals(earlier: Sequence[Line], text: str) -> TextSignals:
    """The signals of `text` (the customer's latest message) given the conversation's earlier
    lines, oldest first (since the session started or a person handed back)."""
    words = words_of(text)
    if not words:
        return TextSignals()
    previous = earlier[-1] if earlier else None
    after_bot = previous is not None and previous.speaker == BOT
    after_answer = after_bot and previous is not None and not is_question(previous.text)
    lowered = " ".join(words)
    own_slip = bool(_OWN_SLIP.search(lowered))
    customer_spoke = any(line.speaker == USER for line in earlier)

    short_negative = (
        after_answer
        and len(words) <= SHORT_REPLY_WORDS
        and words[0] in _NEGATIVE_STARTS
        and all(w in _NEGATIVE_WORDS for w in words)
        and not own_slip
    )
    said = (
        request_words(words_of(previous.text))
        if after_bot and previous is not None
        else frozenset()
    )
    plain = text.lower().replace("’", "'").strip()
    denied_said = [
        m for m in (_NOT_THAT.search(plain), _NOT_X_Y.match(plain))
        if m is not None and request_words(words_of(m.group(1))) & said
    ]  # fmt: skip
    correction = (
        not own_slip
        and customer_spoke
        and after_bot
        and (
            bool(_POINTING.search(lowered))
            or bool(denied_said)
            or (
                after_answer
                and words[0] in _DENIAL_STARTS
                and not _KIND_NO.match(lowered)
                and len(words) > 1
                and words[1] != "not"
                and not short_negative
            )
        )
    )
    wanted = request_words(words)
    given = {
        r for line in earlier if line.speaker == USER for r in _REFERENCE.findall(line.text.lower())
    }
    repeated = (
        len(wanted) >= REPEAT_MIN_WORDS
        and any(
            len(wanted & request_words(words_of(line.text))) >= REPEAT_OVERLAP * len(wanted)
            for line in earlier
            if line.speaker == USER
        )
    ) or (after_bot and not own_slip and bool(given & set(_REFERENCE.findall(text.lower()))))
    return TextSignals(
        repeated_request=repeated, correction=correction, short_negative_reply=short_negative
    )
