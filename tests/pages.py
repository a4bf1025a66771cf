"""Helpers for browser tests of our pages: screenshots at the two sizes every page is checked
at, and an axe-core scan that fails on serious or critical findings.

axe-core comes bundled in axe-playwright-python (a dev dependency); Playwright injects it
through the DevTools protocol, so our Content-Security-Policy (scripts from 'self' only) stays
on while it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from harness.helpers import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BLOCKING_IMPACTS = ("serious", "critical")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (installed by deploy/setup.sh --test), closed
    on exit."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Page, name: str, full_page: bool = True) -> None:
    """test-artifacts/<name>-<width>x<height>.png of the whole page, or of the window only
    (what a customer sees when a fixed panel covers it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size or DESKTOP
    page.screenshot(
        path=str(ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"), full_page=full_page
    )


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def overflows_horizontally(page: Page) -> bool:
    """The page is wider than the window (a phone would scroll sideways)."""
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )
