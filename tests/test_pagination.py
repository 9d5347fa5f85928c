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
