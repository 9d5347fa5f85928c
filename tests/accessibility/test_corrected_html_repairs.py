"""An editor's corrected text version is repaired to valid, accessible HTML (lists of items,
headings of text, no empty links, headings or paragraphs, no skipped heading level), each
repair named in the message after the save, and the public page passes the HTML validator."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accessibility.models import DocumentText
from sampledata.files import pdf
from tests.accessibility.pages import BROKEN_CORRECTION
from tests.accessibility.test_editor_review import messages_of
from tests.admin_forms import form_data
from tests.factories import DocumentFactory
from tests.html_validator import html_problems

pytestmark = pytest.mark.django_db

BROKEN = BROKEN_CORRECTION
REPAIRED = (
    "<h2>Postulaty</h2>"
    "<p>Wstęp do listy</p><ul><li>Lokale<p>Dopisek</p></li></ul>"
    "<h3>Nagłówek w akapicie</h3>"
    "<p>Akapit w akapicie</p>"
    "<p>Tekst</p>"
    '<table><tbody><tr><td></td><th scope="col">Termin</th></tr>'
    '<tr><th scope="row">Nabór</th><td>maj</td></tr></tbody></table>'
    "<h2>Dalej</h2><h3>Za głęboko</h3>"
)


def correct(client, document, html):
    version = DocumentText.objects.get(document=document)
    url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    data = form_data(client.get(url), "documenttext_form")
    data["corrected_html"] = html
    return client.post(url, data, follow=True), version


def test_a_broken_correction_is_repaired_and_every_repair_is_named(world, login, tmp_path):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))

    response, version = correct(client, document, BROKEN)

    version.refresh_from_db()
    assert version.corrected_html == REPAIRED
    assert (
        f"Poprawiona wersja tekstowa dokumentu „{document.title}” została zapisana po "
        "oczyszczeniu do dozwolonych znaczników. Zmieniono: "
        "zmieniono &lt;h5&gt; na &lt;h3&gt;; "
        "dodano komórkom &lt;th&gt; atrybut scope (2 razy); "
        "przeniesiono &lt;p&gt; do punktu listy; "
        "przeniesiono &lt;p&gt; przed listę; "
        "usunięto pusty znacznik &lt;a&gt;; "
        "usunięto pusty znacznik &lt;h2&gt;; "
        "usunięto pusty znacznik &lt;p&gt; (2 razy); "
        "usunięto znacznik &lt;p&gt; z &lt;h3&gt; (tekst zostaje); "
        "zmieniono pustą komórkę &lt;th&gt; na &lt;td&gt;. "
        "Sprawdź wynik na stronie publicznej."
    ) in messages_of(response)

    page = Client().get(document.get_text_url())
    assert page.status_code == 200
    path = tmp_path / "poprawiona.html"
    path.write_bytes(page.content)
    assert html_problems([path]) == []


@pytest.mark.parametrize(
    ("html", "repaired"),
    [
        ("<li>Jeden</li><li>Dwa</li>", "<ul><li>Jeden</li><li>Dwa</li></ul>"),
        ("<h2><ul><li>Punkt</li></ul></h2>", "<ul><li>Punkt</li></ul>"),
        ("<h2>Tytuł <ol><li>Punkt</li></ol></h2>", "<h2>Tytuł </h2><ol><li>Punkt</li></ol>"),
        ("<p><strong> </strong>Tekst</p>", "<p>Tekst</p>"),
        ("<h4>Pierwszy</h4><h2>Drugi</h2>", "<h2>Pierwszy</h2><h2>Drugi</h2>"),
    ],
)
def test_more_broken_structures_are_repaired(world, login, html, repaired):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))

    correct(client, document, html)

    assert DocumentText.objects.get(document=document).corrected_html == repaired


TOO_DEEP = (
    "Znaczniki są zagnieżdżone zbyt głęboko (więcej niż 20 poziomów, np. lista w liście w "
    "liście…). Taki tekst trudno przeczytać czytnikiem ekranu, a strona ładowałaby się bardzo "
    "długo: spłaszcz strukturę (najwyżej kilka poziomów list) i zapisz ponownie."
)


def test_a_correction_nested_too_deep_is_refused_with_a_plain_error(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    deep = "<ul><li>" * 20_000 + "Dno" + "</li></ul>" * 20_000

    response, version = correct(client, document, deep)

    assert response.status_code == 200
    assertContains(
        response,
        f'<ul class="errorlist" id="id_corrected_html_error"><li>{TOO_DEEP}</li></ul>',
        html=True,
    )
    version.refresh_from_db()
    assert version.corrected_html == ""


def test_lists_nested_ten_levels_deep_are_accepted(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    nested = "<ul><li>Poziom" * 10 + "</li></ul>" * 10

    response, version = correct(client, document, nested)

    assertNotContains(response, TOO_DEEP)
    version.refresh_from_db()
    assert version.corrected_html == nested


def test_the_report_names_exactly_the_attributes_removed(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))

    response, version = correct(
        client, document, '<p lang="en" dir="rtl" title="Uwaga">Meeting notes</p><p lang="">x</p>'
    )

    version.refresh_from_db()
    assert version.corrected_html == '<p lang="en">Meeting notes</p><p>x</p>'
    assert (
        f"Poprawiona wersja tekstowa dokumentu „{document.title}” została zapisana po "
        "oczyszczeniu do dozwolonych znaczników. Zmieniono: usunięto atrybut dir; "
        "usunięto atrybut lang; usunięto atrybut title. Sprawdź wynik na stronie publicznej."
    ) in messages_of(response)
    assertContains(Client().get(document.get_text_url()), '<p lang="en">Meeting notes</p>')


def test_the_save_message_names_the_text_version_once(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))

    response, version = correct(client, document, "<h2>Tytuł</h2><p>Poprawione.</p>")

    url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    assert messages_of(response) == [
        f'Zapisano zmiany: wersja tekstowa dokumentu „<a href="{url}">{document.title}</a>”.'
    ]


def test_the_list_shows_a_correction_awaiting_review_and_filters_by_it(world, login):
    client = login("kultura")
    documents = {}
    for name in ("Czeka", "Poprawiona", "Z pliku"):
        document = DocumentFactory(meeting=world["own"]["meeting"], title=f"Dokument {name}")
        document.file.save("plik.pdf", ContentFile(pdf([f"Tekst {name}."], tagged=True)))
        documents[name] = document
    DocumentText.objects.filter(document=documents["Czeka"]).update(
        corrected_html="<p>Stara poprawka.</p>", needs_review=True
    )
    DocumentText.objects.filter(document=documents["Poprawiona"]).update(
        corrected_html="<p>Poprawka.</p>"
    )
    url = reverse("admin:accessibility_documenttext_changelist")

    rows = re.findall(
        r'<tr>.*?<a href="[^"]+">(Dokument [^<]+)</a>.*?<td class="field-source_label">([^<]+)</td>',
        client.get(url).content.decode(),
        re.S,
    )

    assert sorted(rows) == [
        ("Dokument Czeka", "poprawka czeka na sprawdzenie"),
        ("Dokument Poprawiona", "poprawiona przez redakcję"),
        ("Dokument Z pliku", "odczytana z pliku"),
    ]
    page = client.get(url)
    assertContains(page, '<a href="?wersja=do-sprawdzenia">poprawka czeka na sprawdzenie</a>')
    for value, titles in {
        "do-sprawdzenia": ["Dokument Czeka"],
        "poprawiona": ["Dokument Poprawiona"],
        "z-pliku": ["Dokument Z pliku"],
    }.items():
        listed = client.get(url, {"wersja": value}).context["cl"].result_list
        assert [
            version.document.title for version in listed if version.document in documents.values()
        ] == titles
