"""Scores customer messages from stdin: one JSON object per line on stdout, nothing else.

    make score                  # python -m mood.score
    make score-conversations    # python -m mood.score --conversations

Input is UTF-8 text, one customer message per line. Each output line is
`{"sentiment": -1..1, "frustration": 0..1, "level": "calm"|"annoyed"|"frustrated",
"reasons": [...]}` for that input line, in order. With --conversations, a blank line ends a
conversation (and is not scored), and each message's object adds the conversation's smoothed
score and level so far, and whether and why a handoff would trigger at that turn
(`"handoff": true|false, "handoff_reason": "frustration"|"repeated_contact"|null`). Only the
text is known here, so the triggers are the mood, claims of earlier contact, and the same
message sent again (a repeated request); intents and the contact history need the assistant.
Setup messages, if any, go to stderr.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # spaCy's thinc imports TensorFlow whenever it is installed (Rasa needs it): about 4 s of
    # CPU at every start, for a blank pipeline that never uses it. A None entry makes that
    # import fail at once and thinc goes on without it; only this command's process is affected.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]  # None blocks it

import argparse  # noqa: E402
import json  # noqa: E402
from collections.abc import Iterable, Iterator, Sequence  # noqa: E402
from typing import Any, TextIO  # noqa: E402

from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore, plain_words  # noqa: E402
from mood.conversation import ConversationMood  # noqa: E402
from mood.settings import FrustrationSettings, load_frustration_settings  # noqa: E402


def message_record(turn: TurnScore, settings: FrustrationSettings) -> dict[str, Any]:
    """The JSON object of one scored message."""
    return {
        "sentiment": round(turn.sentiment, 4),
        "frustration": round(turn.frustration, 4),
        "level": settings.levels.level_of(turn.frustration),
        "reasons": list(turn.reasons),
    }


def score_messages(
    lines: Iterable[str], analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> Iterator[dict[str, Any]]:
    """One record per line."""
    for line in lines:
        yield message_record(analyzer.analyze(line.rstrip("\r\n")), settings)


def score_conversations(
    lines: Iterable[str], analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> Iterator[dict[str, Any]]:
    """One record per non-blank line, with the conversation's state after it."""
    mood = ConversationMood.initial()
    seen: set[str] = set()
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip():
            mood, seen = ConversationMood.initial(), set()
            continue
        words = plain_words(text)
        turn = analyzer.analyze(text, DialogueSignals(repeated_request=words in seen))
        seen.add(words)
        mood = mood.update(turn, settings)
        reason = None
        if turn.claims_earlier_contact:
            reason = "repeated_contact"
        elif mood.should_hand_over(settings):
            reason = "frustration"
        yield {
            **message_record(turn, settings),
            "smoothed": round(mood.smoothed, 4),
            "conversation_level": mood.level,
            "handoff": reason is not None,
            "handoff_reason": reason,
        }


def main(argv: Sequence[str] | None = None, stdin: TextIO = sys.stdin) -> int:
    """Reads stdin to the end, writing one line per scored message as it goes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", action="store_true", help="blank lines separate")
    args = parser.parse_args(argv)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    score = score_conversations if args.conversations else score_messages
    out = sys.stdout
    for record in score(stdin, analyzer, settings):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.exit(main())
