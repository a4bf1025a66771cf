"""Dissatisfaction that only the conversation shows (mood/dialogue.py): corrections, the
customer's own request repeated, a short denial right after an answer; and that a labelled
scenario's turn is read exactly as the action server reads the same turn of a tracker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract.events import dialogue_lines, slot_by_turn
from contract.slots import SENTIMENT_SCORE
from evaluation import dialogue_cues
from evaluation.mood_test_part import read_scenarios
from mood.analyzer import DialogueSignals
from mood.dialogue import BOT, USER, Line, TextSignals, text_signals


def lines(*pairs: tuple[str, str]) -> list[Line]:
    """Lines from (speaker, text) pairs."""
    return [Line(speaker, text) for speaker, text in pairs]


BOOKED_THURSDAY = lines(
    (USER, "can the courier come on Tuesday for 10004?"),
    (BOT, "I've booked the courier for Thursday."),
)


@pytest.mark.parametrize(
    "text",
    ["no, I said Tuesday", "Tuesday. not Thursday", "I asked for Tuesday", "nope, tuesday pls"],
)
def test_a_correction_of_the_assistant_is_a_signal(text: str) -> None:
    assert text_signals(BOOKED_THURSDAY, text).correction


@pytest.mark.parametrize(
    "text", ["oh sorry, I meant Thursday", "Thursday is fine, thanks", "ok", "great, thank you"]
)
def test_the_customer_taking_the_blame_or_agreeing_is_no_correction(text: str) -> None:
    assert text_signals(BOOKED_THURSDAY, text) == TextSignals()


DELAY_ANSWER = lines(
    (USER, "where is order 10003"),
    (BOT, "Sorry, order 10003 is delayed (weather at the carrier's hub). New estimate: Tue 8 Dec."),
)


@pytest.mark.parametrize(
    "text",
    [
        "not impressed, to be honest",
        "not ideal, to be honest",
        "not happy",
        "not great",
        "no, not impressed",
        "to be honest, not impressed",
    ],
)
def test_an_evaluation_of_the_answer_is_no_correction(text: str) -> None:
    """Judging the answer ("not impressed") corrects nothing the assistant understood."""
    assert not text_signals(DELAY_ANSWER, text).correction


@pytest.mark.parametrize(
    "text",
    [
        "not Thursday, Tuesday",
        "no, not thursday - tuesday",
        "I said Tuesday not Thursday",
        "I didn't ask for thursday",
        "that's not what I wanted",
    ],
)
def test_a_denied_value_or_pointing_at_the_request_is_a_correction(text: str) -> None:
    assert text_signals(BOOKED_THURSDAY, text).correction


def test_a_short_denial_counts_after_an_answer_not_after_a_question() -> None:
    answer = lines((USER, "where is 10003"), (BOT, "Order 10003 was delivered yesterday."))
    question = lines((USER, "where is 10003"), (BOT, "Anything else I can help with?"))
    assert text_signals(answer, "no.").short_negative_reply
    assert text_signals(answer, "wrong").short_negative_reply
    assert not text_signals(question, "no.").short_negative_reply
    assert text_signals(question, "no thanks") == TextSignals()


def test_repeating_an_earlier_request_is_a_signal() -> None:
    earlier = lines(
        (USER, "I want a refund for the broken kettle"),
        (BOT, "Here's how to track your parcel."),
    )
    assert text_signals(earlier, "I want a refund for the kettle").repeated_request
    assert not text_signals(earlier, "how long does shipping take?").repeated_request
    assert not text_signals([], "I want a refund for the broken kettle").repeated_request


def test_the_first_message_has_no_dialogue_signal() -> None:
    assert text_signals(lines((BOT, "Hi! What do you need?")), "no, nothing") == TextSignals()


ANALYSED = {"event": "slot", "name": SENTIMENT_SCORE, "value": 0.0}
"""What the action server sets after every message it analysed (contract.events)."""


def tracker_events(earlier: tuple[Line, ...], text: str) -> list[dict[str, Any]]:
    """The tracker's events Rasa would send for a scenario turn: its earlier lines, each user
    line followed by the analysis's slots and the assistant's action, then the latest message."""
    events: list[dict[str, Any]] = [{"event": "session_started"}]
    for line in earlier:
        if line.speaker == USER:
            events += [{"event": "user", "text": line.text}, ANALYSED]
        else:
            events += [{"event": "action", "name": "utter_x"}, {"event": "bot", "text": line.text}]
    return [*events, {"event": "user", "text": text}]


SCENARIOS = """
scenarios:
  - id: courier-day
    turns:
      - {bot: "Hi! What do you need?"}
      - {user: "can the courier come on Tuesday for 10004?", label: calm}
      - {bot: "I've booked the courier for Thursday."}
      - {user: "no, I said Tuesday", label: annoyed}
      - {bot: "Sorry, the courier is booked for Tuesday."}
      - {user: "can the courier come on Tuesday for 10004", label: annoyed}
      - {bot: "It's booked for Tuesday."}
      - {user: "wrong.", label: annoyed}
  - id: thanks
    turns:
      - {user: "hello"}
      - {bot: "Your refund was sent today."}
      - {user: "thank you, that's all", label: calm}
"""


def test_a_scenario_turn_reads_as_the_action_server_reads_the_tracker(tmp_path: Path) -> None:
    """The evaluation's reader of labelled scenarios and the action server's
    (contract.events.dialogue_lines, as actions/turn_analysis.py calls it) give every turn the
    same lines, so the same signals."""
    path = tmp_path / "scenarios.yml"
    path.write_text(SCENARIOS, encoding="utf-8")
    turns = read_scenarios(path)
    assert [t.label for t in turns] == ["calm", "annoyed", "annoyed", "annoyed", "calm"]
    found = []
    for turn in turns:
        events = tracker_events(turn.earlier, turn.text)
        earlier = [Line(speaker, text) for speaker, text in dialogue_lines(events)]
        assert tuple(earlier) == turn.earlier
        found.append(DialogueSignals.of(earlier, turn.text))
    assert [s.correction for s in found] == [False, True, False, False, False]
    assert [s.repeated_request for s in found] == [False, False, True, False, False]
    assert [s.short_negative_reply for s in found] == [False, False, False, True, False]


def test_an_unknown_label_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.yml"
    path.write_text('scenarios: [{turns: [{user: "hi", label: cross}]}]', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label"):
        read_scenarios(path)


def test_dialogue_lines_start_after_the_latest_hand_back() -> None:
    events = [
        {"event": "user", "text": "before"},
        {"event": "bot", "text": "a person has it"},
        {"event": "resume"},
        {"event": "bot", "text": "You're back with the assistant."},
        {"event": "bot"},  # buttons only
        {"event": "user", "text": "where is 10004"},
        ANALYSED,
        {"event": "bot", "text": "It's lost."},
        {"event": "user", "text": "did not go through"},  # never analysed: sent again
        {"event": "bot", "text": "Please send that again."},
        {"event": "user", "text": "latest"},
    ]
    assert dialogue_lines(events) == [
        (BOT, "You're back with the assistant."),
        (USER, "where is 10004"),
        (BOT, "It's lost."),
        (BOT, "Please send that again."),
    ]


def test_slot_by_turn_reads_the_value_after_each_earlier_message() -> None:
    score = "frustration_score"
    events = [
        {"event": "user", "text": "old"},
        {"event": "slot", "name": score, "value": 0.9},
        {"event": "resume"},
        {"event": "slot", "name": score, "value": 0.2},  # the desk's hand-back level
        {"event": "user", "text": "a"},
        {"event": "slot", "name": score, "value": 0.3},
        {"event": "slot", "name": score, "value": 0.35},  # set twice: the last counts
        {"event": "user", "text": "b"},
        {"event": "slot", "name": "other", "value": 1},
        {"event": "user", "text": "c"},
        {"event": "slot", "name": score, "value": 0.4},
        {"event": "user", "text": "latest"},
    ]
    assert slot_by_turn(events, score) == (0.2, [0.35, 0.4])


def test_the_written_cue_dialogues_name_known_cues_only(tmp_path: Path) -> None:
    """The measurement reads its own file, and a misspelt cue there stops it rather than
    counting as a cue that never fires."""
    assert dialogue_cues.main([]) == 0
    path = tmp_path / "cues.yml"
    path.write_text('scenarios: [{turns: [{user: "no.", cues: [corection]}]}]', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown cue"):
        dialogue_cues.main(["--file", str(path)])
