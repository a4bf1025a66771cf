"""Finding 6: while a person held the conversation every REST message got 200 and `[]`, the
same answer a lost message used to get. Now such a message is answered 202 with
`X-Conversation-State: with-person`, and it is stored for the person to read."""

from __future__ import annotations

import requests

from tests.e2e.customer import Customer, assert_handed_over


def test_a_message_while_a_person_has_the_conversation_says_so(customer: Customer) -> None:
    answer = customer.ask("I want to talk to a person")
    assert_handed_over(customer, answer, "customer_request")

    response = requests.post(
        f"{customer.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": customer.sender_id, "message": "are you still there? order 10003"},
        timeout=60,
    )
    assert response.status_code == 202
    assert response.headers["X-Conversation-State"] == "with-person"
    assert response.json() == []
    texts = [e.get("text") for e in customer.tracker()["events"] if e["event"] == "user"]
    assert texts[-1] == "are you still there? order 10003"


def test_an_ordinary_answer_is_still_200(customer: Customer) -> None:
    response = customer.say("where is order 10003?")
    assert response and "delayed" in response[0]["text"].lower()
