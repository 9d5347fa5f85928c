"""Headless Chromium for the browser tests, skipped where it is not installed."""

import os

import pytest

from tests.conftest import require_tool

CHROMIUM = "/usr/bin/chromium"


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
