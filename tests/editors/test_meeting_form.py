"""The meeting's page in the admin: errors linked to their fields, the file link through the
checked view, the year agreeing with the meeting's days (and made when new), the editor's
department chosen for them, former department names marked."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import ArchiveYear, Document, Meeting
from tests.admin_forms import form_data
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def post_meeting(client, meeting, **overrides):
    page = client.get(change_url(meeting))
    return client.post(change_url(meeting), form_data(page, "meeting_form", **overrides))


def add_meeting(client, **overrides):
    url = reverse("admin:meetings_meeting_add")
    overrides = {"title": "Spotkanie noworoczne", **overrides}
    data = form_data(client.get(url), "meeting_form", **overrides)
    return client.post(url, data)


def summary_links(response):
    """The (anchor, text) of each link in the list of errors at the top of the page."""
    return [(anchor, text) for text, anchor in response.context["error_summary"]]


# Errors linked to their fields


def test_each_error_is_listed_at_the_top_as_a_link_to_its_field(world, login):
    client = login("kultura")
    meeting, postulate = world["own"]["meeting"], world["own"]["postulate"]
    response = post_meeting(
        client, meeting, title="", **{"postulates-0-content": "", "dates-0-date": "31.02.2025"}
    )
    assert response.status_code == 200
    assertContains(response, '<p class="errornote">', count=1)
    summary = (
        '<ul class="errorlist error-summary" id="error-summary" aria-label="Błędy w formularzu">'
        '<li><a href="#id_title">Tytuł: To pole jest wymagane.</a></li>'
        '<li><a href="#id_dates-0-date">Termin spotkania 1 – data: Wpisz poprawną datę.</a></li>'
        f'<li><a href="#id_postulates-0-content">Postulat nr {postulate.number} – treść: '
        "To pole jest wymagane.</a></li></ul>"
    )
    assertContains(response, summary, html=True)
    # Every anchor names a field that is on the page.
    for anchor in ("id_title", "id_dates-0-date", "id_postulates-0-content"):
        assertContains(response, f'id="{anchor}"')
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title


def test_an_error_of_a_whole_inline_links_to_the_inline(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    response = post_meeting(client, meeting, **{"department_links-0-DELETE": "on"})
    assert summary_links(response) == [
        (
            "department_links-group",
            "Wydziały spotkania: Spotkanie musi mieć co najmniej jeden z Twoich wydziałów.",
        )
    ]
    assertContains(response, 'id="department_links-group"')


def test_an_error_in_a_folded_part_unfolds_it(world, login):
    client = login("kultura")
    page = client.get(change_url(world["own"]["meeting"]))
    # The meeting's, the private persons' (RODO), its document's and the blank document the
    # "add" button copies.
    assertContains(page, "<details><summary>", count=4)

    response = post_meeting(client, world["own"]["meeting"], slug="zły adres!")
    assert [anchor for anchor, _text in summary_links(response)] == ["id_slug"]
    assertContains(response, "<details><summary>", count=3)  # the meeting's is open


def test_other_models_change_pages_list_their_errors_too(world, login):
    client = login("koordynator")
    url = reverse("admin:departments_department_change", args=[world["culture"].pk])
    response = client.post(url, form_data(client.get(url), "department_form", name=""))
    assertContains(
        response,
        '<a href="#id_name">Nazwa urzędowa: To pole jest wymagane.</a>',
        html=True,
    )


# The file's link


@pytest.fixture
def draft_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, document = world["own"]["meeting"], world["own"]["document"]
    document.file.save("podsumowanie.pdf", ContentFile(b"%PDF-1.7 zawartosc"))
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.DRAFT)
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)
    return document


def test_the_current_file_links_to_the_checked_download_which_serves_a_draft_to_its_editor(
    login, draft_file
):
    client = login("kultura")
    meeting = draft_file.meeting
    file_url = reverse("admin:meetings_document_file", args=[draft_file.pk])
    for page in (
        client.get(change_url(meeting)),
        client.get(reverse("admin:meetings_document_change", args=[draft_file.pk])),
    ):
        assertContains(page, f'Teraz: <a href="{file_url}">{draft_file.file.name}</a>')
        assertNotContains(page, "/media/")

    response = client.get(file_url)
    assert response.status_code == 302
    assert response["Location"] == draft_file.get_download_url()
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 zawartosc"
    assert download["Cache-Control"] == "private, no-store"


def test_another_departments_editor_gets_no_file(login, draft_file):
    client = login("sport")
    file_url = reverse("admin:meetings_document_file", args=[draft_file.pk])
    assert client.get(file_url).status_code == 404
    assert client.get(draft_file.get_download_url()).status_code == 404


def test_a_document_without_a_file_has_no_file_to_open(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    response = client.get(reverse("admin:meetings_document_file", args=[document.pk]))
    assert response.status_code == 404


# The year and the meeting's days


def test_a_year_other_than_the_first_days_is_refused_on_the_year(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]  # 11 June 2025, in the year 2025
    ArchiveYear.objects.create(year=2026)
    response = post_meeting(client, meeting, year="2026")
    assert response.context["adminform"].form.errors["year"] == [
        "Spotkanie zaczyna się 11 czerwca 2025, więc należy do roku 2025, nie 2026. "
        "Wpisz rok 2025 albo popraw termin spotkania."
    ]
    assert Meeting.objects.get(pk=meeting.pk).year_id == 2025

    # The date moved to 2026 with the year: accepted.
    response = post_meeting(client, meeting, year="2026", **{"dates-0-date": "2026-06-11"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).year_id == 2026


def test_a_later_day_may_fall_in_the_next_year_and_a_deleted_day_does_not_count(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    response = post_meeting(
        client,
        meeting,
        **{
            "dates-0-DELETE": "on",  # 11 June 2025, the year's only day, removed
            "dates-1-date": "2025-12-15",
            "dates-2-date": "2026-01-12",
            "dates-TOTAL_FORMS": "3",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.year_id, meeting.starts_on) == (2025, datetime.date(2025, 12, 15))


def test_an_empty_year_is_taken_from_the_first_day(world, login):
    client = login("kultura")
    response = add_meeting(client, year="", **{"dates-0-date": "2025-09-03"})
    assert response.status_code == 302
    assert Meeting.objects.get(title="Spotkanie noworoczne").year_id == 2025


def test_neither_a_year_nor_a_day_is_refused(world, login):
    client = login("kultura")
    response = add_meeting(client, year="")
    assert response.context["adminform"].form.errors["year"] == [
        "Podaj rok albo termin spotkania: bez nich spotkanie nie ma miejsca w archiwum."
    ]


def test_a_year_out_of_range_is_refused(world, login):
    client = login("kultura")
    last = timezone.localdate().year + 1
    response = add_meeting(client, year="226")
    assert response.context["adminform"].form.errors["year"] == [f"Podaj rok od 2003 do {last}."]
    assert not ArchiveYear.objects.filter(year=226).exists()


def test_an_editor_starts_a_new_year_as_a_draft_with_their_january_meeting(world, login):
    client = login("kultura")
    year = timezone.localdate().year + 1
    assert not ArchiveYear.objects.filter(year=year).exists()
    response = add_meeting(client, year="", **{"dates-0-date": f"{year}-01-15"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Spotkanie noworoczne")
    assert meeting.year_id == year
    assert list(meeting.departments.all()) == [world["culture"]]
    assert ArchiveYear.objects.get(year=year).status == Status.DRAFT
    messages = [strip_tags(str(message)) for message in get_messages(response.wsgi_request)]
    assert (
        f"Założono rok {year} archiwum jako szkic. Spotkania z tego roku będą publiczne, gdy "
        "koordynator opublikuje rok." in messages
    )


def test_a_new_year_is_not_made_when_the_meeting_is_refused(world, login):
    client = login("kultura")
    year = timezone.localdate().year + 1
    response = add_meeting(client, year=str(year), title="")
    assert response.status_code == 200
    assert not ArchiveYear.objects.filter(year=year).exists()


# Departments


def test_an_editor_of_one_department_finds_it_chosen_on_a_new_meeting(world, login):
    selected = f'<option value="{world["culture"].pk}" selected>Wydział Kultury</option>'
    page = login("kultura").get(reverse("admin:meetings_meeting_add"))
    assertContains(page, selected, html=True)

    page = login("koordynator").get(reverse("admin:meetings_meeting_add"))
    assertNotContains(page, selected, html=True)


def test_former_department_names_are_marked_in_the_choices(world, login):
    former = DepartmentFactory(name="Wydział Polityki Społecznej i Zdrowia", name_used_until=2024)
    current = DepartmentFactory(
        name="Wydział Polityki Społecznej, Równości i Zdrowia", name_used_from=2025
    )
    client = login("kultura")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "meetings",
            "model_name": "meetingdepartment",
            "field_name": "department",
            "term": "Polityki",
        },
    )
    assert {result["text"] for result in response.json()["results"]} == {
        "Wydział Polityki Społecznej i Zdrowia (dawna nazwa, do 2024)",
        current.name,
    }

    # A meeting recorded under the former name shows it marked too.
    meeting = world["own"]["meeting"]
    meeting.departments.add(former)
    page = client.get(change_url(meeting))
    assertContains(
        page,
        f'<option value="{former.pk}" selected>'
        "Wydział Polityki Społecznej i Zdrowia (dawna nazwa, do 2024)</option>",
        html=True,
    )
