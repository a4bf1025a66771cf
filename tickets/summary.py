"""A short summary of a conversation for the agent, written from its structured facts.

Slots, intents, the actions the assistant ran and what they answered are more reliable than
re-reading free text, and they are what an agent needs first: what the customer wants, which
order, what the assistant already checked or did, and how the customer is doing.

Written in the conversation's language (the `language` slot): whoever answers a Korean customer
reads and writes Korean, and the summary quotes the customer's own words, so a Korean summary
reads as one language; it also reaches Chatwoot, which has no catalog of the desk's
(docs/decisions.md: the summary follows the conversation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract.labels import cue_label
from contract.language import LANGUAGE_SLOT
from contract.metadata import CUSTOMER, RESPONSE_METADATA_KEY
from contract.slots import FRUSTRATION_LEVEL
from contract.topics import load_topics
from tickets.model import REASON_LABELS
from tickets.transcript import latest_intents, transcript

# Actions that did something for the customer, as the agent reads them.
ACTION_LABELS: dict[str, str] = {
    "action_check_delivery": "Checked the delivery status",
    "action_submit_refund": "Tried to create a refund",
    "action_check_refund_status": "Looked up the refund",
    "action_cancel_order": "Tried to cancel the order",
}

# What an action did when its answer was this response: "Tried to ..." would undersell a success.
DONE_LABELS: dict[str, str] = {
    "utter_refund_created": "Created a refund",
    "utter_order_cancelled": "Cancelled the order",
    "utter_refund_status": "Gave the refund status",
}

# Answers given inside forms (no action of their own) that an agent must know about.
OUTCOME_RESPONSE_PREFIXES: tuple[str, ...] = (
    "utter_refund_ineligible",
    "utter_order_not_found",
    "utter_shop_unavailable",
    "utter_cancel_refused",
)

MAX_QUOTE = 160
MAX_ACTIONS = 4
TOLD_THE_CUSTOMER = "Told the customer"


@dataclass(frozen=True)
class SummaryWords:
    """A summary's wording in one language: its line templates, and its words for what other
    modules name in English (handoff reasons, actions, mood levels, cues); an English name it
    lacks is shown as it is."""

    language: str
    handed_over: str
    wants: str
    facts: tuple[tuple[str, str], ...]
    email_typed: str
    refund_reason: str
    state: str
    state_level_only: str
    no_cues: str
    unknown_level: str
    last_message: str
    names: dict[str, str] = field(default_factory=dict)

    def name(self, english: str) -> str:
        """`english` (a reason, action, level or cue label) in this language."""
        return self.names.get(english, english)


ENGLISH_SUMMARY = SummaryWords(
    language="en",
    handed_over="Handed over: {reason}",
    wants="Wants: ",
    facts=(
        ("order_number", "Order"),
        ("verified_email", "Verified email"),
        ("refund_reference", "Refund"),
    ),
    email_typed="Email typed, not verified {email}",
    refund_reason="Refund reason given: {quote}",
    state="Customer state: {level} (frustration {score} over {turns} turns; latest cues: {cues})",
    state_level_only="Customer state: {level}",
    no_cues="none named",
    unknown_level="unknown",
    last_message="Last message: {quote}",
)
KOREAN_SUMMARY = SummaryWords(
    language="ko",
    handed_over="연결 사유: {reason}",
    wants="문의: ",
    facts=(
        ("order_number", "주문"),
        ("verified_email", "확인된 이메일"),
        ("refund_reference", "환불"),
    ),
    email_typed="입력했지만 확인 안 된 이메일 {email}",
    refund_reason="고객이 밝힌 환불 사유: {quote}",
    state="고객 상태: {level} (불만 지수 {score}, {turns}턴 기준, 최근 신호: {cues})",
    state_level_only="고객 상태: {level}",
    no_cues="없음",
    unknown_level="알 수 없음",
    last_message="마지막 메시지: {quote}",
    names={
        # tickets/model.py's REASON_LABELS, as the desk's Korean catalog words them.
        "Customer asked for a person": "고객이 상담원을 요청함",
        "Customer is frustrated": "고객이 불만스러워함",
        "Customer had to come back": "고객이 다시 문의함",
        "Assistant kept failing": "어시스턴트가 계속 이해하지 못함",
        # ACTION_LABELS, DONE_LABELS and the outcome line.
        "Checked the delivery status": "배송 상태를 확인함",
        "Tried to create a refund": "환불 접수를 시도함",
        "Looked up the refund": "환불 내역을 조회함",
        "Tried to cancel the order": "주문 취소를 시도함",
        "Created a refund": "환불을 접수함",
        "Cancelled the order": "주문을 취소함",
        "Gave the refund status": "환불 상태를 안내함",
        TOLD_THE_CUSTOMER: "고객에게 안내함",
        # contract/slots.py's LEVELS and contract/labels.py's CUE_LABELS, as the desk words them.
        "calm": "차분함",
        "annoyed": "언짢음",
        "frustrated": "불만 큼",
        "negative words": "부정적인 말",
        "writing in capitals": "대문자로 씀",
        "many ! or ?": "! 또는 ? 연발",
        "swearing": "욕설",
        "said they had to write again": "다시 문의해야 했다고 함",
        "sarcasm": "비꼬는 말",
        "impatience": "조급함",
        "threatened to escalate": "신고나 항의를 예고함",
        "said the answer did not help": "답변이 도움이 안 됐다고 함",
        "not understood in a row": "연달아 이해하지 못함",
        "asked the same thing again": "같은 요청을 다시 함",
    },
)
SUMMARY_WORDS = {words.language: words for words in (ENGLISH_SUMMARY, KOREAN_SUMMARY)}


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[: MAX_QUOTE - 1]}…”" if len(text) > MAX_QUOTE else f"“{text}”"


def assistant_actions(events: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(what the assistant did, what it told the customer), oldest first.

    Rasa logs an action's ActionExecuted event before the bot messages it produced, so each
    bot message is attributed to the action event right before it.
    """
    done: list[tuple[str, str]] = []
    current: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "action":
            current = event.get("name")
        elif kind == "user":
            current = None
        elif kind == "bot" and event.get("text"):
            response = str((event.get("metadata") or {}).get(RESPONSE_METADATA_KEY) or "")
            if current in ACTION_LABELS:
                done.append((DONE_LABELS.get(response, ACTION_LABELS[current]), event["text"]))
                current = None  # one outcome per action is enough
            elif response.startswith(OUTCOME_RESPONSE_PREFIXES):
                done.append((TOLD_THE_CUSTOMER, event["text"]))
    return done


def _customer_state(
    slots: dict[str, Any], turns: Sequence[dict[str, Any]], words: SummaryWords
) -> str | None:
    if turns:
        last = turns[-1]
        cues = ", ".join(words.name(cue_label(str(r))) for r in last.get("reasons") or [])
        level = last.get("level")
        return words.state.format(
            level=words.name(level) if level else words.unknown_level,
            score=f"{float(last.get('smoothed', 0.0)):.2f}",
            turns=len(turns),
            cues=cues or words.no_cues,
        )
    level = slots.get(FRUSTRATION_LEVEL)
    return words.state_level_only.format(level=words.name(level)) if level else None


def summary_words(slots: dict[str, Any]) -> SummaryWords:
    """The wording for the conversation's language (English when it is not known)."""
    return SUMMARY_WORDS.get(str(slots.get(LANGUAGE_SLOT) or ""), ENGLISH_SUMMARY)


def summarize(
    slots: dict[str, Any],
    events: Sequence[dict[str, Any]],
    reason: str,
    turns: Sequence[dict[str, Any]] = (),
) -> list[str]:
    """The summary as a few lines, most important first, in the conversation's language."""
    words = summary_words(slots)
    lines = [words.handed_over.format(reason=words.name(REASON_LABELS.get(reason, reason)))]
    topic_file = load_topics()
    found = [topic_file.label(i, words.language) for i in latest_intents(events, handed_over=True)]
    topics = [label for label in found if label]
    if topics:
        lines.append(words.wants + "; ".join(topics[:3]))
    facts = [f"{label} {slots[name]}" for name, label in words.facts if slots.get(name)]
    typed = slots.get("email")
    if typed and str(typed).strip().lower() != str(slots.get("verified_email") or "").lower():
        facts.append(words.email_typed.format(email=typed))
    if facts:
        lines.append(" · ".join(facts))
    if slots.get("refund_reason"):
        lines.append(words.refund_reason.format(quote=_quote(str(slots["refund_reason"]))))
    for label, said in assistant_actions(events)[-MAX_ACTIONS:]:
        lines.append(f"{words.name(label)}: {_quote(said)}")
    state = _customer_state(slots, turns, words)
    if state:
        lines.append(state)
    last_words = [e["text"] for e in transcript(events) if e["who"] == CUSTOMER]
    if last_words:
        lines.append(words.last_message.format(quote=_quote(last_words[-1])))
    return lines


def wanted(summary: Sequence[str]) -> str:
    """What the customer wants, from a summary in any language ('' when it does not say)."""
    for line in summary:
        for words in SUMMARY_WORDS.values():
            if line.startswith(words.wants):
                return line.removeprefix(words.wants)
    return ""
