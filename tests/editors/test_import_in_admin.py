"""The spreadsheet import as editors reach it: from their meeting's page, never another's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from postulates.models import Postulate

pytestmark = pytest.mark.django_db

SHEET = "Nr;Treść postulatu;Organizacja\n7;Więcej lokali dla organizacji;Koci Patrol\n".encode()


def import_url(meeting):
    return reverse("admin:meetings_meeting_import_postulates", args=[meeting.pk])


def test_an_editor_imports_into_their_meeting_after_a_preview(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    change_page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assertContains(change_page, import_url(meeting))

    preview = client.post(import_url(meeting), {"file": SimpleUploadedFile("postulaty.csv", SHEET)})
    assertContains(preview, "Więcej lokali dla organizacji")
    assert not Postulate.objects.filter(number=7).exists()  # nothing saved before confirming

    token = preview.context["token"]
    done = client.post(import_url(meeting), {"token": token})
    assert done.status_code == 302
    imported = Postulate.objects.get(meeting=meeting, number=7)
    assert imported.status == "draft"
    assert imported.organisation.name == "Koci Patrol"


def test_another_departments_meeting_cannot_be_imported_into(world, login):
    other = world["other"]["meeting"]
    client = login("kultura")
    assert client.get(import_url(other)).status_code == 404
    client.post(import_url(other), {"file": SimpleUploadedFile("postulaty.csv", SHEET)})
    # By content: the fixture's own postulates may well be numbered 7.
    assert not Postulate.objects.filter(content="Więcej lokali dla organizacji").exists()


def test_the_template_sheet_downloads_from_the_admin(world, login):
    response = login("kultura").get(reverse("admin:postulates_import_template"))
    assert response.status_code == 200
    assert "Treść postulatu" in response.content.decode("utf-8-sig")
