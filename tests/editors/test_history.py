"""Every change is recorded; a deleted meeting comes back with all that hung from it."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains
from reversion.models import Version

from meetings.models import Document, Meeting, MeetingDate, MeetingDepartment
from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.editors.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_change_in_the_admin_is_recorded_with_who_and_when(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    client.post(url, form_data(client.get(url), "meeting_form", topic="Nowy temat"))

    version = Version.objects.get_for_object(meeting).first()
    assert version.revision.user.username == "kultura"
    assert version.field_dict["topic"] == "Nowy temat"
    history = client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assertContains(history, "kultura")


def test_a_deleted_meeting_is_recovered_with_its_documents_postulates_and_answers(
    world, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = world["own"]["meeting"]
    document = world["own"]["document"]
    document.file.save("podsumowanie.pdf", ContentFile(b"%PDF-1.7 zawartosc"))
    stored_name = document.file.name
    before = {
        "documents": set(Document.objects.filter(meeting=meeting).values_list("pk", "title")),
        "postulates": set(Postulate.objects.filter(meeting=meeting).values_list("pk", "content")),
        "positions": set(
            Position.objects.filter(postulate__meeting=meeting).values_list("pk", "justification")
        ),
        "dates": set(MeetingDate.objects.filter(meeting=meeting).values_list("date", flat=True)),
        "departments": set(meeting.departments.values_list("pk", flat=True)),
    }

    client = login("kultura")
    delete_url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    confirmation = client.get(delete_url)
    assertContains(confirmation, "Podsumowanie: Spotkanie kultury")  # listed, not protected
    client.post(delete_url, {"post": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Position.objects.filter(postulate__meeting=meeting.pk).exists()
    assert (tmp_path / stored_name).exists()  # the file is kept for the recovery

    client = login("koordynator")
    recoverlist = client.get(reverse("admin:meetings_meeting_recoverlist"))
    assertContains(recoverlist, "Spotkanie kultury")
    version = Version.objects.get_deleted(Meeting).get(object_id=str(meeting.pk))
    recover_url = reverse("admin:meetings_meeting_recover", args=[version.pk])
    response = client.post(recover_url, form_data(client.get(recover_url), "meeting_form"))
    assert response.status_code == 302

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (
        set(Document.objects.filter(meeting=meeting).values_list("pk", "title"))
        == before["documents"]
    )
    assert (
        set(Postulate.objects.filter(meeting=meeting).values_list("pk", "content"))
        == before["postulates"]
    )
    assert (
        set(Position.objects.filter(postulate__meeting=meeting).values_list("pk", "justification"))
        == before["positions"]
    )
    assert set(meeting.dates.values_list("date", flat=True)) == before["dates"]
    assert (
        set(MeetingDepartment.objects.filter(meeting=meeting).values_list("department", flat=True))
        == before["departments"]
    )
    assert Document.objects.get(pk=document.pk).file.read() == b"%PDF-1.7 zawartosc"


def test_the_database_still_refuses_a_silent_delete(world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world["own"]["meeting"].delete()


def test_deleting_a_meeting_is_refused_while_another_meeting_cites_its_document(world, login):
    cited = world["own"]["document"]
    elsewhere = world["other"]["position"]
    Position.objects.filter(pk=elsewhere.pk).update(document=cited)
    client = login("koordynator")
    url = reverse("admin:meetings_meeting_delete", args=[world["own"]["meeting"].pk])
    confirmation = client.get(url)
    assert confirmation.context["protected"]
    client.post(url, {"post": "yes"})
    assert Meeting.objects.filter(pk=world["own"]["meeting"].pk).exists()
    assert Document.objects.filter(pk=cited.pk).exists()


def test_a_document_of_the_real_archive_deleted_by_mistake_comes_back(login, monkeypatch):
    call_command("load_archive", verbosity=0)
    document = Document.objects.get(
        title="Zestawienie zgłoszonych postulatów",
        meeting__year=2025,
        meeting__starts_on="2025-06-05",
    )
    assert Version.objects.get_for_object(document).exists()  # loaded with a first history entry

    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("add_editor", "koordynator", "--coordinator", "--noinput", verbosity=0)
    client = login("koordynator")
    client.post(reverse("admin:meetings_document_delete", args=[document.pk]), {"post": "yes"})
    assert not Document.objects.filter(pk=document.pk).exists()

    version = Version.objects.get_deleted(Document).get(object_id=str(document.pk))
    url = reverse("admin:meetings_document_recover", args=[version.pk])
    client.post(url, form_data(client.get(url), "document_form"))
    assert Document.objects.get(pk=document.pk).title == "Zestawienie zgłoszonych postulatów"


def test_a_meeting_is_found_by_the_department_added_on_its_page(world, login):
    from departments.models import Department
    from search.text import search_text

    client = login("koordynator")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form")
    data["department_links-1-department"] = str(world["sport"].pk)
    client.post(url, data)
    meeting.refresh_from_db()
    assert search_text("Wydział Sportu").strip() in meeting.search_text
    assert Department.objects.filter(meetings=meeting).count() == 2


def test_an_editor_deletes_their_meeting_after_revising_an_answer_and_it_comes_back(world, login):
    """A revised answer keeps its earlier public version (PositionRevision): those kept
    versions go with the meeting and come back with it, and need no permission of their own."""
    meeting, answer = world["own"]["meeting"], world["own"]["position"]
    answer.justification = "Odpowiedź poprawiona"
    answer.save()
    assert answer.revisions.count() == 1
    client = login("kultura")
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])
    confirmation = client.get(url)
    assert not confirmation.context["perms_lacking"]
    assert not confirmation.context["protected"]
    client.post(url, {"post": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    client = login("koordynator")
    version = Version.objects.get_deleted(Meeting).get(object_id=str(meeting.pk))
    recover_url = reverse("admin:meetings_meeting_recover", args=[version.pk])
    client.post(recover_url, form_data(client.get(recover_url), "meeting_form"))
    restored = Position.objects.get(pk=answer.pk)
    assert restored.justification == "Odpowiedź poprawiona"
    assert list(restored.revisions.values_list("justification", flat=True)) == [
        "Odpowiedź: Spotkanie kultury"
    ]


def test_what_blocks_a_deletion_says_who_can_help(world, login):
    cited = world["own"]["document"]
    Position.objects.filter(pk=world["other"]["position"].pk).update(document=cited)
    confirmation = login("kultura").get(
        reverse("admin:meetings_meeting_delete", args=[world["own"]["meeting"].pk])
    )
    assertContains(confirmation, "Poproś koordynatora")
