"""A person of a meeting recorded without a legal basis is named nowhere the public reads,
beyond the records' own fields: the easy-to-read summaries, the meeting's own "prepared by"
and address, names written with a soft hyphen or spaced letters, and a person deleted while
their name is published."""

import unicodedata

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accessibility.models import EasyReadSummary
from meetings.models import LegalBasis, MeetingPerson, names_person
from tests.admin_forms import form_data
from tests.editors.test_redaction import admin_url, save

pytestmark = pytest.mark.django_db

REFUSED = "której nazwisko nie ma w tym spotkaniu podstawy publikacji"


@pytest.fixture
def person(world):
    return MeetingPerson.objects.create(
        meeting=world["own"]["meeting"], name="Anna Kowalska", role="mieszkanka"
    )


def test_an_easy_read_summary_saved_opens_again(world, login):
    client = login("kultura")
    add = reverse("admin:accessibility_easyreadsummary_add")
    data = form_data(client.get(add), "easyreadsummary_form", text="Krótko o spotkaniu.")
    response = client.post(add, {**data, "meeting": world["own"]["meeting"].pk})
    assert response.status_code == 302
    summary = EasyReadSummary.objects.get()
    page = client.get(reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("parent", ["meeting", "document"])
def test_an_easy_read_summary_naming_her_is_refused_and_her_name_not_published(
    world, person, login, client, parent
):
    own = world["own"]
    editor = login("kultura")
    add = reverse("admin:accessibility_easyreadsummary_add")
    data = form_data(editor.get(add), "easyreadsummary_form", text="Mówiła A. Kowalska.")
    response = editor.post(add, {**data, parent: own[parent].pk})
    assert response.status_code == 200
    assertContains(response, REFUSED)
    assertContains(response, "„mieszkanka”")
    assert not EasyReadSummary.objects.exists()

    # With her basis recorded, it is saved and published, and its admin page opens again.
    person.legal_basis = LegalBasis.OFFICIAL
    person.save()
    response = editor.post(add, {**data, parent: own[parent].pk, "_continue": "1"})
    assert response.status_code == 302
    assert editor.get(response["Location"]).status_code == 200
    client.logout()
    assertContains(client.get(own[parent].get_absolute_url()), "Mówiła A. Kowalska.")


def test_a_person_whom_an_easy_read_summary_names_cannot_be_added_without_a_basis(world, login):
    own = world["own"]
    EasyReadSummary.objects.create(document=own["document"], text="Mówiła Anna Kowalska.")
    response = post_meeting(login("kultura"), own["meeting"], **person_row())
    assertContains(response, "a nie ma podstawy publikacji nazwiska")
    assert not MeetingPerson.objects.exists()


def person_row(**fields):
    return {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-name": "Anna Kowalska",
        "people-0-role": "mieszkanka",
        "people-0-presence": MeetingPerson.Presence.PARTICIPANT,
        **fields,
    }


def post_meeting(client, meeting, **fields):
    url = admin_url(meeting)
    return client.post(url, form_data(client.get(url), "meeting_form", **fields))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"prepared_by": "Anna Kowalska, mieszkanka"}, "Informację przygotował(a)"),
        ({"slug": "spotkanie-anna-kowalska"}, "slug"),
        ({"topic": "Prowadziła Kowal\u00adska."}, "soft hyphen"),
        ({"topic": "Prowadziła A n n a  K o w a l s k a."}, "spaced letters"),
        ({"topic": "Prowadziła Anna K\u043ewalska."}, "a Cyrillic o drawn like a Latin one"),
    ],
)
def test_the_meetings_own_prepared_by_address_and_hidden_spellings_are_refused(
    world, login, fields, field
):
    meeting = world["own"]["meeting"]
    response = post_meeting(login("kultura"), meeting, **person_row(), **fields)
    assert response.status_code == 200, field
    assertContains(response, "a nie ma podstawy publikacji nazwiska")
    assert not MeetingPerson.objects.exists()
    meeting.refresh_from_db()
    assert "kowalsk" not in (meeting.slug + meeting.prepared_by + meeting.topic).lower()


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("slug", "notatka-anny-kowalskiej"),
        ("title", "Notatka: Kowal\u00adska"),
        ("editor_note", "Poprawiła K o w a l s k a."),
    ],
)
def test_a_documents_address_or_hidden_spelling_naming_her_is_refused(
    world, person, login, field, text
):
    document = world["own"]["document"]
    url = admin_url(document)
    editor = login("kultura")
    response = editor.post(url, form_data(editor.get(url), "document_form", **{field: text}))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assertContains(response, REFUSED)


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_person_with_consent_whose_name_is_published_cannot_be_deleted(world, login, client, how):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    consent = {
        "people-0-legal_basis": LegalBasis.CONSENT,
        "people-0-consent_on": "2026-01-10",
        "people-0-consent_source": "lista obecności, poz. 4",
    }
    save(editor, meeting, topic="Prowadziła Anna Kowalska.", **person_row(**consent))
    person = MeetingPerson.objects.get()
    change = {"people-0-DELETE": "on"} if how == "delete" else {"people-0-name": "Ewa Nowak"}
    response = post_meeting(editor, meeting, **change)
    assert response.status_code == 200
    assertContains(response, "Nie można usunąć z listy osoby „Anna Kowalska”")
    person.refresh_from_db()
    assert (person.name, person.legal_basis) == ("Anna Kowalska", LegalBasis.CONSENT)

    # With her name taken out of the text first, she is deleted.
    save(editor, meeting, topic="Prowadziła mieszkanka.", **{"people-0-DELETE": "on"})
    assert not MeetingPerson.objects.exists()
    client.logout()
    assertNotContains(client.get(meeting.get_absolute_url()), "Kowalsk")


def test_a_name_with_decomposed_accents_or_look_alike_letters_names_her():
    # What an outside pass got past the check: accents typed apart from their letters (as
    # macOS and PDFs write them) and Cyrillic letters drawn like Latin ones.
    name = "Żaneta Gołębiowska"
    assert names_person(unicodedata.normalize("NFD", f"Postulat zgłosiła {name}."), name)
    assert names_person("Notatka: Zеnobia Przybуszewska", "Zenobia Przybyszewska")
    assert not names_person("Notatka: Nowa Huta", name)


def test_text_typed_with_decomposed_accents_is_stored_composed(world, login):
    document = world["own"]["document"]
    url = admin_url(document)
    editor = login("kultura")
    note = unicodedata.normalize("NFD", "Uwaga: zażółć gęślą jaźń.")
    response = editor.post(url, form_data(editor.get(url), "document_form", editor_note=note))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.editor_note == "Uwaga: zażółć gęślą jaźń."
    assert " zazolc gesla jazn " in document.search_text


@pytest.mark.parametrize(
    "role", ["zastępca Anny Kowalskiej", "zastępca Anny K\u043ewalskiej", "syn: Kowalska"]
)
def test_a_role_naming_another_person_without_a_basis_is_refused(world, login, role):
    # The role is what the page shows instead of a name: the outside pass published another
    # person's name through it.
    meeting = world["own"]["meeting"]
    rows = person_row(
        **{
            "people-TOTAL_FORMS": "2",
            "people-1-name": "Jan Nowak",
            "people-1-role": role,
            "people-1-presence": MeetingPerson.Presence.PARTICIPANT,
        }
    )
    response = post_meeting(login("kultura"), meeting, **rows)
    assert response.status_code == 200
    assertContains(response, "Rola jest publikowana zamiast nazwiska, a wymienia osobę")
    assert not MeetingPerson.objects.exists()


@pytest.mark.parametrize(
    "fields", [{"prepared_by": "Anna Kowalska, mieszkanka"}, {"prepared_by": "Kowalska A."}]
)
def test_her_name_typed_in_the_meetings_own_field_is_refused_as_such_not_as_her_removal(
    world, person, login, fields
):
    """She is on the list already: the editor is told her name may not be in the meeting's
    texts, not that she may not be removed or renamed (nobody removed her)."""
    meeting = world["own"]["meeting"]
    response = post_meeting(login("kultura"), meeting, **fields)
    assert response.status_code == 200
    assertContains(response, "„Anna Kowalska” występuje w tekstach spotkania")
    assertNotContains(response, "Nie można usunąć z listy osoby")
    meeting.refresh_from_db()
    assert "Kowalsk" not in meeting.prepared_by
    assert MeetingPerson.objects.get(pk=person.pk).name == "Anna Kowalska"
