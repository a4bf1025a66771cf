"""The desk's Available / Away switch: signing in, the header, away, idle, sign-out, and the
unclaimed notice, which only goes out while somebody is available."""

from __future__ import annotations

from tests.agent_desk.desk_helpers import NOTICE_AFTER_S, DeskUnderTest, post
from tickets.availability import Availability


def states(desk: DeskUnderTest) -> Availability:
    return Availability(desk.store.client, desk.settings.tickets.idle_timeout_s)


def test_signed_in_agents_are_available_until_they_set_away(desk: DeskUnderTest) -> None:
    assert states(desk).available(desk.clock.now) == []
    alex = desk.agent("alex")
    desk.agent("sam")
    page = alex.get("/").get_data(True)
    assert 'id="my-availability">Available<' in page and "2 available" in page
    assert states(desk).available(desk.clock.now) == ["alex", "sam"]

    response = post(alex, "/availability", "/", state="away", next="/")
    assert response.status_code == 303
    assert states(desk).available(desk.clock.now) == ["sam"]
    page = alex.get("/").get_data(True)
    assert 'id="my-availability">Away<' in page and "1 available" in page
    assert "Set available" in page

    post(alex, "/availability", "/", state="available", next="/")
    assert states(desk).available(desk.clock.now) == ["alex", "sam"]
    post(alex, "/logout", "/")
    assert states(desk).available(desk.clock.now) == ["sam"]


def test_an_agent_who_does_nothing_turns_idle_and_page_reads_do_not_count(
    desk: DeskUnderTest,
) -> None:
    alex = desk.agent("alex")
    idle_s = desk.settings.tickets.idle_timeout_s
    desk.clock.now += idle_s - 60
    # What an open page reads by itself is not the agent working.
    assert alex.get("/api/queue").status_code == 200
    desk.clock.now += 120
    assert states(desk).available(desk.clock.now) == []
    page = alex.get("/").get_data(True)
    assert "Away (no activity for 15 min)" in page
    post(alex, "/availability", "/", state="available", next="/")
    assert states(desk).available(desk.clock.now) == ["alex"]
    # A key press on a page (static/presence.js) keeps them available.
    desk.clock.now += idle_s - 60
    token_page = alex.get("/api/queue")  # not activity
    assert token_page.status_code == 200
    assert states(desk).available(desk.clock.now) == ["alex"]
    activity = post(alex, "/api/availability/activity", "/")  # the GET of "/" is activity too
    assert activity.get_json()["state"] == "available"
    desk.clock.now += idle_s - 60
    assert states(desk).available(desk.clock.now) == ["alex"]


def test_no_unclaimed_notice_while_nobody_is_available(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    desk.clock.now += NOTICE_AFTER_S
    assert desk.desk.send_due_notices() == []  # nobody signed in: nobody is "still busy"
    desk.agent("alex")
    assert desk.desk.send_due_notices() == [reference]
