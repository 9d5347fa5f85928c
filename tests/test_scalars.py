"""Single values of several querysets read in one statement are what each reads alone."""

import pytest

from core.publishing import Status
from core.scalars import RowCount, first_value, first_values
from meetings.models import Meeting
from organisations.models import Organisation
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_one_statement_reads_what_each_query_reads_alone(django_assert_num_queries):
    meetings = [MeetingFactory() for _ in range(3)]
    Meeting.objects.filter(pk=meetings[1].pk).update(status=Status.DRAFT)
    published = Meeting.objects.published()
    queries = {
        "latest": published.order_by("-updated_at").values_list("updated_at", flat=True),
        "lowest": published.order_by("pk").values_list("pk", flat=True),
        "title": published.order_by("-pk").values_list("title", flat=True),
        "unordered": published.values_list("slug", flat=True),
        "none": Organisation.objects.values_list("updated_at", flat=True),
        "count": RowCount(published),
        "no rows": RowCount(Organisation.objects.all()),
    }
    alone = {key: first_value(query) for key, query in queries.items()}

    with django_assert_num_queries(1):
        together = first_values(queries)

    assert together == alone
    assert together["count"] == 2
    assert together["latest"].tzinfo is not None
    assert together["none"] is None


def test_no_queries_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert first_values({}) == {}
