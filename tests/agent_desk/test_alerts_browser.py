"""The queue's chime and desktop notifications in chromium: both off until the agent turns them
on, the permission asked only from the agent's click, the choice remembered after a reload.

Chromium grants the notification permission through Playwright; the page's `Notification`
and `HTMLMediaElement.play` are wrapped (an init script) so the test sees each notification
built and each chime played: a headless browser has no desktop or speaker to look at.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from harness.ticket_helpers import draft
from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tests.pages import DESKTOP

RECORD = """
window.shown = [];
window.played = [];
window.asked = 0;
const Real = window.Notification;
function Recording(title, options) { window.shown.push({ title, body: options && options.body }); }
Object.defineProperty(Recording, "permission", { get: () => Real.permission });
Recording.requestPermission = () => { window.asked += 1; return Real.requestPermission(); };
window.Notification = Recording;
HTMLMediaElement.prototype.play = function () {
  window.played.push(this.src);
  return Promise.resolve();
};
"""


def recording_page(browser: Browser, base_url: str) -> Page:
    page = signed_in(browser, base_url, DESKTOP, permissions=["notifications"])
    page.context.add_init_script(RECORD)
    page.reload()
    return page


def test_chime_and_notifications_only_once_the_agent_turns_them_on(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    open_tickets(desk)
    page = recording_page(browser, base_url)
    sound = page.get_by_label("Sound for new tickets")
    expect(sound).not_to_be_checked()
    button = page.locator("#notify-toggle")
    expect(button).to_have_text("Enable desktop notifications")

    desk.store.open_ticket(draft("cust-3", created_at=T0))
    expect(page.locator("#new-tickets")).to_contain_text("New ticket T-00003")
    assert page.evaluate("[window.shown, window.played, window.asked]") == [[], [], 0]

    sound.check()
    button.click()
    expect(page.locator("#notify-state")).to_have_text("Desktop notifications are on.")
    expect(button).to_have_text("Turn off desktop notifications")
    assert page.evaluate("window.asked") == 1
    desk.store.open_ticket(draft("cust-4", reason="frustration", created_at=T0))
    expect(page.locator("#new-tickets")).to_contain_text("New ticket T-00004")
    page.wait_for_function("window.shown.length === 1 && window.played.length === 1")
    [shown] = page.evaluate("window.shown")
    assert shown == {"title": "Agent desk", "body": "New ticket T-00004: Customer is frustrated"}
    assert page.evaluate("window.played") == [f"{base_url}/sounds/new-ticket.wav"]

    # Remembered in this browser; the chime is a real short WAV the desk serves itself.
    page.reload()
    expect(sound).to_be_checked()
    expect(button).to_have_text("Turn off desktop notifications")
    chime = page.request.get(f"{base_url}/sounds/new-ticket.wav")
    assert chime.status == 200 and chime.headers["content-type"] == "audio/wav"
    assert chime.body()[:4] == b"RIFF" and chime.body()[8:12] == b"WAVE"
    button.click()
    expect(button).to_have_text("Enable desktop notifications")
    page.close()
