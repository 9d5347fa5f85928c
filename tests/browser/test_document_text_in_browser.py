"""The HTML version of each kind of document in headless Chromium: zero axe-core violations
at 1280 and 320 px, no sideways scrolling of the page, a printable layout; screenshots (and
the print preview as PDF) left in screenshots/ for a person to look at."""

import pytest

from tests.accessibility.pages import text_version_pages
from tests.browser.conftest import SCREENSHOTS, page_failures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_kind_of_html_version_passes_axe_and_reflows(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    pages = text_version_pages()
    axe = Axe()
    failures = []
    for width in (1280, 360, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        for name, url in pages.items():
            assert page.goto(live_server.url + url).status == 200, url
            assert page.evaluate("document.documentElement.lang") == "pl"
            failures += page_failures(
                page, f"text-{name}", width, axe if width in (1280, 320) else None
            )
        context.close()
    assert failures == []


def test_the_html_version_prints_without_the_sites_navigation(browser, live_server):
    pages = text_version_pages()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    page = context.new_page()
    page.goto(live_server.url + pages["docx"])
    page.emulate_media(media="print")

    hidden = page.evaluate(
        "['.site-header nav', '.breadcrumbs', '.site-footer', '.screen-only']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none"] * 4
    assert page.locator(".page-address").is_visible()
    assert page.locator(".document-body table").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "text-docx-print.png", full_page=True)
    pdf = page.pdf(path=SCREENSHOTS / "text-docx-print.pdf", format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()
