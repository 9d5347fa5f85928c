"""Editors correct a document's HTML version and write easy-to-read summaries in the admin,
within their departments, every change kept in the history."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pytest_django.asserts import assertContains
from reversion.models import Version

from accessibility.models import DocumentText, EasyReadSummary
from tests.accessibility.documents import docx_bytes
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(world):
    for side in ("own", "other"):
        world[side]["document"].file.save("podsumowanie.docx", ContentFile(docx_bytes()))
    return {side: world[side]["document"].html_version for side in ("own", "other")}


def change_url(version):
    return reverse("admin:accessibility_documenttext_change", args=[version.pk])


def test_the_correction_starts_from_the_text_read_from_the_file(versions, login):
    client = login("kultura")
    page = client.get(change_url(versions["own"]))
    initial = page.context["adminform"].form.initial["corrected_html"]
    assert initial.startswith("<h2>Podsumowanie spotkania</h2>\n<p>Spotkanie")
    assertContains(page, "&lt;h2&gt;Podsumowanie spotkania&lt;/h2&gt;")
    data = form_data(page, "documenttext_form", corrected_html=initial)

    # Saved as it was read: nothing is corrected.
    client.post(change_url(versions["own"]), data)
    versions["own"].refresh_from_db()
    assert versions["own"].corrected_html == ""
    assert versions["own"].source == DocumentText.Source.EXTRACTED


def test_a_correction_is_cleaned_shown_publicly_and_kept_in_history(versions, login, client):
    editor = login("kultura")
    url = change_url(versions["own"])
    data = form_data(
        editor.get(url),
        "documenttext_form",
        corrected_html='<h2>Podsumowanie</h2><p onclick="x()">Poprawiony <em>tekst</em></p>'
        "<script>alert(1)</script>",
    )
    response = editor.post(url, data)
    assert response.status_code == 302

    version = DocumentText.objects.get(pk=versions["own"].pk)
    assert version.corrected_html == "<h2>Podsumowanie</h2><p>Poprawiony <em>tekst</em></p>"
    assert version.source == DocumentText.Source.CORRECTED
    stored = Version.objects.get_for_object(version).first()
    assert stored.revision.user.username == "kultura"
    assert stored.field_dict["corrected_html"] == version.corrected_html

    client.logout()
    page = client.get(version.document.get_text_url())
    assertContains(page, "<p>Poprawiony <em>tekst</em></p>", html=True)
    assert "Spotkanie odbyło się" not in page.content.decode()


def test_an_editor_sees_and_corrects_only_their_departments_versions(versions, login):
    client = login("kultura")
    listing = client.get(reverse("admin:accessibility_documenttext_changelist"))
    assert list(listing.context["cl"].result_list) == [versions["own"]]
    assert client.get(change_url(versions["other"])).status_code == 302  # "no such record"
    # Versions are read from files, never added or deleted by hand.
    assert client.get(reverse("admin:accessibility_documenttext_add")).status_code == 403


def test_an_easy_to_read_summary_is_written_for_an_own_meeting_only(world, login):
    client = login("kultura")
    add = reverse("admin:accessibility_easyreadsummary_add")
    data = form_data(client.get(add), "easyreadsummary_form", text="Krótko o spotkaniu.")

    refused = client.post(add, {**data, "meeting": world["other"]["meeting"].pk})
    assert refused.status_code == 200
    assert not EasyReadSummary.objects.exists()

    both = client.post(
        add,
        {**data, "meeting": world["own"]["meeting"].pk, "document": world["own"]["document"].pk},
    )
    assertContains(both, "Wybierz dokument albo spotkanie (jedno z nich).")

    client.post(add, {**data, "meeting": world["own"]["meeting"].pk})
    summary = EasyReadSummary.objects.get()
    assert summary.meeting == world["own"]["meeting"]
    assert Version.objects.get_for_object(summary).exists()

    other = login("sport")
    listing = other.get(reverse("admin:accessibility_easyreadsummary_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_text_read_from_a_file_cannot_break_out_of_the_editors_field(world, login):
    document = world["own"]["document"]
    document.file.save("podsumowanie.docx", ContentFile(docx_bytes()))
    version = document.html_version
    version.blocks = [{"type": "paragraph", "text": "</textarea><script>alert(1)</script>"}]
    version.save()

    page = login("kultura").get(change_url(version))

    assertContains(page, "&lt;p&gt;&amp;lt;/textarea&amp;gt;&amp;lt;script&amp;gt;")
    assert "<script>alert(1)" not in page.content.decode()


def test_an_editor_deletes_a_document_with_its_text_version_and_summary(versions, login):
    document = versions["own"].document
    EasyReadSummary.objects.create(document=document, text="Krótko.")
    client = login("kultura")
    url = reverse("admin:meetings_document_delete", args=[document.pk])
    assert client.get(url).status_code == 200

    client.post(url, {"post": "yes"})

    assert not DocumentText.objects.filter(pk=versions["own"].pk).exists()
    assert not EasyReadSummary.objects.exists()
