"""The change register lists what editors change on a document's or meeting's page besides the
record itself: a corrected text version and an easy-read summary, as it lists the records'
own changes, and its rows agree with the history they are derived from."""

import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accessibility.models import DocumentText, EasyReadSummary
from tests.accessibility.documents import docx_bytes
from tests.admin_forms import form_data
from tests.editors.test_record_card import at, page_at, register_url, save, shown
from tests.editors.test_register_rows import agree

pytestmark = pytest.mark.django_db


def register_page(client, minutes):
    day = timezone.localtime(at(0)).date().isoformat()
    return page_at(client, register_url(od=day, do=day), minutes).content.decode()


def register_rows(client, minutes):
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", register_page(client, minutes), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_a_corrected_text_version_and_an_edited_summary_are_listed(login, world):
    document = world["own"]["document"]
    meeting = world["own"]["meeting"]
    with time_machine.travel(at(-10), tick=False):
        document.file.save("podsumowanie.docx", ContentFile(docx_bytes()))
    version = DocumentText.objects.get(document=document)
    client = login("kultura")

    save(client, version, 5, corrected_html="<h2>Podsumowanie</h2><p>Poprawione.</p>")
    add_url = reverse("admin:accessibility_easyreadsummary_add")
    with time_machine.travel(at(10), tick=False):
        data = form_data(client.get(add_url), "easyreadsummary_form")
        data.update(meeting=meeting.pk, document="", text="Spotkanie o kulturze.")
        assert client.post(add_url, data).status_code == 302
    summary = EasyReadSummary.objects.get(meeting=meeting)
    client = login("kultura")
    save(client, summary, 15, text="Spotkanie o kulturze w Krakowie.")

    agree(20)
    rows = register_rows(client, 20)
    assert rows == [
        f"{shown(at(15))} Tekst łatwy do czytania: {meeting.title} "
        "poprawiono treść (Tekst łatwy do czytania) redakcja wydziału",
        f"{shown(at(5))} Wersja tekstowa dokumentu: {document.title} "
        "poprawiono treść (Poprawiona wersja tekstowa) redakcja wydziału",
    ]
    # The summary's first save published it with its meeting's page: not a change. Each
    # entry links the page it changed.
    html = register_page(client, 20)
    assert f'<a href="{version.get_absolute_url()}">' in html
    assert f'<a href="{meeting.get_absolute_url()}">' in html


def test_a_text_version_of_a_withdrawn_document_keeps_its_name_as_written(login, world):
    document = world["own"]["document"]
    with time_machine.travel(at(-10), tick=False):
        document.file.save("podsumowanie.docx", ContentFile(docx_bytes()))
    version = DocumentText.objects.get(document=document)
    client = login("kultura")
    save(client, version, 5, corrected_html="<p>Poprawione.</p>")
    save(client, document, 10, status="draft")

    # The register keeps what the public read when the row was written (the title was public
    # then), marked as no longer public and without a link.
    rows = register_rows(client, 20)
    assert (
        f"{shown(at(5))} Wersja tekstowa dokumentu: {document.title} "
        "(obecnie niepubliczny) poprawiono "
        "treść (Poprawiona wersja tekstowa) redakcja wydziału"
    ) in rows
    page = register_page(client, 20)
    assert document.get_absolute_url() not in page
    agree(20)
