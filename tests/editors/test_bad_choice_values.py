"""A chosen record typed by hand as something that is not a number ("abc", "1.5") names no
record: the form comes back with Django's "choose a valid value", never a server error."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

INVALID = "Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."

FIELDS = [
    ("admin:meetings_meeting_add", "meeting_form", "programme"),
    ("admin:meetings_meeting_add", "meeting_form", "round"),
    ("admin:meetings_meeting_add", "meeting_form", "department_links-0-department"),
    ("admin:meetings_meeting_add", "meeting_form", "participant_links-0-organisation"),
    ("admin:meetings_document_add", "document_form", "meeting"),
    ("admin:meetings_document_add", "document_form", "round"),
    ("admin:postulates_postulate_add", "postulate_form", "organisation"),
    ("admin:postulates_postulate_add", "postulate_form", "responsible_department"),
    ("admin:postulates_postulate_add", "postulate_form", "meeting"),
    ("admin:postulates_position_add", "position_form", "postulate"),
]


@pytest.mark.parametrize(("url", "form_id", "field"), FIELDS)
def test_an_editor_typing_a_non_number_as_a_choice_is_told_to_choose_again(
    world, login, url, form_id, field
):
    client = login("kultura")
    page = client.get(reverse(url))
    # Not a number, not a whole number, and a forged id too big for the database's key.
    for value in ("abc", "1.5", "99999999999999999999"):
        data = form_data(page, form_id, **{field: value})
        if field.startswith("participant_links"):
            data["participant_links-TOTAL_FORMS"] = "1"  # the row "add another" would show
        response = client.post(reverse(url), data)
        assert response.status_code == 200
        assertContains(response, INVALID)


def test_a_forged_selection_of_ids_that_cannot_exist_selects_nothing(world, login):
    client = login("kultura")
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "delete_selected", "_selected_action": ["99999999999999999999", "abc"]},
        follow=True,
    )
    assert response.status_code == 200
    assertContains(
        response, "Zaznacz wpisy, na których ma być wykonana czynność. Nic nie zostało zmienione."
    )


def test_the_bulk_delete_page_speaks_plain_polish(world, login):
    client = login("kultura")
    postulate = world["own"]["postulate"]  # answered: its answer protects it
    response = client.post(
        reverse("admin:postulates_postulate_changelist"),
        {"action": "delete_selected", "_selected_action": [postulate.pk]},
    )
    assertContains(response, "Nie można usunąć zaznaczonych wpisów (postulat): zależą od nich")
    assert "(-nego)" not in response.content.decode()
