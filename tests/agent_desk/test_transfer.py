"""Passing a conversation to another agent, through Flask's test client (real Redis and shop,
the loopback Rasa stand-in): only to a signed-in colleague, the customer told who joined,
the history kept, and the analytics figures counted once."""

from __future__ import annotations

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

from agent_desk.presenting import clock_time, date_time
from analytics import recorder as metrics
from analytics.counts import Period, read_counts
from tests.agent_desk.desk_helpers import T0, DeskUnderTest, post, response_text
from tickets.model import CLAIMED
from tickets.store import connect


def claimed_by_alex(desk: DeskUnderTest) -> str:
    reference = desk.ticket()
    alex = desk.agent("alex")
    assert post(alex, f"/tickets/{reference}/claim", f"/tickets/{reference}").status_code == 303
    return reference


def test_the_holder_passes_the_conversation_to_a_signed_in_colleague(desk: DeskUnderTest) -> None:
    reference = claimed_by_alex(desk)
    alex, sam = desk.agent("alex"), desk.agent("sam")
    page = f"/tickets/{reference}"
    assert 'id="transfer-to"' in alex.get(page).get_data(True)

    desk.clock.now += 30
    moved = post(alex, f"{page}/transfer", page, to="sam", note="Refund promised, check it")
    assert moved.status_code == 303
    ticket = desk.store.get(reference)
    assert (ticket.status, ticket.holder, ticket.holder_name) == (CLAIMED, "sam", "Sam")
    assert (ticket.transferred_from, ticket.transfer_note) == ("Alex", "Refund promised, check it")

    # The customer hears who is with them now; the note stays on the desk.
    [joined] = desk.rasa.appended[-1]["events"]
    assert joined["text"] == response_text("utter_handoff_agent_joined", agent="Sam")
    assert joined["metadata"] == {
        "utter_action": "utter_handoff_agent_joined",
        "claimed_by": "Sam",
    }
    assert not any("Refund promised" in text for text in desk.rasa.bot_texts("cust-1"))

    # Sam's queue and page say so; Alex can no longer answer, Sam can.
    [row] = sam.get("/api/queue").get_json()["tickets"]
    assert (row["holder"], row["transferred_from"]) == ("sam", "Alex")
    sams_page = html.unescape(sam.get(page).get_data(True))
    assert "Alex passed this conversation to you: “Refund promised, check it”" in sams_page
    assert "Alex transferred it to Sam: “Refund promised, check it”" in sams_page
    assert "Claimed by Alex." in sams_page
    refused = post(alex, f"{page}/reply", page, text="still me")
    assert refused.status_code == 409
    assert "Sam holds this conversation" in refused.get_data(True)
    assert post(sam, f"{page}/reply", page, text="Sam here").status_code == 303

    events = [entry["event"] for entry in desk.store.history(reference)]
    assert events == ["claimed", "transferred"]
    post(sam, f"{page}/close", page)
    assert [entry["event"] for entry in desk.store.history(reference)][-1] == "closed"


def test_only_a_signed_in_colleague_can_be_chosen(desk: DeskUnderTest) -> None:
    reference = claimed_by_alex(desk)
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    # Sam has not signed in: nobody to pass it to.
    assert "No other agent is signed in right now." in alex.get(page).get_data(True)
    refused = post(alex, f"{page}/transfer", page, to="sam")
    assert refused.status_code == 400
    assert "Choose an agent who is signed in now." in refused.get_data(True)
    assert post(alex, f"{page}/transfer", page, to="alex").status_code == 400

    sam = desk.agent("sam")
    assert 'value="sam"' in alex.get(page).get_data(True)
    post(sam, "/logout", "/")
    assert post(alex, f"{page}/transfer", page, to="sam").status_code == 400
    assert desk.store.get(reference).holder == "alex"


def test_someone_who_does_not_hold_it_cannot_pass_it_on(desk: DeskUnderTest) -> None:
    reference = claimed_by_alex(desk)
    sam = desk.agent("sam")
    page = f"/tickets/{reference}"
    refused = post(sam, f"{page}/transfer", page, to="alex")
    assert refused.status_code == 409
    assert "Alex holds this conversation" in refused.get_data(True)
    assert desk.store.get(reference).holder == "alex"


def test_analytics_count_the_claim_and_first_reply_once(desk: DeskUnderTest) -> None:
    reference = claimed_by_alex(desk)  # opened 90 s before the claim
    alex, sam = desk.agent("alex"), desk.agent("sam")
    page = f"/tickets/{reference}"
    desk.clock.now += 10
    post(alex, f"{page}/reply", page, text="Alex here")  # first reply, 100 s after the handoff
    desk.clock.now += 50
    post(alex, f"{page}/transfer", page, to="sam")
    desk.clock.now += 20
    post(sam, f"{page}/claim", page)  # a stray second claim by the new holder changes nothing
    post(sam, f"{page}/reply", page, text="Sam here")
    post(sam, f"{page}/transfer", page, to="alex")

    day = date.fromisoformat(desk.desk.recorder.day(T0))
    counts = read_counts(connect(desk.settings.redis_url), Period(day, day))
    assert counts.total(metrics.CLAIMED) == 1
    assert counts.total(metrics.CLAIM_SECONDS) == 90
    assert counts.total(metrics.REPLIED) == 1
    assert counts.total(metrics.REPLY_SECONDS) == 100
    assert [entry["event"] for entry in desk.store.history(reference)] == [
        "claimed",
        "transferred",
        "transferred",
    ]


def test_after_a_transfer_the_holder_is_shown_with_their_own_time(desk: DeskUnderTest) -> None:
    reference = claimed_by_alex(desk)  # claimed at T0 (00:00:00 London on the tests' clock)
    alex, sam = desk.agent("alex"), desk.agent("sam")
    page = f"/tickets/{reference}"
    desk.clock.now += 623  # 10 min 23 s later (sessions last 30 min)
    post(alex, f"{page}/transfer", page, to="sam", note="")
    ticket = desk.store.get(reference)
    claimed = clock_time(ticket.claimed_at, desk.settings.tickets.hours.timezone)
    passed = clock_time(desk.clock.now, desk.settings.tickets.hours.timezone)
    assert claimed != passed
    sams_page = sam.get(page).get_data(True)
    assert f"Held by <strong>you</strong> since {passed}." in sams_page
    assert f"Held by <strong>Sam</strong> since {passed}." in alex.get(page).get_data(True)


def test_one_clock_format_for_every_time_the_server_draws() -> None:
    zone = ZoneInfo("Europe/London")
    evening = datetime(2026, 12, 4, 22, 12, 44, tzinfo=zone).timestamp()
    assert clock_time(evening, zone) == "22:12:44"
    assert clock_time(evening, zone, "12h") == "10:12:44 PM"
    assert date_time(evening, zone, "12h") == "Fri 4 Dec 10:12 PM"
    assert date_time(evening, zone) == "Fri 4 Dec 22:12"
