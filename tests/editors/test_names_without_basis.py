"""A person of a meeting recorded without a legal basis is named nowhere the public reads:
not in the meeting's own text (test_redaction), nor in its documents' titles, its postulates
or their answers, whichever admin page the editor types them on. The editor's text is kept
in the form with a clear error on the field."""

import pytest
from pytest_django.asserts import assertContains

from meetings.models import Document, LegalBasis, MeetingPerson
from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.editors.test_redaction import admin_url, save

pytestmark = pytest.mark.django_db

REFUSED = "której nazwisko nie ma w tym spotkaniu podstawy publikacji"


@pytest.fixture
def person(world):
    return MeetingPerson.objects.create(
        meeting=world["own"]["meeting"], name="Łukasz Ślązak", role="mieszkaniec"
    )


def post(client, record, **overrides):
    url = admin_url(record)
    form = f"{record._meta.model_name}_form"
    return client.post(url, form_data(client.get(url), form, **overrides))


@pytest.mark.parametrize(
    ("kind", "field", "text"),
    [
        ("document", "title", "Notatka od pana Lukasza Slazaka"),
        ("document", "editor_note", "Poprawił Ślązak Łukasz."),
        ("postulate", "content", "Zgłosił ŚLĄZAK."),
        ("postulate", "editor_note", "Z wypowiedzi p. Ślązaka"),
        ("position", "justification", "Zgodnie z uwagą Ślązakowi odpowiedziano."),
        ("position", "commitment", "Spotkanie z p. Slazakiem."),
        ("position", "prepared_by", "Łukasz Ślązak, mieszkaniec"),
    ],
)
def test_a_record_of_the_meeting_naming_her_on_its_own_page_is_refused(
    world, person, login, kind, field, text
):
    record = world["own"][kind]
    before = getattr(record, field)
    response = post(login("kultura"), record, **{field: text})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field], errors
    assertContains(response, REFUSED)
    assertContains(response, "„mieszkaniec”")
    assertContains(response, text.split()[-1])  # what the editor typed is still in the form
    record.refresh_from_db()
    assert getattr(record, field) == before


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("postulates-0-content", "Postulat pana Ślązaka"),
        ("postulates-0-justification", "Odpowiedź dla Lukasz Slazak"),
        ("postulates-0-commitment", "Spotkanie ze Ślązakiem"),
        ("documents-0-title", "Notatka: Ślązak"),
    ],
)
def test_the_meetings_page_refuses_her_name_in_its_postulates_answers_and_documents(
    world, person, login, field, text
):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    url = admin_url(meeting)
    data = form_data(editor.get(url), "meeting_form", **{field: text})
    response = editor.post(url, data)
    assert response.status_code == 200
    assertContains(response, REFUSED)
    assertContains(response, text)
    texts = [
        *Postulate.objects.values_list("content", flat=True),
        *Position.objects.values_list("justification", "commitment"),
        *Document.objects.values_list("title", flat=True),
    ]
    assert "Ślązak" not in str(texts) and "Slazak" not in str(texts)


def test_with_a_legal_basis_or_in_another_meeting_the_name_is_saved(world, person, login):
    editor = login("kultura")
    # Her meeting's persons do not reach another meeting's records.
    save(editor, world["other"]["postulate"], content="Zgłosił Ślązak.")
    person.legal_basis = LegalBasis.OFFICIAL
    person.role = "radny dzielnicy"
    person.save()
    save(editor, world["own"]["document"], title="Notatka od Łukasza Ślązaka")
    save(editor, world["own"]["position"], justification="Odpowiedź dla Łukasza Ślązaka")
    assert Document.objects.filter(title__contains="Ślązaka").count() == 1


def test_a_redacted_person_names_no_one_in_the_meetings_records(world, login):
    MeetingPerson.objects.create(
        meeting=world["own"]["meeting"], name="[dane osobowe usunięte]", role="mieszkaniec"
    )
    save(
        login("kultura"),
        world["own"]["postulate"],
        content="Zgłosił [dane osobowe usunięte] w imieniu mieszkańców.",
    )


def test_a_person_added_without_a_basis_whom_a_postulate_already_names_is_refused(world, login):
    own = world["own"]
    Postulate.objects.filter(pk=own["postulate"].pk).update(content="Zgłosiła Anna Kowalczyk.")
    editor = login("kultura")
    url = admin_url(own["meeting"])
    data = form_data(
        editor.get(url),
        "meeting_form",
        **{
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "Anna Kowalczyk",
            "people-0-role": "mieszkanka",
            "people-0-presence": MeetingPerson.Presence.NAMED,
        },
    )
    response = editor.post(url, data)
    assert response.status_code == 200
    assertContains(response, "w jego dokumentach, postulatach lub odpowiedziach")
    assert not MeetingPerson.objects.exists()
