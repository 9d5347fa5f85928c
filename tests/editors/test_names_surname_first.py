"""A person's name written surname first with the first name's initial, as lists of
participants write it ("Kowalska A.", "Kowalska A"): the personal-data check refuses it in
an editor's text, and a coordinator's redaction takes it out of every page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import MeetingPerson
from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.editors.test_redaction import admin_url
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:history_redaction_add")


@pytest.mark.parametrize("written", ["Kowalska A.", "Kowalska A", "KOWALSKIEJ A."])
def test_the_check_refuses_the_surname_first_with_an_initial(world, login, written):
    postulate = world["own"]["postulate"]
    MeetingPerson.objects.create(
        meeting=world["own"]["meeting"], name="Anna Kowalska", role="mieszkanka"
    )
    editor = login("kultura")
    url = admin_url(postulate)
    content = f"Postulat zgłosiła {written} z Nowej Huty."
    response = editor.post(url, form_data(editor.get(url), "postulate_form", content=content))
    assert response.status_code == 200
    assertContains(response, "Ten tekst wymienia osobę „Anna Kowalska”")
    postulate.refresh_from_db()
    assert postulate.content == "Postulat: Spotkanie kultury"


def test_a_redaction_takes_the_surname_first_form_off_every_page(world, login, client):
    own = world["own"]
    document = DocumentFactory(meeting=own["meeting"], title="Lista obecności: Kowalska A.")
    Postulate.objects.filter(pk=own["postulate"].pk).update(
        content="Postulat zgłosiła Kowalska A. z Nowej Huty."
    )
    Position.objects.filter(pk=own["position"].pk).update(
        justification="Odpowiedź dla: Nowak J., Kowalska A, Wiśniewski P."
    )
    pages = [own["meeting"].get_absolute_url(), own["postulate"].get_absolute_url()]
    for url in pages:
        assertContains(client.get(url), "Kowalska A")

    done = login("koordynator").post(ADD, {"name": "Anna Kowalska", "previewed": "Anna Kowalska"})
    assert done.status_code == 302
    client.logout()
    meeting_page, postulate_page = (client.get(url) for url in pages)
    for page in (meeting_page, postulate_page):
        assertNotContains(page, "Kowalska")
    assertContains(meeting_page, "Lista obecności: [dane osobowe usunięte].")
    assertContains(postulate_page, "Postulat zgłosiła [dane osobowe usunięte] z Nowej Huty.")
    assertContains(
        postulate_page, "Odpowiedź dla: Nowak J., [dane osobowe usunięte], Wiśniewski P."
    )
    document.refresh_from_db()
    assert document.title == "Lista obecności: [dane osobowe usunięte]."


def test_a_lowercase_and_after_the_surname_is_not_an_initial(world, login):
    document = DocumentFactory(meeting=world["own"]["meeting"], title="Kowalska a Nowak")
    login("koordynator").post(ADD, {"name": "Anna Kowalska", "previewed": "Anna Kowalska"})
    document.refresh_from_db()
    assert document.title == "Kowalska a Nowak"
