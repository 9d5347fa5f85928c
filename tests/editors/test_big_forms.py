"""A form bigger than the server accepts (DATA_UPLOAD_MAX_NUMBER_FIELDS) gets a page that says
the changes were not saved and what to do, never a bare "Bad Request"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import Meeting
from postulates.models import Position
from tests.admin_forms import form_data
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_form_with_too_many_fields_says_nothing_was_saved(world, login, settings):
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    fields = {f"postulates-{i}-content": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    response = login("kultura").post(url, {"title": "Zmieniony tytuł", **fields})
    assertContains(response, "Nie zapisano zmian: formularz jest za duży", status_code=400)
    assertContains(response, "Wstecz", status_code=400)
    assert response["Cache-Control"] == "no-store"
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title


def test_another_bad_request_gets_the_plain_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assertContains(response, "Nieprawidłowe żądanie", status_code=400)


def test_an_address_with_too_many_parameters_is_refused_plainly_in_its_language(client):
    # More parameters than Django reads (1,000) no longer fit in an address the archive takes.
    parameters = {f"f{i}": "x" for i in range(1001)}
    response = client.get("/en/szukaj/", parameters)
    assertContains(response, "The address is too long", status_code=414)
    assertNotContains(response, "Changes not saved", status_code=414)
    assertNotContains(response, "Adres jest za długi", status_code=414)
    polish = client.get("/szukaj/", parameters)
    assertContains(polish, "Adres jest za długi", status_code=414)
    assertContains(polish, "archiwum przyjmuje adresy do 4096 znaków", status_code=414)


@pytest.fixture
def big_meeting(world):
    """A meeting as big as the ones editors lost work on: sixty answered postulates, thirty
    participating organisations and a few documents."""
    meeting = world["own"]["meeting"]
    Position.objects.filter(postulate__meeting=meeting).delete()
    meeting.postulates.all().delete()
    for number in range(1, 61):
        postulate = PostulateFactory(
            meeting=meeting, number=number, content=f"Postulat nr {number}"
        )
        PositionFactory(postulate=postulate, justification=f"Odpowiedź nr {number}")
    for _ in range(30):
        meeting.participants.add(OrganisationFactory())
    for _ in range(4):
        DocumentFactory(meeting=meeting)
    return meeting


def change_url(meeting, page=None):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    return f"{url}?postulaty={page}" if page else url


def answer(number):
    return Position.objects.get(postulate__content=f"Postulat nr {number}").justification


def prefix_of(data, content):
    """The form prefix ("postulates-3-") of the postulate whose content is `content`."""
    key = next(key for key, value in data.items() if key.endswith("-content") and value == content)
    return key[: -len("content")]


def test_a_big_meeting_sends_a_page_of_postulates_far_below_the_limit(big_meeting, login, settings):
    page = login("kultura").get(change_url(big_meeting))
    data = form_data(page, "meeting_form")
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS * 0.7
    assert data["postulates-TOTAL_FORMS"] == "20"
    assertContains(page, "Postulaty 1–20 z 60.")
    assertContains(page, 'name="_postulates_page" value="3"')
    third = login("kultura").get(change_url(big_meeting, 3))
    contents = {
        value
        for key, value in form_data(third, "meeting_form").items()
        if key.startswith("postulates-") and key.endswith("-content") and "__prefix__" not in key
    }
    assert contents == {f"Postulat nr {n}" for n in range(41, 61)}


def test_an_editor_saves_a_big_meeting_and_nothing_else_changes(big_meeting, login):
    client = login("kultura")
    page = client.get(change_url(big_meeting, 2))
    data = form_data(page, "meeting_form", title="Nowy tytuł spotkania", _continue="1")
    data[prefix_of(data, "Postulat nr 25") + "justification"] = "Poprawiona odpowiedź nr 25"
    untouched = sorted(
        Position.objects.exclude(postulate__content="Postulat nr 25").values_list("justification")
    )
    response = client.post(change_url(big_meeting, 2), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?postulaty=2")
    big_meeting.refresh_from_db()
    assert big_meeting.title == "Nowy tytuł spotkania"
    assert answer(25) == "Poprawiona odpowiedź nr 25"
    assert (
        sorted(
            Position.objects.exclude(postulate__content="Postulat nr 25").values_list(
                "justification"
            )
        )
        == untouched
    )
    assert big_meeting.postulates.count() == 60


def test_the_pager_saves_before_it_turns_the_page(big_meeting, login):
    client = login("kultura")
    page = client.get(change_url(big_meeting, 3))
    data = form_data(page, "meeting_form", _postulates_page="1")
    data[prefix_of(data, "Postulat nr 45") + "justification"] = (
        "Odpowiedź zapisana przy zmianie strony"
    )
    response = client.post(change_url(big_meeting, 3), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?postulaty=1")
    assert answer(45) == "Odpowiedź zapisana przy zmianie strony"
    assertContains(client.get(response["Location"]), "Strona postulatów: 1")


def test_a_page_that_shifted_since_it_was_opened_still_saves(big_meeting, login):
    """A colleague adds a postulate numbered before the page while the editor types: the
    editor's forms still name their postulates by id and are saved, not refused."""
    client = login("kultura")
    page = client.get(change_url(big_meeting, 2))
    PostulateFactory(meeting=big_meeting, number=0, content="Dopisany przez kolegę")
    data = form_data(page, "meeting_form", _continue="1")
    data[prefix_of(data, "Postulat nr 21") + "justification"] = "Zapisane mimo przesunięcia"
    response = client.post(change_url(big_meeting, 2), data)
    assert response.status_code == 302
    assert answer(21) == "Zapisane mimo przesunięcia"
    assert big_meeting.postulates.count() == 61


def test_a_page_number_out_of_range_shows_the_last_page(big_meeting, login):
    for bad in ("99", "x", "-1"):
        page = login("kultura").get(change_url(big_meeting, bad))
        assert page.status_code == 200, bad


# --- The largest realistic meeting, and what the admin's pages cost ---------------------------


@pytest.fixture
def largest_meeting(world):
    """Two hundred answered postulates: the largest meeting the archive expects."""
    meeting = world["own"]["meeting"]
    Position.objects.filter(postulate__meeting=meeting).delete()
    meeting.postulates.all().delete()
    for number in range(1, 201):
        postulate = PostulateFactory(
            meeting=meeting, number=number, content=f"Postulat nr {number}"
        )
        PositionFactory(postulate=postulate, justification=f"Odpowiedź nr {number}")
    return meeting


def test_every_page_of_a_200_postulate_meeting_saves(largest_meeting, login):
    client = login("kultura")
    for page_number in range(1, 11):
        page = client.get(change_url(largest_meeting, page_number))
        data = form_data(page, "meeting_form", _continue="1")
        number = (page_number - 1) * 20 + 7
        data[prefix_of(data, f"Postulat nr {number}") + "justification"] = f"Nowa nr {number}"
        response = client.post(change_url(largest_meeting, page_number), data)
        assert response.status_code == 302, (page_number, response.content[:2000])
        assert answer(number) == f"Nowa nr {number}"
    assert largest_meeting.postulates.count() == 200
    assert Position.objects.filter(justification__startswith="Nowa nr").count() == 10


def test_the_meeting_page_costs_the_same_with_one_postulate_or_two_hundred(
    world, login, django_assert_num_queries
):
    """Each form on the page reads nothing of its own: its answer, its organisation's and
    sphere's names and the outcomes come with the page's few queries."""
    meeting = world["own"]["meeting"]
    client = login("kultura")
    client.get(change_url(meeting))
    with CaptureQueriesContext(connection) as one:
        client.get(change_url(meeting))
    # Numbers its first postulate does not hold: the factory's sequence, shared by the whole
    # run, gave it any number, and in some random orders one of 2-200 (a UNIQUE failure).
    taken = set(meeting.postulates.values_list("number", flat=True))
    for number in [number for number in range(1, 401) if number not in taken][:199]:
        postulate = PostulateFactory(meeting=meeting, number=number, content=f"Postulat {number}")
        PositionFactory(postulate=postulate, department=world["culture"])
    with django_assert_num_queries(len(one)):
        page = client.get(change_url(meeting))
    assertContains(page, "Postulaty 1–20 z 200.")
    assertContains(page, "Fundacja Testowa", count=20)


@pytest.mark.parametrize(
    "changelist",
    [
        "meetings_meeting",
        "meetings_document",
        "postulates_postulate",
        "postulates_position",
        "organisations_organisation",
    ],
)
def test_the_admin_lists_cost_the_same_however_many_rows(
    world, login, changelist, django_assert_num_queries
):
    client = login("kultura")
    url = reverse(f"admin:{changelist}_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        meeting = MeetingFactory(departments=[world["culture"]])
        DocumentFactory(meeting=meeting)
        PositionFactory(postulate=PostulateFactory(meeting=meeting))
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200
