"""A form bigger than the server accepts (DATA_UPLOAD_MAX_NUMBER_FIELDS) gets a page that says
the changes were not saved and what to do, never a bare "Bad Request"."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import Meeting

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
