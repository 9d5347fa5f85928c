"""The day postulates and documents are searched by is their meeting's, stored on their own
rows (search.models.DatedByMeeting) so each kind is read newest first through one index:
these tests follow it through every way the day can change."""

import datetime
import io

import pytest
from django.core.management import call_command

from meetings.models import MeetingDate
from postulates.models import Postulate
from tests.factories import (
    ArchiveYearFactory,
    DocumentFactory,
    MeetingFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, query, kind):
    response = client.get("/szukaj/", {"q": query, "typ": kind})
    assert response.status_code == 200, response.content[:500]
    return [hit.url for hit in response.context["hits"]]


def urls(*records):
    return [record.get_absolute_url() for record in records]


def held_on(day):
    return MeetingFactory(year=ArchiveYearFactory(year=day.year), dates=[day])


def test_a_meeting_whose_day_is_corrected_moves_its_postulates_and_documents(client):
    spring = held_on(datetime.date(2025, 3, 1))
    autumn = held_on(datetime.date(2025, 10, 1))
    early = PostulateFactory(meeting=spring, content="Lokale dla organizacji.")
    late = PostulateFactory(meeting=autumn, content="Lokale w dzielnicach.")
    early_summary = DocumentFactory(meeting=spring, title="Lokale: podsumowanie wiosny")
    late_summary = DocumentFactory(meeting=autumn, title="Lokale: podsumowanie jesieni")
    assert listed(client, "lokale", "postulaty") == urls(late, early)
    assert listed(client, "lokale", "dokumenty") == urls(late_summary, early_summary)

    # The spring meeting was in fact held in December: its day is corrected in the admin.
    day = spring.dates.get()
    day.date = datetime.date(2025, 12, 1)
    day.save()
    assert listed(client, "lokale", "postulaty") == urls(early, late)
    assert listed(client, "lokale", "dokumenty") == urls(early_summary, late_summary)

    # Its days removed: undated, listed last.
    MeetingDate.objects.get(pk=day.pk).delete()
    assert listed(client, "lokale", "postulaty") == urls(late, early)


def test_a_postulate_moved_to_another_meeting_takes_its_day(client):
    older = held_on(datetime.date(2024, 5, 1))
    newer = held_on(datetime.date(2026, 5, 1))
    moved = PostulateFactory(meeting=older, content="Lokale dla organizacji.")
    stays = PostulateFactory(meeting=held_on(datetime.date(2025, 5, 1)), content="Lokale.")
    assert listed(client, "lokale", "postulaty") == urls(stays, moved)
    moved.meeting = newer
    moved.save()
    assert listed(client, "lokale", "postulaty") == urls(moved, stays)


def test_a_rounds_document_is_searched_by_its_publication_day_and_its_postulates_undated(
    client,
):
    meeting = held_on(datetime.date(2025, 6, 1))
    round_ = RoundFactory(year=ArchiveYearFactory(year=2025))
    summary = DocumentFactory(meeting=meeting, title="Lokale: podsumowanie")
    rules = DocumentFactory(
        meeting=None,
        round=round_,
        title="Lokale: zasady cyklu",
        published_at=datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC),
    )
    assert listed(client, "lokale", "dokumenty") == urls(rules, summary)
    in_round = PostulateFactory(meeting=None, round=round_, content="Lokale w cyklu.")
    at_meeting = PostulateFactory(meeting=meeting, content="Lokale na spotkaniu.")
    assert listed(client, "lokale", "postulaty") == urls(at_meeting, in_round)


def test_bulk_loaded_postulates_get_their_day_from_update_search_text(client):
    """Bulk loads (the archive import, sample data) skip save(): the command that writes
    their search text writes their day too."""
    older = held_on(datetime.date(2019, 5, 1))
    newer = held_on(datetime.date(2026, 5, 1))
    Postulate.objects.bulk_create(
        [
            Postulate(meeting=older, number=1, content="Lokale starsze.", **published()),
            Postulate(meeting=newer, number=1, content="Lokale nowsze.", **published()),
        ]
    )
    call_command("update_search_text", only_missing=True, verbosity=0)
    assert list(Postulate.objects.order_by("pk").values_list("search_day", flat=True)) == [
        datetime.date(2019, 5, 1),
        datetime.date(2026, 5, 1),
    ]
    newest, oldest = Postulate.objects.order_by("-search_day")
    assert listed(client, "lokale", "postulaty") == urls(newest, oldest)


def published():
    from core.publishing import Status

    yesterday = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    return {"status": Status.PUBLISHED, "published_at": yesterday}


def test_sample_data_is_searched_by_its_meetings_days():
    """Sample data is written in bulk (no save()): its postulates and documents get their
    meetings' days all the same, so the demo's search lists them newest first."""
    from meetings.models import Document

    call_command(
        "generate_sample_data", "--meetings", "6", "--postulates", "30", stdout=io.StringIO()
    )
    postulates = Postulate.objects.filter(meeting__isnull=False)
    documents = Document.objects.filter(meeting__isnull=False, meeting__starts_on__isnull=False)
    assert postulates.count() == 30 and documents.exists()
    for record in [*postulates.select_related("meeting"), *documents.select_related("meeting")]:
        assert record.search_day == record.meeting.starts_on, record
