"""The organisation page and the statistics in headless Chromium, as a resident on a phone and a
journalist at a desktop use them: postulates first, meetings folded by year, page links that
keep the reader at the postulates, and a chart that can be read without the table."""

import datetime

import pytest

from organisations import views
from postulates.models import Outcome
from tests.browser.conftest import SCREENSHOTS, horizontal_overflow
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
)

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (360, 1280)
LONG_DEPARTMENT = "Wydział Polityki Społecznej, Równości i Zdrowia Urzędu Miasta Krakowa"


@pytest.fixture
def busy_organisation():
    """An organisation at 24 meetings over four years, with 12 postulates, some answered."""
    organisation = OrganisationFactory(name="Fundacja Dzikusy Salamandry")
    accepted = OutcomeFactory(name="uwzględniony", category=Outcome.Category.ACCEPTED)
    department = DepartmentFactory(name=LONG_DEPARTMENT)
    for index in range(24):
        year = 2022 + index % 4
        meeting = MeetingFactory(
            year=ArchiveYearFactory(year=year),
            title=f"Spotkanie branżowe {index + 1}",
            departments=[department],
            dates=[datetime.date(year, 5, 1 + index)],
        )
        meeting.participants.add(organisation)
        if index < 12:
            postulate = PostulateFactory(
                organisation=organisation,
                meeting=meeting,
                number=index + 1,
                content=f"Postulat numer {index + 1} o lokalach dla organizacji pozarządowych.",
            )
            if index % 3 == 0:
                PositionFactory(
                    postulate=postulate,
                    outcome=accepted,
                    department=department,
                    answered_on=datetime.date(year, 9, 1),
                )
    return organisation


def top_of(page, selector):
    return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top")


def test_a_phone_reader_reaches_the_postulates_first_and_pages_through_them(
    browser,
    live_server,
    busy_organisation,
    monkeypatch,
):
    monkeypatch.setattr(views, "POSTULATES_PER_PAGE", 5)
    SCREENSHOTS.mkdir(exist_ok=True)
    url = live_server.url + busy_organisation.get_absolute_url()
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 780}, locale="pl-PL")
        page = context.new_page()
        assert page.goto(url).status == 200
        # The postulates and the summary of the City's answers are on the first screen (the
        # subscriptions follow the page), the meetings are folded under them.
        assert top_of(page, "#postulaty") < 780, width
        assert (
            page.evaluate(
                "document.querySelector('.outcome-summary').getBoundingClientRect().bottom"
            )
            < 780
        ), width
        assert top_of(page, ".email-alerts") > top_of(page, "#spotkania"), width
        assert top_of(page, "#postulaty") < top_of(page, "#spotkania")
        assert page.locator("details.year-group").count() == 4
        assert not page.get_by_text("Spotkanie branżowe 1", exact=True).is_visible()
        page.get_by_text("Rok 2022: 6 spotkań").click()
        assert page.get_by_role("link", name="Spotkanie branżowe 1", exact=True).is_visible()
        assert horizontal_overflow(page) <= 0, width
        page.screenshot(
            path=SCREENSHOTS / f"organisation-postulates-first-{width}.png", full_page=True
        )
        # The next page of postulates opens at the postulates, not at the top of the page.
        page.get_by_role("link", name="Następna strona").click()
        page.wait_for_url("**?page=2#postulaty")
        assert abs(top_of(page, "#postulaty")) < 40, width
        assert page.evaluate("window.scrollY") > 0 or width == 1280
        context.close()


def test_the_organisation_list_is_narrowed_by_name(browser, live_server, busy_organisation):
    PostulateFactory(organisation=OrganisationFactory(name="Stowarzyszenie Przyjaciół Zwierząt"))
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 780}, locale="pl-PL")
        page = context.new_page()
        page.goto(f"{live_server.url}/organizacje/")
        page.get_by_label("Nazwa organizacji").fill("przyjaciol")
        page.get_by_role("button", name="Pokaż organizacje").click()
        page.wait_for_url("**nazwa=przyjaciol")
        assert page.get_by_role("status").inner_text() == "1 organizacja"
        items = page.locator(".entity-list li").all_inner_texts()
        assert items == ["Stowarzyszenie Przyjaciół Zwierząt – 0 spotkań, 1 postulat"]
        assert horizontal_overflow(page) <= 0, width
        page.screenshot(path=SCREENSHOTS / f"organisation-list-by-name-{width}.png", full_page=True)
        context.close()


def test_the_chart_shows_values_and_a_scale_and_its_labels_use_the_width(
    browser,
    live_server,
    busy_organisation,
):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        for path, name in (
            ("/statystyki/", "statistics-chart"),
            ("/statystyki/wydzialy/", "statistics-chart-departments"),
        ):
            assert page.goto(live_server.url + path).status == 200
            heading = page.get_by_role("heading", name="Rozstrzygnięcia postulatów", exact=True)
            assert heading.is_visible()
            values = page.locator(".chart-value").all_text_contents()
            assert values and all(value.endswith("%") for value in values)
            assert page.locator(".chart-tick").all_text_contents() == [
                "0%",
                "25%",
                "50%",
                "75%",
                "100%",
            ]
            assert horizontal_overflow(page) <= 0, (path, width)
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        # The long name fits one line at a desktop and wraps only on a phone.
        label = page.locator(".chart-label", has_text=LONG_DEPARTMENT)
        line_height = float(label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        lines = round(label.bounding_box()["height"] / line_height)
        assert (lines == 1) if width == 1280 else (lines >= 2), (width, lines)
        context.close()
