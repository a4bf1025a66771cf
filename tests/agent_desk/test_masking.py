"""What the desk hides from agents (contract.privacy.mask_for_desk): phone numbers and street
addresses typed into the chat are hidden on the conversation page, in its live transcript, the
summary and the sentiment chart's quotes; the email, which the agent checks against the order,
and order numbers stay (issue 12, finding 5)."""

from __future__ import annotations

import json
from dataclasses import replace

from contract import keys
from harness.ticket_helpers import draft
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tickets.store import connect

PHONE = "+44 20 7946 0958"
STREET = "221B Baker Street"
POSTCODE = "NW1 6XE"
EMAIL = "alice@example.com"
SAID = f"send it to {STREET}, London {POSTCODE}, or call {PHONE}. I am {EMAIL}, order 10003"


def test_the_desk_hides_phone_numbers_and_addresses_but_shows_the_email(
    desk: DeskUnderTest,
) -> None:
    ticket, _ = desk.store.open_ticket(
        replace(
            draft("masked", created_at=desk.clock.now - 90),
            summary=["Customer asked for a person", f"Last message: “{SAID}”"],
        )
    )
    desk.rasa.events["masked"].append({"event": "user", "text": SAID, "timestamp": T0})
    turn = {"ts": T0, "text": SAID, "sentiment": 0.0, "frustration": 0.1, "smoothed": 0.1}
    connect(desk.settings.redis_url).rpush(keys.turns("masked"), json.dumps(turn))
    alex = desk.agent("alex")

    page = alex.get(f"/tickets/{ticket.reference}").get_data(True)
    live = alex.get(f"/api/tickets/{ticket.reference}/live").get_json()
    shown = [page, json.dumps(live, ensure_ascii=False)]
    for text in shown:
        for hidden in (PHONE, STREET, POSTCODE, "7946"):
            assert hidden not in text
        assert EMAIL in text and "order 10003" in text
    assert live["transcript"][-1]["text"] == (
        "send it to [address hidden], London [address hidden], or call [phone number hidden]. "
        f"I am {EMAIL}, order 10003"
    )
    assert "[phone number hidden]" in live["sentiment"][-1]["text"]
    assert "Last message: “send it to [address hidden]" in page
