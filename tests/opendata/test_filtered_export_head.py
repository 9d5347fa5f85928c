"""A HEAD of a filtered export (a download manager checking the file first): the GET's status
and headers, but none of the export's queries; the file's length, ETag and digest, which
only the built file gives, are left out (RFC 9110, 9.3.2)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratelimits.models import RequestCount
from tests.factories import MeetingFactory, OrganisationFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

SHARED = ["Content-Type", "Content-Disposition", "Cache-Control", "X-Robots-Tag", "Vary"]
BUILT_ONLY = ["Content-Length", "ETag", "Repr-Digest"]


@pytest.fixture
def address():
    organisation = OrganisationFactory(name="Fundacja Zielone Podgórze")
    for _ in range(3):
        meeting = MeetingFactory()
        PositionFactory(postulate=PostulateFactory(meeting=meeting, organisation=organisation))
    return f"/postulaty/eksport.csv?organizacja={organisation.slug}"


def test_a_head_has_the_gets_headers_without_building_the_file(client, address):
    with CaptureQueriesContext(connection) as get_queries:
        got = client.get(address)
    assert got.status_code == 200
    assert b"Fundacja Zielone Podg" in b"".join(got.streaming_content)

    # The organisation named by the filter, then how many postulates the file would hold
    # (past the limit a HEAD gets the GET's 422).
    with CaptureQueriesContext(connection) as head_queries:
        head = client.head(address)
    assert head.status_code == 200
    assert len(head_queries) == 2, [q["sql"] for q in head_queries]
    assert len(get_queries) > len(head_queries) + 3
    assert {name: head[name] for name in SHARED} == {name: got[name] for name in SHARED}
    assert head["Content-Disposition"].startswith(
        'attachment; filename="postulaty-fundacja-zielone-podgorze.csv"'
    )
    assert [name for name in BUILT_ONLY if head.has_header(name)] == []
    assert all(got.has_header(name) for name in BUILT_ONLY)


def test_a_head_past_the_record_limit_gets_the_gets_refusal(client, address, settings):
    settings.EXPORT_REQUEST_MAX_RECORDS = 2
    assert client.get(address).status_code == 422
    assert client.head(address).status_code == 422


def test_heads_are_not_counted_against_the_filtered_exports_limit(
    client, address, settings, rate_limit_window
):
    settings.EXPORT_RATE_LIMIT = (1, 60)
    caches["default"].clear()
    RequestCount.objects.all().delete()
    assert [client.head(address).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(address).status_code == 200
    assert client.get(address).status_code == 429
