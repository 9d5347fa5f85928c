"""The open data page in headless Chromium: no axe-core violations, no sideways scrolling."""

import pytest

from tests.browser.conftest import page_failures

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_open_data_page_passes_axe_and_reflows(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    failures = []
    for width in (1280, 640, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        assert page.goto(f"{live_server.url}/dane/").status == 200
        failures += page_failures(page, "open-data", width, Axe() if width == 1280 else None)
        context.close()
    assert failures == []
