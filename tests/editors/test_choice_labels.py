"""A department's meetings often share a title: editors' choices tell them apart by date."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_meetings_with_one_title_are_told_apart_by_their_date(world, login):
    client = login("kultura")
    for day in (datetime.date(2024, 3, 5), datetime.date(2025, 3, 4)):
        MeetingFactory(
            title="Spotkanie w Wydziale Kultury", departments=[world["culture"]], dates=[day]
        )
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "meetings",
            "model_name": "document",
            "field_name": "meeting",
            "term": "Wydziale Kultury",
        },
    )
    assert response.status_code == 200
    assert sorted(result["text"] for result in response.json()["results"]) == [
        "Spotkanie w Wydziale Kultury (4 marca 2025)",
        "Spotkanie w Wydziale Kultury (5 marca 2024)",
    ]


def test_a_documents_chosen_meeting_is_named_with_its_date(world, login):
    document = DocumentFactory(meeting=world["own"]["meeting"], title="Lista obecności")
    response = login("kultura").get(reverse("admin:meetings_document_change", args=[document.pk]))
    assertContains(
        response,
        f'<option value="{world["own"]["meeting"].pk}" selected>'
        "Spotkanie kultury (11 czerwca 2025)</option>",
        html=True,
    )
