"""Long lists are paged by their keys first (core.pagination): the pages slicing would give,
each read in one query."""

import pytest

from core.pagination import KeysFirstPaginator
from postulates.selectors import listed_postulates
from tests.factories import MeetingFactory, PostulateFactory

pytestmark = pytest.mark.django_db


def test_pages_hold_what_slicing_gives_in_its_order_with_the_rows_annotations(
    django_assert_num_queries,
):
    earlier, later = MeetingFactory(title="A"), MeetingFactory(title="B")
    for number in (3, 1, 2):
        PostulateFactory(meeting=later, number=number)
    for number in (2, 1):
        PostulateFactory(meeting=earlier, number=number)
    postulates = listed_postulates()
    paginator = KeysFirstPaginator(postulates, 2)
    assert paginator.num_pages == 3

    pages = []
    for number in paginator.page_range:
        # The page's rows in one query, and their answers prefetched in another.
        with django_assert_num_queries(2):
            pages.append(list(paginator.page(number)))

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [p.pk for page in pages for p in page] == [p.pk for p in postulates]
    assert all(p.has_history is False for page in pages for p in page)


def test_a_bad_page_number_still_gives_a_page():
    PostulateFactory()
    paginator = KeysFirstPaginator(listed_postulates(), 10)
    assert [page.number for page in map(paginator.get_page, ("x", "0", "99"))] == [1, 1, 1]


@pytest.fixture
def three_pages(client, monkeypatch):
    from postulates.views import PostulateListView

    monkeypatch.setattr(PostulateListView, "per_page", 2)
    meeting = MeetingFactory()
    return [PostulateFactory(meeting=meeting, number=number) for number in range(1, 6)]


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("-1", 1), ("-99", 1), ("abc", 1)])
def test_a_page_number_below_one_shows_the_first_page_not_the_last(
    client, three_pages, asked, shown
):
    page = client.get("/postulaty/", {"page": asked}).context["page_obj"]
    assert page.number == shown
    assert [p.pk for p in page] == [p.pk for p in three_pages[:2]]


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("/postulaty/", "/postulaty/"),
        ("/postulaty/?page=1", "/postulaty/"),
        ("/postulaty/?page=2", "/postulaty/?page=2"),
        ("/postulaty/?page=3&rok=", "/postulaty/?page=3"),
        ("/postulaty/?page=-1", "/postulaty/"),
        ("/postulaty/?page=abc", "/postulaty/"),
        ("/en/postulaty/?page=2", "/en/postulaty/?page=2"),
    ],
)
def test_each_page_of_a_list_is_its_own_canonical_page(client, three_pages, address, canonical):
    """Search engines keep each page of a list (each holds other records): page 2 pointing at
    page 1 as its canonical address told them it was a copy of it."""
    html = client.get(address).content.decode()
    assert f'<link rel="canonical" href="https://testserver{canonical}">' in html
    path = canonical.removeprefix("/en")
    assert f'hreflang="en" href="https://testserver/en{path}"' in html
