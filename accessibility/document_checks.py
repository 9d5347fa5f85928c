"""What stands between a document and a resident who cannot read it as it is: the accessibility
check of an uploaded file.

`check_file(file, file_format)` returns a list of `Finding`s and never raises. Each finding has
a code, a severity (BLOCKING: a screen reader cannot read or navigate the content, or no one
could check that it can, so the document is not shown as fully accessible; ADVICE: a fix worth
making that does not lock anyone out) and its parameters (pages, sheet names); its Polish
texts, what to do for the editor and why for the public, come from FINDINGS by its code, so a stored check reads in today's words.

The readers are bounded as the search's text extraction is (files/text_extraction.py, whose
limits they share): ZIP members are streamed through files.archives within their limits, XML
is parsed by defusedxml as it streams, PDF pages and spreadsheet rows are counted and the time
is checked between them. A file that breaks a reader gives the findings read until then and
"unreadable" (the file is damaged or unreadable: distinct from a scan, which opens), never an
exception.
"""

import logging
import re
import time
from dataclasses import dataclass, field

from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject

from files import archives
from files.archives import CompressedTooHighly, check_member, member_chunks, open_zip
from files.text_extraction import MAX_PDF_PAGES, MAX_SECONDS, has_text, page_is_scan
from files.uploads import _reading

logger = logging.getLogger(__name__)

BLOCKING = "blocking"
ADVICE = "advice"

# A document this long (paragraphs with text) is navigated by its headings.
HEADINGS_EXPECTED_FROM = 8
# Rows of a sheet read to judge its first row (a header is at the top).
SHEET_ROWS_READ = 20
# Fonts named in a finding; more would not help an editor.
FONTS_NAMED = 5
# Spreadsheet cells a row of an ODS may repeat before it is taken as padding to the edge.
ODS_MAX_REPEAT = 1000


@dataclass(frozen=True)
class FindingKind:
    severity: str
    # What the editor should do, in plain Polish.
    advice: str
    # Why a resident may not read the file: the public marker and the accessibility statement.
    reason: str


UNREADABLE = "unreadable"
# A ZIP member declaring it inflates far more than documents do (files.archives): not read.
COMPRESSED_TOO_HIGHLY = "compressed-too-highly"
# What a file's check says when it could not say anything of its accessibility.
UNVERIFIED = ("format-not-checked", "not-checked")

FINDINGS = {
    UNREADABLE: FindingKind(
        BLOCKING,
        _(
            "Plik uszkodzony lub nieczytelny: archiwum nie umie go otworzyć, więc nie ma też "
            "jego wersji tekstowej, a mieszkańcy mogą go nie otworzyć. Otwórz go w programie, "
            "w którym powstał, zapisz ponownie i prześlij jeszcze raz (albo poproś autora o "
            "nową kopię)."
        ),
        _("plik uszkodzony lub nieczytelny"),
    ),
    COMPRESSED_TOO_HIGHLY: FindingKind(
        BLOCKING,
        _(
            "Plik po rozpakowaniu byłby setki razy większy niż przesłany (tak zbudowane są "
            "tzw. bomby ZIP; dokumenty zapisane w edytorze nigdy tak się nie kompresują), więc "
            "archiwum go nie odczytało: nie ma jego wersji tekstowej ani tekstu w "
            "wyszukiwarce. Otwórz go w programie, w którym powstał, zapisz ponownie i prześlij "
            "jeszcze raz (albo poproś autora o nową kopię)."
        ),
        _("plik nieczytelny: po rozpakowaniu byłby setki razy większy"),
    ),
    # A stored finding whose code this version no longer knows.
    "not-checked": FindingKind(
        BLOCKING,
        _("Nie udało się sprawdzić pliku: prześlij go jeszcze raz."),
        _("pliku nie udało się odczytać i sprawdzić"),
    ),
    "password": FindingKind(
        BLOCKING,
        _(
            "Plik jest zabezpieczony hasłem: czytniki ekranu go nie otworzą. Prześlij wersję "
            "bez hasła."
        ),
        _("plik jest zabezpieczony hasłem"),
    ),
    "pdf-scan": FindingKind(
        BLOCKING,
        _(
            "Dokument jest skanem bez warstwy tekstowej: opublikuj wersję tekstową lub plik z "
            "OCR (rozpoznanym tekstem)."
        ),
        _("skan bez warstwy tekstowej"),
    ),
    "pdf-pages-without-text": FindingKind(
        BLOCKING,
        _(
            "Strony bez warstwy tekstowej (skany lub obrazy): %(pages)s. Prześlij plik, w "
            "którym te strony mają tekst (zapisany z edytora albo po OCR)."
        ),
        _("strony bez warstwy tekstowej: %(pages)s"),
    ),
    "pdf-no-text": FindingKind(
        BLOCKING,
        _(
            "PDF nie zawiera tekstu ani obrazów: jego strony są puste albo to, co na nich "
            "widać, jest narysowane liniami (np. tekst zamieniony na krzywe), więc czytnik "
            "ekranu nic w nim nie przeczyta. Sprawdź, czy to właściwy plik, i zapisz go z "
            "edytora jako PDF, w którym tekst pozostaje tekstem."
        ),
        _("PDF bez tekstu (puste strony albo tekst zamieniony na rysunek)"),
    ),
    "pdf-javascript": FindingKind(
        ADVICE,
        _(
            "PDF zawiera skrypty (JavaScript), uruchamiane przy otwarciu pliku, w "
            "formularzu lub w odnośnikach: wiele przeglądarek i czytników ekranu ich nie "
            "uruchamia, a skrypt w pliku dla mieszkańców może być niebezpieczny. Zapisz "
            "dokument ponownie jako PDF bez skryptów (np. eksport do PDF/A albo „Drukuj → "
            "Zapisz jako PDF”), chyba że skrypt jest naprawdę potrzebny."
        ),
        _("PDF zawiera skrypty (JavaScript)"),
    ),
    "pdf-untagged": FindingKind(
        BLOCKING,
        _(
            "PDF nie ma znaczników struktury (tagów): czytnik ekranu nie rozpozna nagłówków, "
            "list ani tabel. Zapisz go z edytora jako PDF z tagami (w Wordzie: Zapisz jako → "
            "PDF → Opcje → „Tagi struktury dokumentu ułatwień dostępu”; w LibreOffice: "
            "Eksportuj jako PDF → „PDF z tagami”)."
        ),
        _("PDF bez znaczników struktury (tagów)"),
    ),
    "pdf-no-title": FindingKind(
        ADVICE,
        _(
            "PDF nie ma tytułu we właściwościach dokumentu: wpisz go (Plik → Właściwości → "
            "Tytuł) przed zapisaniem jako PDF."
        ),
        _("brak tytułu dokumentu"),
    ),
    "no-title": FindingKind(
        ADVICE,
        _(
            "Dokument nie ma tytułu we właściwościach pliku: wpisz go (w Wordzie: Plik → "
            "Informacje → Właściwości → Tytuł; w LibreOffice: Plik → Właściwości → Opis → "
            "Tytuł). Czytnik ekranu przedstawia dokument tym tytułem, a nie nazwą pliku."
        ),
        _("brak tytułu dokumentu"),
    ),
    "pdf-title-not-shown": FindingKind(
        ADVICE,
        _(
            "PDF ma tytuł, ale przeglądarka pokaże zamiast niego nazwę pliku: włącz "
            "wyświetlanie tytułu dokumentu (Adobe Acrobat: Właściwości → Widok początkowy → "
            "Pokaż: tytuł dokumentu)."
        ),
        _("tytuł dokumentu nie jest wyświetlany"),
    ),
    "no-language": FindingKind(
        ADVICE,
        _(
            "Dokument nie ma ustawionego języka: ustaw język polski (w Wordzie: Recenzja → "
            "Język; w LibreOffice: Narzędzia → Język), by czytnik ekranu czytał go po polsku."
        ),
        _("brak ustawionego języka dokumentu"),
    ),
    "language-not-polish": FindingKind(
        ADVICE,
        _(
            "Język dokumentu ustawiono na „%(language)s”: jeśli tekst jest po polsku, ustaw "
            "język polski, inaczej czytnik ekranu przeczyta go z obcą wymową."
        ),
        _("język dokumentu ustawiony na „%(language)s”"),
    ),
    "pdf-fonts-not-embedded": FindingKind(
        ADVICE,
        _(
            "Czcionki nie są osadzone w pliku (%(fonts)s): tekst może wyglądać inaczej na "
            "innym komputerze. Zapisz PDF z osadzonymi czcionkami (np. jako PDF/A)."
        ),
        _("czcionki nieosadzone w pliku"),
    ),
    "pdf-partly-checked": FindingKind(
        ADVICE,
        _(
            "Sprawdzono tylko pierwsze %(pages)s stron dokumentu: pozostałe sprawdź sam, np. "
            "narzędziem „Sprawdzanie ułatwień dostępu” w edytorze."
        ),
        _("sprawdzono tylko część stron"),
    ),
    "no-headings": FindingKind(
        ADVICE,
        _(
            "Dokument nie używa stylów nagłówków: oznacz tytuły części stylami „Nagłówek 1”, "
            "„Nagłówek 2”…, by czytnik ekranu mógł przechodzić między nimi."
        ),
        _("brak nagłówków"),
    ),
    "images-without-alt": FindingKind(
        BLOCKING,
        _(
            "Obrazy bez tekstu alternatywnego: %(count)s. Dodaj każdemu opis (prawy przycisk "
            "myszy → „Edytuj tekst alternatywny”) albo oznacz go jako dekoracyjny."
        ),
        _("obrazy bez tekstu alternatywnego"),
    ),
    "tables-without-header": FindingKind(
        ADVICE,
        _(
            "Tabele bez oznaczonego wiersza nagłówka: %(count)s. Zaznacz pierwszy wiersz i "
            "włącz „Powtórz jako wiersz nagłówka” (Word) lub „Powtarzaj nagłówek” (LibreOffice)."
        ),
        _("tabele bez wiersza nagłówka"),
    ),
    "sheets-without-header": FindingKind(
        ADVICE,
        _(
            "Arkusze bez wiersza nagłówka w pierwszym wierszu: %(sheets)s. Zacznij tabelę od "
            "wiersza z nazwami kolumn (bez tytułu i pustych wierszy nad nim)."
        ),
        _("arkusze bez wiersza nagłówka"),
    ),
    # Blocking: a file no one verified cannot be called accessible, so its page and the
    # statement say it was not checked, as they say of a file that could not be read.
    "format-not-checked": FindingKind(
        BLOCKING,
        _(
            "Archiwum nie sprawdza dostępności plików %(format)s, więc strona dokumentu i "
            "deklaracja dostępności mówią mieszkańcom, że jej nie sprawdzono. Opublikuj "
            "dokument jako DOCX, ODT lub PDF z tagami (te archiwum sprawdza) albo sprawdź go "
            "sam narzędziem „Sprawdzanie ułatwień dostępu” w edytorze."
        ),
        _("dostępności pliku w formacie %(format)s nie sprawdzono"),
    ),
}


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def kind(self):
        return FINDINGS[self.code]

    @property
    def severity(self):
        return self.kind.severity

    @property
    def is_blocking(self):
        return self.severity == BLOCKING

    @property
    def advice(self):
        return self.kind.advice % self.params if self.params else str(self.kind.advice)

    @property
    def reason(self):
        return self.kind.reason % self.params if self.params else str(self.kind.reason)

    def as_json(self):
        return {"code": self.code, "severity": self.severity, "params": self.params}

    @classmethod
    def from_json(cls, data):
        """A stored finding; one whose code this version no longer knows reads as unchecked."""
        code = data.get("code") if isinstance(data, dict) else None
        if code not in FINDINGS:
            return cls("not-checked")
        params = data.get("params")
        return cls(code, params if isinstance(params, dict) else {})


class Findings:
    def __init__(self):
        self.items = []

    def add(self, code, **params):
        if all(item.code != code for item in self.items):
            self.items.append(Finding(code, params))


def check_file(file, file_format):
    """The accessibility findings of `file` in `file_format` ("PDF", "DOCX", ...; as
    files.uploads.detected_format names it). Never raises; the file is left rewound."""
    checker = _CHECKERS.get(file_format)
    findings = Findings()
    if checker is None:
        findings.add("format-not-checked", format=file_format or "?")
        return findings.items
    try:
        with _reading(file):
            checker(file, findings)
    except CompressedTooHighly:
        logger.warning(
            "Did not check %s file %s: a member compressed too highly",
            file_format,
            getattr(file, "name", None) or "(unnamed)",
            exc_info=True,
        )
        findings.add(COMPRESSED_TOO_HIGHLY)
    except Exception:  # a hostile file can break any parser in any way: say so, keep the rest
        logger.warning(
            "Could not check the accessibility of %s file %s",
            file_format,
            getattr(file, "name", None) or "(unnamed)",
            exc_info=True,
        )
        findings.add(UNREADABLE)
    return findings.items


def page_ranges(numbers):
    """1, 2, 3, 5 → "1–3, 5": pages named in a finding."""
    ranges = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)


def _language_findings(findings, language):
    language = (language or "").strip()
    if not language:
        findings.add("no-language")
    elif not language.lower().startswith("pl"):
        findings.add("language-not-polish", language=language[:20])


# PDF ----------------------------------------------------------------------------------------


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_true(value):
    value = _resolved(value)
    return value.value if isinstance(value, BooleanObject) else value is True


def _dictionary(value):
    value = _resolved(value)
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _has_structure(root):
    """Whether the structure tree holds any element: a tree without one (which some tools write
    to look tagged) gives a screen reader no more than no tree at all."""
    tree = _dictionary(root.get("/StructTreeRoot"))
    elements = _resolved(tree.get("/K"))
    if isinstance(elements, ArrayObject):
        return len(elements) > 0
    return isinstance(elements, DictionaryObject)


def _check_pdf(file, findings):
    reader = PdfReader(file, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        findings.add("password")
        return
    root = _dictionary(reader.trailer.get("/Root"))
    mark_info = _dictionary(root.get("/MarkInfo"))
    if not (_is_true(mark_info.get("/Marked")) and _has_structure(root)):
        findings.add("pdf-untagged")
    title = (reader.metadata or {}).get("/Title")
    if not str(_resolved(title) or "").strip():
        findings.add("pdf-no-title")
    elif not _is_true(_dictionary(root.get("/ViewerPreferences")).get("/DisplayDocTitle")):
        findings.add("pdf-title-not-shown")
    _language_findings(findings, str(_resolved(root.get("/Lang")) or ""))
    if _document_scripts(root):
        findings.add("pdf-javascript")
    _check_pdf_pages(reader, findings)


def _is_script(action):
    """Whether a PDF action (a dictionary, or an array of destinations) runs JavaScript."""
    action = _dictionary(action)
    return "/JS" in action or action.get("/S") == "/JavaScript"


def _document_scripts(root):
    """Whether the catalog names scripts (/Names /JavaScript), opens with one (/OpenAction)
    or runs one on a document event (/AA); pages and their links are read page by page."""
    if "/JavaScript" in _dictionary(root.get("/Names")):
        return True
    if _is_script(root.get("/OpenAction")):
        return True
    return any(_is_script(action) for action in _dictionary(root.get("/AA")).values())


def _page_scripts(page):
    """Whether a page runs a script when opened or closed (/AA), or a link or form field on
    it does (its annotations' /A and /AA)."""
    if any(_is_script(action) for action in _dictionary(page.get("/AA")).values()):
        return True
    annotations = _resolved(page.get("/Annots"))
    for annotation in annotations if isinstance(annotations, ArrayObject) else []:
        annotation = _dictionary(annotation)
        actions = [annotation.get("/A"), *_dictionary(annotation.get("/AA")).values()]
        if any(_is_script(action) for action in actions):
            return True
    return False


def _check_pdf_pages(reader, findings):
    deadline = time.monotonic() + MAX_SECONDS
    scans, unembedded, text_pages = [], {}, 0
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_PDF_PAGES or time.monotonic() > deadline:
            findings.add("pdf-partly-checked", pages=number - 1)
            break
        if _page_scripts(page):
            findings.add("pdf-javascript")
        page_text = page.extract_text()
        if has_text(page_text):
            text_pages += 1
        elif page_is_scan(page, page_text):
            scans.append(number)
        # A page without text or images (blank, or lines only) is neither: see below.
        _unembedded_fonts(_dictionary(page.get("/Resources")), unembedded)
    # The page numbers go with the finding for OCR (accessibility.ocr) to read those pages.
    if scans and not text_pages:
        findings.add("pdf-scan", numbers=scans)
    elif scans:
        findings.add("pdf-pages-without-text", pages=page_ranges(scans), numbers=scans)
    elif not text_pages:
        findings.add("pdf-no-text")
    if unembedded:
        names = sorted(unembedded)
        shown = ", ".join(names[:FONTS_NAMED]) + (" …" if len(names) > FONTS_NAMED else "")
        findings.add("pdf-fonts-not-embedded", fonts=shown)


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _unembedded_fonts(resources, unembedded):
    for font in _dictionary(resources.get("/Font")).values():
        font = _dictionary(font)
        if font.get("/Subtype") == "/Type3":
            continue  # drawn by the file's own procedures: nothing to embed
        descendants = font.get("/DescendantFonts")
        fonts = [_dictionary(item) for item in _resolved(descendants)] if descendants else [font]
        for described in fonts:
            descriptor = _dictionary(described.get("/FontDescriptor"))
            if not any(name in descriptor for name in _FONT_FILES):
                name = str(font.get("/BaseFont") or "?").lstrip("/")
                unembedded[name[:60]] = True


# XML packages: DOCX, ODT ------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DOCX_NEEDS_ALT = (
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram",
)
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _local(tag):
    return tag.rpartition("}")[2]


def _feed(archive, name, target, budget):
    """Streams member `name` of `archive` into parser `target`; False if there is no such
    member. Within the member's limit and the file's `budget`, as the text reader reads."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return False
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    limit = min(archives.MAX_MEMBER_BYTES, budget[0])
    for chunk in member_chunks(archive, info, limit):
        budget[0] -= len(chunk)
        parser.feed(chunk)
    parser.close()
    return True


class _Target:
    """A parser target keeping no tree: subclasses note what they need as elements open."""

    def __init__(self):
        self.deadline = time.monotonic() + MAX_SECONDS
        self.elements = 0

    def start(self, tag, attributes):
        self.elements += 1
        if self.elements % 10_000 == 0 and time.monotonic() > self.deadline:
            raise TimeoutError(f"XML took over {MAX_SECONDS} s")

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


# A WordprocessingML on/off value that is off (absent means on).
_FALSE = ("0", "false", "off")


class _DocProperties(_Target):
    """docProps/core.xml of a DOCX, meta.xml of an OpenDocument: the title and language
    written in the file's properties (both use Dublin Core's dc:title and dc:language)."""

    def __init__(self):
        super().__init__()
        self.values = {"title": "", "language": ""}
        self.reading = None

    def start(self, tag, attributes):
        super().start(tag, attributes)
        self.reading = _local(tag) if tag in (f"{DC}title", f"{DC}language") else None

    def end(self, tag):
        self.reading = None

    def data(self, data):
        if self.reading:
            self.values[self.reading] += data

    def title_findings(self, findings):
        if not self.values["title"].strip():
            findings.add("no-title")


class _DocxStyles(_Target):
    """styles.xml: which paragraph styles are headings, and the document's default language."""

    def __init__(self):
        super().__init__()
        self.headings = set()
        self.language = ""
        self.style = None
        self.in_defaults = 0

    def start(self, tag, attributes):
        super().start(tag, attributes)
        value = attributes.get(f"{W}val", "")
        if tag == f"{W}style":
            self.style = attributes.get(f"{W}styleId", "")
        elif tag == f"{W}docDefaults":
            self.in_defaults += 1
        elif tag == f"{W}lang" and self.in_defaults and not self.language:
            self.language = value
        elif self.style is not None and tag == f"{W}name":
            # Word's built-in names are English whatever the interface language.
            if value.lower().startswith(("heading", "title", "nagłówek", "tytuł")):
                self.headings.add(self.style)
        elif (
            self.style is not None
            and tag == f"{W}outlineLvl"
            and value.isdigit()
            and int(value) < 9
        ):
            self.headings.add(self.style)

    def end(self, tag):
        if tag == f"{W}style":
            self.style = None
        elif tag == f"{W}docDefaults":
            self.in_defaults -= 1


class _DocxBody(_Target):
    """document.xml: paragraphs and their styles, pictures and their alternative text, tables
    and whether their first row repeats as a header."""

    def __init__(self):
        super().__init__()
        self.paragraph_styles = []  # per paragraph with text: its style id, or "#outline"
        self.style = None
        self.has_text = False
        self.images_without_alt = 0
        self.drawing = None  # {"alt": bool, "needs_alt": bool} inside wp:inline/wp:anchor
        self.tables = []  # per table: [rows seen, first row is a header]
        self.tables_without_header = 0
        self.in_text = 0

    def start(self, tag, attributes):
        super().start(tag, attributes)
        if tag == f"{W}p":
            self.style, self.has_text = None, False
        elif tag == f"{W}pStyle":
            self.style = self.style or attributes.get(f"{W}val", "")
        elif tag == f"{W}outlineLvl":
            self.style = "#outline"
        elif tag == f"{W}t":
            self.in_text += 1
        elif tag in (f"{WP}inline", f"{WP}anchor"):
            self.drawing = {"alt": False, "needs_alt": False}
        elif tag == f"{WP}docPr" and self.drawing is not None:
            self.drawing["alt"] = bool(attributes.get("descr", "").strip())
        elif _local(tag) == "decorative" and self.drawing is not None:
            self.drawing["alt"] = self.drawing["alt"] or attributes.get("val") in ("1", "true")
        elif tag == f"{A}graphicData" and self.drawing is not None:
            self.drawing["needs_alt"] = attributes.get("uri", "") in DOCX_NEEDS_ALT
        elif tag == f"{W}tbl":
            self.tables.append([0, False])
        elif tag == f"{W}tr" and self.tables:
            self.tables[-1][0] += 1
        elif tag == f"{W}tblHeader" and self.tables and self.tables[-1][0] == 1:
            self.tables[-1][1] = attributes.get(f"{W}val", "true") not in _FALSE

    def end(self, tag):
        if tag == f"{W}t":
            self.in_text -= 1
        elif tag == f"{W}p" and self.has_text:
            self.paragraph_styles.append(self.style)
        elif tag in (f"{WP}inline", f"{WP}anchor") and self.drawing is not None:
            if self.drawing["needs_alt"] and not self.drawing["alt"]:
                self.images_without_alt += 1
            self.drawing = None
        elif tag == f"{W}tbl" and self.tables:
            rows, header = self.tables.pop()
            # A one-row table is a layout box, not data a header would explain.
            if rows > 1 and not header:
                self.tables_without_header += 1

    def data(self, data):
        if self.in_text and data.strip():
            self.has_text = True


def _check_docx(file, findings):
    budget = [archives.MAX_UNPACKED_BYTES]
    with open_zip(file) as archive:
        styles = _DocxStyles()
        _feed(archive, "word/styles.xml", styles, budget)
        body = _DocxBody()
        if not _feed(archive, "word/document.xml", body, budget):
            raise ValueError("a DOCX without word/document.xml")
        properties = _DocProperties()
        _feed(archive, "docProps/core.xml", properties, budget)
    heading = {*styles.headings, "#outline"}
    if len(body.paragraph_styles) >= HEADINGS_EXPECTED_FROM and not any(
        style in heading for style in body.paragraph_styles
    ):
        findings.add("no-headings")
    if body.images_without_alt:
        findings.add("images-without-alt", count=body.images_without_alt)
    if body.tables_without_header:
        findings.add("tables-without-header", count=body.tables_without_header)
    properties.title_findings(findings)
    _language_findings(findings, styles.language)


class _OdfStyles(_Target):
    """styles.xml (and content.xml's automatic styles): the default language."""

    def __init__(self):
        super().__init__()
        self.language = ""
        self.in_default = 0

    def start(self, tag, attributes):
        super().start(tag, attributes)
        if tag == f"{STYLE}default-style":
            self.in_default += 1
        elif tag == f"{STYLE}text-properties" and self.in_default and not self.language:
            language = attributes.get(f"{FO}language", "")
            if language and language != "zxx":  # "no language"
                country = attributes.get(f"{FO}country", "")
                self.language = f"{language}-{country}" if country else language

    def end(self, tag):
        if tag == f"{STYLE}default-style":
            self.in_default -= 1


class _OdfBody(_Target):
    """content.xml of a text document: headings, paragraphs, pictures and tables."""

    def __init__(self):
        super().__init__()
        self.headings = self.paragraphs = 0
        self.frames = []  # per open draw:frame: [has an image, has a title or description]
        self.images_without_alt = 0
        self.tables = []  # per open table: [data rows, has header rows]
        self.tables_without_header = 0

    def start(self, tag, attributes):
        super().start(tag, attributes)
        if tag == f"{TEXT}h":
            self.headings += 1
        elif tag == f"{TEXT}p":
            self.paragraphs += 1
        elif tag == f"{DRAW}frame":
            self.frames.append([False, False])
        elif tag in (f"{DRAW}image", f"{DRAW}object") and self.frames:
            self.frames[-1][0] = True
        elif tag in (f"{SVG}title", f"{SVG}desc") and self.frames:
            self.frames[-1][1] = True
        elif tag == f"{TABLE}table":
            self.tables.append([0, False])
        elif tag == f"{TABLE}table-header-rows" and self.tables:
            self.tables[-1][1] = True
        elif tag == f"{TABLE}table-row" and self.tables:
            # A row repeated is as many rows: a two-row table may be written as one, twice.
            self.tables[-1][0] += _repeat(attributes.get(f"{TABLE}number-rows-repeated"))

    def end(self, tag):
        if tag == f"{DRAW}frame" and self.frames:
            has_image, has_alt = self.frames.pop()
            if has_image and not has_alt:
                self.images_without_alt += 1
        elif tag == f"{TABLE}table" and self.tables:
            rows, header = self.tables.pop()
            if rows > 1 and not header:
                self.tables_without_header += 1


def _odf_language(archive, budget, properties):
    """The language meta.xml names (read into `properties`), else the default style's."""
    if properties.values["language"].strip():
        return properties.values["language"].strip()
    styles = _OdfStyles()
    _feed(archive, "styles.xml", styles, budget)
    return styles.language


def _check_odt(file, findings):
    budget = [archives.MAX_UNPACKED_BYTES]
    with open_zip(file) as archive:
        body = _OdfBody()
        if not _feed(archive, "content.xml", body, budget):
            raise ValueError("an OpenDocument without content.xml")
        properties = _DocProperties()
        _feed(archive, "meta.xml", properties, budget)
        language = _odf_language(archive, budget, properties)
    if body.headings + body.paragraphs >= HEADINGS_EXPECTED_FROM and not body.headings:
        findings.add("no-headings")
    if body.images_without_alt:
        findings.add("images-without-alt", count=body.images_without_alt)
    if body.tables_without_header:
        findings.add("tables-without-header", count=body.tables_without_header)
    properties.title_findings(findings)
    _language_findings(findings, language)


# Spreadsheets: XLSX, ODS ----------------------------------------------------------------------


def _is_label(value):
    """A column's name: text that is not a number or a date typed as text."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and not re.fullmatch(r"[-+]?[\d\s.,:/%-]+", text)


def has_header_row(rows):
    """Whether a sheet's first non-empty row names its columns: every column the rows below
    use has a label there. A sheet of one row (or none) is no table and passes."""
    rows = [_trimmed(row) for row in rows]
    rows = [row for row in rows if row]
    if len(rows) < 2:
        return True
    first, below = rows[0], rows[1:]
    used = {index for row in below for index, value in enumerate(row) if _filled(value)}
    return all(index < len(first) and _is_label(first[index]) for index in used)


def _filled(value):
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _trimmed(row):
    row = list(row)
    while row and not _filled(row[-1]):
        row.pop()
    return row


def _sheet_findings(findings, sheets):
    missing = [title for title, rows in sheets if not has_header_row(rows)]
    if missing:
        names = ", ".join(f"„{title}”" for title in missing[:FONTS_NAMED])
        findings.add("sheets-without-header", sheets=names + (" …" if len(missing) > 5 else ""))


def _check_xlsx(file, findings):
    # openpyxl reads members itself: it gets only a workbook whose members are within bounds,
    # as the text reader hands it one.
    with open_zip(file) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                check_member(info)
    file.seek(0)
    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True, max_row=SHEET_ROWS_READ)
            sheets.append((sheet.title, [row[:1000] for row in rows]))
        _sheet_findings(findings, sheets)
    finally:
        workbook.close()


class _OdsSheets(_Target):
    """content.xml of a spreadsheet: the first rows of each table, cells as their values."""

    def __init__(self):
        super().__init__()
        self.sheets = []  # (title, rows)
        self.row = None
        self.repeat = 1
        self.cell = None  # [value type, text, repeat]

    def start(self, tag, attributes):
        super().start(tag, attributes)
        if tag == f"{TABLE}table":
            self.sheets.append((attributes.get(f"{TABLE}name", "?"), [], [False]))
        elif tag == f"{TABLE}table-header-rows" and self.sheets:
            self.sheets[-1][2][0] = True
        elif tag == f"{TABLE}table-row" and self.sheets:
            self.row = []
            self.repeat = _repeat(attributes.get(f"{TABLE}number-rows-repeated"))
        elif tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell") and self.row is not None:
            repeat = _repeat(attributes.get(f"{TABLE}number-columns-repeated"))
            self.cell = [attributes.get(f"{OFFICE}value-type"), "", repeat]

    def end(self, tag):
        if tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell") and self.cell:
            kind, text, repeat = self.cell
            # A number, date or other typed value is never a column's label.
            value = (text or None) if kind in (None, "string") else 0
            if len(self.row) < 1000:
                self.row.extend([value] * repeat)
            self.cell = None
        elif tag == f"{TABLE}table-row" and self.row is not None and self.sheets:
            rows = self.sheets[-1][1]
            if _trimmed(self.row):
                rows.extend([self.row] * min(self.repeat, SHEET_ROWS_READ))
                del rows[SHEET_ROWS_READ:]
            self.row = None

    def data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def _repeat(value):
    try:
        return max(1, min(int(value or 1), ODS_MAX_REPEAT))
    except ValueError:
        return 1


def _check_ods(file, findings):
    budget = [archives.MAX_UNPACKED_BYTES]
    with open_zip(file) as archive:
        target = _OdsSheets()
        if not _feed(archive, "content.xml", target, budget):
            raise ValueError("an OpenDocument without content.xml")
    # A table that declares its header rows has them, whatever its first cells hold.
    sheets = [(title, rows) for title, rows, (declared,) in target.sheets if not declared]
    _sheet_findings(findings, sheets)


_CHECKERS = {
    "PDF": _check_pdf,
    "DOCX": _check_docx,
    "ODT": _check_odt,
    "XLSX": _check_xlsx,
    "ODS": _check_ods,
}
