"""The accessibility check of uploaded files, on real files built in the tests."""

import io
import re
import zipfile

from accessibility.document_checks import BLOCKING, Finding, check_file, has_header_row
from sampledata.files import accessible_pdf, pdf
from tests.accessibility.builders import docx, heading, odf, paragraph, picture, table, xlsx
from tests.files.builders import zip_bytes


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


def test_formats_the_archive_does_not_check_get_advice_naming_them():
    [finding] = check(b"{\\rtf1 Tekst}", "RTF")
    assert (finding.code, finding.severity, finding.params) == (
        "format-not-checked",
        "advice",
        {"format": "RTF"},
    )
    assert "plików RTF" in finding.advice


def test_a_stored_finding_reads_back_and_an_unknown_code_reads_as_unchecked():
    finding = Finding("pdf-pages-without-text", {"pages": "2"})
    assert Finding.from_json(finding.as_json()) == finding
    assert Finding.from_json({"code": "retired-check"}).code == "not-checked"
    assert Finding.from_json("junk").code == "not-checked"
