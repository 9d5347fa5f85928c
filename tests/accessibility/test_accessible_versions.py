"""What an outside tester found in the documents' accessibility: asking for an accessible
version leads somewhere real, a damaged file is called damaged, a scanned page is never
silently left out of the text version, and the links to text versions are told apart."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from accessibility import ocr
from accessibility.models import AccessibilityStatement
from sampledata.files import pdf
from tests.accessibility.test_ocr import run_worker  # noqa: F401
from tests.admin_forms import form_data
from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SCAN = pdf([None, None])
DAMAGED = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"  # a header, no page tree, no xref
MIXED = pdf(["Pierwsza strona ma tekst.", None, "Trzecia strona ma tekst."], tagged=True)


def meeting_on(day, title="Spotkanie branżowe kultury"):
    return MeetingFactory(title=title, year__year=day.year, dates=[day])


def with_file(content, name="plik.pdf", **fields):
    fields.setdefault("meeting", meeting_on(datetime.date(2025, 6, 11)))
    document = DocumentFactory(**fields)
    document.file.save(name, ContentFile(content))
    return document


def request_link(response):
    """The href of the page's "ask for an accessible version" link."""
    html = response.content.decode()
    start = html.index('<a class="accessible-request" href="') + len(
        '<a class="accessible-request" href="'
    )
    return html[start : html.index('"', start)].replace("&amp;", "&")


# 1. Asking for an accessible version ---------------------------------------------------------


def test_with_an_address_configured_every_request_is_an_email_naming_the_document(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "dostepnosc@example.pl"
    document = with_file(SCAN, title="Podsumowanie spotkania")
    client = Client()

    for url in (document.get_absolute_url(), document.get_text_url()):
        response = client.get(url)
        assertContains(
            response,
            "Napisz e-mail na adres dostepnosc@example.pl</a>",
        )
        href = urlsplit(request_link(response))
        assert (href.scheme, href.path) == ("mailto", "dostepnosc@example.pl")
        assert parse_qs(href.query)["subject"] == [
            "Prośba o dostępną wersję dokumentu: Podsumowanie spotkania "
            "(Spotkanie branżowe kultury, 11 czerwca 2025)"
        ]
        assertNotContains(response, "zostanie podany przez redakcję")


def test_the_address_kept_in_the_statement_comes_before_the_deployments(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "wdrozenie@example.pl"
    AccessibilityStatement.objects.update(contact_email="deklaracja@example.pl")
    document = with_file(SCAN)
    response = Client().get(document.get_absolute_url())
    assert request_link(response).startswith("mailto:deklaracja@example.pl?subject=")
    statement = Client().get(reverse("accessibility:statement"))
    assertContains(
        statement,
        '<a id="a11y-email" href="mailto:deklaracja@example.pl">deklaracja@example.pl</a>',
        html=True,
    )


def test_without_an_address_the_pages_say_plainly_how_to_ask(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.CITY_CONTACT_URL = "https://www.bip.krakow.pl/"
    document = with_file(SCAN, title="Podsumowanie spotkania")
    without_file = DocumentFactory(title="Zestawienie postulatów", meeting=document.meeting)
    client = Client()

    for url in (
        document.get_absolute_url(),
        document.get_text_url(),
        without_file.get_absolute_url(),
    ):
        response = client.get(url)
        assertContains(
            response,
            "Potrzebujesz tego dokumentu w dostępnej formie? Napisz do Urzędu Miasta Krakowa – "
            'adresy i telefony Urzędu podaje <a class="accessible-request" '
            'href="https://www.bip.krakow.pl/" hreflang="pl">Biuletyn Informacji Publicznej '
            "Miasta Krakowa</a>. W wiadomości podaj tytuł dokumentu",
        )
        assertNotContains(response, "zostanie podany przez redakcję")
        assertNotContains(response, "mailto:")
    assertContains(
        client.get(document.get_absolute_url()),
        "W wiadomości podaj tytuł dokumentu „Podsumowanie spotkania” (Spotkanie branżowe "
        "kultury, 11 czerwca 2025) i formę, w jakiej go potrzebujesz.",
    )

    statement = client.get(reverse("accessibility:statement"))
    assertNotContains(statement, "zostanie podany przez redakcję")
    assertContains(
        statement,
        '<span id="a11y-email">osobnego adresu do spraw dostępności nie podano: napisz do Urzędu '
        "Miasta Krakowa, którego adresy i telefony podaje "
        '<a href="https://www.bip.krakow.pl/" hreflang="pl">Biuletyn Informacji Publicznej '
        "Miasta Krakowa</a>. Podaj, o którą stronę lub który dokument chodzi i w jakiej formie "
        "go potrzebujesz.</span>",
        html=True,
    )
    assertContains(
        statement,
        '<span id="a11y-telefon">osobnego numeru nie podano: telefony Urzędu Miasta Krakowa '
        "podaje Biuletyn Informacji Publicznej (odnośnik powyżej).</span>",
        html=True,
    )


def test_the_statement_shows_the_configured_address(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "dostepnosc@example.pl"
    statement = Client().get(reverse("accessibility:statement"))
    assertContains(
        statement,
        '<a id="a11y-email" href="mailto:dostepnosc@example.pl">dostepnosc@example.pl</a>',
        html=True,
    )
    assertNotContains(statement, "osobnego adresu")


# 2. A damaged file ----------------------------------------------------------------------------


def test_a_damaged_file_is_reported_as_damaged_to_the_editor(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", status="published")
    data["file"] = SimpleUploadedFile("uszkodzony.pdf", DAMAGED)

    response = client.post(url, data, follow=True)

    [message] = [
        str(m) for m in response.context["messages"] if str(m).startswith("Plik dokumentu")
    ]
    assert message.startswith(
        f"Plik dokumentu „{document.title}” jest uszkodzony lub nieczytelny: archiwum nie umie "
        "go otworzyć."
    )
    assert "<li>Blokuje odczyt: Plik uszkodzony lub nieczytelny:" in message
    assert "skan" not in message


def test_a_damaged_file_is_marked_as_damaged_on_the_public_pages():
    document = with_file(DAMAGED, title="Uszkodzony")
    client = Client()

    page = client.get(document.get_absolute_url())
    assertContains(
        page, '<h2 id="dostepnosc-pliku">Plik uszkodzony lub nieczytelny</h2>', html=True
    )
    assertContains(page, "Dlaczego: plik uszkodzony lub nieczytelny.")
    assertNotContains(page, "skan")
    assertContains(
        client.get(document.meeting.get_absolute_url()),
        f"(podsumowanie spotkania; PDF, {filesizeformat(len(DAMAGED))}; plik uszkodzony lub "
        "nieczytelny)",
    )
    statement = client.get(reverse("accessibility:statement"))
    assertContains(statement, "– plik uszkodzony lub nieczytelny.")


# 3. Scanned pages in the text version ------------------------------------------------------


def test_a_scanned_page_among_text_pages_is_marked_in_its_place():
    document = with_file(MIXED)
    response = Client().get(document.get_text_url())
    assertInHTML(
        '<div class="document-body" lang="pl"><p>Pierwsza strona ma tekst.</p>'
        '<p class="page-note"><strong>Strona 2: skan — tekst niedostępny.</strong></p>'
        "<p>Trzecia strona ma tekst.</p></div>",
        response.content.decode(),
    )
    assertContains(response, "Tekst odczytano z pliku automatycznie")


def test_a_scan_no_one_has_read_says_so_page_by_page():
    document = with_file(SCAN)
    response = Client().get(document.get_text_url())
    assertContains(
        response, "Ten dokument jest skanem bez warstwy tekstowej: jego tekstu nie odczytano."
    )
    assertNotContains(response, "Tekst odczytano z pliku automatycznie")
    for number in (1, 2):
        assertContains(
            response,
            f'<p class="page-note"><strong>Strona {number}: skan — tekst niedostępny.</strong></p>',
            html=True,
        )


def test_what_ocr_read_shows_under_its_pages_note(monkeypatch, run_worker):  # noqa: F811
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(
        ocr,
        "recognise_pdf",
        lambda file, pages: {page: f"Odczytana strona {page}." for page in pages},
    )
    mixed = with_file(MIXED)
    scan = with_file(SCAN)
    run_worker()
    client = Client()

    assertInHTML(
        '<div class="document-body" lang="pl"><p>Pierwsza strona ma tekst.</p>'
        '<div class="ocr-page"><p class="page-note"><strong>Strona 2: skan. Tekst poniżej '
        "odczytano automatycznie (OCR) i może zawierać błędy; rozstrzygający jest plik "
        "oryginalny.</strong></p><p>Odczytana strona 2.</p></div>"
        "<p>Trzecia strona ma tekst.</p></div>",
        client.get(mixed.get_text_url()).content.decode(),
    )
    response = client.get(scan.get_text_url())
    assertContains(
        response,
        "Ten dokument jest skanem: jego tekst odczytano automatycznie (OCR) i może zawierać błędy.",
    )
    assertContains(response, "<p>Odczytana strona 1.</p>", html=True)
    assertContains(response, "<p>Odczytana strona 2.</p>", html=True)


# 4. Links to text versions told apart ------------------------------------------------------


def test_same_titled_documents_of_different_meetings_have_distinct_link_names():
    first = with_file(MIXED, title="Podsumowanie", meeting=meeting_on(datetime.date(2025, 6, 11)))
    second = with_file(MIXED, title="Podsumowanie", meeting=meeting_on(datetime.date(2025, 9, 3)))
    html = Client().get("/").content.decode()
    for document, day in ((first, "11 czerwca 2025"), (second, "3 września 2025")):
        assertInHTML(
            f'<a class="text-version" href="{document.get_text_url()}">wersja tekstowa'
            f'<span class="visually-hidden">: Podsumowanie ({day}, PDF)</span></a>',
            html,
        )


def test_same_titled_documents_of_one_meeting_differ_by_their_file_type():
    from tests.accessibility.documents import docx_bytes

    meeting = meeting_on(datetime.date(2025, 6, 11))
    with_file(MIXED, title="Podsumowanie", meeting=meeting)
    with_file(docx_bytes(), name="podsumowanie.docx", title="Podsumowanie", meeting=meeting)
    html = Client().get(meeting.get_absolute_url()).content.decode()
    assert ": Podsumowanie (11 czerwca 2025, PDF)</span>" in html
    assert ": Podsumowanie (11 czerwca 2025, DOCX)</span>" in html


# 6. The statement's list ----------------------------------------------------------------------


def test_the_statement_lists_by_meeting_day_newest_first_then_title_across_stable_pages(
    monkeypatch,
):
    from accessibility import views

    monkeypatch.setattr(views, "DOCUMENTS_PER_PAGE", 2)
    june = meeting_on(datetime.date(2025, 6, 11))
    september = meeting_on(datetime.date(2025, 9, 3), title="Spotkanie jesienne")
    # Saved in an order that is neither the listed one nor its reverse.
    with_file(SCAN, title="Bilans", meeting=june)
    with_file(SCAN, title="Zestawienie", meeting=september)
    with_file(SCAN, title="Agenda", meeting=june)
    with_file(SCAN, title="Apel", meeting=september)
    client = Client()

    listed = []
    for page in (1, 2):
        html = client.get(reverse("accessibility:statement"), {"page": page}).content.decode()
        section = html[html.index('<ul class="inaccessible-documents">') :]
        section = section[: section.index("</ul>")]
        links = {
            title: section.find(f">{title}</a>")
            for title in ("Apel", "Zestawienie", "Agenda", "Bilans")
        }
        listed.append(sorted((t for t, at in links.items() if at >= 0), key=links.get))
    assert listed == [["Apel", "Zestawienie"], ["Agenda", "Bilans"]]


def test_the_request_reads_in_english_on_an_english_page_the_title_stays_polish(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    document = with_file(SCAN, title="Podsumowanie spotkania")
    path = document.get_absolute_url()
    response = Client().get(f"/en{path}")
    assertContains(response, '<h2 id="dostepnosc-pliku">This file is not fully accessible</h2>')
    assertContains(
        response,
        "Need this document in an accessible form? Write to Kraków City Hall – its addresses "
        "and phone numbers are in the",
    )
    assertContains(
        response,
        'In your message give the document\'s title “<span lang="pl">Podsumowanie spotkania'
        "</span>”",
    )
