"""The widget's chat window (web/static/widget/view.js) on its own in chromium, without the
running system: the page's files are served from the repository by Playwright's router, and the
test draws messages the way chat.js does. Screenshots: widget-handoff-card-<size>.png."""

from __future__ import annotations

import mimetypes

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from contract.csat import load_csat
from launcher.settings import PROJECT_ROOT
from tests.pages import SIZES, blocking_violations, screenshot

ORIGIN = "http://widget.test"
WIDGET = PROJECT_ROOT / "web" / "static" / "widget"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<link rel="stylesheet" href="/widget/widget.css"></head><body><main><h1>Shop</h1></main>
<script type="module">
import { ChatView } from "/widget/view.js";
window.view = new ChatView("Shop assistant", "Hi! I'm the shop's automated assistant.", {
  toggle() {}, close() {}, submit() {}, reply() {},
});
window.view.setOpen(true);
window.ready = true;
</script></body></html>"""

WHY = {"text": "Sure, a person will take over. They'll see this conversation.", "timestamp": 0}
NEXT = {"text": "You're number 1 in the queue; the wait is about 6 minutes.", "timestamp": 0}
HANDOFF = {"speaker": "assistant", "event": "handoff", "automated": True}
RATING = [(b["title"], b["payload"]) for b in load_csat().buttons()]


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path in ("/", "/index.html"):
        route.fulfill(body=PAGE, content_type="text/html")
        return
    file = WIDGET / path.removeprefix("/widget/")
    if not path.startswith("/widget/") or not file.is_file():
        route.fulfill(status=404, body="")
        return
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    route.fulfill(body=file.read_bytes(), content_type=kind)


def open_view(browser: Browser, size: str) -> Page:
    page = browser.new_context(viewport=SIZES[size]).new_page()
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("window.ready === true")
    return page


def draw(page: Page, message: dict, meta: dict) -> None:
    page.evaluate("([m, meta]) => window.view.bubble(m, meta)", [message, meta])


@pytest.mark.parametrize("size", sorted(SIZES))
def test_one_handover_is_one_card(browser: Browser, size: str) -> None:
    page = open_view(browser, size)
    page.evaluate("() => window.view.customerMessage('agent please')")
    draw(page, WHY, HANDOFF)
    draw(page, NEXT, HANDOFF)  # action_handoff's second message: the same handover

    cards = page.locator("[data-cs=message].cs-system")
    expect(cards).to_have_count(1)
    expect(cards.locator(".cs-label")).to_have_text("Handing over to a person")
    expect(cards).to_contain_text("a person will take over")
    expect(cards).to_contain_text("number 1 in the queue")
    screenshot(page, "widget-handoff-card", full_page=False)
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)

    # Handed back and over again later: a new handover gets its own card.
    page.evaluate("() => window.view.notice('The automated assistant is back.')")
    draw(page, WHY, HANDOFF)
    expect(cards).to_have_count(2)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_rating_question_fits_and_sends_the_pressed_score(browser: Browser, size: str) -> None:
    page = open_view(browser, size)
    page.evaluate(
        """() => { window.pressed = [];
        window.view.actions.reply = (payload, title) => window.pressed.push([payload, title]); }"""
    )
    buttons = [{"title": title, "payload": payload} for title, payload in RATING]
    question = {"text": "How would you rate this conversation?", "quick_replies": buttons}
    draw(page, question, {"speaker": "assistant", "event": None, "automated": True})
    row = page.locator("[data-cs=reply-button]")
    expect(row).to_have_count(5)
    for i in range(5):  # every button on screen, none cut off at the panel's edge
        box = row.nth(i).bounding_box()
        assert box is not None and box["x"] + box["width"] <= SIZES[size]["width"]
    row.nth(3).click()
    assert page.evaluate("window.pressed") == [[RATING[3][1], RATING[3][0]]]
    screenshot(page, "widget-csat", full_page=False)
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)


LONG_STATUS = (
    "Talking to Alexandra from our support team · reconnecting to the shop's chat service…"
)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_long_status_line_keeps_clear_of_the_close_button(browser: Browser, size: str) -> None:
    page = open_view(browser, size)
    page.evaluate("(text) => window.view.status(text, 'person')", LONG_STATUS)
    status = page.locator("[data-cs=status]").bounding_box()
    close = page.locator(".cs-close").bounding_box()
    assert status and close
    assert status["x"] + status["width"] + 8 <= close["x"]  # a gap, never under the ×


def relative_luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed 'rgb(r, g, b)' colour."""
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_launchers_focus_ring_shows_on_the_button_and_on_the_page(browser: Browser) -> None:
    page = open_view(browser, "desktop")
    page.evaluate("() => window.view.setOpen(false)")  # focus goes back to the launcher
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # and comes back to it by keyboard
    launcher = page.locator("[data-cs=launcher]")
    expect(launcher).to_be_focused()
    style = launcher.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return [s.outlineStyle, s.outlineColor, s.boxShadow, s.backgroundColor]; }"
    )
    outline_style, outline, shadow, button = style
    assert outline_style == "solid"
    assert contrast(outline, "rgb(255, 255, 255)") >= 3  # the ring against a light page
    assert "rgb(255, 255, 255)" in shadow and contrast("rgb(255, 255, 255)", button) >= 3
    screenshot(page, "widget-launcher-focus", full_page=False)
