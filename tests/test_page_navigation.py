"""The page links of every paged list (includes/pagination.html): first, previous, a window of
numbered pages, next and last, with the current page marked; and orders that end in a unique
key, so that walking the pages shows every record once however many tie."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from meetings import views as meeting_views
from meetings.models import Meeting
from meetings.selectors import public_rounds
from organisations import views as organisation_views
from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    OrganisationFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


class _PageLinks(HTMLParser):
    """The links of the page's <nav class="pagination">, as (text read out, href, current)."""

    def __init__(self):
        super().__init__()
        self.links, self.count, self.label = [], None, None
        self._in_nav = self._in_count = False
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "pagination" in (attrs.get("class") or "").split():
            self._in_nav, self.label = True, attrs.get("aria-label")
        elif self._in_nav and tag == "p" and attrs.get("class") == "page-count":
            self._in_count, self.count = True, ""
        elif self._in_nav and tag == "a":
            self._link = ["", attrs["href"], attrs.get("aria-current") == "page"]
        elif self._link is not None and attrs.get("aria-hidden") == "true":
            self._link.append("hidden")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        elif tag == "p":
            self._in_count = False
        elif tag == "a" and self._link is not None:
            text, href, current = self._link[:3]
            self.links.append((" ".join(text.split()), href, current))
            self._link = None
        elif tag == "span" and self._link is not None and self._link[-1] == "hidden":
            self._link.pop()

    def handle_data(self, data):
        if self._in_count:
            self.count += data
        elif self._link is not None and self._link[-1] != "hidden":
            self._link[0] += data  # what a screen reader reads: arrows are aria-hidden


def page_links(response):
    parser = _PageLinks()
    parser.feed(response.content.decode())
    return parser


def link(response, text):
    (href,) = [href for name, href, _current in page_links(response).links if name == text]
    return href


def follow(client, response, text):
    """Opens the page link named `text` (a query string, relative to the page it is on)."""
    return client.get(response.request["PATH_INFO"] + link(response, text))


def titles(response):
    return [meeting.title for meeting in response.context["page_obj"]]


@pytest.fixture
def seven_pages(monkeypatch):
    """Meetings "Spotkanie 01" … "Spotkanie 13", two a page: seven pages, the last of one."""
    monkeypatch.setattr(meeting_views.MeetingListView, "per_page", 2)
    year = ArchiveYearFactory(year=2025)
    for day in range(1, 14):
        MeetingFactory(year=year, title=f"Spotkanie {day:02}", dates=[datetime.date(2025, 3, day)])


def test_the_last_page_link_of_the_first_page_opens_the_last_page(client, seven_pages):
    """A resident wants the oldest meetings of a long list without clicking "next" six times."""
    first = client.get(reverse("meetings:list"))
    assert page_links(first).count == "Strona 1 z 7"

    last = follow(client, first, "Ostatnia strona")

    assert titles(last) == ["Spotkanie 13"]
    assert page_links(last).count == "Strona 7 z 7"
    assert [(name, current) for name, _href, current in page_links(last).links] == [
        ("Pierwsza strona", False),
        ("Poprzednia strona", False),
        ("Strona 3", False),
        ("Strona 4", False),
        ("Strona 5", False),
        ("Strona 6", False),
        ("Strona 7", True),
    ]
    # And back to the start.
    assert titles(follow(client, last, "Pierwsza strona")) == ["Spotkanie 01", "Spotkanie 02"]


def test_the_numbered_window_centres_on_the_current_page_and_keeps_the_filters(client, seven_pages):
    first = client.get(reverse("meetings:list"), {"rok": "2025"})
    assert page_links(first).label == "Strony spotkań"
    # Nothing before the first page; its number marked as the current one.
    assert page_links(first).links == [
        ("Strona 1", "?rok=2025&page=1", True),
        ("Strona 2", "?rok=2025&page=2", False),
        ("Strona 3", "?rok=2025&page=3", False),
        ("Strona 4", "?rok=2025&page=4", False),
        ("Strona 5", "?rok=2025&page=5", False),
        ("Następna strona", "?rok=2025&page=2", False),
        ("Ostatnia strona", "?rok=2025&page=7", False),
    ]
    middle = client.get(reverse("meetings:list"), {"rok": "2025", "page": "4"})
    assert [name for name, _href, current in page_links(middle).links] == [
        "Pierwsza strona",
        "Poprzednia strona",
        "Strona 2",
        "Strona 3",
        "Strona 4",
        "Strona 5",
        "Strona 6",
        "Następna strona",
        "Ostatnia strona",
    ]
    assert [name for name, _href, current in page_links(middle).links if current] == ["Strona 4"]
    assert titles(follow(client, middle, "Strona 6")) == ["Spotkanie 11", "Spotkanie 12"]


def test_a_list_of_one_page_has_no_page_links(client):
    MeetingFactory()
    response = client.get(reverse("meetings:list"))
    assert page_links(response).links == []
    assert page_links(response).count is None


def test_page_links_of_a_section_open_at_that_section(client, monkeypatch):
    """The organisation page's postulates sit below its summary: every page link, the last
    one too, opens at them."""
    monkeypatch.setattr(organisation_views, "POSTULATES_PER_PAGE", 2)
    organisation = OrganisationFactory()
    meeting = MeetingFactory()
    for number in range(1, 10):
        PostulateFactory(organisation=organisation, meeting=meeting, number=number)
    response = client.get(organisation.get_absolute_url(), {"page": "2"})
    hrefs = [href for _name, href, _current in page_links(response).links]
    assert hrefs == [
        "?page=1#postulaty",
        "?page=1#postulaty",
        "?page=1#postulaty",
        "?page=2#postulaty",
        "?page=3#postulaty",
        "?page=4#postulaty",
        "?page=5#postulaty",
        "?page=3#postulaty",
        "?page=5#postulaty",
    ]
    last = follow(client, response, "Ostatnia strona")
    assert [postulate.number for postulate in last.context["page_obj"]] == [9]


def test_a_capped_search_links_its_last_page_that_can_be_shown(client, monkeypatch):
    """The search counts at most COUNT_LIMIT matches of a kind ("ponad 3"): its last page is
    the last one it can show, and the link says so rather than promise the last match."""
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 3)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 3)
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 2)
    for year in range(2019, 2026):
        MeetingFactory(
            title="Lokale dla organizacji",
            year=ArchiveYearFactory(year=year),
            dates=[datetime.date(year, 3, 1)],
        )
    first = client.get("/szukaj/", {"q": "lokale"})
    assert page_links(first).count == "Strona 1 z 2"
    last = follow(client, first, "Ostatnia dostępna strona")
    assert [hit.url for hit in last.context["hits"]] == [
        Meeting.objects.get(year=2023).get_absolute_url()
    ]

    monkeypatch.setattr("search.engine.COUNT_LIMIT", 300)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 300)
    uncapped = client.get("/szukaj/", {"q": "lokale"})
    assert page_links(uncapped).count == "Strona 1 z 4"
    assert link(uncapped, "Ostatnia strona") == "?q=lokale&page=4"


def test_english_pages_name_their_page_links_in_english(client, seven_pages):
    response = client.get("/en/spotkania/", {"page": "3"})
    assert page_links(response).count == "Page 3 of 7"
    assert [name for name, _href, _current in page_links(response).links] == [
        "First page",
        "Previous page",
        "Page 1",
        "Page 2",
        "Page 3",
        "Page 4",
        "Page 5",
        "Next page",
        "Last page",
    ]


def test_organisations_of_the_same_name_each_show_once_across_the_pages(client, monkeypatch):
    """Names tie (three "Stowarzyszenie Sąsiedzi" in different districts): without a unique key
    last, PostgreSQL may order tied rows differently for each page's LIMIT/OFFSET, showing one
    twice and another never."""
    monkeypatch.setattr(organisation_views.OrganisationListView, "per_page", 3)
    meeting = MeetingFactory()
    same_name = [OrganisationFactory(name="Stowarzyszenie Sąsiedzi") for _ in range(8)]
    others = [OrganisationFactory(name=name) for name in ("Fundacja A", "Zrzeszenie Z")]
    meeting.participants.add(*same_name, *others)

    seen, response = [], client.get(reverse("organisations:list"))
    while True:
        seen += [organisation.pk for organisation in response.context["page_obj"]]
        names = {name for name, _href, _current in page_links(response).links}
        if "Następna strona" not in names:
            break
        response = follow(client, response, "Następna strona")

    assert seen == [others[0].pk, *(organisation.pk for organisation in same_name), others[1].pk]


def test_rounds_of_the_same_title_keep_one_order():
    year = ArchiveYearFactory(year=2025)
    rounds = [RoundFactory(year=year, title="Spotkania branżowe") for _ in range(6)]
    assert list(public_rounds().filter(year=year)) == rounds
