import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from core.publishing import Status
from meetings.models import ArchiveYear, Document, Meeting
from postulates.models import Position, Postulate
from tests.factories import (
    ArchiveYearFactory,
    DocumentFactory,
    MeetingFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def test_published_excludes_drafts_and_scheduled_items():
    visible = MeetingFactory(title="opublikowane")
    MeetingFactory(title="szkic", status=Status.DRAFT, published_at=None)
    scheduled = MeetingFactory(title="zaplanowane", published_at=NOW + datetime.timedelta(hours=1))

    assert list(Meeting.objects.published()) == [visible]
    # A scheduled item appears by itself once its time has come: no job has to flip it.
    later = NOW + datetime.timedelta(hours=2)
    assert set(Meeting.objects.published(at=later)) == {visible, scheduled}


def test_default_manager_is_never_filtered():
    MeetingFactory(status=Status.DRAFT, published_at=None)
    assert Meeting.objects.count() == 1


def test_saving_as_published_stamps_the_publication_time():
    meeting = MeetingFactory(status=Status.DRAFT, published_at=None)
    meeting.status = Status.PUBLISHED
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.published_at is not None
    assert meeting.is_public


def test_database_refuses_published_without_a_date():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError):
        Meeting.objects.filter(pk=meeting.pk).update(published_at=None)


def test_items_under_an_unpublished_parent_stay_hidden():
    draft_year = ArchiveYearFactory(year=2030, status=Status.DRAFT, published_at=None)
    meeting_in_draft_year = MeetingFactory(year=draft_year)
    draft_meeting = MeetingFactory(status=Status.DRAFT, published_at=None)
    hidden_document = DocumentFactory(meeting=draft_meeting)
    hidden_postulate = PostulateFactory(meeting=draft_meeting)
    hidden_position = PositionFactory(postulate=hidden_postulate)
    visible_document = DocumentFactory()

    assert meeting_in_draft_year not in Meeting.objects.published()
    assert hidden_document not in Document.objects.published()
    assert list(Document.objects.published()) == [visible_document]
    assert hidden_postulate not in Postulate.objects.published()
    assert hidden_position not in Position.objects.published()
    assert not ArchiveYear.objects.published().filter(year=2030).exists()


def test_round_documents_follow_their_round():
    draft_round = RoundFactory(status=Status.DRAFT, published_at=None)
    DocumentFactory(meeting=None, round=draft_round)
    public_round_document = DocumentFactory(meeting=None, round=RoundFactory())
    assert list(Document.objects.published()) == [public_round_document]


def test_pages_never_name_a_draft_linked_from_a_published_record(client):
    from tests.factories import OrganisationFactory, ProgrammeFactory

    draft_round = RoundFactory(title="Tajny cykl", status=Status.DRAFT, published_at=None)
    draft_programme = ProgrammeFactory(
        first_year=2031, title="Tajny program", status=Status.DRAFT, published_at=None
    )
    meeting = MeetingFactory(year=draft_round.year, round=draft_round, programme=draft_programme)
    postulate = PostulateFactory(
        meeting=meeting,
        organisation=OrganisationFactory(
            name="Tajna fundacja", status=Status.DRAFT, published_at=None
        ),
    )
    for url in (meeting.get_absolute_url(), postulate.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Tajny cykl" not in html
        assert "Tajny program" not in html
        assert "Tajna fundacja" not in html
