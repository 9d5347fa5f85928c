"""An editor finds a document's text version and easy-to-read summary from the document and
its meeting, sees and filters the documents' accessibility in their list, tells same-titled
documents apart when choosing one, and is told clearly which summary exists already."""

import datetime

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from accessibility.models import DocumentText, EasyReadSummary
from core.admin import error_summary
from sampledata.files import accessible_pdf, pdf
from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def attach(document, content, name="plik.pdf"):
    document.file.save(name, ContentFile(content))
    return document


def test_the_document_page_links_its_text_version_and_easy_read_summary(world, login):
    client = login("kultura")
    document = attach(world["own"]["document"], accessible_pdf())
    url = reverse("admin:meetings_document_change", args=[document.pk])

    text = DocumentText.objects.get(document=document)
    text_url = reverse("admin:accessibility_documenttext_change", args=[text.pk])
    add_url = reverse("admin:accessibility_easyreadsummary_add") + f"?document={document.pk}"
    page = client.get(url)
    assertContains(page, f'<a href="{text_url}">Popraw wersję tekstową</a>', html=True)
    assertContains(
        page,
        f'<a href="{document.get_text_url()}">wersja tekstowa na stronie</a>',
        html=True,
    )
    assertContains(page, f'<a href="{add_url}">Dodaj tekst łatwy do czytania</a>', html=True)

    # The add link opens the form with the document chosen, named with its meeting and day.
    form = client.get(add_url)
    assertContains(
        form,
        f'<option value="{document.pk}" selected>{document.title} – Spotkanie kultury '
        "(11 czerwca 2025)</option>",
        html=True,
    )

    summary = EasyReadSummary.objects.create(document=document, text="Krótko.")
    change_url = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
    assertContains(
        client.get(url), f'<a href="{change_url}">Zmień tekst łatwy do czytania</a>', html=True
    )


def test_a_document_without_a_file_says_when_its_text_version_appears(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    page = client.get(reverse("admin:meetings_document_change", args=[document.pk]))
    assertContains(page, "Wersja tekstowa powstaje po zapisaniu dokumentu z plikiem.")
    # Its file's accessibility: there is no file, not a file waiting for its check.
    assertContains(page, '<div class="readonly">brak pliku</div>', html=True)
    assertNotContains(page, "Plik nie został jeszcze sprawdzony")


def test_the_meeting_page_links_its_easy_read_summary(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    add_url = reverse("admin:accessibility_easyreadsummary_add") + f"?meeting={meeting.pk}"
    assertContains(
        client.get(url), f'<a href="{add_url}">Dodaj tekst łatwy do czytania</a>', html=True
    )
    summary = EasyReadSummary.objects.create(meeting=meeting, text="Krótko.")
    change_url = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
    assertContains(
        client.get(url), f'<a href="{change_url}">Zmień tekst łatwy do czytania</a>', html=True
    )
    add_page = client.get(reverse("admin:meetings_meeting_add"))
    assertContains(add_page, "Zapisz, by dodać tekst łatwy do czytania.")


def test_the_documents_list_shows_and_filters_each_files_accessibility(world, login):
    client = login("koordynator")
    meeting = world["own"]["meeting"]
    states = {
        "Skan": (pdf([None]), "plik.pdf"),
        "Dostępny": (accessible_pdf(), "plik.pdf"),
        "Bez tytułu": (pdf(tagged=True, display_title=True, language="pl"), "plik.pdf"),
        "Uszkodzony": (b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "plik.pdf"),
        "Notatka": (b"{\\rtf1\\ansi Notatka\\par }", "notatka.rtf"),
    }
    for title, (content, name) in states.items():
        attach(DocumentFactory(meeting=meeting, title=title), content, name)
    url = reverse("admin:meetings_document_changelist")

    with CaptureQueriesContext(connection) as before:
        page = client.get(url)
    expected = {
        "Skan": "nie w pełni dostępny cyfrowo",
        "Dostępny": "dostępny",
        "Bez tytułu": "dostępny, z uwagami",
        "Uszkodzony": "plik uszkodzony lub nieczytelny",
        "Notatka": "dostępność pliku niesprawdzona",
        world["own"]["document"].title: "brak pliku",
    }
    rows = {
        document.title: page.context["cl"].model_admin.accessibility_state(document)
        for document in page.context["cl"].result_list
    }
    assert {title: rows[title] for title in expected} == expected
    assertContains(page, '<a href="?o=6">Dostępność</a>', html=True)
    assertContains(
        page, '<td class="field-accessibility_state">dostępność pliku niesprawdzona</td>', html=True
    )

    def titles(state):
        response = client.get(url, {"dostepnosc": state})
        return {document.title for document in response.context["cl"].result_list}

    assert titles("nie-w-pelni") == {"Skan", "Uszkodzony", "Notatka"}
    assert titles("uwagi") == {"Bez tytułu"}
    assert titles("dostepny") == {"Dostępny"}
    assert titles("bez-pliku") == {
        d.title for d in [world["own"]["document"], world["other"]["document"]]
    }
    assert titles("czeka") == set()
    filters = client.get(url).content.decode()
    for label in (
        "nie w pełni dostępny, niesprawdzony lub uszkodzony",
        "dostępny, z uwagami",
        "czeka na sprawdzenie",
    ):
        assert label in filters
    # The column reads the check loaded with each row: more documents, no more queries.
    for n in range(3):
        attach(DocumentFactory(meeting=meeting, title=f"Skan {n}"), pdf([None]))
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_document_autocomplete_names_each_documents_meeting_and_day(world, login):
    client = login("kultura")
    other = MeetingFactory(
        title="Spotkanie kultury",
        departments=[world["culture"]],
        dates=[datetime.date(2024, 3, 5)],
    )
    DocumentFactory(meeting=other, title=world["own"]["document"].title)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Podsumowanie",
            "app_label": "accessibility",
            "model_name": "easyreadsummary",
            "field_name": "document",
        },
    )
    labels = sorted(result["text"] for result in response.json()["results"])
    assert labels == [
        "Podsumowanie: Spotkanie kultury – Spotkanie kultury (11 czerwca 2025)",
        "Podsumowanie: Spotkanie kultury – Spotkanie kultury (5 marca 2024)",
    ]


def test_adding_a_second_summary_names_the_existing_one_with_a_link(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    existing = EasyReadSummary.objects.create(document=document, text="Pierwszy.")
    response = client.post(
        reverse("admin:accessibility_easyreadsummary_add"),
        {"document": document.pk, "meeting": "", "text": "Drugi."},
    )
    change_url = reverse("admin:accessibility_easyreadsummary_change", args=[existing.pk])
    assertContains(
        response,
        f'Ten dokument ma już tekst łatwy do czytania: <a href="{change_url}">Tekst łatwy do '
        f"czytania: {document.title}</a>. Zmień tamten tekst zamiast dodawać drugi.",
    )
    assertNotContains(response, "już istnieje")
    assert EasyReadSummary.objects.count() == 1

    meeting = world["own"]["meeting"]
    EasyReadSummary.objects.create(meeting=meeting, text="Spotkanie.")
    response = client.post(
        reverse("admin:accessibility_easyreadsummary_add"),
        {"document": "", "meeting": meeting.pk, "text": "Drugi."},
    )
    assertContains(response, "To spotkanie ma już tekst łatwy do czytania:")
    # Changing the existing summary is no duplicate.
    response = client.post(
        reverse("admin:accessibility_easyreadsummary_change", args=[existing.pk]),
        {"document": document.pk, "meeting": "", "text": "Poprawiony."},
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.text == "Poprawiony."


@pytest.mark.parametrize("meeting", ["", "999999"])
def test_a_summary_left_without_its_document_or_meeting_gets_the_forms_message(
    world, login, meeting
):
    # The outside pass's 500: the page shown again with the error named the summary by a
    # parent it no longer had.
    client = login("kultura")
    summary = EasyReadSummary.objects.create(document=world["own"]["document"], text="Tekst.")
    response = client.post(
        reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk]),
        {"document": "", "meeting": meeting, "text": "Tekst."},
    )
    assert response.status_code == 200
    if meeting:
        assertContains(response, "Wybierz poprawną wartość")
    else:
        assertContains(response, "Wybierz dokument albo spotkanie (jedno z nich).")
    summary.refresh_from_db()
    assert summary.document == world["own"]["document"]


def test_the_error_summary_keeps_the_link_to_the_existing_summary(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    existing = EasyReadSummary.objects.create(document=document, text="Pierwszy.")

    response = client.post(
        reverse("admin:accessibility_easyreadsummary_add"),
        {"document": document.pk, "meeting": "", "text": "Drugi."},
    )

    change_url = reverse("admin:accessibility_easyreadsummary_change", args=[existing.pk])
    assertContains(
        response,
        '<ul class="errorlist error-summary" id="error-summary" aria-label="Błędy w formularzu">'
        '<li><a href="#id_document">Dokument</a>: Ten dokument ma już tekst łatwy do czytania: '
        f'<a href="{change_url}">Tekst łatwy do czytania: {document.title}</a>. '
        "Zmień tamten tekst zamiast dodawać drugi.</li></ul>",
        html=True,
    )
    assertNotContains(response, "&lt;a href")


def test_the_error_summary_still_escapes_an_error_given_as_plain_text():
    class Form(forms.Form):
        name = forms.CharField(label="Nazwa")

    form = Form(data={"name": "x"})
    form.add_error("name", "<b>Zła</b> nazwa")

    rendered = render_to_string("admin/_error_summary.html", {"error_summary": error_summary(form)})

    assertInHTML('<li><a href="#id_name">Nazwa: &lt;b&gt;Zła&lt;/b&gt; nazwa</a></li>', rendered)
