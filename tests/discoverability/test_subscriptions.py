"""A resident who wants to follow the archive finds how: a page explaining feeds and
calendars, calendar links that subscribe (webcal:) rather than download once, and feeds that
explain themselves when opened in a browser."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains

from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_the_help_page_gives_the_calendar_subscription_and_every_feed(
    client, django_assert_num_queries
):
    ArchiveYearFactory(year=2025)
    ArchiveYearFactory(year=2024)
    ArchiveYearFactory(year=2023, status=Status.DRAFT, published_at=None)
    with django_assert_num_queries(1):
        response = client.get("/kanaly-i-kalendarze/")
    assert response.status_code == 200
    assertContains(response, "<h1>Kanały i kalendarze</h1>", html=True)
    assertContains(
        response,
        '<a class="button" href="webcal://testserver/kanaly/spotkania.ics">'
        "Subskrybuj kalendarz wszystkich spotkań</a>",
        html=True,
    )
    # Web calendars (Google, Outlook) take the https: address pasted in.
    assertContains(
        response,
        '<code class="subscription-address">https://testserver/kanaly/spotkania.ics</code>',
        html=True,
    )
    assertContains(
        response,
        '<code class="subscription-address">https://testserver/kanaly/nowe.atom</code>',
        html=True,
    )
    assertContains(
        response,
        '<li>Materiały z jednego roku: <a href="/kanaly/lata/2025.atom">2025</a>, '
        '<a href="/kanaly/lata/2024.atom">2024</a></li>',
        html=True,
    )


def test_the_help_page_says_what_each_calendar_and_feed_holds(client, settings):
    settings.CALENDAR_PAST_MONTHS = 18
    settings.CALENDAR_MAX_EVENTS = 700
    settings.FEED_ENTRIES = 40

    response = client.get("/kanaly-i-kalendarze/")

    assertContains(
        response,
        '<p id="zakres">Kalendarz wszystkich spotkań obejmuje spotkania zaplanowane i te '
        "z ostatnich 18 miesięcy. Wcześniejsze są w kalendarzach wydziałów i organizacji, "
        "które sięgają dalej wstecz, zwykle do początku archiwum. Każdy kalendarz obejmuje "
        "do 700 terminów, by aplikacje kalendarza pobierały go szybko: gdy jest ich więcej, "
        "pomija najdawniejsze, a dopiero potem najdalsze z zaplanowanych.</p>",
        html=True,
    )
    assertContains(
        response,
        "a kalendarz spotkań z udziałem organizacji – na stronie tej organizacji: "
        '<a href="/wydzialy/">lista wydziałów</a>, <a href="/organizacje/">lista organizacji</a>.',
    )
    assertContains(response, "Kanał obejmuje do 40 najnowszych wpisów;")


def test_the_help_page_is_in_english_too(client):
    response = client.get("/en/kanaly-i-kalendarze/")
    assertContains(response, "<h1>Feeds and calendars</h1>", html=True)
    assertContains(response, "Subscribe to the calendar of all meetings")
    assertContains(
        response,
        "The calendar of all meetings holds the upcoming meetings and those of the last 12 months.",
    )
    assertContains(response, "Each calendar holds up to 1000 meeting days")
    assertContains(response, "A feed holds up to 50 newest entries;")
    assertContains(response, '<a href="/en/organizacje/">list of organisations</a>', html=True)


def test_every_page_footer_subscribes_to_the_calendar_and_explains_how(client):
    response = client.get("/")
    assertContains(
        response,
        '<a href="webcal://testserver/kanaly/spotkania.ics">Subskrybuj kalendarz spotkań</a>',
        html=True,
    )
    assertContains(
        response,
        '<a href="/kanaly-i-kalendarze/">Kanały i kalendarze: jak subskrybować</a>',
        html=True,
    )


def test_a_department_page_subscribes_to_its_own_calendar(client):
    department = DepartmentFactory(slug="wydzial-kultury")
    response = client.get(department.get_absolute_url())
    assertContains(
        response,
        '<a href="webcal://testserver/kanaly/wydzialy/wydzial-kultury.ics">'
        "subskrybuj kalendarz spotkań</a>",
        html=True,
    )


def test_an_organisation_page_subscribes_to_its_calendar_and_its_feed(client):
    organisation = OrganisationFactory(slug="fundacja-kocia", name="Fundacja Kocia")
    MeetingFactory().participants.add(organisation)

    response = client.get(organisation.get_absolute_url())

    assertContains(
        response,
        '<p class="subscribe">Śledź nowe materiały: '
        '<a href="/kanaly/organizacje/fundacja-kocia.atom">kanał Atom</a> · '
        '<a href="webcal://testserver/kanaly/organizacje/fundacja-kocia.ics">'
        "subskrybuj kalendarz spotkań z jej udziałem</a> · "
        '<a href="/kanaly-i-kalendarze/">jak subskrybować</a></p>',
        html=True,
    )
    assertContains(
        response,
        '<link rel="alternate" type="text/calendar" '
        'title="Kalendarz spotkań: Fundacja Kocia (iCalendar)" '
        'href="/kanaly/organizacje/fundacja-kocia.ics">',
        html=True,
    )
    english = client.get(f"/en{organisation.get_absolute_url()}")
    assertContains(english, "subscribe to the calendar of the meetings it took part in")


def test_a_feed_names_its_stylesheet_and_is_served_as_xml_a_browser_renders(client):
    response = client.get("/kanaly/nowe.atom")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.decode().startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<?xml-stylesheet href="/static/feeds/atom.xsl" media="screen" type="text/xsl"?>'
        '<feed xml:lang="pl" xmlns="http://www.w3.org/2005/Atom">'
    )
    stylesheet = Path(finders.find("feeds/atom.xsl")).read_text(encoding="utf-8")
    # The stylesheet is a static file: its links are checked here against the site's routes.
    assert 'href="/kanaly-i-kalendarze/"' in stylesheet
    assert 'href="/en/kanaly-i-kalendarze/"' in stylesheet
    assert 'href="/static/css/site.css"' in stylesheet
    assert client.get("/kanaly-i-kalendarze/").status_code == 200
