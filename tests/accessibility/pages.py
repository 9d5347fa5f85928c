"""A document of every kind with its HTML version, for the page's browser and validity tests."""

import datetime

from django.core.files.base import ContentFile

from accessibility.models import EasyReadSummary
from tests.accessibility.documents import DOCUMENTS
from tests.factories import DepartmentFactory, DocumentFactory, MeetingFactory

# A correction an outside tester typed: a paragraph in a list and in a heading, empty link,
# heading, paragraph and header cell, a skipped heading level. The page shows it repaired.
BROKEN_CORRECTION = (
    "<h2>Postulaty</h2>"
    "<ul><p>Wstęp do listy</p><li>Lokale</li><p>Dopisek</p></ul>"
    "<h3><p>Nagłówek w akapicie</p></h3>"
    "<p><p>Akapit w akapicie</p></p>"
    '<p><a href="https://www.krakow.pl/"></a>Tekst</p>'
    "<h2></h2>"
    "<table><tr><th></th><th>Termin</th></tr><tr><th>Nabór</th><td>maj</td></tr></table>"
    "<h2>Dalej</h2><h5>Za głęboko</h5>"
)


def text_version_pages():
    """{name: address} of the HTML version of a document of each kind, one of them with an
    easy-to-read summary, one corrected by an editor and one by a careless editor."""
    meeting = MeetingFactory(
        title="Spotkanie branżowe Wydziału Kultury z organizacjami pozarządowymi",
        departments=[DepartmentFactory(name="Wydział Kultury")],
        dates=[datetime.date(2025, 6, 11)],
    )
    pages = {}
    for kind, (name, build) in DOCUMENTS.items():
        document = DocumentFactory(
            meeting=meeting, title=f"Podsumowanie spotkania branżowego ({kind})"
        )
        document.file.save(name, ContentFile(build()))
        pages[kind.lower()] = document.get_text_url()
        if kind == "DOCX":
            EasyReadSummary.objects.create(
                document=document,
                text="Urzędnicy spotkali się z organizacjami.\n\nRozmawiali o **lokalach**.",
            )
        if kind == "ODT":
            version = document.html_version
            version.corrected_html = (
                "<h2>Stanowisko</h2><p>Poprawione przez <strong>redakcję</strong>.</p>"
                '<table><tr><th scope="col">Postulat</th><th scope="col">Odpowiedź</th></tr>'
                "<tr><td>Więcej lokali</td><td>uwzględniony</td></tr></table>"
            )
            version.save()
            pages["corrected"] = document.get_text_url()
    document = DocumentFactory(meeting=meeting, title="Podsumowanie poprawione niedbale")
    name, build = DOCUMENTS["DOCX"]
    document.file.save(name, ContentFile(build()))
    version = document.html_version
    version.corrected_html = BROKEN_CORRECTION  # as stored before the repairs, shown repaired
    version.save()
    pages["repaired"] = document.get_text_url()
    return pages
