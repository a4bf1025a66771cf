"""A Korean customer reads the desk's notices in Korean (config/responses_ko.yml), like the
assistant's own replies: the conversation's `language` slot decides, as addons/nlg.py does."""

from __future__ import annotations

from contract.wording import responses_in
from tests.agent_desk.desk_helpers import NOTICE_AFTER_S, DeskUnderTest, post, response_text


def korean(name: str) -> str:
    """The Korean response's first text, placeholders unfilled."""
    return str(responses_in("ko")[name][0]["text"])


def speaks_korean(desk: DeskUnderTest, conversation_id: str) -> None:
    """The customer's words set the slot (action_read_turn does so in the real assistant)."""
    desk.rasa.events[conversation_id].append({"event": "slot", "name": "language", "value": "ko"})


def test_joined_and_handed_back_notices_are_korean(desk: DeskUnderTest) -> None:
    reference = desk.ticket("cust-ko")
    speaks_korean(desk, "cust-ko")
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    assert desk.rasa.bot_texts("cust-ko")[-1] == korean("utter_handoff_agent_joined").format(
        agent="Alex"
    )
    post(alex, f"/tickets/{reference}/hand-back", page, level="calm")
    # The hand-back notice, then the rating question: both Korean.
    assert desk.rasa.bot_texts("cust-ko")[-2:] == [
        korean("utter_handoff_back"),
        korean("utter_ask_csat"),
    ]
    [question] = [e for e in desk.rasa.events["cust-ko"] if e.get("data", {}).get("buttons")]
    assert [b["title"] for b in question["data"]["buttons"]][::4] == ["1 별로예요", "5 아주 좋아요"]


def test_the_unclaimed_notice_is_korean_with_the_right_particle(desk: DeskUnderTest) -> None:
    desk.agent("sam")  # signed in, so available: somebody is there to be "still busy"
    waiting = desk.ticket("cust-ko")
    speaks_korean(desk, "cust-ko")
    desk.clock.now += NOTICE_AFTER_S
    assert desk.desk.send_due_notices() == [waiting]
    notice = desk.rasa.bot_texts("cust-ko")[-1]
    assert "상담원" in notice and waiting in notice
    assert "은(는)" not in notice  # the particle is chosen by how the reference ends


def test_an_english_conversation_keeps_the_domain_wording(desk: DeskUnderTest) -> None:
    reference = desk.ticket("cust-en")
    desk.rasa.events["cust-en"].append({"event": "slot", "name": "language", "value": "en"})
    post(desk.agent("alex"), f"/tickets/{reference}/claim", f"/tickets/{reference}")
    assert desk.rasa.bot_texts("cust-en")[-1] == response_text(
        "utter_handoff_agent_joined", agent="Alex"
    )
