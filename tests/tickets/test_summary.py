"""The agent's summary and transcript, written from tracker events as Rasa stores them."""

from __future__ import annotations

from typing import Any

from contract.labels import CUE_LABELS
from contract.slots import LEVELS
from tickets.model import REASON_LABELS
from tickets.summary import (
    ACTION_LABELS,
    DONE_LABELS,
    KOREAN_SUMMARY,
    TOLD_THE_CUSTOMER,
    assistant_actions,
    summarize,
    wanted,
)
from tickets.transcript import transcript


def user(text: str, intent: str, ts: float) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "input_channel": "rest",
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
    }


def bot(text: str, ts: float, **metadata: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": ts, "metadata": metadata}


def action(name: str, ts: float) -> dict[str, Any]:
    return {"event": "action", "name": name, "timestamp": ts}


EVENTS: list[dict[str, Any]] = [
    action("action_session_start", 1),
    action("action_listen", 2),
    user("where is order 10003", "check_delivery", 3),
    action("delivery_form", 4),
    action("action_check_delivery", 5),
    bot(
        "Sorry, order 10003 is delayed (storm). New estimate: Fri 27 Nov.",
        6,
        utter_action="utter_delivery_delayed",
    ),
    action("action_listen", 7),
    user("then I want my money back", "request_refund", 8),
    action("refund_form", 9),
    bot(
        "Order 10003 is still on its way. Once it arrives you can return it.",
        10,
        utter_action="utter_refund_ineligible_not_delivered_yet",
    ),
    action("action_listen", 11),
    user("THIS IS RIDICULOUS, get me a person", "request_human", 12),
    action("action_handoff", 13),
    bot("Sure, a person will take over.", 14, utter_action="utter_handoff_customer_request"),
    {"event": "pause", "timestamp": 15},
    user("hello??", "greet", 16),
    bot("Hi, this is Alex. Looking at it now.", 17, agent="Alex"),
    {"event": "resume", "timestamp": 18},
    bot("You're back with the automated assistant.", 19),
]
SLOTS = {"order_number": "10003", "email": "ana@example.com", "frustration_level": "frustrated"}
TURNS = [
    {
        "ts": 3,
        "text": "where is order 10003",
        "sentiment": 0.0,
        "frustration": 0.1,
        "smoothed": 0.1,
        "level": "calm",
        "reasons": [],
    },
    {
        "ts": 12,
        "text": "THIS IS RIDICULOUS",
        "sentiment": -0.6,
        "frustration": 0.9,
        "smoothed": 0.72,
        "level": "frustrated",
        "reasons": ["capitals", "negative"],
    },
]


def test_a_verified_email_is_named_as_such() -> None:
    slots = {**SLOTS, "verified_email": "ana@example.com"}
    lines = summarize(slots, EVENTS[:15], "customer_request", TURNS)
    assert lines[2] == "Order 10003 · Verified email ana@example.com"


def test_summary_says_what_the_customer_wants_and_what_was_done() -> None:
    lines = summarize(SLOTS, EVENTS[:15], "customer_request", TURNS)
    assert lines[0] == "Handed over: Customer asked for a person"
    assert lines[1] == "Wants: a refund; where an order is"  # most recent first
    assert lines[2] == "Order 10003 · Email typed, not verified ana@example.com"
    assert lines[3] == (
        "Checked the delivery status: "
        "“Sorry, order 10003 is delayed (storm). New estimate: Fri 27 Nov.”"
    )
    assert lines[4].startswith("Told the customer: “Order 10003 is still on its way.")
    assert lines[5] == (
        "Customer state: frustrated "
        "(frustration 0.72 over 2 turns; latest cues: writing in capitals, negative words)"
    )
    assert lines[6] == "Last message: “THIS IS RIDICULOUS, get me a person”"


def test_summary_without_analysed_turns_falls_back_to_the_slots() -> None:
    lines = summarize(
        {"frustration_level": "annoyed"}, [user("agent", "request_human", 1)], "frustration"
    )
    assert lines == [
        "Handed over: Customer is frustrated",
        "Customer state: annoyed",
        "Last message: “agent”",
    ]


def test_transcript_marks_agent_messages_and_messages_written_while_paused() -> None:
    rows = [
        (e["who"], e["text"][:22], e.get("while_paused"), e.get("agent"))
        for e in transcript(EVENTS)
    ]
    assert rows == [
        ("customer", "where is order 10003", False, None),
        ("assistant", "Sorry, order 10003 is ", None, None),
        ("customer", "then I want my money b", False, None),
        ("assistant", "Order 10003 is still o", None, None),
        ("customer", "THIS IS RIDICULOUS, ge", False, None),
        ("assistant", "Sure, a person will ta", None, None),
        ("note", "The assistant handed o", None, None),
        ("customer", "hello??", True, None),
        ("agent", "Hi, this is Alex. Look", None, "Alex"),
        ("note", "Handed back: the assis", None, None),
        ("assistant", "You're back with the a", None, None),
    ]


def test_a_refund_that_worked_reads_as_done_not_as_tried() -> None:
    events = [
        {"event": "action", "name": "action_submit_refund"},
        {
            "event": "bot",
            "text": "Done: refund RF-1 for 20.00 EUR.",
            "metadata": {"utter_action": "utter_refund_created"},
        },
        {"event": "action", "name": "action_submit_refund"},
        {
            "event": "bot",
            "text": "Order 10007 is outside the return window.",
            "metadata": {"utter_action": "utter_refund_ineligible"},
        },
    ]
    assert [label for label, _ in assistant_actions(events)] == [
        "Created a refund",
        "Tried to create a refund",
    ]


def test_wants_lists_only_what_the_customer_asked_in_this_conversation() -> None:
    def unsure(text: str, intent: str, ts: float, confidence: float) -> dict[str, Any]:
        event = user(text, intent, ts)
        event["parse_data"]["intent"]["confidence"] = confidence
        return event

    events = [
        # An earlier session of the same sender: another conversation.
        user("what's the status of refund RF-AB12CD", "refund_status", 1),
        {"event": "session_started", "timestamp": 2},
        user("where is order 10003", "check_delivery", 3),
        bot("Sorry, order 10003 is delayed.", 4, utter_action="utter_delivery_delayed"),
        # The classifier guessed, barely above Rasa's fallback threshold.
        unsure("and??", "refund_status", 5, 0.64),
        bot("Do you want the status of refund RF-AB12CD?", 6),
        # The outburst that made the assistant hand over: some intent, not a request.
        unsure("UNACCEPTABLE. this is useless", "refund_status", 7, 0.83),
    ]
    lines = summarize({}, events, "frustration")
    assert "Wants: where an order is" in lines
    assert not any("refund" in line for line in lines if line.startswith("Wants"))
    assert lines[-1] == "Last message: “UNACCEPTABLE. this is useless”"


def test_pressed_buttons_read_as_their_titles() -> None:
    offer = bot("Shall I create the refund?", 2)
    offer["data"] = {
        "buttons": [
            {"title": "Yes, create it", "payload": "/affirm"},
            {"title": "No", "payload": "/deny"},
        ]
    }
    events = [offer, user("/affirm", "affirm", 3), user("/request_human", "request_human", 4)]
    entries = transcript(events)
    assert [(e["text"], e.get("pressed")) for e in entries[1:]] == [
        ("Yes, create it", True),
        ("[pressed a button: request human]", True),
    ]
    lines = summarize({}, events[:2], "customer_request")
    assert lines[-1] == "Last message: “Yes, create it”"


KOREAN_EVENTS: list[dict[str, Any]] = [
    user("10003 주문 어디쯤 왔어요?", "check_delivery", 3),
    action("action_check_delivery", 5),
    bot("죄송해요, 주문 10003은 배송이 늦어지고 있어요.", 6, utter_action="utter_delivery_delayed"),
    action("action_listen", 7),
    user("그럼 환불해 주세요", "request_refund", 8),
    action("refund_form", 9),
    bot(
        "주문 10003은 아직 배송 중이에요.",
        10,
        utter_action="utter_refund_ineligible_not_delivered_yet",
    ),
    action("action_listen", 11),
    user("아 진짜 ㅡㅡ 상담원 연결해 주세요", "request_human", 12),
]


def test_a_korean_conversation_is_summarised_in_korean() -> None:
    slots = {**SLOTS, "language": "ko", "refund_reason": "너무 늦게 와서요"}
    turns = [{**TURNS[1], "reasons": ["exclamations", "repeat_contact_phrase"]}]
    lines = summarize(slots, KOREAN_EVENTS, "customer_request", turns)
    assert lines == [
        "연결 사유: 고객이 상담원을 요청함",
        "문의: 환불 요청; 주문 배송 상태",  # config/topics.yml's label_ko, most recent first
        "주문 10003 · 입력했지만 확인 안 된 이메일 ana@example.com",
        "고객이 밝힌 환불 사유: “너무 늦게 와서요”",
        "배송 상태를 확인함: “죄송해요, 주문 10003은 배송이 늦어지고 있어요.”",
        "고객에게 안내함: “주문 10003은 아직 배송 중이에요.”",
        "고객 상태: 불만 큼 (불만 지수 0.72, 1턴 기준, 최근 신호: ! 또는 ? 연발, "
        "다시 문의해야 했다고 함)",
        "마지막 메시지: “아 진짜 ㅡㅡ 상담원 연결해 주세요”",
    ]
    assert wanted(lines) == "환불 요청; 주문 배송 상태"  # the queue's "wants" column


def test_a_korean_summary_without_turns_or_cues_still_reads_in_korean() -> None:
    korean = {"language": "ko", "frustration_level": "annoyed", "verified_email": "a@b.kr"}
    assert summarize(korean, [user("사람이랑 얘기할래요", "request_human", 1)], "frustration") == [
        "연결 사유: 고객이 불만스러워함",
        "확인된 이메일 a@b.kr",
        "고객 상태: 언짢음",
        "마지막 메시지: “사람이랑 얘기할래요”",
    ]
    calm_turn = [{**TURNS[0], "reasons": []}]
    [state] = [
        line for line in summarize(korean, [], "repeat_contact", calm_turn) if "상태" in line
    ]
    assert state == "고객 상태: 차분함 (불만 지수 0.10, 1턴 기준, 최근 신호: 없음)"


def test_an_english_or_unknown_language_keeps_the_english_summary() -> None:
    for language in ("en", None, "fr"):
        lines = summarize({**SLOTS, "language": language}, EVENTS[:15], "customer_request")
        assert lines[1] == "Wants: a refund; where an order is"
        assert wanted(lines) == "a refund; where an order is"


def test_every_name_a_summary_shows_has_korean() -> None:
    """A new handoff reason, action, mood level or cue would show in English in a Korean
    summary until KOREAN_SUMMARY names it."""
    english = {
        *REASON_LABELS.values(),
        *ACTION_LABELS.values(),
        *DONE_LABELS.values(),
        TOLD_THE_CUSTOMER,
        *LEVELS,
        *CUE_LABELS.values(),
    }
    assert sorted(english - set(KOREAN_SUMMARY.names)) == []
    assert all(KOREAN_SUMMARY.names.values())
