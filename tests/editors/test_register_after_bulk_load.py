"""Records loaded in bulk (sample data, load_archive, an import) have no version in the
history: their first change through the admin is still a change of what the public read, so
it is listed in their register, against the record as it was stored; and revising such an
answer, from any of the screens that edit it, links its earlier public version."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains
from reversion.models import Version

from history.models import RegisterEntry
from meetings.models import MeetingPerson
from postulates.models import PositionRevision, Postulate
from tests.admin_forms import form_data
from tests.editors.test_names_in_files import docx_naming
from tests.editors.test_record_card import at, card, page, register, save, shown
from tests.editors.test_redaction import admin_url

pytestmark = pytest.mark.django_db


def test_a_bulk_loaded_meetings_first_correction_is_listed(world, login):
    meeting = world["own"]["meeting"]
    published = meeting.published_at
    assert not Version.objects.exists()  # loaded, not entered through the admin
    save(login("kultura"), meeting, 0, title="Spotkanie kultury (poprawione)")

    response = page(login("kultura"), meeting, 1)
    assert register(response)[-1] == (
        f"{shown(at(0))} – poprawiono treść (Tytuł) wprowadził(a): redakcja wydziału"
    )
    text = card(response)
    assert "Data udostępnienia</dt>\n    <dd><time datetime=" in text
    assert shown(published) in text  # still the stored publication, not the save
    # Who entered it: the archive's load, not the editor who corrected it.
    assert "Wprowadził(a)</dt>\n    <dd>redakcja archiwum" in text
    # A second correction is listed after the first, as before.
    save(login("kultura"), meeting, 5, title="Spotkanie kultury w czerwcu")
    corrections = [e for e in register(page(login("kultura"), meeting, 6)) if "poprawiono" in e]
    assert len(corrections) == 2


# The answer's field on each screen that edits it.
ANSWER_FIELD = {
    "position": "justification",
    "postulate": "positions-0-justification",
    "meeting": "postulates-0-justification",
}


@pytest.mark.parametrize("screen", ["position", "postulate", "meeting"])
def test_revising_a_bulk_loaded_answer_links_its_earlier_version(world, login, client, screen):
    own = world["own"]
    position, postulate = own["position"], own["postulate"]
    editor = login("kultura")
    record = own[screen]
    form_id = f"{screen}_form"
    url = admin_url(record)
    data = form_data(editor.get(url), form_id)
    assert ANSWER_FIELD[screen] in data
    data[ANSWER_FIELD[screen]] = "Odpowiedź zmieniona po namyśle."
    # Saved on the real clock: the kept version is a moment later than the revision.
    response = editor.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")

    (earlier,) = PositionRevision.objects.filter(position=position)
    assert earlier.justification == "Odpowiedź: Spotkanie kultury"
    client.logout()
    html = client.get(postulate.get_absolute_url()).content.decode()
    assert f'id="position-version-{earlier.pk}"' in html
    (entry,) = [e for e in re.findall(r"<li>(.*?)</li>", html, re.S) if "zmieniono stanowisko" in e]
    assert "Stanowisko: zmieniono stanowisko" in entry
    assert f'<a href="#position-version-{earlier.pk}">poprzednia wersja</a>' in entry
    assert RegisterEntry.objects.filter(
        object_id=position.pk, kind="zmieniono-stanowisko", listed=True
    ).exists()


WARNING = "wymienia osobę ze spotkania, której nazwisko nie ma podstawy publikacji"


def test_a_file_naming_a_person_warns_from_the_meetings_screen_too(world, login):
    meeting = world["own"]["meeting"]
    MeetingPerson.objects.create(meeting=meeting, name="Anna Kowalska", role="mieszkanka")
    editor = login("kultura")
    url = admin_url(meeting)
    data = form_data(editor.get(url), "meeting_form")
    data["documents-0-file"] = SimpleUploadedFile(
        "notatka.docx", docx_naming("Głos zabrała Anna Kowalska.")
    )
    assertContains(editor.post(url, data, follow=True), WARNING)


def test_a_file_naming_a_person_warns_when_a_document_is_added(world, login):
    meeting = world["own"]["meeting"]
    MeetingPerson.objects.create(meeting=meeting, name="Anna Kowalska", role="mieszkanka")
    editor = login("kultura")
    url = reverse("admin:meetings_document_add")
    data = form_data(
        editor.get(url), "document_form", title="Notatka", meeting=str(meeting.pk), kind="inne"
    )
    data["file"] = SimpleUploadedFile("notatka.docx", docx_naming("Głos zabrała Anna Kowalska."))
    assertContains(editor.post(url, data, follow=True), WARNING)


@pytest.mark.parametrize("change", [{"title": "Spotkanie kultury (poprawione)"}, {}])
def test_a_meetings_save_leaves_its_untouched_bulk_loaded_records_the_archives(
    world, login, change
):
    """A save of the meeting (a correction of its title, or nothing) records its postulates,
    answers and documents too: those it did not change stay entered by the archive's load,
    with nothing in their registers."""
    own = world["own"]
    save(login("kultura"), own["meeting"], 0, **change)

    for record in (own["postulate"], own["document"]):
        response = page(login("kultura"), record, 1)
        assert "Wprowadził(a)</dt>\n    <dd>redakcja archiwum" in card(response), record
        assert not [entry for entry in register(response) if "poprawiono" in entry], record
    assert not RegisterEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Postulate),
        object_id=own["postulate"].pk,
        listed=True,
    ).exists()
    # The untouched records keep one version, their stored state, and no copy of the save's.
    (kept,) = Version.objects.get_for_object(own["postulate"])
    assert kept.revision.user is None
