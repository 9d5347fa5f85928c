"""A form bigger than the server accepts (DATA_UPLOAD_MAX_NUMBER_FIELDS) gets a page that says
the changes were not saved and what to do, never a bare "Bad Request"."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import Meeting
from postulates.models import Position
from tests.admin_forms import form_data
from tests.factories import (
    DocumentFactory,
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


def test_an_address_with_too_many_parameters_is_a_plain_bad_request_in_its_language(client):
    parameters = {f"f{i}": "x" for i in range(1001)}
    response = client.get("/en/szukaj/", parameters)
    assertContains(response, "Bad request", status_code=400)
    assertNotContains(response, "Changes not saved", status_code=400)


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
