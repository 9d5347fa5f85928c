"""A long list's page links on a phone: the last page one tap away from the first, every link
a target a thumb can hit, nothing scrolling sideways."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from meetings import views
from tests.browser.conftest import page_failures
from tests.factories import ArchiveYearFactory, MeetingFactory

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_phone_reader_jumps_from_the_first_page_to_the_last(browser, live_server, monkeypatch):
    monkeypatch.setattr(views.MeetingListView, "per_page", 2)
    year = ArchiveYearFactory(year=2025)
    for day in range(1, 14):
        MeetingFactory(year=year, title=f"Spotkanie {day:02}", dates=[datetime.date(2025, 3, day)])
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="pl-PL")
    page = context.new_page()
    assert page.goto(f"{live_server.url}/spotkania/").status == 200

    links = page.get_by_role("navigation", name="Strony spotkań").get_by_role("link")
    assert [" ".join(text.split()) for text in links.all_text_contents()] == [
        *(f"Strona {number}" for number in range(1, 6)),
        "Następna strona ›",
        "Ostatnia strona »",
    ]
    # 44 px targets (WCAG 2.5.5), the tap size phones' guidelines ask for.
    for box in (link.bounding_box() for link in links.all()):
        assert box["width"] >= 44 and box["height"] >= 44, box
    page.get_by_role("link", name="Ostatnia strona").click()
    page.wait_for_url("**/spotkania/?page=7")
    assert page.locator(".meeting-title").all_inner_texts() == ["Spotkanie 13"]
    current = page.locator('.pagination [aria-current="page"]')
    assert " ".join(current.text_content().split()) == "Strona 7"
    assert page_failures(page, "meeting-list-last-page", 360, Axe()) == []
    context.close()
