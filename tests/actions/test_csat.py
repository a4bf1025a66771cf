"""Satisfaction ratings in the action server (actions/csat.py) with a real Redis: asked once per
session with the configured buttons, the rating counted for the assistant or the agent who
handled it, the optional comment kept masked, and the slots dropped at a new session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.csat import ActionAskCsat, ActionRecordCsat, ActionRecordCsatComment
from actions.metrics import get_recorder
from actions.session import ActionSessionStart
from actions.settings import load_settings
from analytics.counts import Period, read_counts
from analytics.figures import satisfaction
from contract import keys
from contract.csat import load_csat
from tests.actions.conftest import make_tracker
from tickets.settings import load_ticket_config
from tickets.store import connect


@pytest.fixture
def counted(action_redis: str) -> Iterator[str]:
    """The recorder (cached per process) on this test's Redis."""
    for cached in (get_recorder, load_ticket_config, load_settings):
        cached.cache_clear()
    yield action_redis
    get_recorder.cache_clear()


async def run(action: Any, domain: dict[str, Any], **kwargs: Any) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(**kwargs), domain)
    return dispatcher.messages, events


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_goodbye_and_thanks_ask_once_with_the_configured_buttons(
    domain: dict[str, Any],
) -> None:
    messages, events = await run(ActionAskCsat(), domain, text="great, thanks", intent="thank")
    [question] = messages
    assert question["response"] == "utter_ask_csat"
    assert [b["title"] for b in question["buttons"]] == ["1 Poor", "2", "3", "4", "5 Great"]
    assert question["buttons"][3]["payload"] == '/rate_conversation{"csat_score": 4}'
    assert slots_of(events) == {"csat_asked": True, "csat_trigger": "thanks"}

    again, nothing = await run(
        ActionAskCsat(), domain, text="bye", intent="goodbye", slots={"csat_asked": True}
    )
    assert (again, nothing) == ([], [])


async def test_a_rating_is_counted_for_who_handled_it_and_a_comment_kept(
    counted: str, domain: dict[str, Any]
) -> None:
    by_assistant = {"csat_score": 5, "csat_trigger": "thanks", "csat_asked": True}
    messages, events = await run(
        ActionRecordCsat(), domain, intent="rate_conversation", slots=by_assistant
    )
    assert [m["response"] for m in messages] == ["utter_csat_thanks"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["No comment"]
    assert slots_of(events) == {"csat_asked": True, "csat_comment_open": True}
    by_sam = {"csat_score": 2, "csat_trigger": "close", "csat_agent": "sam", "csat_asked": True}
    await run(ActionRecordCsat(), domain, intent="rate_conversation", slots=by_sam)

    messages, events = await run(
        ActionRecordCsatComment(),
        domain,
        text="Sam was slow. Call me on 07700 900123",
        intent="complain",
        slots=by_sam,
    )
    assert [m["response"] for m in messages] == ["utter_csat_comment_noted"]
    assert slots_of(events) == {"csat_comment_open": False}
    client = connect(counted)
    [comment_key] = client.keys(keys.csat_comments("*"))
    [stored] = [json.loads(c) for c in client.lrange(comment_key, 0, -1)]
    assert (stored["score"], stored["agent"], stored["trigger"]) == (2, "sam", "close")
    assert "07700" not in stored["comment"] and stored["comment"].startswith("Sam was slow.")

    day = date.fromisoformat(comment_key.rsplit(":", 1)[-1])
    table = satisfaction(read_counts(client, Period(day, day)))
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Resolved by the assistant"] == (1.0, 5.0, 100.0)
    assert rows["Handled by a person"] == (1.0, 2.0, 0.0)
    assert rows["Asked when: a person closed it"] == (1.0, 2.0, 0.0)
    assert rows["Agent: sam"] == (1.0, 2.0, 0.0)
    assert table.total == ("All ratings", 2.0, 3.5, 50.0)
    assert "Agent: sam,1,2,0" in table.csv()


async def test_no_comment_and_a_score_off_the_scale(counted: str, domain: dict[str, Any]) -> None:
    messages, events = await run(
        ActionRecordCsatComment(), domain, text="/deny", intent="deny", slots={"csat_score": 4}
    )
    assert [m["response"] for m in messages] == ["utter_csat_no_comment"]
    assert slots_of(events) == {"csat_comment_open": False}
    messages, events = await run(
        ActionRecordCsat(), domain, intent="rate_conversation", slots={"csat_score": 9}
    )
    assert [m["response"] for m in messages] == ["utter_ask_csat"]  # asked again, nothing counted
    assert connect(counted).keys(keys.analytics_day("*")) == []


async def test_a_new_session_is_asked_again(domain: dict[str, Any]) -> None:
    slots = {"csat_asked": True, "csat_trigger": "close", "csat_agent": "sam", "order_number": "1"}
    _, events = await run(ActionSessionStart(), domain, slots=slots)
    assert slots_of(events) == {"order_number": "1"}
    assert load_csat().satisfied(4) and not load_csat().satisfied(3)


async def test_a_korean_conversation_gets_korean_button_titles_and_the_same_payloads(
    counted: str, domain: dict[str, Any]
) -> None:
    korean = {"language": "ko"}
    messages, _ = await run(
        ActionAskCsat(), domain, text="감사합니다", intent="thank", slots=korean
    )
    [question] = messages
    assert [b["title"] for b in question["buttons"]] == [
        "1 별로예요",
        "2",
        "3",
        "4",
        "5 아주 좋아요",
    ]
    english = load_csat().buttons()
    assert [b["payload"] for b in question["buttons"]] == [b["payload"] for b in english]

    rated = {**korean, "csat_score": 5, "csat_trigger": "thanks", "csat_asked": True}
    messages, _ = await run(ActionRecordCsat(), domain, intent="rate_conversation", slots=rated)
    assert messages[0]["buttons"] == [{"title": "의견 없음", "payload": "/deny"}]

    off_scale = {**korean, "csat_score": 9}
    messages, _ = await run(ActionRecordCsat(), domain, intent="rate_conversation", slots=off_scale)
    assert messages[0]["buttons"][0]["title"] == "1 별로예요"
