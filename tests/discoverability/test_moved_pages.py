"""Old addresses of renamed pages answer 301 to the current one, in one hop, forever."""

import pytest
import reversion
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from core.publishing import Status
from permalinks.models import MovedPage
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PostulateFactory,
    ProgrammeFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def rename(record, slug):
    record.slug = slug
    record.save()
    return record.get_absolute_url()


def assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url
    # One hop: the new address is the live page itself.
    assert client.get(new_url).status_code == 200


def test_a_renamed_meeting_answers_301_at_its_old_address(client):
    meeting = MeetingFactory(slug="spotkanie-a")
    old_url = meeting.get_absolute_url()

    new_url = rename(meeting, "spotkanie-b")

    assert new_url == "/2025/spotkania/spotkanie-b/"
    assert_moved(client, old_url, new_url)


def test_after_two_renames_both_old_addresses_lead_straight_to_the_current_one(client):
    meeting = MeetingFactory(slug="a")
    first_url = meeting.get_absolute_url()
    second_url = rename(meeting, "b")

    current_url = rename(meeting, "c")

    assert_moved(client, first_url, current_url)
    assert_moved(client, second_url, current_url)


def test_documents_under_a_renamed_meeting_follow_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(slug="a")
    document = DocumentFactory(
        meeting=meeting, slug="podsumowanie", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="p.pdf")
    )
    first_url = document.get_absolute_url()

    rename(meeting, "b")
    second_url = document.get_absolute_url()
    rename(meeting, "c")
    document.refresh_from_db()
    current_url = rename(document, "podsumowanie-spotkania")

    assert current_url == "/2025/spotkania/c/dokumenty/podsumowanie-spotkania/"
    for old_url in (first_url, second_url, "/2025/spotkania/c/dokumenty/podsumowanie/"):
        assert_moved(client, old_url, current_url)
        assert_moved(client, f"{old_url}pobierz/", f"{current_url}pobierz/")


def test_documents_of_a_renamed_round_follow_it(client):
    round_ = RoundFactory(slug="cykl-czerwcowy")
    document = DocumentFactory(meeting=None, round=round_, slug="stanowisko")
    old_round_url, old_document_url = round_.get_absolute_url(), document.get_absolute_url()

    new_round_url = rename(round_, "spotkania-branzowe-czerwiec")

    assert_moved(client, old_round_url, new_round_url)
    assert_moved(client, old_document_url, f"{new_round_url}dokumenty/stanowisko/")


def test_a_meeting_moved_to_another_year_keeps_its_old_address(client):
    meeting = MeetingFactory(slug="spotkanie")
    old_url = meeting.get_absolute_url()
    meeting.year = ArchiveYearFactory(year=2026)
    meeting.save()

    assert_moved(client, old_url, "/2026/spotkania/spotkanie/")


@pytest.mark.parametrize(
    ("factory", "prefix"),
    [
        (DepartmentFactory, "/wydzialy/"),
        (OrganisationFactory, "/organizacje/"),
        (ProgrammeFactory, "/programy/"),
    ],
)
def test_renamed_departments_organisations_and_programmes_redirect(client, factory, prefix):
    record = factory(slug="stara-nazwa")
    if factory is OrganisationFactory:  # public while a public record names it
        PostulateFactory(organisation=record)
    rename(record, "posrednia-nazwa")
    rename(record, "nowa-nazwa")

    for old_slug in ("stara-nazwa", "posrednia-nazwa"):
        assert_moved(client, f"{prefix}{old_slug}/", f"{prefix}nowa-nazwa/")


def test_a_new_page_at_an_old_address_wins_and_ends_the_redirect(client):
    renamed = MeetingFactory(slug="walne-zebranie", title="Stare walne zebranie")
    rename(renamed, "walne-zebranie-2024")

    MeetingFactory(slug="walne-zebranie", title="Nowe walne zebranie")

    response = client.get("/2025/spotkania/walne-zebranie/")
    assert response.status_code == 200
    assert "Nowe walne zebranie" in response.content.decode()
    assert not MovedPage.objects.filter(old_path="/2025/spotkania/walne-zebranie/").exists()


def test_renaming_back_never_points_a_redirect_to_itself(client):
    meeting = MeetingFactory(slug="a")
    first_url = meeting.get_absolute_url()
    second_url = rename(meeting, "b")

    assert rename(meeting, "a") == first_url

    assert client.get(first_url).status_code == 200
    assert_moved(client, second_url, first_url)
    assert not MovedPage.objects.filter(old_path=first_url).exists()


def test_an_old_address_does_not_reveal_a_record_that_is_no_longer_public(client):
    meeting = MeetingFactory(slug="a")
    old_url = meeting.get_absolute_url()
    rename(meeting, "b")
    meeting.status = Status.DRAFT
    meeting.save()

    assert client.get(old_url).status_code == 404


def test_the_query_string_goes_along(client):
    meeting = MeetingFactory(slug="a")
    old_url = meeting.get_absolute_url()
    new_url = rename(meeting, "b")

    response = client.get(old_url, {"page": "2"})

    assert response.status_code == 301
    assert response["Location"] == f"{new_url}?page=2"


def test_unknown_addresses_and_other_methods_stay_404(client):
    meeting = MeetingFactory(slug="a")
    old_url = meeting.get_absolute_url()
    rename(meeting, "b")

    assert client.get("/2025/spotkania/nigdy-nie-istnialo/").status_code == 404
    assert client.post(old_url).status_code in (403, 404, 405)


def test_saving_without_a_rename_records_nothing(client):
    meeting = MeetingFactory(slug="a")
    document = DocumentFactory(meeting=meeting)
    meeting.title = "Nowy tytuł, ten sam adres"
    meeting.save()
    document.title = "Nowy tytuł dokumentu"
    document.save()

    assert not MovedPage.objects.exists()


def test_undoing_a_rename_from_the_history_keeps_the_undone_address(client):
    with reversion.create_revision():
        meeting = MeetingFactory(slug="a")
    with reversion.create_revision():
        renamed_url = rename(meeting, "b")

    # django-reversion saves the old version raw, as fixtures are loaded.
    Version.objects.get_for_object(meeting).last().revert()

    assert_moved(client, renamed_url, "/2025/spotkania/a/")


def test_a_save_of_other_fields_does_not_read_the_stored_row_nor_record_a_move():
    meeting = MeetingFactory(slug="a")
    meeting.slug = "zmieniony-tylko-w-pamieci"
    meeting.topic = "Nowy temat"

    with CaptureQueriesContext(connection) as queries:
        meeting.save(update_fields=["topic"])

    # The change register reads the record's publication fields (history.entries); what
    # tracking moves would read is the stored address.
    assert not [
        query["sql"]
        for query in queries
        if (
            query["sql"].startswith('SELECT "meetings_meeting"')
            and '"meetings_meeting"."slug"' in query["sql"]
        )
        or "permalinks_movedpage" in query["sql"]
    ]
    assert not MovedPage.objects.exists()
