"""Every public page type in headless Chromium: zero axe-core violations, usable at 320 px
and at 200% zoom, with screenshots left in screenshots/ for a person to look at."""

import pytest

from tests.browser.conftest import page_failures

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# English pages: the interface's longest strings and the pages with the most of them.
ENGLISH_PAGES = ("home", "meeting", "meeting-list", "postulate", "search", "not-found")


def pages_in_both_languages(public_pages):
    """(name, url, language) of every page type in Polish, and of the English sample."""
    pages = [(name, url, "pl") for name, url in public_pages.items()]
    pages += [(f"en-{name}", f"/en{public_pages[name]}", "en") for name in ENGLISH_PAGES]
    return pages


def test_every_page_type_passes_axe_and_reflows(browser, live_server, public_pages):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    # 1280 px is a desktop; 640 px is the same desktop at 200% zoom; 320 px is WCAG's reflow width.
    for width in (1280, 640, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        for name, url, language in pages_in_both_languages(public_pages):
            response = page.goto(live_server.url + url)
            assert response.status == (404 if name.endswith("not-found") else 200), url
            assert page.evaluate("document.documentElement.lang") == language
            failures += page_failures(page, name, width, axe if width == 1280 else None)
        context.close()
    assert failures == []


def test_skip_link_is_first_and_moves_focus_to_the_content(browser, live_server, public_pages):
    page = browser.new_page()
    page.goto(live_server.url + public_pages["meeting"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-160px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "tresc"
    page.close()


def test_focus_is_visible_on_links(browser, live_server, public_pages):
    page = browser.new_page()
    page.goto(live_server.url + public_pages["home"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.close()
