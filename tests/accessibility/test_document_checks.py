"""The accessibility check of uploaded files, on real files built in the tests."""

import io
import re
import zipfile

import pytest

from accessibility.document_checks import BLOCKING, Finding, check_file, has_header_row
from sampledata.files import accessible_pdf, pdf
from tests.accessibility.builders import W_NS as W
from tests.accessibility.builders import docx, heading, odf, paragraph, picture, table, xlsx
from tests.files.builders import pdf_document, pdf_stream, zip_bytes


def found(content, file_format):
    return {
        (f.code, f.severity, tuple(sorted(f.params.items()))) for f in check(content, file_format)
    }


def check(content, file_format):
    return check_file(io.BytesIO(content), file_format)


def codes(content, file_format):
    return {finding.code for finding in check(content, file_format)}


# PDF ------------------------------------------------------------------------------------------


def test_a_tagged_pdf_with_title_language_text_and_embedded_fonts_has_no_findings():
    assert check(accessible_pdf(), "PDF") == []


def test_an_untagged_pdf_without_title_and_language_gets_each_finding():
    assert found(pdf(), "PDF") == {
        ("pdf-untagged", "blocking", ()),
        ("pdf-no-title", "advice", ()),
        ("no-language", "advice", ()),
    }


def test_a_pdf_marked_as_tagged_with_an_empty_structure_tree_is_untagged():
    """Some tools write /Marked true and a tree without elements: nothing for a screen reader."""
    content = re.sub(
        rb"/Type /StructTreeRoot /K \d+ 0 R",
        b"/Type /StructTreeRoot          ",  # the same length: the offsets stay right
        accessible_pdf(),
    )
    assert b"/Marked true" in content
    assert found(content, "PDF") == {("pdf-untagged", "blocking", ())}


def test_a_title_the_viewer_does_not_show_and_a_foreign_language_are_advice():
    content = pdf(tagged=True, title="Podsumowanie", language="en-US")
    assert found(content, "PDF") == {
        ("pdf-title-not-shown", "advice", ()),
        ("language-not-polish", "advice", (("language", "en-US"),)),
    }


def test_a_scanned_pdf_is_flagged_as_a_scan_whatever_else_it_has():
    content = pdf([None, None], tagged=True, title="Skan", display_title=True, language="pl")
    [finding] = check(content, "PDF")
    assert (finding.code, finding.severity) == ("pdf-scan", BLOCKING)
    assert finding.advice == (
        "Dokument jest skanem bez warstwy tekstowej: opublikuj wersję tekstową lub plik z OCR "
        "(rozpoznanym tekstem)."
    )


def test_scanned_pages_among_text_pages_are_named_by_number():
    pages = ["Strona 1", None, None, "Strona 4", None]
    content = pdf(pages, tagged=True, title="T", display_title=True, language="pl")
    [finding] = check(content, "PDF")
    assert finding.code == "pdf-pages-without-text"
    assert finding.params == {"pages": "2–3, 5", "numbers": [2, 3, 5]}
    assert "2–3, 5" in finding.advice and "2–3, 5" in finding.reason


def test_fonts_that_are_not_embedded_are_named():
    content = pdf(tagged=True, title="T", display_title=True, language="pl", embedded=False)
    assert found(content, "PDF") == {("pdf-fonts-not-embedded", "advice", (("fonts", "Arial"),))}


def test_a_pdf_that_needs_a_password_is_blocking():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(accessible_pdf())))
    writer.encrypt(user_password="tajne", owner_password="właściciel")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert codes(buffer.getvalue(), "PDF") == {"password"}


def test_a_broken_pdf_is_unreadable_and_nothing_is_raised():
    assert ("unreadable", "blocking", ()) in found(b"%PDF-1.4\n1 0 obj << /Type", "PDF")
    assert "unreadable" in codes(b"%PDF-1.7\n" + b"\x00" * 50, "PDF")


def test_only_the_first_pages_of_a_long_pdf_are_checked(monkeypatch):
    from accessibility import document_checks

    monkeypatch.setattr(document_checks, "MAX_PDF_PAGES", 2)
    content = pdf(["a", "b", None], tagged=True, title="T", display_title=True, language="pl")
    assert found(content, "PDF") == {("pdf-partly-checked", "advice", (("pages", 2),))}


def page_pdf(*contents, catalog=b"", page=b"", resources=b"", extra=()):
    """A tagged, titled, Polish PDF of one page per content stream, drawn with `resources`
    (a page's entries, `page` added to each page); `extra` objects follow from number
    4 + 2 × pages."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 3 0 R "
        b"/Lang (pl) /ViewerPreferences << /DisplayDocTitle true >> " + catalog + b">>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Type /StructTreeRoot /K << /S /Document >> >>",
    ]
    for n, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman "
            b"/FontDescriptor << /FontFile2 1 0 R >> >> >> %s >> %s >>"
            % (5 + 2 * n, resources, page)
        )
        objects.append(pdf_stream(content))
    pdf = pdf_document([*objects, *extra])
    # pdf_document writes no /Info: the title goes in through pypdf, as an editor's tool would.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": "Podsumowanie"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


TEXT = b"BT /F1 12 Tf 20 100 Td (Podsumowanie spotkania) Tj ET"
LINES = b"0.5 w 20 20 m 180 180 l S 1 1 1 rg 0 0 200 200 re f"
IMAGE = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
IMAGE += b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"


def test_a_page_with_text_in_a_tagged_titled_polish_pdf_has_no_findings():
    assert check(page_pdf(TEXT), "PDF") == []


def test_a_blank_page_among_text_pages_is_no_scan():
    """A page of lines only, or nothing at all, is empty: nothing for OCR to read."""
    assert check(page_pdf(TEXT, LINES, b"q Q", TEXT), "PDF") == []


def test_a_pdf_of_blank_pages_only_says_it_has_no_text_and_is_no_scan():
    [finding] = check(page_pdf(LINES, b"q Q"), "PDF")
    assert (finding.code, finding.severity) == ("pdf-no-text", BLOCKING)
    assert finding.advice == (
        "PDF nie zawiera tekstu ani obrazów: jego strony są puste albo to, co na nich widać, "
        "jest narysowane liniami (np. tekst zamieniony na krzywe), więc czytnik ekranu nic w "
        "nim nie przeczyta. Sprawdź, czy to właściwy plik, i zapisz go z edytora jako PDF, w "
        "którym tekst pozostaje tekstem."
    )
    assert finding.reason == "PDF bez tekstu (puste strony albo tekst zamieniony na rysunek)"


def test_an_image_drawn_directly_inline_or_through_a_form_makes_a_scan_page():
    form = pdf_stream(b"q 200 0 0 200 0 0 cm /Im1 Do Q").replace(
        b"<< /Length",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] "
        b"/Resources << /XObject << /Im1 14 0 R >> >> /Length",
    )
    inline = b"q 200 0 0 200 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"
    content = page_pdf(
        TEXT,
        b"q 200 0 0 200 0 0 cm /Im1 Do Q",
        inline,
        b"/Fm1 Do",
        LINES,
        resources=b"/XObject << /Im1 14 0 R /Fm1 15 0 R >>",
        extra=[IMAGE, form],
    )
    [finding] = check(content, "PDF")
    assert finding.code == "pdf-pages-without-text"
    assert finding.params == {"pages": "2–4", "numbers": [2, 3, 4]}
    assert finding.advice == (
        "Strony bez warstwy tekstowej (skany lub obrazy): 2–4. Prześlij plik, w którym te "
        "strony mają tekst (zapisany z edytora albo po OCR)."
    )


JS_ADVICE = (
    "PDF zawiera skrypty (JavaScript), uruchamiane przy otwarciu pliku, w formularzu lub w "
    "odnośnikach: wiele przeglądarek i czytników ekranu ich nie uruchamia, a skrypt w pliku "
    "dla mieszkańców może być niebezpieczny. Zapisz dokument ponownie jako PDF bez skryptów "
    "(np. eksport do PDF/A albo „Drukuj → Zapisz jako PDF”), chyba że skrypt jest naprawdę "
    "potrzebny."
)


@pytest.mark.parametrize(
    "where",
    [
        {"catalog": b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"},
        {"catalog": b"/OpenAction 6 0 R", "extra": [b"<< /JS (app.alert\\(1\\)) >>"]},
        {"catalog": b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>"},
        {"catalog": b"/AA << /WC << /S /JavaScript /JS (x) >> >>"},
        {"page": b"/AA << /O << /S /JavaScript /JS (x) >> >>"},
        {
            "page": b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /JavaScript /JS (x) >> >>]"
        },
    ],
    ids=["open-action", "open-action-object", "names", "document-event", "page", "link"],
)
def test_javascript_in_a_pdf_is_flagged_wherever_it_runs(where):
    [finding] = check(page_pdf(TEXT, **where), "PDF")
    assert (finding.code, finding.severity, finding.advice) == (
        "pdf-javascript",
        "advice",
        JS_ADVICE,
    )


def test_a_pdf_whose_open_action_is_a_destination_runs_no_script():
    assert check(page_pdf(TEXT, catalog=b"/OpenAction [4 0 R /Fit]"), "PDF") == []


# DOCX -----------------------------------------------------------------------------------------


def long_text(count=8):
    return [paragraph(f"Akapit {number}") for number in range(count)]


def test_a_docx_with_headings_a_table_and_an_image_without_alt_text():
    content = docx(
        heading("Podsumowanie"),
        *long_text(),
        heading("Postulaty", 2),
        table([["Numer", "Treść"], ["1", "Więcej ławek"]]),
        picture(alt=""),
    )
    assert found(content, "DOCX") == {
        ("images-without-alt", "blocking", (("count", 1),)),
        ("tables-without-header", "advice", (("count", 1),)),
    }


def test_a_docx_with_described_and_decorative_images_and_a_header_row_has_no_findings():
    content = docx(
        heading("Podsumowanie"),
        *long_text(),
        table([["Numer", "Treść"], ["1", "Więcej ławek"]], header=True),
        table([["Ramka układu"]]),
        picture(alt="Zdjęcie uczestników spotkania"),
        picture(decorative=True),
    )
    assert check(content, "DOCX") == []


def test_a_long_docx_without_headings_and_without_language():
    content = docx(*long_text(), language="")
    assert found(content, "DOCX") == {("no-headings", "advice", ()), ("no-language", "advice", ())}


def test_a_short_docx_needs_no_headings():
    assert check(docx(*long_text(3)), "DOCX") == []


def test_a_docx_in_english_is_advised_to_be_set_to_polish():
    assert codes(docx(*long_text(2), language="en-US"), "DOCX") == {"language-not-polish"}


def test_a_docx_with_hostile_xml_could_not_be_checked():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<w:document>&b;</w:document>"
    )
    content = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": bomb})
    assert codes(content, "DOCX") == {"unreadable"}


def test_a_zip_bomb_member_stops_the_check_without_raising(monkeypatch):
    from files import archives

    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1000)
    content = docx(*long_text(200))
    assert "unreadable" in codes(content, "DOCX")


def test_an_unusually_compressed_docx_could_not_be_checked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert codes(buffer.getvalue(), "DOCX") == {"unreadable"}


NO_TITLE_ADVICE = (
    "Dokument nie ma tytułu we właściwościach pliku: wpisz go (w Wordzie: Plik → Informacje → "
    "Właściwości → Tytuł; w LibreOffice: Plik → Właściwości → Opis → Tytuł). Czytnik ekranu "
    "przedstawia dokument tym tytułem, a nie nazwą pliku."
)


def test_a_docx_and_an_odt_without_a_title_in_their_properties_are_advised_to_set_one():
    for content, file_format in [
        (docx(*long_text(2), title=""), "DOCX"),
        (docx(*long_text(2), title="   "), "DOCX"),
        (odf("text", "<office:text><text:p>Akapit</text:p></office:text>", title=""), "ODT"),
    ]:
        [finding] = check(content, file_format)
        assert (finding.code, finding.severity) == ("no-title", "advice")
        assert (finding.advice, finding.reason) == (NO_TITLE_ADVICE, "brak tytułu dokumentu")


def test_a_docx_without_core_properties_has_no_title():
    content = zip_bytes({"word/document.xml": f'<w:document xmlns:w="{W}"/>'})
    assert codes(content, "DOCX") == {"no-title", "no-language"}


def odt_table(rows, header=False, repeated=1):
    """An ODT table of `rows` rows of two cells (the first in header rows if `header`), the
    last row written once and repeated `repeated` times."""
    row = "<table:table-row{}><table:table-cell/><table:table-cell/></table:table-row>"
    rows_xml = [row.format("") for _ in range(rows - 1)]
    rows_xml.append(row.format(f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""))
    if header:
        rows_xml[0] = f"<table:table-header-rows>{rows_xml[0]}</table:table-header-rows>"
    body = f"<office:text><table:table>{''.join(rows_xml)}</table:table></office:text>"
    return odf("text", body)


def docx_table(rows, header=False, header_value=None):
    content = table([["a", "b"]] * rows, header=header)
    if header_value is not None:
        content = content.replace("<w:tblHeader/>", f'<w:tblHeader w:val="{header_value}"/>')
    return docx(content)


@pytest.mark.parametrize(
    ("docx_content", "odt_content", "flagged"),
    [
        (docx_table(2), odt_table(2), True),
        (docx_table(3, header=True), odt_table(3, header=True), False),
        (docx_table(1), odt_table(1), False),  # one row: a layout box
        (docx_table(2, header=True, header_value="off"), odt_table(1, repeated=2), True),
    ],
    ids=["no-header", "header", "one-row", "header-off-and-repeated-row"],
)
def test_docx_and_odt_tables_are_judged_alike(docx_content, odt_content, flagged):
    expected = {("tables-without-header", "advice", (("count", 1),))} if flagged else set()
    assert found(docx_content, "DOCX") == expected
    assert found(odt_content, "ODT") == expected


# ODT ------------------------------------------------------------------------------------------


def test_an_odt_with_headings_and_a_described_image_has_no_findings():
    body = (
        '<office:text><text:h text:outline-level="1">Podsumowanie</text:h>'
        + "".join(f"<text:p>Akapit {n}</text:p>" for n in range(8))
        + "<draw:frame><draw:image/><svg:title>Logo Miasta</svg:title></draw:frame>"
        + "<table:table><table:table-header-rows><table:table-row/></table:table-header-rows>"
        + "<table:table-row/></table:table></office:text>"
    )
    assert check(odf("text", body), "ODT") == []


def test_an_odt_without_headings_alt_text_table_header_and_language():
    body = (
        "<office:text>"
        + "".join(f"<text:p>Akapit {n}</text:p>" for n in range(8))
        + "<draw:frame><draw:image/></draw:frame>"
        + "<table:table><table:table-row/><table:table-row/></table:table></office:text>"
    )
    assert found(odf("text", body, language=""), "ODT") == {
        ("no-headings", "advice", ()),
        ("images-without-alt", "blocking", (("count", 1),)),
        ("tables-without-header", "advice", (("count", 1),)),
        ("no-language", "advice", ()),
    }


# Spreadsheets ---------------------------------------------------------------------------------


def test_a_workbook_with_a_header_row_has_no_findings():
    content = xlsx(("Postulaty", [["Numer", "Treść", "Wydział"], [1, "Ławki", "WS"], [2, "Kosze"]]))
    assert check(content, "XLSX") == []


def test_a_workbook_without_a_header_row_names_its_sheets():
    content = xlsx(
        ("Postulaty", [["Zestawienie postulatów 2025"], [], [1, "Ławki", "WS"], [2, "Kosze"]]),
        ("Dane", [[1, 2], [3, 4]]),
        ("Opis", [["Jedna komórka z opisem"]]),
    )
    assert found(content, "XLSX") == {
        ("sheets-without-header", "advice", (("sheets", "„Postulaty”, „Dane”"),)),
    }


def test_header_rows_are_judged_from_the_columns_the_data_uses():
    assert has_header_row([["Numer", "Treść"], [1, "a"], [2, None]])
    assert has_header_row([[None, None], ["Numer", "Treść"], [1, "a"]])  # empty rows skipped
    assert not has_header_row([["Numer"], [1, "a"]])  # the second column has no name
    assert not has_header_row([["2025", "Treść"], [1, "a"]])  # a number typed as text
    assert has_header_row([["Tylko jeden wiersz", 1]])


def test_an_ods_sheet_without_a_header_row_and_one_that_declares_it():
    sheet = (
        '<table:table table:name="{name}">{header}<table:table-row>'
        '<table:table-cell office:value-type="float"><text:p>1</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Ławki</text:p></table:table-cell>'
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="3"><table:table-cell '
        'office:value-type="float" table:number-columns-repeated="2"><text:p>2</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    header = "<table:table-header-rows><table:table-row/></table:table-header-rows>"
    body = (
        "<office:spreadsheet>"
        + sheet.format(name="Bez nagłówka", header="")
        + sheet.format(name="Z nagłówkiem", header=header)
        + "</office:spreadsheet>"
    )
    assert found(odf("spreadsheet", body), "ODS") == {
        ("sheets-without-header", "advice", (("sheets", "„Bez nagłówka”"),)),
    }


# Other formats and stored findings ------------------------------------------------------------


def test_formats_the_archive_does_not_check_are_blocking_as_not_checked():
    """No one verified an RTF file: it cannot be called accessible, and the page says so."""
    [finding] = check(b"{\\rtf1 Tekst}", "RTF")
    assert (finding.code, finding.severity, finding.params) == (
        "format-not-checked",
        "blocking",
        {"format": "RTF"},
    )
    assert finding.advice == (
        "Archiwum nie sprawdza dostępności plików RTF, więc strona dokumentu i deklaracja "
        "dostępności mówią mieszkańcom, że jej nie sprawdzono. Opublikuj dokument jako DOCX, "
        "ODT lub PDF z tagami (te archiwum sprawdza) albo sprawdź go sam narzędziem "
        "„Sprawdzanie ułatwień dostępu” w edytorze."
    )
    assert finding.reason == "dostępności pliku w formacie RTF nie sprawdzono"


def test_a_stored_finding_reads_back_and_an_unknown_code_reads_as_unchecked():
    finding = Finding("pdf-pages-without-text", {"pages": "2"})
    assert Finding.from_json(finding.as_json()) == finding
    assert Finding.from_json({"code": "retired-check"}).code == "not-checked"
    assert Finding.from_json("junk").code == "not-checked"
