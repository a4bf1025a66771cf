"""What agents read on the desk: plain words, honest warnings, the fitting hand-back level."""

from __future__ import annotations

import html
import json

from contract import keys
from tests.agent_desk.desk_helpers import DeskUnderTest, post
from tickets.store import connect


def set_channel(desk: DeskUnderTest, reference: str, channel: str) -> None:
    connect(desk.settings.redis_url).hset(keys.ticket(reference), "channel", channel)


def test_a_rest_customer_cannot_see_a_reply_and_the_desk_says_so(desk: DeskUnderTest) -> None:
    reference = desk.ticket()  # written over REST, like rasa shell
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    before = alex.get(page).get_data(True)
    assert "via <strong>REST API</strong>" in before
    assert "they will NOT see your reply" in html.unescape(before)
    post(alex, f"/tickets/{reference}/reply", page, text="Hello")
    after = html.unescape(alex.get(page).get_data(True))
    assert "Reply saved in the conversation." in after and "Reply sent." not in after


def test_a_web_chat_customer_gets_replies_without_a_warning(desk: DeskUnderTest) -> None:
    reference = desk.ticket("0123456789abcdef0123456789abcdef", order_number="")
    set_channel(desk, reference, "socketio")
    alex = desk.agent("alex")
    row = alex.get("/api/queue").get_json()["tickets"][0]
    assert row["channel"] == "Web chat" and row["can_push"] is True
    assert row["customer"] == "Visitor 01234567"  # not a 32-character session id
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    assert 'id="no-push"' not in alex.get(page).get_data(True)
    post(alex, f"/tickets/{reference}/reply", page, text="Hello")
    assert "Reply sent." in alex.get(page).get_data(True)


def test_hand_back_preselects_the_level_that_fits_the_customer(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    turns = [{"ts": 1.0, "text": "ugh", "level": "frustrated", "smoothed": 0.7}]
    connect(desk.settings.redis_url).rpush(keys.turns("cust-1"), *[json.dumps(t) for t in turns])
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    # "frustrated" is not offered (it would hand straight over): the nearest milder level is.
    assert '<option value="annoyed" selected>' in alex.get(page).get_data(True)


def test_the_claim_hint_only_shows_where_there_is_a_claim_button(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    sam, alex = desk.agent("sam"), desk.agent("alex")
    page = f"/tickets/{reference}"
    assert "Claim the conversation to reply." in sam.get(page).get_data(True)
    post(alex, f"/tickets/{reference}/claim", page)
    seen_by_sam = sam.get(page).get_data(True)
    assert "Claim the conversation to reply." not in seen_by_sam
    assert "Alex holds this conversation; only they can reply." in seen_by_sam
