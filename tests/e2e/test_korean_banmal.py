"""A Korean customer who drops from 존댓말 to 반말, end to end over REST: the switch is read by
the action server from the customer's own earlier messages (mood/speech_level.py) and reaches
the agent as a reason in the turn series the desk charts and in the ticket's Korean summary.

Sentences written for this test, not taken from evaluation/data/ko_mood_test.yml.
"""

from __future__ import annotations

from launcher.stack import Stack
from tests.e2e.customer import Customer
from tests.e2e.test_handoff_triggers import turn_series

SWITCH_LABEL_KO = "존댓말에서 반말로 바꿈"


def test_a_switch_to_banmal_is_a_reason_on_the_ticket(stack: Stack, customer: Customer) -> None:
    first = customer.ask("안녕하세요 10003 주문 배송 언제 와요?")
    assert "10003" in first and customer.slot("live_agent_handoff") is not True
    customer.ask("빨리 상담원 연결해")
    assert customer.slot("handoff_reason") == "customer_request"
    series = turn_series(stack, customer)
    assert "banmal_switch" not in series[0]["reasons"], "a polite first message is no switch"
    assert "banmal_switch" in series[-1]["reasons"]
    ticket = customer.ticket()
    assert ticket is not None, "no ticket: nobody on the desk would see the conversation"
    assert any(SWITCH_LABEL_KO in line for line in ticket.summary), ticket.summary


def test_banmal_from_the_start_is_no_switch(stack: Stack, customer: Customer) -> None:
    customer.ask("10003 주문 배송 언제 와")
    customer.ask("빨리 상담원 연결해")
    assert customer.slot("handoff_reason") == "customer_request"
    assert all("banmal_switch" not in turn["reasons"] for turn in turn_series(stack, customer))
