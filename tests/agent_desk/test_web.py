"""The agent desk's pages through Flask's test client, with a real Redis, the real shop and a
loopback stand-in for Rasa's HTTP API: sign-in, expiry, CSRF, claims, replies, hand-back."""

from __future__ import annotations

import html
import json
from dataclasses import replace

from contract import keys
from contract.csat import load_csat
from harness.redis_server import RedisServer
from harness.ticket_helpers import draft
from tests.agent_desk.desk_helpers import (
    NOTICE_AFTER_S,
    PASSWORD,
    T0,
    DeskUnderTest,
    post,
    response_text,
    token_in,
)
from tickets.model import CLAIMED, CLOSED, HANDED_BACK, RESOLVED, WAITING
from tickets.store import connect


def test_wrong_password_is_refused(desk: DeskUnderTest) -> None:
    client = desk.app.test_client()
    page = client.get("/login").get_data(True)
    response = client.post(
        "/login",
        data={
            "username": "alex",
            "password": "demo-passw0rd",
            "csrf_token": token_in(page),
        },
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(True)
    unknown = client.post(
        "/login",
        data={
            "username": "mallory",
            "password": PASSWORD,
            "csrf_token": token_in(page),
        },
    )
    assert unknown.status_code == 401 and "Wrong username or password." in unknown.get_data(True)
    assert client.get("/").status_code == 302  # still signed out


def test_signed_in_agent_sees_the_queue_with_reason_wait_and_holder(desk: DeskUnderTest) -> None:
    first = desk.ticket("cust-1")
    second = desk.ticket("cust-2", reason="frustration", frustration=0.9)
    alex = desk.agent("alex")
    page = alex.get("/").get_data(True)
    assert page.index(second) < page.index(first)  # the frustrated customer is moved up
    assert "Customer is frustrated" in page and "Customer asked for a person" in page
    assert "1 min" in page and "unclaimed" in page

    post(alex, f"/tickets/{first}/claim", f"/tickets/{first}")
    rows = {row["reference"]: row for row in alex.get("/api/queue").get_json()["tickets"]}
    assert rows[first]["holder_name"] == "Alex" and rows[first]["position"] is None
    assert rows[second]["holder_name"] == "" and rows[second]["position"] == 1
    assert "Alex" in desk.agent("sam").get("/").get_data(True)  # others see who holds it


def test_a_forged_form_post_is_refused_and_changes_nothing(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    for form in ({}, {"csrf_token": "guessed-token"}):
        response = alex.post(f"/tickets/{reference}/claim", data=form)
        assert response.status_code == 400
        assert "did not carry this desk's security token" in html.unescape(response.get_data(True))
    # A token from another agent's session is no good either.
    sams_token = token_in(desk.agent("sam").get(f"/tickets/{reference}").get_data(True))
    assert (
        alex.post(f"/tickets/{reference}/claim", data={"csrf_token": sams_token}).status_code == 400
    )
    assert desk.store.get(reference).status == WAITING
    assert desk.rasa.appended == []


def test_a_post_without_any_session_is_refused(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    stranger = desk.app.test_client()  # e.g. a form on another site: no desk cookie comes along
    response = stranger.post(f"/tickets/{reference}/claim", data={"csrf_token": "x"})
    assert response.status_code == 400
    assert "it came without a desk session" in response.get_data(True)
    assert desk.store.get(reference).status == WAITING


def test_the_session_expires_after_its_lifetime(desk: DeskUnderTest) -> None:
    alex = desk.agent("alex")
    desk.clock.now += 30 * 60 - 1
    assert alex.get("/").status_code == 200
    desk.clock.now += 2
    api = alex.get("/api/queue")
    assert api.status_code == 401
    assert api.get_json()["error"] == "Your session has expired. Please sign in again."
    desk.agent("alex")  # sign in again works; the old browser stays signed out
    page = alex.get("/", follow_redirects=True)
    assert "Sign in" in page.get_data(True)


def test_expired_session_on_a_page_says_so(desk: DeskUnderTest) -> None:
    alex = desk.agent("alex")
    desk.clock.now += 31 * 60
    page = alex.get("/", follow_redirects=True).get_data(True)
    assert "Your session has expired. Please sign in again." in page
    assert 'name="password"' in page


def test_a_second_agent_cannot_claim_or_answer_a_held_conversation(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex, sam = desk.agent("alex"), desk.agent("sam")
    sams_page = f"/tickets/{reference}"
    sams_token = token_in(
        sam.get(sams_page).get_data(True)
    )  # Sam opened the page before Alex claimed

    claimed = post(alex, f"/tickets/{reference}/claim", sams_page)
    assert claimed.status_code == 303
    [joined] = desk.rasa.appended[-1]["events"]
    # Channels read both: which notice it is, and who claimed (the widget names them at once).
    assert joined["metadata"] == {
        "utter_action": "utter_handoff_agent_joined",
        "claimed_by": "Alex",
    }
    assert "You hold this conversation" in alex.get(sams_page).get_data(True)

    refused = sam.post(f"/tickets/{reference}/claim", data={"csrf_token": sams_token})
    assert refused.status_code == 409
    assert (
        "Alex already holds this conversation; two agents cannot claim the same one."
        in refused.get_data(True)
    )
    reply = sam.post(
        f"/tickets/{reference}/reply", data={"csrf_token": sams_token, "text": "hi from Sam"}
    )
    assert reply.status_code == 409
    assert "Alex holds this conversation; only they can answer it." in reply.get_data(True)
    assert desk.store.get(reference).holder == "alex"
    assert desk.rasa.bot_texts("cust-1")[-1] == response_text(
        "utter_handoff_agent_joined", agent="Alex"
    )
    assert "hi from Sam" not in desk.rasa.bot_texts("cust-1")


def test_the_reply_goes_to_the_customers_latest_channel(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    sent = post(
        alex,
        f"/tickets/{reference}/reply",
        page,
        text="  Hi, Alex here. Your parcel is at the depot.  ",
    )
    assert sent.status_code == 303
    last = desk.rasa.appended[-1]
    assert last["query"]["output_channel"] == ["latest"]
    assert last["query"]["execute_side_effects"] == ["true"]
    assert last["events"] == [
        {
            "event": "bot",
            "text": "Hi, Alex here. Your parcel is at the depot.",
            "metadata": {"agent": "Alex"},
        }
    ]
    transcript = alex.get(f"/api/tickets/{reference}/live").get_json()["transcript"]
    assert (transcript[-1]["who"], transcript[-1]["agent"]) == ("agent", "Alex")


def test_a_reply_that_could_not_be_sent_says_so_and_keeps_the_draft(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    token = token_in(alex.get(page).get_data(True))
    desk.rasa.down = True
    response = alex.post(
        f"/tickets/{reference}/reply", data={"csrf_token": token, "text": "Still there?"}
    )
    assert response.status_code == 502
    page_html = response.get_data(True)
    assert "Your reply was NOT sent" in page_html and ">Still there?</textarea>" in page_html
    assert "Customer asked for a person" in page_html  # rendered from the snapshot


def test_hand_back_resumes_the_assistant_at_the_chosen_level(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    done = post(alex, f"/tickets/{reference}/hand-back", page, level="annoyed")
    assert done.status_code == 303
    assert desk.rasa.appended[-1]["events"] == [
        {"event": "resume"},
        {"event": "slot", "name": "live_agent_handoff", "value": False},
        {"event": "slot", "name": "handoff_reason", "value": None},
        {"event": "slot", "name": "frustration_level", "value": "annoyed"},
        {"event": "slot", "name": "frustration_score", "value": 0.35},
        {
            "event": "bot",
            "text": response_text("utter_handoff_back"),
            "metadata": {"utter_action": "utter_handoff_back"},
        },
        # The satisfaction question (config/csat.yml), filed under Alex and the hand-back.
        {"event": "slot", "name": "csat_asked", "value": True},
        {"event": "slot", "name": "csat_trigger", "value": "hand_back"},
        {"event": "slot", "name": "csat_agent", "value": "alex"},
        {
            "event": "bot",
            "text": response_text("utter_ask_csat"),
            "data": {"buttons": load_csat().buttons()},
            "metadata": {"utter_action": "utter_ask_csat"},
        },
        {"event": "action", "name": "action_listen"},
    ]
    ticket = desk.store.get(reference)
    assert (ticket.status, ticket.outcome) == (CLOSED, HANDED_BACK)
    assert desk.store.queue() == []
    assert "handed back" in alex.get("/").get_data(True)
    assert desk.rasa.tracker("cust-1")["paused"] is False


def test_a_level_that_is_not_offered_is_refused(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    response = post(alex, f"/tickets/{reference}/hand-back", page, level="frustrated")
    assert response.status_code == 400 and "Choose one of: calm, annoyed." in response.get_data(
        True
    )
    assert desk.store.get(reference).status == CLAIMED


def test_close_ends_the_ticket_and_tells_the_customer(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    page = f"/tickets/{reference}"
    post(alex, f"/tickets/{reference}/claim", page)
    post(alex, f"/tickets/{reference}/close", page)
    assert desk.store.get(reference).outcome == RESOLVED
    closed, question = desk.rasa.bot_texts("cust-1")[-2:]
    assert closed == response_text("utter_handoff_closed", agent="Alex")
    # The satisfaction question, with its buttons, filed under Alex and "close".
    assert question == response_text("utter_ask_csat")
    events = desk.rasa.appended[-1]["events"]
    [asked] = [e for e in events if e["event"] == "bot" and e.get("data")]
    assert [b["title"] for b in asked["data"]["buttons"]] == ["1 Poor", "2", "3", "4", "5 Great"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["frustration_level"] == "calm" and slots["live_agent_handoff"] is False
    assert (slots["csat_agent"], slots["csat_trigger"], slots["csat_asked"]) == (
        "alex",
        "close",
        True,
    )
    assert events[-1] == {"event": "action", "name": "action_listen"}


def test_conversation_page_has_summary_order_facts_live_transcript_and_chart_data(
    desk: DeskUnderTest,
) -> None:
    reference = desk.ticket()
    turns = [
        {
            "ts": T0 - 100,
            "text": "where is order 10003",
            "sentiment": 0.0,
            "frustration": 0.1,
            "smoothed": 0.1,
            "level": "calm",
            "reasons": [],
        },
        {
            "ts": T0 - 96,
            "text": "useless",
            "sentiment": -0.5,
            "frustration": 0.7,
            "smoothed": 0.4,
            "level": "annoyed",
            "reasons": ["negative"],
        },
    ]
    connect(desk.settings.redis_url).rpush(keys.turns("cust-1"), *[json.dumps(t) for t in turns])
    alex = desk.agent("alex")
    page_html = alex.get(f"/tickets/{reference}").get_data(True)
    assert "Customer asked for a person" in page_html and "Wants: where an order is" in page_html
    assert "<dt>Status</dt><dd>delayed</dd>" in page_html  # from the real shop
    assert 'id="chart"' in page_html and "chart.js" in page_html

    desk.rasa.events["cust-1"].append(
        {"event": "user", "text": "is anyone there?", "timestamp": T0}
    )
    live = alex.get(f"/api/tickets/{reference}/live").get_json()
    assert live["transcript_source"] == "rasa" and live["paused"] is True
    assert live["transcript"][-1] == {
        "ts": T0,
        "who": "customer",
        "text": "is anyone there?",
        "while_paused": True,
        "time": live["transcript"][-1]["time"],
    }
    assert [t["smoothed"] for t in live["sentiment"]] == [0.1, 0.4]

    desk.rasa.down = True
    offline = alex.get(f"/api/tickets/{reference}/live").get_json()
    assert offline["transcript_source"] == "snapshot" and "503" in offline["problem"]
    assert offline["transcript"][0]["text"] == "where is my parcel"


def test_unclaimed_customers_are_told_once_after_the_delay(desk: DeskUnderTest) -> None:
    desk.agent("sam")  # signed in, so available: somebody is there to be "still busy"
    waiting = desk.ticket("cust-1")  # opened 90 s ago
    held = desk.ticket("cust-2")
    desk.store.claim(held, "sam", "Sam", desk.clock.now)
    assert desk.desk.send_due_notices() == []
    desk.clock.now += NOTICE_AFTER_S - 90
    assert desk.desk.send_due_notices() == [waiting]
    assert desk.rasa.bot_texts("cust-1") == [
        "Order 10003 is delayed.",
        response_text("utter_handoff_unclaimed", ticket_reference=waiting),
    ]
    desk.clock.now += 600
    assert desk.desk.send_due_notices() == []
    assert desk.rasa.bot_texts("cust-2") == ["Order 10003 is delayed."]
    assert desk.store.get(waiting).status == WAITING  # the ticket stays open


def test_a_notice_that_could_not_be_sent_is_tried_again(desk: DeskUnderTest) -> None:
    desk.agent("alex")
    reference = desk.ticket()
    desk.clock.now += NOTICE_AFTER_S
    desk.rasa.down = True
    assert desk.desk.send_due_notices() == []
    desk.rasa.down = False
    assert desk.desk.send_due_notices() == [reference]


def test_agents_judge_whether_the_handoff_was_needed(desk: DeskUnderTest) -> None:
    reference = desk.ticket(reason="repeated_failure")
    alex = desk.agent("alex")
    response = post(alex, f"/tickets/{reference}/judgement", f"/tickets/{reference}", needed="no")
    assert response.status_code == 303
    [judgement] = desk.store.judgements()
    assert (judgement.reason, judgement.needed, judgement.agent) == (
        "repeated_failure",
        False,
        "alex",
    )
    assert "Judged <strong>not needed</strong> by alex" in alex.get(
        f"/tickets/{reference}"
    ).get_data(True)


def test_sign_in_only_redirects_within_the_desk(desk: DeskUnderTest) -> None:
    client = desk.app.test_client()
    token = token_in(client.get("/login").get_data(True))
    response = client.post(
        "/login",
        data={
            "username": "alex",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_unknown_ticket_is_a_clear_404(desk: DeskUnderTest) -> None:
    response = desk.agent("alex").get("/tickets/T-424242")
    assert response.status_code == 404 and "There is no ticket T-424242." in response.get_data(True)


def test_health_answers_while_redis_does(desk: DeskUnderTest, redis_server: RedisServer) -> None:
    """The launcher and a load balancer trust /health: without Redis the desk can do nothing."""
    client = desk.app.test_client()
    healthy = client.get("/health")
    assert (healthy.status_code, healthy.get_json()) == (200, {"status": "ok"})

    redis_server.stop()
    down = client.get("/health")
    assert (down.status_code, down.get_json()) == (503, {"status": "redis unavailable"})

    redis_server.start()
    back = client.get("/health")
    assert (back.status_code, back.get_json()) == (200, {"status": "ok"})


def test_a_web_chat_customer_is_told_the_holder_is_writing(desk: DeskUnderTest) -> None:
    web, rest = desk.ticket("web-customer-1"), desk.ticket("cust-2")
    redis = connect(desk.settings.redis_url)
    redis.hset(keys.ticket(web), "channel", "socketio")
    alex, sam = desk.agent("alex"), desk.agent("sam")
    post(alex, f"/tickets/{web}/claim", f"/tickets/{web}")
    post(alex, f"/tickets/{rest}/claim", f"/tickets/{rest}")
    listener = redis.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(keys.SOCKETIO_CHANNEL)

    told = post(alex, f"/api/tickets/{web}/typing", f"/tickets/{web}")
    assert told.get_json() == {"told": True}
    # The first read only consumes the subscription's confirmation.
    published = listener.get_message(timeout=5) or listener.get_message(timeout=5)
    assert published is not None
    signal = json.loads(published["data"])
    assert (signal["event"], signal["data"], signal["room"]) == (
        "agent_typing",
        [{"agent_name": "Alex"}],
        "web-customer-1",
    )
    # REST customers cannot be told; only the holder may signal.
    assert post(alex, f"/api/tickets/{rest}/typing", f"/tickets/{rest}").get_json() == {
        "told": False
    }
    refused = post(sam, f"/api/tickets/{web}/typing", f"/tickets/{web}")
    assert (
        refused.status_code == 409 and "Alex holds this conversation" in refused.get_json()["error"]
    )
    listener.close()


def test_internal_notes_stay_on_the_desk(desk: DeskUnderTest) -> None:
    reference = desk.ticket("cust-notes")
    alex, sam = desk.agent("alex"), desk.agent("sam")
    page = f"/tickets/{reference}"
    saved = post(alex, f"/tickets/{reference}/notes", page, note="Promised a call back at 3pm.")
    assert saved.status_code == 303
    assert "Note saved for the team" in alex.get(page).get_data(True)
    # Another agent sees it on the same ticket; nothing reached Rasa (or the customer).
    assert "Promised a call back at 3pm." in sam.get(page).get_data(True)
    assert all("Promised" not in json.dumps(call["events"]) for call in desk.rasa.appended)
    assert "Promised" not in json.dumps(desk.rasa.events["cust-notes"])
    empty = post(alex, f"/tickets/{reference}/notes", page, note="   ")
    assert "Write the note first." in alex.get(empty.headers["Location"]).get_data(True)


def test_an_email_typed_in_the_chat_never_names_the_customer(desk: DeskUnderTest) -> None:
    """Finding 8: an unverified email typed in a message was shown as the customer's own in
    the header, with that person's orders in the panel."""
    typed = {"email": "", "email_unverified": "bob@example.com", "order_number": "10003"}
    ticket, _ = desk.store.open_ticket(
        replace(
            draft("web-stranger", created_at=T0 - 60),
            customer={"sender_id": "web-stranger", **typed},
        )
    )
    desk.rasa.events["web-stranger"].append({"event": "user", "text": "hi", "timestamp": T0 - 60})
    page = html.unescape(desk.agent("alex").get(f"/tickets/{ticket.reference}").get_data(True))
    start = page.index('id="customer-panel"')
    panel = page[start : page.index("</section>", start)]
    assert "Customer of order 10003" in page
    assert "Typed in the chat, not verified: bob@example.com." in panel
    assert "No verified email" in panel and "10004 · lost" not in panel  # no orders of Bob's
    queue = html.unescape(desk.agent("sam").get("/").get_data(True))
    assert "bob@example.com" not in queue


def test_the_customer_panel_shows_orders_earlier_conversations_and_tickets(
    desk: DeskUnderTest,
) -> None:
    bob = {"email": "bob@example.com", "order_number": "10003"}
    earlier, _ = desk.store.open_ticket(
        replace(
            draft("slack-bob", created_at=T0 - 86_400), customer={"sender_id": "slack-bob", **bob}
        )
    )
    current, _ = desk.store.open_ticket(
        replace(draft("web-bob", created_at=T0 - 60), customer={"sender_id": "web-bob", **bob})
    )
    desk.rasa.events["web-bob"].append({"event": "user", "text": "hello", "timestamp": T0 - 60})
    redis = connect(desk.settings.redis_url)
    redis.zadd(
        keys.contacts("email", "bob@example.com"), {"delivery|slack-bob@1700000000": T0 - 86_400}
    )
    redis.zadd(keys.contacts("sender", "web-bob"), {"delivery|web-bob@1700090000": T0 - 60})

    page = html.unescape(desk.agent("alex").get(f"/tickets/{current.reference}").get_data(True))
    start = page.index('id="customer-panel"')
    panel = page[start : page.index("</section>", start)]
    assert 'Email: bob@example.com <span class="verified">verified</span>' in panel
    assert "10003 · delayed" in panel and "10004 · lost" in panel  # Bob's orders in the shop
    assert panel.count("about delivery") == 2
    assert panel.count("from another chat or channel") == 1  # the Slack conversation
    assert f">{earlier.reference}</a>" in panel and f">{current.reference}</a>" not in panel


def test_the_panel_tells_this_conversation_from_earlier_ones_and_shows_proof(
    desk: DeskUnderTest,
) -> None:
    # As actions/handoff.py now files the customer: the conversation key and what is proven.
    bob = {
        "email": "bob@example.com",
        "order_number": "10003",
        "verified_email": "bob@example.com",
        "proven_order": "10003",
        "conversation": "web-bob@1700090000",
    }
    current, _ = desk.store.open_ticket(
        replace(draft("web-bob", created_at=T0 - 60), customer={"sender_id": "web-bob", **bob})
    )
    desk.rasa.events["web-bob"].append({"event": "user", "text": "hello", "timestamp": T0 - 60})
    redis = connect(desk.settings.redis_url)
    # Members as actions/history.py files them: "topic|order|sender@session".
    redis.zadd(keys.contacts("sender", "web-bob"), {"delivery|10003|web-bob@1700090000": T0 - 90})
    redis.zadd(keys.contacts("order", "10003"), {"request_refund|10003|web-bob@1700090000": T0})
    redis.zadd(keys.contacts("sender", "web-bob"), {"delivery|10003|web-bob@1699000000": T0 - 9e5})
    redis.zadd(keys.contacts("email", "bob@example.com"), {"delivery||slack-bob@1": T0 - 86_400})

    page = html.unescape(desk.agent("alex").get(f"/tickets/{current.reference}").get_data(True))
    start = page.index('id="customer-panel"')
    panel = page[start : page.index("</section>", start)]
    assert 'bob@example.com <span class="verified">verified</span>' in panel
    assert "the shop confirmed it owns order 10003" in panel and "not verified" not in panel
    this = panel[panel.index('id="customer-this-conversation"') :]
    assert this.index("request refund") < this.index("delivery") < this.index("</p>")
    earlier = panel[panel.index('id="customer-contacts"') :]
    assert earlier.count("<li>") == 2
    assert earlier.count("earlier in this chat") == 1  # the older session of web-bob
    assert earlier.count("from another chat or channel") == 1  # Slack
