"""Two agents in chromium: Alex passes a conversation to Sam with a note; Sam's open queue shows
it at once (server-sent events) and his conversation page has the note and the history.

Saves test-artifacts/desk-transfer-form-*.png (Alex's page with the transfer form open),
desk-transfer-queue-*.png (Sam's queue after the transfer) and
desk-transfer-conversation-*.png (Sam's conversation page), at 1280x800 and 390x844.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import DeskUnderTest, response_text
from tests.pages import SIZES, blocking_violations, overflows_horizontally, screenshot

NOTE = "Refund promised for Friday, please confirm it"


@pytest.mark.parametrize("size_name", list(SIZES))
def test_alex_passes_a_conversation_to_sam_who_sees_it_live(
    served: tuple[DeskUnderTest, str], browser: Browser, size_name: str
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    size = SIZES[size_name]
    sam = signed_in(browser, base_url, size, "sam")
    alex = signed_in(browser, base_url, size, "alex")
    expect(sam.locator(f"tr[data-reference={held}] td.holder")).to_have_text("Alex")

    alex.goto(f"{base_url}/tickets/{held}")
    alex.get_by_text("Transfer to another agent").click()
    alex.get_by_label("Agent (signed in now)").select_option(label="Sam")
    alex.get_by_label("Note for them").fill(NOTE)
    screenshot(alex, "desk-transfer-form")
    assert blocking_violations(alex) == []
    alex.click("#transfer-send")
    expect(alex.get_by_text("Sam now holds this conversation.")).to_be_visible()
    expect(alex.locator("#holding")).to_contain_text("Held by Sam")
    expect(alex.locator("#reply-text")).to_have_count(0)

    # Sam's queue was open all along: the row changes and he is told, without a reload.
    expect(sam.locator(f"tr[data-reference={held}] td.holder")).to_have_text("Sam (from Alex)")
    expect(sam.locator("#new-tickets")).to_have_text(f"Alex passed {held} to you: {NOTE}")
    # Seen, not only heard: the notice stays on screen while Sam holds it, and after a reload.
    passed = sam.locator("#passed-to-you")
    expect(passed).to_be_visible()
    expect(passed).to_have_text(f"Alex passed {held} to you: “{NOTE}”")
    sam.reload()
    expect(passed).to_have_text(f"Alex passed {held} to you: “{NOTE}”")
    screenshot(sam, "desk-transfer-queue")
    sam.click(f"a[href='/tickets/{held}']")
    expect(sam.locator("#transferred")).to_have_text(
        f"Alex passed this conversation to you: “{NOTE}”"
    )
    expect(sam.locator("#history")).to_contain_text(f"Alex transferred it to Sam: “{NOTE}”")
    expect(sam.locator("#reply-text")).to_be_visible()
    screenshot(sam, "desk-transfer-conversation")
    assert blocking_violations(sam) == []
    assert not overflows_horizontally(sam)

    # The customer was told who is with them now, and nothing of the note.
    conversation = desk.store.get(held).conversation_id
    assert desk.rasa.bot_texts(conversation)[-1] == response_text(
        "utter_handoff_agent_joined", agent="Sam"
    )
    sam.fill("#reply-text", "Hello, Sam here. I'm checking the refund now.")
    sam.press("#reply-text", "Control+Enter")
    expect(sam.get_by_text("Reply saved in the conversation.")).to_be_visible()
    assert desk.rasa.appended[-1]["events"][0]["metadata"] == {"agent": "Sam"}
