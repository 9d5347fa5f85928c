"""A file chosen in the document's admin form that comes back with an error is not kept (no
browser refills a file input): the form says so by the file's name, at the field and in the
list of errors at the top, so the editor picks it again instead of saving without it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.models import Document
from tests.admin_forms import form_data
from tests.files.builders import pdf_bytes

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Wybrany plik „nowe-podsumowanie.pdf” nie został zapisany, bo formularz ma błędy. "
    "Popraw je i wybierz plik ponownie przed zapisaniem."
)


def test_a_file_sent_with_an_error_elsewhere_is_named_to_be_chosen_again(
    world, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", title="")
    data["file"] = SimpleUploadedFile("nowe-podsumowanie.pdf", pdf_bytes())

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, "To pole jest wymagane.")
    assertContains(response, MESSAGE, count=2)  # at the field and in the list at the top
    assert Document.objects.get(pk=document.pk).title == document.title

    # Chosen again with the error corrected, it is saved.
    data["title"] = "Podsumowanie (nowy plik)"
    data["file"] = SimpleUploadedFile("nowe-podsumowanie.pdf", pdf_bytes())
    assert client.post(url, data).status_code == 302
    assert Document.objects.get(pk=document.pk).file.name.endswith(".pdf")


def test_a_file_sent_with_no_other_error_gets_no_warning(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form")
    data["file"] = SimpleUploadedFile("nowe-podsumowanie.pdf", b"not a pdf at all")
    response = client.post(url, data)
    assert response.status_code == 200
    # The file's own error explains it; no second message about choosing it again.
    assert "nie został zapisany, bo formularz ma błędy" not in response.content.decode()


def test_a_file_chosen_in_the_meetings_document_row_is_named_too(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form", title="")
    data["documents-0-file"] = SimpleUploadedFile("nowe-podsumowanie.pdf", pdf_bytes())
    response = client.post(url, data)
    assert response.status_code == 200
    assertContains(response, MESSAGE)
