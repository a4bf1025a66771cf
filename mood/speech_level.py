"""Korean speech level of a customer's message, and the switch from 존댓말 to 반말.

A Korean customer who wrote politely (-요, -습니다, -세요) and then drops to 반말 mid-conversation
("언제 와", "환불해 줘") is showing annoyance that no single message's wording carries: the same
"언제 와" from a customer who wrote 반말 from the start is just their style (mood/LABELLING.md's
Korean guideline: 반말 alone is not anger). So the cue is read from the customer's own earlier
lines, like the other dialogue signals (mood/dialogue.py), and only at the message that switches.

The level is read from sentence endings (the last Hangul word before a break), not from a
morpheme analyser: the project's Korean tokenizer is whitespace-based, and a short list of
final endings is exact enough for the one question asked here. A message is read as 반말 only
when it has a verb ending of 반말 and no polite ending at all; a noun fragment ("환불 요청",
"주문번호 10003"), a bare "네" / "ㅇㅇ" / "응", a short word such as "됐어", and 반말 thanks
("고마워") have no level that counts, so they never switch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from mood.dialogue import USER, Line

# A sentence ends at punctuation or a line break; emoticon jamo (ㅠㅠ, ㅋㅋ, ㅡㅡ), digits and
# Latin letters after the last Hangul word do not change its ending.
_SENTENCES = re.compile(r"[.?!~…\n]+")
_WORD = re.compile(r"[가-힣]+")
_SYLLABLE = re.compile(r"[가-힣]")
# 해요체 (-요, -죠, with the cute -용 left out: 비용, 내용 are nouns) and 하십시오체 (-니다,
# -니까, -시오).
_POLITE_END = re.compile(r"(?:요|죠|니다|니까|시오)$")
# 해체 and 해라체 verb endings. An ending that also ends common nouns is left out after those
# nouns' syllables (지: 배송지, 메시지, 페이지, -까지; 니: 장바구니; 해: 피해, 손해; 나: 하나),
# or kept only after a verb's (자: 하자, not 상자; 라: 해라, not 카메라).
_CASUAL_END = re.compile(
    r"(?:"
    r"[돼줘봐워와냐네군]|구나|거든|잖아|[는은던건한인운]데|[냐라다자]고|라니까"
    r"|(?<![피손])해|(?<!분)야|(?<![단언])어|아|다|(?<!구|언)니|(?<![하바])나"
    r"|(?<![배송소바시이장양까기])지|(?:하|보|가)자|(?:해|줘|봐|몰|하|가)라|(?:할|줄|볼|갈)래"
    r")$"
)
# 반말 thanks and assent are friendly, not a drop in regard: "고마워", "알겠어", and a message
# that starts by agreeing ("ㅇㅇ 취소해줘" answers a confirmation).
_FRIENDLY = re.compile(
    r"고마|고맙|감사|땡큐|수고|알겠|알았|괜찮|좋아|(?<![가-힣])(?:그래|응)(?![가-힣])"
    r"|^\s*(?:ㅇㅇ|ㅇㅋ|웅|넹|네|예)(?![가-힣])"
)
# A message needs this much Hangul to have a level that counts: one short word ("됐어",
# "몰라") is left out.
MIN_WORDS = 2
MIN_SYLLABLES_ONE_WORD = 4


class SpeechLevel(Enum):
    """How a Korean message addresses the shop."""

    POLITE = "존댓말"
    CASUAL = "반말"


def _endings(text: str) -> list[str]:
    """The last Hangul word of every sentence of `text`."""
    found = []
    for sentence in _SENTENCES.split(text):
        words = _WORD.findall(sentence)
        if words:
            found.append(words[-1])
    return found


def speech_level(text: str) -> SpeechLevel | None:
    """POLITE when any sentence ends politely; CASUAL when none does and one ends in a 반말
    verb ending, in a message long enough to count and not a friendly thanks; else None."""
    endings = _endings(text)
    if any(_POLITE_END.search(word) for word in endings):
        return SpeechLevel.POLITE
    words = _WORD.findall(text)
    long_enough = len(words) >= MIN_WORDS or len(_SYLLABLE.findall(text)) >= (
        MIN_SYLLABLES_ONE_WORD
    )
    if not long_enough or _FRIENDLY.search(text):
        return None
    if any(_CASUAL_END.search(word) for word in endings):
        return SpeechLevel.CASUAL
    return None


def switched_to_banmal(earlier: Sequence[Line], text: str) -> bool:
    """The customer wrote 존댓말 before (at least once) and never 반말, and `text` is 반말: the
    message that drops the polite register. A customer who used 반말 from the start, or already
    switched earlier in the conversation, does not fire it again."""
    if speech_level(text) is not SpeechLevel.CASUAL:
        return False
    levels = {speech_level(line.text) for line in earlier if line.speaker == USER}
    return SpeechLevel.POLITE in levels and SpeechLevel.CASUAL not in levels
