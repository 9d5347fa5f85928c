"""Headless Chromium for the browser tests, skipped where it is not installed."""

import os

import pytest
from django.conf import settings

from tests.conftest import require_tool

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = settings.BASE_DIR / "screenshots"


def horizontal_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def page_failures(page, name, width, axe=None):
    """What a person would find wrong with the open page: axe-core's violations (when `axe`
    is given), sideways scrolling; its screenshot is left in screenshots/ to look at."""
    failures = []
    if axe is not None:
        results = axe.run(page)
        if results.violations_count:
            failures.append(f"{name} at {width}px: {results.generate_report()}")
    overflow = horizontal_overflow(page)
    if overflow > 0:
        failures.append(f"{name} at {width}px scrolls sideways by {overflow}px")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    return failures


@pytest.fixture(scope="module")
def browser():
    require_tool(CHROMIUM, "Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # live server's fixtures are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()
