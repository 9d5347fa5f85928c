"""The open data page in headless Chromium: no axe-core violations, no sideways scrolling."""

import pytest

from tests.browser.test_accessibility import SCREENSHOTS, horizontal_overflow

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_open_data_page_passes_axe_and_reflows(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(exist_ok=True)
    failures = []
    for width in (1280, 640, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        assert page.goto(f"{live_server.url}/dane/").status == 200
        if width == 1280:
            results = Axe().run(page)
            if results.violations_count:
                failures.append(results.generate_report())
        overflow = horizontal_overflow(page)
        if overflow > 0:
            failures.append(f"/dane/ at {width}px scrolls sideways by {overflow}px")
        page.screenshot(path=SCREENSHOTS / f"open-data-{width}.png", full_page=True)
        context.close()
    assert failures == []
