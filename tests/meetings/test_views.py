import datetime

import pytest
from django.core.files.base import ContentFile
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def build_year(year, meetings):
    archive_year = ArchiveYearFactory(year=year, intro=f"Wstęp do roku {year}.")
    round_ = RoundFactory(year=archive_year)
    DocumentFactory(meeting=None, round=round_, kind="stanowisko-miasta")
    for _ in range(meetings):
        meeting = MeetingFactory(year=archive_year, round=round_, departments=[DepartmentFactory()])
        DocumentFactory(meeting=meeting)
        DocumentFactory(meeting=meeting, status=Status.DRAFT, published_at=None)
    return archive_year


def test_home_lists_years_newest_first_with_intro_counts_rounds_and_latest_documents(client):
    build_year(2024, 1)
    year = ArchiveYearFactory(year=2025, intro="Wstęp do roku 2025.")
    round_ = RoundFactory(year=year, title="Spotkania branżowe w czerwcu 2025 r.")
    meeting = MeetingFactory(year=year, round=round_, title="Spotkanie w Wydziale Kultury")
    MeetingFactory(year=year)
    document = DocumentFactory(meeting=meeting, title="Podsumowanie spotkania w Wydziale Kultury")

    response = client.get("/")

    html = response.content.decode()
    assert html.index("Rok 2025") < html.index("Rok 2024")
    assertContains(response, "<p>Wstęp do roku 2025.</p>", html=True)
    assertContains(response, '<p class="meta">2 spotkania</p>', html=True)
    assertContains(
        response,
        f'<a href="{round_.get_absolute_url()}">Spotkania branżowe w czerwcu 2025 r.</a>',
        html=True,
    )
    assertContains(
        response,
        f'<a href="{document.get_absolute_url()}">Podsumowanie spotkania w Wydziale Kultury</a>',
        html=True,
    )
    for section in ("/wydzialy/", "/organizacje/", "/programy/", "/postulaty/"):
        assertContains(response, f'href="{section}"')


def test_drafts_and_scheduled_items_never_reach_the_public(client):
    year = ArchiveYearFactory(year=2025)
    MeetingFactory(year=year, title="Szkic spotkania", status=Status.DRAFT, published_at=None)
    MeetingFactory(
        year=year,
        title="Spotkanie zaplanowane",
        published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    ArchiveYearFactory(year=2031, status=Status.DRAFT, published_at=None)
    response = client.get("/")
    assertNotContains(response, "Szkic spotkania")
    assertNotContains(response, "Spotkanie zaplanowane")
    assertNotContains(response, "Rok 2031")
    assert client.get("/2031/").status_code == 404


def test_home_query_count_does_not_grow_with_the_archive(client, django_assert_num_queries):
    build_year(2024, 2)
    with django_assert_num_queries(3):
        client.get("/")
    build_year(2025, 8)
    build_year(2026, 3)
    with django_assert_num_queries(3):
        client.get("/")


def test_year_page_lists_its_rounds_and_meetings(client, django_assert_num_queries):
    year = build_year(2025, 2)
    round_ = RoundFactory(year=year, title="Spotkania branżowe w czerwcu 2025 r.")
    DocumentFactory(meeting=None, round=round_, title="Stanowisko Miasta")
    with django_assert_num_queries(8):
        response = client.get("/2025/")
    assertContains(response, "Spotkania branżowe w czerwcu 2025 r.")
    assertContains(response, "Stanowisko Miasta")
    build_year(2025, 6)
    DocumentFactory(meeting=None, round=RoundFactory(year=year), title="Drugie stanowisko")
    with django_assert_num_queries(8):
        client.get("/2025/")


def test_year_page_does_not_name_a_draft_round_its_published_meetings_belong_to(client):
    year = ArchiveYearFactory(year=2025)
    draft = RoundFactory(year=year, title="Tajny cykl roboczy", status=Status.DRAFT)
    MeetingFactory(year=year, round=draft, title="Spotkanie już opublikowane")
    response = client.get("/2025/")
    assertContains(response, "Spotkanie już opublikowane")
    assertContains(response, "Pozostałe spotkania")
    assertNotContains(response, "Tajny cykl roboczy")


def test_meeting_page_shows_everything_about_the_meeting(client, django_assert_num_queries):
    organisation = OrganisationFactory(name="Koci Patrol")
    meeting = MeetingFactory(
        title="Szkolenie on-line",
        kind="szkolenie",
        is_online=True,
        topic="Małe granty.",
        editor_note="Poprawiono nazwę wydziału.",
        dates=[datetime.date(2025, 9, 3)],
        departments=[DepartmentFactory(name="Wydział Środowiska, Klimatu i Powietrza")],
    )
    meeting.participants.add(organisation)
    PositionFactory(postulate__meeting=meeting, postulate__content="Więcej dotacji na koty.")

    # With its record card (its rows, its departments) and the private persons at it (shown
    # by role unless a legal basis is recorded).
    with django_assert_num_queries(14):
        response = client.get(meeting.get_absolute_url())

    assertContains(response, "<h1>Szkolenie on-line</h1>", html=True)
    assertContains(response, "<dd>online</dd>", html=True)
    assertContains(response, "Wydział Środowiska, Klimatu i Powietrza")
    assertContains(response, "Koci Patrol")
    assertContains(response, "Więcej dotacji na koty.")
    assertContains(response, "Poprawiono nazwę wydziału.")


def test_draft_meeting_is_not_found(client):
    meeting = MeetingFactory(status=Status.DRAFT, published_at=None)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_a_resident_learns_how_to_request_a_listed_document_without_a_file(client):
    document = DocumentFactory(
        title="Zestawienie zgłoszonych postulatów",
        published_at=datetime.datetime(2025, 6, 11, 12, tzinfo=datetime.UTC),
    )
    response = client.get(document.get_absolute_url())
    # The date is when the city's page listed it, not a publication of a file it lacks.
    assertContains(
        response,
        '<dt>Wymieniony na stronie Miasta</dt><dd><time datetime="2025-06-11">11 czerwca 2025</time></dd>',
        html=True,
    )
    assertNotContains(response, "Opublikowano")
    assertContains(response, "<dt>Plik</dt><dd>jeszcze nie ma go w archiwum</dd>", html=True)
    assertContains(
        response,
        "Strona Miasta „Materiały ze spotkań z NGO” wymieniła ten dokument, ale jego pliku nie "
        "ma jeszcze w archiwum.",
    )
    assertContains(
        response,
        '<a href="https://www.bip.krakow.pl/?dok_id=78963" hreflang="pl">jak złożyć wniosek '
        "(Biuletyn Informacji Publicznej Miasta Krakowa)</a>",
        html=True,
    )
    # The accessible form is asked for as every document's is (tests/accessibility).
    assertContains(response, '<a class="accessible-request"')
    assert client.get(document.get_absolute_url() + "pobierz/").status_code == 404


def test_document_download_has_its_content_type_and_a_safe_name(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Stanowisko Wydziału Kultury")
    document.file.save("../../etc/Stanowisko Wydziału.pdf", ContentFile(b"%PDF-1.7 test"))

    page = client.get(document.get_absolute_url())
    assertContains(page, "Pobierz dokument: Stanowisko Wydziału Kultury (PDF, 13\xa0bajtów)")

    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Saved, never opened in the site's origin, whatever the browser makes of the content.
    assert (
        response["Content-Disposition"] == 'attachment; filename="stanowisko-wydzialu-kultury.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert not document.file.name.startswith("..")


def test_a_documents_file_missing_from_storage_is_a_clear_404_and_an_error_logged(
    client, settings, tmp_path, caplog
):
    """A document whose file is gone from storage (a restore without the media folder)
    answered 500; the reader now gets the site's page, and the operators a log line."""
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Stanowisko Wydziału Kultury")
    document.file.save("stanowisko.pdf", ContentFile(b"%PDF-1.7 test"))
    (tmp_path / document.file.name).unlink()

    with caplog.at_level("ERROR", logger="meetings.views"):
        response = client.get(document.get_download_url())
    assert response.status_code == 404
    assertContains(response, "Nie znaleziono strony", status_code=404)
    assert f"its file {document.file.name} is missing from storage" in caplog.text


def test_other_types_are_attachments_too_with_a_safe_name(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for name, content_type, filename in [
        ("Protokół.rtf", "application/rtf", "zestawienie-postulatow-wersja-2.rtf"),
        # No extension: an unknown type, still saved rather than shown.
        ("protokol", "application/octet-stream", "zestawienie-postulatow-wersja-2"),
    ]:
        document = DocumentFactory(title="Zestawienie postulatów – wersja 2")
        document.file.save(name, ContentFile(b"{\\rtf1 Zestawienie}"))
        response = client.get(document.get_download_url())
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type, name
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"', name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_round_page_shows_its_documents_and_meetings(client):
    round_ = RoundFactory(title="Spotkania branżowe maj–czerwiec 2023 r.", description="Opis.")
    DocumentFactory(meeting=None, round=round_, title="Stanowisko Miasta", kind="stanowisko-miasta")
    MeetingFactory(year=round_.year, round=round_, title="Spotkanie cyklu")
    response = client.get(round_.get_absolute_url())
    assertContains(response, "Stanowisko Miasta")
    assertContains(response, "Spotkanie cyklu")


def test_round_and_document_pages_keep_a_constant_query_count(client, django_assert_num_queries):
    year = build_year(2025, 2)
    round_ = year.rounds.get()
    document = round_.documents.get()
    # The round's card reads its documents' register rows too (one query for all of them).
    with django_assert_num_queries(11):
        client.get(round_.get_absolute_url())
    # The document with its parents in one query, then its record card (its rows, the
    # departments publishing it); without a file, the address for asking for it in an
    # accessible form.
    with django_assert_num_queries(5):
        response = client.get(document.get_absolute_url())
    assertContains(response, f"<h1>{document.title}</h1>", html=True)
    for _ in range(5):
        MeetingFactory(year=year, round=round_)
    with django_assert_num_queries(11):
        client.get(round_.get_absolute_url())


def test_meeting_page_links_its_neighbours_in_time(client):
    year = ArchiveYearFactory(year=2025)
    first = MeetingFactory(year=year, title="Pierwsze", dates=[datetime.date(2025, 6, 5)])
    second = MeetingFactory(year=year, title="Drugie", dates=[datetime.date(2025, 6, 9)])
    undated = MeetingFactory(year=year, title="Bez daty", dates=[])
    later = MeetingFactory(
        year=ArchiveYearFactory(year=2026), title="Później", dates=[datetime.date(2026, 3, 1)]
    )
    MeetingFactory(year=year, title="Szkic", status=Status.DRAFT, published_at=None)

    def neighbours(meeting):
        context = client.get(meeting.get_absolute_url()).context
        return context["previous_meeting"], context["next_meeting"]

    assert neighbours(first) == (None, second)
    assert neighbours(second) == (first, undated)
    assert neighbours(undated) == (second, later)
    assert neighbours(later) == (undated, None)


def test_a_meeting_of_a_big_round_lists_a_few_others_and_links_the_round(client):
    archive_year = build_year(2025, 15)
    meeting = archive_year.meetings.first()
    page = client.get(meeting.get_absolute_url()).content.decode()
    others = page.split("Inne spotkania tego cyklu", 1)[1].split("</ul>", 1)[0]
    assert others.count("<li>") == 12
    assert (
        f'<a href="{meeting.round.get_absolute_url()}">Wszystkie spotkania tego cyklu</a>' in page
    )

    small = build_year(2024, 3).meetings.first()
    page = client.get(small.get_absolute_url()).content.decode()
    assert page.split("Inne spotkania tego cyklu", 1)[1].split("</ul>", 1)[0].count("<li>") == 2
    assert "Wszystkie spotkania tego cyklu" not in page
