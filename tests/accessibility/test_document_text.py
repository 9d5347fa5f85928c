"""A document's HTML version ("wersja tekstowa"): read from its file when it is saved, shown
under the document's address, linked wherever the document is, corrected by editors; and the
easy-to-read summaries of documents and meetings."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.test.utils import override_settings
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from accessibility.models import DocumentText, EasyReadSummary
from tests.accessibility.documents import DOCUMENTS
from tests.factories import DRAFT, DepartmentFactory, DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def with_file(kind, **fields):
    name, build = DOCUMENTS[kind]
    meeting = fields.pop("meeting", None) or MeetingFactory(
        title="Spotkanie branżowe kultury",
        departments=[DepartmentFactory(name="Wydział Kultury")],
        dates=[datetime.date(2025, 6, 11)],
    )
    document = DocumentFactory(meeting=meeting, title=f"Podsumowanie ({kind})", **fields)
    document.file.save(name, ContentFile(build()))
    return document


def region(number, table):
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="Tabela {number}">'
        f"{table}</div>"
    )


EXPECTED = {
    "DOCX": (
        "<h2>Podsumowanie spotkania</h2>"
        "<p>Spotkanie odbyło się w Centrum Obywatelskim.</p>"
        "<h3>Zgłoszone postulaty</h3>"
        "<ul><li>Więcej lokali dla organizacji<ul><li>w dzielnicach poza centrum</li></ul></li>"
        "<li>Dłuższe terminy naborów</li></ul>"
        "<h3>Dalsze kroki</h3>"
        "<ol><li>Przygotować stanowisko</li><li>Opublikować stanowisko</li></ol>"
        + region(
            1,
            '<table><thead><tr><th scope="col">Lp.</th><th scope="col">Postulat</th></tr>'
            "</thead><tbody><tr><td>1</td><td>Więcej lokali &amp; &lt;sal&gt;</td></tr></tbody>"
            "</table>",
        )
    ),
    "ODT": (
        "<h2>Stanowisko Wydziału</h2><p>Wydział odpowiada na postulaty.</p><h3>Odpowiedzi</h3>"
        "<ol><li>Uwzględniony</li><li>Nieuwzględniony</li></ol>"
        + region(
            1,
            '<table><thead><tr><th scope="col">Postulat</th><th scope="col">Rozstrzygnięcie</th>'
            "</tr></thead><tbody><tr><td>Więcej lokali</td><td>uwzględniony</td></tr></tbody>"
            "</table>",
        )
    ),
    "XLSX": region(
        1,
        '<table><caption>Postulaty</caption><thead><tr><th scope="col">Lp.</th>'
        '<th scope="col">Treść</th><th scope="col">Wydział</th></tr></thead><tbody>'
        "<tr><td>1</td><td>Więcej lokali dla organizacji</td><td>Wydział Kultury</td></tr>"
        "<tr><td>2</td><td>Dłuższe terminy naborów</td><td></td></tr></tbody></table>",
    )
    + region(
        2,
        "<table><caption>Liczby</caption><tbody><tr><td>2024</td><td>15</td></tr>"
        "<tr><td>2025</td><td>18</td></tr></tbody></table>",
    ),
    "ODS": region(
        1,
        '<table><caption>Postulaty</caption><thead><tr><th scope="col">Organizacja</th>'
        '<th scope="col">Głosy</th></tr></thead><tbody><tr><td>Fundacja Środowiska</td>'
        "<td>12</td></tr></tbody></table>",
    ),
    "PDF": (
        "<h2>Podsumowanie spotkania</h2>"
        "<p>Spotkanie odbylo sie w Centrum Obywatelskim przy ul. Reymonta 20, w sali na parterze."
        " Wzielo w nim udzial dwadziescia organizacji.</p>"
        "<h3>Postulaty</h3>"
        "<ul><li>wiecej lokali dla organizacji</li><li>dluzsze terminy naborow</li></ul>"
    ),
    "RTF": "<p>Notatka ze spotkania</p><p>Omówiono harmonogram naborów.</p>",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_the_html_version_rebuilds_the_documents_structure(client, kind):
    document = with_file(kind)

    response = client.get(document.get_text_url())

    assert response.status_code == 200
    assertInHTML(
        f'<div class="document-body" lang="pl">{EXPECTED[kind]}</div>', response.content.decode()
    )


def test_the_page_names_the_document_links_the_original_and_says_it_is_authoritative(client):
    document = with_file("DOCX")

    response = client.get(document.get_text_url())

    assertContains(
        response,
        '<h1><span lang="pl">Podsumowanie (DOCX)</span> '
        '<span class="title-suffix">– wersja tekstowa</span></h1>',
        html=True,
    )
    assertContains(response, "<dt>Wydział</dt><dd>Wydział Kultury</dd>", html=True)
    assertContains(
        response,
        '<dt>Data spotkania</dt><dd><time datetime="2025-06-11">11 czerwca 2025</time></dd>',
        html=True,
    )
    size = filesizeformat(document.file_size)
    assertContains(
        response, f'<a href="{document.get_download_url()}">pobierz (DOCX, {size})</a>', html=True
    )
    assertContains(response, "Rozstrzygający jest plik oryginalny.")
    assertContains(response, "Tekst odczytano z pliku automatycznie")
    assertContains(response, '<html lang="pl">')
    # Server-rendered: the only script is the page's structured data.
    assert response.content.decode().count("<script") == 1
    assertContains(response, '<script type="application/ld+json">')


def test_the_text_is_read_when_the_file_is_saved_not_when_the_page_is_shown(
    client, django_assert_num_queries, monkeypatch
):
    document = with_file("XLSX")
    assert DocumentText.objects.get(document=document).blocks[0]["caption"] == "Postulaty"

    def no_reading(*args):
        raise AssertionError("the page read the file")

    monkeypatch.setattr("files.structured_text.extract_blocks", no_reading)
    monkeypatch.setattr("accessibility.services.extract_blocks", no_reading)
    # The document with its version, summary, check, meeting and round; the meeting's
    # departments; its persons named only by role (whom the text may not name); the address
    # for accessibility requests.
    with django_assert_num_queries(4):
        response = client.get(document.get_text_url())
    assert response.status_code == 200


def test_saving_a_document_again_does_not_read_its_file_again(monkeypatch):
    document = with_file("DOCX")
    monkeypatch.setattr(
        "accessibility.services.extract_blocks",
        lambda *args: pytest.fail("read again"),
    )
    document.title = "Nowy tytuł"
    document.save()


def test_a_new_file_is_read_again_and_a_correction_of_the_old_one_waits_for_review():
    document = with_file("DOCX")
    version = document.html_version
    version.corrected_html = "<p>Poprawione</p>"
    version.save()

    name, build = DOCUMENTS["ODT"]
    document.file.save(name, ContentFile(build()))

    version.refresh_from_db()
    assert version.corrected_html == "<p>Poprawione</p>"
    assert version.needs_review and version.source == version.Source.EXTRACTED
    assert version.blocks[0]["text"] == "Stanowisko Wydziału"
    assert "Stanowisko Wydziału" in version.html() and "Poprawione" not in version.html()


def test_a_draft_or_scheduled_document_has_no_public_text_version(client):
    draft = with_file("DOCX", **DRAFT)
    assert client.get(draft.get_text_url()).status_code == 404
    hidden_meeting = MeetingFactory(**DRAFT)
    in_draft_meeting = with_file("PDF", meeting=hidden_meeting)
    assert client.get(in_draft_meeting.get_text_url()).status_code == 404


def test_a_document_without_a_file_has_no_text_version(client):
    document = DocumentFactory()
    url = document.get_absolute_url() + "tekst/"
    assert client.get(url).status_code == 404
    assertNotContains(client.get(document.get_absolute_url()), "Wersja tekstowa")


def test_a_damaged_file_is_reported_as_such_not_as_a_scan_read_automatically(client):
    document = DocumentFactory()
    document.file.save("uszkodzony.pdf", ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"))

    response = client.get(document.get_text_url())

    assertContains(
        response,
        '<p class="file-state">Plik uszkodzony lub nieczytelny: archiwum nie umie go otworzyć, '
        "więc nie ma jego wersji tekstowej. Plik oryginalny może się nie otworzyć także u "
        "Ciebie.</p>",
        html=True,
    )
    assertNotContains(response, "skan")
    assertNotContains(response, "odczytano")
    assertContains(response, 'class="accessible-request"')


def test_the_text_version_is_linked_from_the_document_and_every_list_of_it(client):
    document = with_file("PDF")
    url = document.get_text_url()
    assert url == document.get_absolute_url() + "tekst/"

    assertContains(
        client.get(document.get_absolute_url()),
        f'<a href="{url}">Wersja tekstowa (HTML)</a>',
        html=True,
    )
    link = (
        f'<a class="text-version" href="{url}">wersja tekstowa'
        '<span class="visually-hidden">: Podsumowanie (PDF) (11 czerwca 2025, PDF)</span></a>'
    )
    assertContains(client.get(document.meeting.get_absolute_url()), link, html=True)
    assertContains(client.get("/"), link, html=True)


def test_a_corrected_version_replaces_the_extracted_one_and_is_cleaned(client):
    document = with_file("DOCX")
    version = document.html_version
    version.corrected_html = (
        '<h1>Tytuł</h1><h2 onclick="x()">Podsumowanie</h2><script>alert(1)</script>'
        '<table><tr><th scope="col" style="color:red">Lp.</th><th scope="evil">b</th></tr></table>'
        '<p><a href="javascript:alert(1)">link</a> <a href="https://krakow.pl">Kraków</a></p>'
    )
    version.save()

    response = client.get(document.get_text_url())

    assertInHTML(
        # The page's h1 is the title: an h1 of the text moves every heading a level down.
        '<div class="document-body" lang="pl"><h2>Tytuł</h2><h3>Podsumowanie</h3>'
        + region(
            1,
            '<table><tbody><tr><th scope="col">Lp.</th><th scope="col">b</th></tr></tbody></table>',
        )
        + '<p><a rel="nofollow noopener">link</a> '
        '<a href="https://krakow.pl" rel="nofollow noopener">Kraków</a></p></div>',
        response.content.decode(),
    )
    assertContains(response, "Tekst sprawdziła i poprawiła redakcja")
    assertNotContains(response, "alert(1)")


def test_an_easy_to_read_summary_comes_first_on_its_pages(client):
    document = with_file("DOCX")
    EasyReadSummary.objects.create(document=document, text="To jest **krótkie** podsumowanie.")
    EasyReadSummary.objects.create(meeting=document.meeting, text="Spotkanie o kulturze.")

    for url, text in [
        (document.get_absolute_url(), "To jest <strong>krótkie</strong> podsumowanie."),
        (document.get_text_url(), "To jest <strong>krótkie</strong> podsumowanie."),
        (document.meeting.get_absolute_url(), "Spotkanie o kulturze."),
    ]:
        response = client.get(url)
        html = response.content.decode()
        assertInHTML(
            '<section class="easy-read" aria-labelledby="tekst-latwy">'
            '<h2 id="tekst-latwy">Tekst łatwy do czytania</h2>'
            f'<div lang="pl"><p>{text}</p></div></section>',
            html,
        )
        # Right after the page's heading; on the text version, before the document's text.
        after = "document-body" if url == document.get_text_url() else 'class="facts"'
        assert html.index("</h1>") < html.index("tekst-latwy") < html.index(after)


def test_a_summary_is_of_a_document_or_a_meeting_not_both():
    from django.core.exceptions import ValidationError

    document = with_file("PDF")
    summary = EasyReadSummary(document=document, meeting=document.meeting, text="x")
    with pytest.raises(ValidationError, match="Wybierz dokument albo spotkanie"):
        summary.full_clean()


def test_the_english_page_keeps_the_documents_polish_text_marked_polish(client):
    document = with_file("RTF")
    with override_settings(LANGUAGE_CODE="pl"):
        response = client.get("/en" + document.get_text_url())
    if response.status_code == 404:
        pytest.skip("no English addresses in this configuration")
    assertContains(response, '<div class="document-body" lang="pl">')


def test_the_command_builds_versions_for_documents_stored_before_them():
    document = with_file("ODS")
    DocumentText.objects.all().delete()
    out = io.StringIO()

    call_command("build_document_texts", only_missing=True, stdout=out)

    assert DocumentText.objects.get(document=document).blocks[0]["caption"] == "Postulaty"
    assert "1 dokumentów" in out.getvalue()


def test_a_search_hit_in_a_documents_file_links_its_text_version(client):
    document = with_file("DOCX")

    response = client.get("/szukaj/", {"q": "dzielnicach"})

    assertContains(
        response,
        f'<a class="text-version" href="{document.get_text_url()}">wersja tekstowa'
        '<span class="visually-hidden">: Podsumowanie (DOCX)</span></a>',
        html=True,
    )
