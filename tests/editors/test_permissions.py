"""Permission boundaries, tested from the outside: an editor of one department reaches
none of another department's records through any admin URL."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from meetings.models import Document, Meeting
from postulates.models import Position, Postulate
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

KINDS = {
    "meeting": "meetings_meeting",
    "document": "meetings_document",
    "postulate": "postulates_postulate",
    "position": "postulates_position",
}


def admin_url(kind, action, *args):
    return reverse(f"admin:{KINDS[kind]}_{action}", args=args)


@pytest.mark.parametrize("kind", KINDS)
def test_lists_show_only_own_department(world, login, kind):
    client = login("kultura")
    response = client.get(admin_url(kind, "changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {world["own"][kind]}


@pytest.mark.parametrize("kind", KINDS)
def test_search_finds_nothing_of_another_department(world, login, kind):
    client = login("kultura")
    response = client.get(admin_url(kind, "changelist"), {"q": "sportu"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("kind", KINDS)
def test_another_departments_record_cannot_be_opened_changed_or_deleted(world, login, kind):
    client = login("kultura")
    other = world["other"][kind]
    for action in ("change", "delete"):
        response = client.get(admin_url(kind, action, other.pk))
        assert response.status_code == 302, action
        assert response.url == reverse("admin:index")
    assert client.get(admin_url(kind, "history", other.pk)).status_code == 404
    client.post(admin_url(kind, "delete", other.pk), {"post": "yes"})
    assert type(other).objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_own_records_open_normally(world, login, kind):
    client = login("kultura")
    own = world["own"][kind]
    assert client.get(admin_url(kind, "change", own.pk)).status_code == 200
    assert client.get(admin_url(kind, "history", own.pk)).status_code == 200


def test_another_departments_revision_is_never_reverted(world, login, client):
    other = world["other"]["meeting"]
    login("koordynator")
    change = client.get(admin_url("meeting", "change", other.pk))
    assert change.status_code == 200  # the coordinator sees it; a version exists after a save
    client.post(
        admin_url("meeting", "change", other.pk),
        form_data(change, "meeting_form", title="Spotkanie sportu, poprawione"),
    )
    other.refresh_from_db()
    assert other.title == "Spotkanie sportu, poprawione"
    version = Version.objects.get_for_object(other).last()

    login("kultura")
    url = admin_url("meeting", "revision", other.pk, version.pk)
    assert client.get(url).status_code == 404
    client.post(url, {"title": "Przejęte"})
    other.refresh_from_db()
    assert other.title == "Spotkanie sportu, poprawione"


def test_only_a_coordinator_browses_and_recovers_deleted_records(world, login):
    client = login("kultura")
    assert client.get(admin_url("meeting", "recoverlist")).status_code == 403
    client = login("koordynator")
    assert client.get(admin_url("meeting", "recoverlist")).status_code == 200


@pytest.mark.parametrize(
    ("model", "field"),
    [("document", "meeting"), ("postulate", "meeting"), ("position", "postulate")],
)
def test_autocomplete_offers_only_own_department(world, login, model, field):
    client = login("kultura")
    app_label, model_name = KINDS[model].split("_")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    target = "meeting" if field == "meeting" else "postulate"
    assert ids == {world["own"][target].pk}


@pytest.mark.parametrize("kind", KINDS)
def test_export_and_actions_skip_another_departments_records(world, login, kind):
    client = login("kultura")
    own, other = world["own"][kind], world["other"][kind]
    response = client.post(
        admin_url(kind, "changelist"),
        {"action": "export_as_csv", "_selected_action": [own.pk, other.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # the header and the editor's own record
    assert "sportu" not in response.content.decode().lower()
    assert "kultury" in response.content.decode().lower()

    type(other).objects.filter(pk=other.pk).update(status="draft")
    client.post(
        admin_url(kind, "changelist"),
        {"action": "publish_selected", "_selected_action": [other.pk]},
    )
    assert type(other).objects.get(pk=other.pk).status == "draft"


def test_a_forged_choice_cannot_attach_a_document_to_another_departments_meeting(world, login):
    client = login("kultura")
    response = client.post(
        admin_url("document", "add"),
        {
            "meeting": world["other"]["meeting"].pk,
            "kind": "podsumowanie",
            "title": "Podrzucony dokument",
            "order": 0,
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "meeting" in response.context["adminform"].form.errors
    assert not Document.objects.filter(title="Podrzucony dokument").exists()


def test_an_editor_cannot_take_a_meeting_out_of_their_departments(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    page = client.get(admin_url("meeting", "change", meeting.pk))
    data = form_data(page, "meeting_form")
    data["department_links-0-department"] = str(world["sport"].pk)
    response = client.post(admin_url("meeting", "change", meeting.pk), data)
    assertContains(response, "Spotkanie musi mieć co najmniej jeden z Twoich wydziałów.")
    assert list(Meeting.objects.get(pk=meeting.pk).departments.all()) == [world["culture"]]


def test_editors_only_read_shared_reference_data(world, login):
    client = login("kultura")
    department = world["sport"]
    url = reverse("admin:departments_department_change", args=[department.pk])
    assert client.get(url).status_code == 200  # readable: needed to pick departments
    response = client.post(url, {"name": "Przejęty wydział"})
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.name == "Wydział Sportu"


def test_coordinator_sees_and_changes_everything(world, login):
    client = login("koordynator")
    for kind in KINDS:
        shown = set(client.get(admin_url(kind, "changelist")).context["cl"].result_list)
        assert shown == {world["own"][kind], world["other"][kind]}, kind


def test_staff_without_a_profile_sees_no_department_records(world, django_user_model, client):
    user = django_user_model.objects.create_user("bez-wydzialu", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    client.force_login(user)
    response = client.get(admin_url("meeting", "changelist"))
    assert list(response.context["cl"].result_list) == []
    assertNotContains(response, "Spotkanie sportu")


def test_answers_publish_for_the_editors_own_meeting_at_once(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    Postulate.objects.filter(meeting=meeting).update(status="draft", published_at=None)
    Position.objects.filter(postulate__meeting=meeting).update(status="draft")
    client.post(
        admin_url("meeting", "changelist"),
        {"action": "publish_meetings_whole", "_selected_action": [meeting.pk]},
    )
    assert set(Postulate.objects.filter(meeting=meeting).values_list("status", flat=True)) == {
        "published"
    }
    assert Position.objects.filter(postulate__meeting=meeting).published().count() == 1


def test_the_recover_link_shows_only_to_coordinators(world, login):
    url = admin_url("meeting", "changelist")
    recover = admin_url("meeting", "recoverlist")
    assertNotContains(login("kultura").get(url), recover)
    assertContains(login("koordynator").get(url), recover)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("raport.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("raport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
    ],
)
def test_an_html_page_or_program_renamed_to_pdf_is_refused_in_the_admin(
    world, login, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    client = login("kultura")
    response = client.post(
        admin_url("document", "add"),
        {
            "meeting": world["own"]["meeting"].pk,
            "kind": "podsumowanie",
            "title": "Podejrzany plik",
            "order": 0,
            "status": "draft",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Document.objects.filter(title="Podejrzany plik").exists()
    assert not any(tmp_path.rglob("*.pdf"))
