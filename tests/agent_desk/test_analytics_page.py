"""The /analytics page through Flask's test client on a real Redis: who may see it, the
figures it shows, the CSV of every table and the server-drawn charts."""

from __future__ import annotations

import csv
import html
import io
import re

from analytics.recorder import DELIVERY_ANSWERED
from harness.ticket_helpers import draft
from tests.agent_desk.desk_helpers import T0, DeskUnderTest

DAY = "2027-01-15"  # T0 in Europe/London
RANGE = {"from": DAY, "to": DAY}


def record_a_day(desk: DeskUnderTest) -> None:
    """Two web-chat conversations, one handed over and claimed after 90 s; one REST delivery."""
    recorder = desk.desk.recorder
    recorder.turn(
        "a@1",
        "socketio",
        "check_delivery",
        "delivery_form",
        ("calm", "annoyed"),
        False,
        "where?",
        T0,
    )
    recorder.turn("b@1", "socketio", "nlu_fallback", "none", (None, "calm"), True, "blorf", T0)
    recorder.turn("c@1", "rest", "check_delivery", "delivery", (None, "calm"), False, "hi", T0)
    ticket, _ = desk.store.open_ticket(draft("a", reason="frustration", created_at=T0))
    ticket.channel = "socketio"
    recorder.handoff(ticket, "a@1", ["capitals", "rejected_answer"])
    recorder.claim(ticket, T0 + 90)
    recorder.outcome("rest", DELIVERY_ANSWERED, T0)
    recorder.csat("rest", 5, True, "thanks", "", T0)
    recorder.csat("socketio", 4, True, "close", "alex", T0)
    recorder.csat("socketio", 2, False, "hand_back", "sam", T0)


def test_agents_without_a_lead_role_are_refused(desk: DeskUnderTest) -> None:
    sam = desk.agent("sam")
    page = sam.get("/analytics")
    assert page.status_code == 403
    assert "support leads only" in page.get_data(True)
    assert sam.get(f"/analytics/containment.csv?from={DAY}&to={DAY}").status_code == 403
    assert 'href="/analytics"' not in sam.get("/").get_data(True)


def test_a_lead_sees_every_figure_in_plain_words(desk: DeskUnderTest) -> None:
    record_a_day(desk)
    alex = desk.agent("alex")
    assert 'href="/analytics"' in alex.get("/").get_data(True)
    page = alex.get("/analytics", query_string=RANGE).get_data(True)
    for title in (
        "Containment: conversations resolved without a person",
        "Handoffs by reason",
        "Precision per trigger",
        "What upset customers: frustration cues behind handoffs",
        "Where frustration rose: what the customer was asking",
        "Latest messages not understood",
        "Time to a person, unclaimed tickets and after-hours volume",
        "Routine outcomes",
    ):
        assert title in page
    assert "said the answer did not help" in page and "rejected_answer" not in page
    assert "Web chat" in page and ">socketio<" not in page
    assert "blorf" in page


def test_each_table_downloads_as_csv_for_the_chosen_channel(desk: DeskUnderTest) -> None:
    record_a_day(desk)
    alex = desk.agent("alex")
    response = alex.get("/analytics/containment.csv", query_string={**RANGE, "channel": "socketio"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows == [
        [
            "Day",
            "Conversations",
            "Handed to a person",
            "Resolved by the assistant",
            "Containment (%)",
        ],
        [DAY, "2", "1", "1", "50"],
        ["All days", "2", "1", "1", "50"],
    ]
    outcomes = alex.get("/analytics/outcomes.csv", query_string={**RANGE, "channel": "rest"})
    by_day = {
        row[0]: row[1:] for row in csv.reader(io.StringIO(outcomes.get_data().decode("utf-8-sig")))
    }
    assert by_day[DAY] == ["1", "0", "0", "0"]


def test_charts_are_svg_drawn_by_the_desk_with_readable_text(desk: DeskUnderTest) -> None:
    record_a_day(desk)
    alex = desk.agent("alex")
    for name in ("containment", "handoffs", "precision", "claim_times", "outcomes"):
        response = alex.get(f"/analytics/charts/{name}.svg", query_string=RANGE)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        svg = response.get_data(True)
        assert "<svg" in svg
    assert alex.get("/analytics/charts/nope.svg").status_code == 404


def test_a_period_that_cannot_be_shown_says_why(desk: DeskUnderTest) -> None:
    alex = desk.agent("alex")
    reversed_range = alex.get("/analytics", query_string={"from": DAY, "to": "2027-01-01"})
    assert reversed_range.status_code == 400 and "ends before it starts" in reversed_range.get_data(
        True
    )
    assert alex.get("/analytics", query_string={"from": "yesterday"}).status_code == 400


def test_a_lead_sees_satisfaction_by_who_handled_it_and_downloads_it(desk: DeskUnderTest) -> None:
    record_a_day(desk)
    alex = desk.agent("alex")
    page = alex.get("/analytics", query_string=RANGE).get_data(True)
    assert "Satisfaction (CSAT): ratings at the end of a conversation" in page
    csv = alex.get("/analytics/satisfaction.csv", query_string=RANGE).get_data().decode()
    assert csv.startswith("\ufeff")  # a byte-order mark, so spreadsheets read UTF-8
    csv = csv.removeprefix("\ufeff")
    lines = csv.splitlines()
    assert lines[0] == "Conversations,Ratings,Average score,Satisfied (%)"
    assert "Resolved by the assistant,1,5,100" in lines
    assert "Handled by a person,2,3,50" in lines
    assert "Asked when: a person handed back,1,2,0" in lines
    assert "Agent: alex,1,4,100" in lines and "Agent: sam,1,2,0" in lines
    assert lines[-1] == "All ratings,3,3.7,66.7"


def test_headline_figures_come_first_for_the_chosen_range(desk: DeskUnderTest) -> None:
    record_a_day(desk)
    page = html.unescape(desk.agent("alex").get("/analytics", query_string=RANGE).get_data(True))
    head = page[page.index('id="headlines"') : page.index("</dl>")]
    assert page.index('id="headlines"') < page.index('id="containment"')
    values = re.findall(r"<dt>(.*?)</dt><dd class=\"value\">(.*?)</dd>", head)
    assert values == [
        ("Conversations", "3"),
        ("Containment", "66.7%"),
        ("Handoffs", "1"),
        ("Typical wait for a person", "1-5 min"),  # the one claim came after 90 s
        ("Satisfaction (CSAT)", "66.7% satisfied"),  # 5 and 4 of 5, 2 not
    ]
    assert "Customer is frustrated 1" in head and "3 ratings, average score 3.7" in head
    # A day without anything: no figure is made up.
    empty = desk.agent("alex").get(
        "/analytics", query_string={"from": "2027-01-10", "to": "2027-01-10"}
    )
    values = re.findall(r"<dd class=\"value\">(.*?)</dd>", html.unescape(empty.get_data(True)))
    assert values == ["0", "-", "0", "-", "-"]
