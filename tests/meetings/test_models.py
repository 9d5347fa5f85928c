import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import translation

from meetings.models import Document, Meeting
from tests.factories import (
    ArchiveYearFactory,
    DocumentFactory,
    MeetingFactory,
    PostulateFactory,
    ProgrammeFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def test_meeting_slug_is_unique_within_a_year_but_may_repeat_across_years():
    first = MeetingFactory(title="Spotkanie w Wydziale Kultury", year=ArchiveYearFactory(year=2025))
    again = MeetingFactory(title="Spotkanie w Wydziale Kultury", year=first.year)
    next_year = MeetingFactory(
        title="Spotkanie w Wydziale Kultury", year=ArchiveYearFactory(year=2026)
    )
    assert first.slug == next_year.slug == "spotkanie-w-wydziale-kultury"
    assert again.slug == "spotkanie-w-wydziale-kultury-2"
    assert next_year.get_absolute_url() == "/2026/spotkania/spotkanie-w-wydziale-kultury/"
    with pytest.raises(IntegrityError):
        Meeting.objects.filter(pk=again.pk).update(slug=first.slug)


def test_meeting_may_have_several_dates_or_none_and_starts_on_follows_them():
    two_days = MeetingFactory(dates=[datetime.date(2024, 6, 25), datetime.date(2024, 6, 11)])
    undated = MeetingFactory(dates=[])
    starts = dict(Meeting.objects.values_list("pk", "starts_on"))
    assert starts == {two_days.pk: datetime.date(2024, 6, 11), undated.pk: None}

    two_days.dates.get(date=datetime.date(2024, 6, 11)).delete()
    two_days.refresh_from_db()
    assert two_days.starts_on == datetime.date(2024, 6, 25)


def test_deleting_a_meeting_with_documents_or_postulates_is_refused():
    document = DocumentFactory()
    with pytest.raises(ProtectedError):
        document.meeting.delete()
    postulate = PostulateFactory()
    with pytest.raises(ProtectedError):
        postulate.meeting.delete()


def test_deleting_a_year_or_programme_in_use_is_refused():
    meeting = MeetingFactory(programme=ProgrammeFactory())
    with pytest.raises(ProtectedError):
        meeting.year.delete()
    with pytest.raises(ProtectedError):
        meeting.programme.delete()


def test_a_document_belongs_to_exactly_one_meeting_or_round():
    meeting, round_ = MeetingFactory(), RoundFactory()
    with pytest.raises(IntegrityError):
        DocumentFactory(meeting=meeting, round=round_)


def test_a_document_needs_a_meeting_or_a_round():
    with pytest.raises(IntegrityError):
        DocumentFactory(meeting=None, round=None)


def test_document_format_and_size_come_from_the_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Zestawienie zgłoszonych postulatów")
    assert (document.file_format, document.file_size) == ("", None)

    document.file.save("Zestawienie Postulatów.PDF", ContentFile(b"%PDF-1.7\n" + b"x" * 1991))
    document.refresh_from_db()
    assert document.file_format == "PDF"
    assert document.file_size == 2000
    # The stored name never keeps the uploader's spaces or capitals.
    assert document.file.name.startswith(
        f"dokumenty/{document.meeting.year_id}/zestawienie-postulatow"
    )
    assert document.file.name.endswith(".pdf")


def test_document_urls_live_under_their_parent():
    document = DocumentFactory(title="Podsumowanie spotkania")
    meeting = document.meeting
    assert document.get_absolute_url() == (
        f"/{meeting.year_id}/spotkania/{meeting.slug}/dokumenty/podsumowanie-spotkania/"
    )
    round_document = DocumentFactory(
        title="Stanowisko Miasta", meeting=None, round=RoundFactory(title="Cykl czerwcowy")
    )
    assert round_document.get_absolute_url() == (
        f"/{round_document.round.year_id}/cykle/cykl-czerwcowy/dokumenty/stanowisko-miasta/"
    )
    assert round_document.get_download_url() == ""
    # Lists build it from the parent's address (Document.url_under), in every language.
    for language in ("pl", "en"):
        with translation.override(language):
            for doc in (document, round_document):
                assert doc.url_under(doc.parent.get_absolute_url()) == doc.get_absolute_url()


def test_document_slugs_repeat_across_meetings_but_not_within_one():
    first = DocumentFactory(title="Zestawienie zgłoszonych postulatów")
    other_meeting = DocumentFactory(title="Zestawienie zgłoszonych postulatów")
    same_meeting = DocumentFactory(
        title="Zestawienie zgłoszonych postulatów", meeting=first.meeting
    )
    assert first.slug == other_meeting.slug == "zestawienie-zgloszonych-postulatow"
    assert same_meeting.slug == "zestawienie-zgloszonych-postulatow-2"
    with pytest.raises(IntegrityError):
        Document.objects.filter(pk=same_meeting.pk).update(slug=first.slug)
