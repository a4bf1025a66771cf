"""The Review page in chromium: readable and accessible at desktop and phone sizes (axe-core,
no horizontal scrolling), and one click turns a misread message into an example.

Saves test-artifacts/desk-review-*.png.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from playwright.sync_api import Browser, expect

from analytics.review_store import DISAMBIGUATED, FALLBACK, ReviewStore, Sighting
from tests.agent_desk.browser_helpers import signed_in
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tests.pages import SIZES, blocking_violations, overflows_horizontally, screenshot
from tickets.store import connect


def keep(desk: DeskUnderTest) -> None:
    store = ReviewStore(connect(desk.settings.redis_url))
    for text, predicted, reason, picked in (
        ("the parcel's gone walkabout", "check_delivery", FALLBACK, ""),
        ("when do i get my dosh back", "refund_status", DISAMBIGUATED, "request_refund"),
        ("can the courier bring it to 221B Baker Street instead", "check_delivery", FALLBACK, ""),
    ):
        store.keep(Sighting(text, predicted, 0.5, reason, "socketio", T0, f"c@1|{text}", picked))


def test_the_review_page_is_accessible_and_one_click_labels_a_message(
    served: tuple[DeskUnderTest, str], browser: Browser, tmp_path: Path
) -> None:
    desk, base_url = served
    export = tmp_path / "nlu" / "reviewed.yml"
    desk.desk.settings = dataclasses.replace(desk.settings, review_export_file=export)
    keep(desk)
    for name, size in SIZES.items():
        page = signed_in(browser, base_url, size)
        page.get_by_role("link", name="Review", exact=True).click()
        expect(page.locator("h1")).to_have_text("Review")
        expect(
            page.get_by_role("heading", name="The assistant thought: Where an order is")
        ).to_be_visible()
        # The address became a stand-in before it was stored.
        expect(page.get_by_text("1 High Street instead")).to_be_visible()
        assert page.get_by_text("Baker Street").count() == 0
        assert blocking_violations(page) == []
        assert not overflows_horizontally(page)
        screenshot(page, f"desk-review-{name}")
        page.context.close()

    page = signed_in(browser, base_url, SIZES["desktop"])
    page.goto(f"{base_url}/review")
    item = page.locator("li.review-item", has_text="when do i get my dosh back")
    item.get_by_role("button", name="A refund (customer's pick)").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "“when do i get my dosh back” is now an example of A refund"
    )
    expect(page.get_by_text("2 messages to review")).to_be_visible()
    page.get_by_role("button", name="Export the training data").click()
    expect(page.get_by_role("status").first).to_contain_text("Wrote 1 example (1 intent)")
    assert "- when do i get my dosh back" in export.read_text(encoding="utf-8")
    assert blocking_violations(page) == []
    page.context.close()
