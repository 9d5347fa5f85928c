"""The structure of a document for its HTML version, read from real small files."""

import io

import pytest

from accessibility.html_version import blocks_to_html
from files import structured_text, text_extraction
from files.structured_text import extract_blocks
from tests.accessibility.documents import (
    DOCX_STYLES,
    _p,
    _word,
    docx_bytes,
    odf_bytes,
    ods_bytes,
    odt_bytes,
    pdf_bytes,
    rtf_bytes,
    xlsx_bytes,
)
from tests.files.builders import pdf_document, pdf_stream, zip_bytes


def blocks_of(content, file_format):
    return extract_blocks(io.BytesIO(content), file_format)


def heading(level, text):
    return {"type": "heading", "level": level, "text": text}


def paragraph(text):
    return {"type": "paragraph", "text": text}


def items(*texts):
    return [
        {"text": text, "level": 0} if isinstance(text, str) else {"text": text[0], "level": 1}
        for text in texts
    ]


def test_docx_headings_lists_and_table_come_from_its_styles_numbering_and_bold_header():
    assert blocks_of(docx_bytes(), "DOCX") == [
        heading(2, "Podsumowanie spotkania"),
        paragraph("Spotkanie odbyło się w Centrum Obywatelskim."),
        # By its outline level; the next by the style it is based on.
        heading(3, "Zgłoszone postulaty"),
        {
            "type": "list",
            "ordered": False,
            "items": items(
                "Więcej lokali dla organizacji",
                ("w dzielnicach poza centrum",),
                "Dłuższe terminy naborów",
            ),
        },
        heading(3, "Dalsze kroki"),
        {
            "type": "list",
            "ordered": True,
            "items": items("Przygotować stanowisko", "Opublikować stanowisko"),
        },
        {
            "type": "table",
            "caption": "",
            "header": True,
            "rows": [["Lp.", "Postulat"], ["1", "Więcej lokali & <sal>"]],
        },
    ]


def test_odt_headings_numbered_list_and_header_rows():
    assert blocks_of(odt_bytes(), "ODT") == [
        heading(2, "Stanowisko Wydziału"),
        paragraph("Wydział odpowiada na postulaty."),
        heading(3, "Odpowiedzi"),
        {"type": "list", "ordered": True, "items": items("Uwzględniony", "Nieuwzględniony")},
        {
            "type": "table",
            "caption": "",
            "header": True,
            "rows": [["Postulat", "Rozstrzygnięcie"], ["Więcej lokali", "uwzględniony"]],
        },
    ]


def test_xlsx_sheets_are_captioned_tables_headed_by_a_first_row_of_text():
    assert blocks_of(xlsx_bytes(), "XLSX") == [
        {
            "type": "table",
            "caption": "Postulaty",
            "header": True,
            "rows": [
                ["Lp.", "Treść", "Wydział"],
                ["1", "Więcej lokali dla organizacji", "Wydział Kultury"],
                ["2", "Dłuższe terminy naborów", ""],
            ],
        },
        # A first row of numbers heads nothing.
        {
            "type": "table",
            "caption": "Liczby",
            "header": False,
            "rows": [["2024", "15"], ["2025", "18"]],
        },
    ]


def test_ods_padding_to_the_sheets_edge_is_dropped():
    assert blocks_of(ods_bytes(), "ODS") == [
        {
            "type": "table",
            "caption": "Postulaty",
            "header": True,
            "rows": [["Organizacja", "Głosy"], ["Fundacja Środowiska", "12"]],
        }
    ]


def test_pdf_headings_are_the_short_lines_set_larger_and_dashes_make_a_list():
    assert blocks_of(pdf_bytes(), "PDF") == [
        heading(2, "Podsumowanie spotkania"),
        paragraph(
            "Spotkanie odbylo sie w Centrum Obywatelskim przy ul. Reymonta 20, w sali na "
            "parterze. Wzielo w nim udzial dwadziescia organizacji."
        ),
        heading(3, "Postulaty"),
        {
            "type": "list",
            "ordered": False,
            "items": items("wiecej lokali dla organizacji", "dluzsze terminy naborow"),
        },
    ]


def test_a_pdf_in_one_size_has_no_headings_guessed():
    single = pdf_bytes().replace(b"/F1 20 Tf", b"/F1 11 Tf").replace(b"/F1 14 Tf", b"/F1 11 Tf")
    blocks = blocks_of(single, "PDF")
    assert [block["type"] for block in blocks] == ["paragraph", "list"]
    assert blocks[0]["text"].startswith("Podsumowanie spotkania Spotkanie odbylo")


def test_rtf_gives_its_lines_as_paragraphs():
    assert blocks_of(rtf_bytes(), "RTF") == [
        paragraph("Notatka ze spotkania"),
        paragraph("Omówiono harmonogram naborów."),
    ]


def test_heading_levels_never_skip_one_going_down():
    blocks = [heading(4, "a"), heading(6, "b"), heading(2, "c"), heading(5, "d")]
    assert [b["level"] for b in structured_text.normalized_levels(blocks)] == [2, 3, 2, 3]


@pytest.mark.parametrize("file_format", ["PDF", "DOCX", "ODT", "ODS", "XLSX", "XLS"])
def test_a_broken_file_gives_no_blocks_and_no_error(file_format, caplog):
    assert blocks_of(b"PK\x03\x04 not really anything", file_format) == []


def test_the_text_of_all_blocks_stops_at_the_same_limit_as_search_text(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_CHARS", 60)
    blocks = blocks_of(docx_bytes(), "DOCX")
    assert blocks == [
        heading(2, "Podsumowanie spotkania"),
        paragraph("Spotkanie odbyło się w Centrum Obywate"),  # cut at the 60th character
    ]


def test_a_hostile_docx_with_a_dtd_gives_nothing(caplog):
    evil = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    content = zip_bytes({"word/document.xml": evil})
    assert blocks_of(content, "DOCX") == []


def test_a_spreadsheet_past_the_row_limit_keeps_the_rows_read(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_SHEET_ROWS", 2)
    blocks = blocks_of(xlsx_bytes(), "XLSX")
    assert blocks == [
        {
            "type": "table",
            "caption": "Postulaty",
            "header": True,
            "rows": [
                ["Lp.", "Treść", "Wydział"],
                ["1", "Więcej lokali dla organizacji", "Wydział Kultury"],
            ],
        }
    ]


def test_odf_text_in_frames_and_comments_is_kept_apart_or_left_out():
    body = (
        "<office:text><text:p>Przed<office:annotation><text:p>komentarz</text:p>"
        "</office:annotation> po</text:p></office:text>"
    )
    content = odf_bytes("text", body).replace(
        b"<office:document-content ",
        b'<office:document-content xmlns:dc="http://purl.org/dc/elements/1.1/" ',
    )
    assert blocks_of(content, "ODT") == [paragraph("Przed po")]


def test_a_sheet_is_read_only_up_to_the_character_limit(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_CHARS", 30)
    [table] = blocks_of(xlsx_bytes(), "XLSX")
    # The caption and the first row (24 characters), then the second row cut at the 30th.
    assert table["caption"] == "Postulaty"
    assert table["rows"] == [["Lp.", "Treść", "Wydział"], ["1", "Więce", ""]]


def test_a_blank_page_is_left_out_and_only_a_scanned_one_is_marked():
    """A page of lines only is empty; a page painting an image without text is a scan."""
    from sampledata.files import pdf

    content = pdf(["Strona pierwsza", None, "Strona trzecia"])
    blank = content.replace(b"q 200 0 0 200 0 0 cm /Im1 Do Q", b"0 0 200 200 re S".ljust(30), 1)
    assert blocks_of(content, "PDF") == [
        paragraph("Strona pierwsza"),
        {"type": "scanned-page", "page": 2},
        paragraph("Strona trzecia"),
    ]
    assert blocks_of(blank, "PDF") == [paragraph("Strona pierwsza"), paragraph("Strona trzecia")]


def pdf_page(content):
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_a_pdf_paragraph_after_a_short_numbered_line_is_not_part_of_its_item():
    content = (
        b"BT /F1 11 Tf 50 750 Td (Spotkanie odbylo sie w Centrum Obywatelskim przy ul. "
        b"Reymonta 20, w sali na parterze.) Tj 0 -14 Td (1. Przygotowac stanowisko) Tj "
        b"0 -14 Td (2. Opublikowac stanowisko wydzialu w archiwum spotkan z organizacjami "
        b"pozarzadowymi) Tj 0 -14 Td (w ciagu miesiaca) Tj "
        b"0 -14 Td (Wydzial przygotuje odpowiedz w ciagu trzydziestu dni od dnia spotkania "
        b"z organizacjami.) Tj ET\n"
    )

    assert blocks_of(pdf_page(content), "PDF") == [
        paragraph(
            "Spotkanie odbylo sie w Centrum Obywatelskim przy ul. Reymonta 20, w sali na parterze."
        ),
        {
            "type": "list",
            "ordered": True,
            "items": items(
                "Przygotowac stanowisko",
                # A long line wraps: the short one after it is still the item's.
                "Opublikowac stanowisko wydzialu w archiwum spotkan z organizacjami "
                "pozarzadowymi w ciagu miesiaca",
            ),
        },
        paragraph(
            "Wydzial przygotuje odpowiedz w ciagu trzydziestu dni od dnia spotkania z "
            "organizacjami."
        ),
    ]


def test_docx_bullets_under_a_numbered_item_are_a_bulleted_list_inside_it():
    numbering = _word(
        "numbering",
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        '</w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '</w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
    )
    body = (
        _p("Kroki", numbered=1)
        + _p("lokale", numbered=1, level=1)
        + _p("nabory", numbered=1, level=1)
        + _p("Termin", numbered=1)
        + _p("Punkt", numbered=2)
        + _p("podpunkt", numbered=2, level=1)
    )
    content = zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "word/document.xml": _word("document", f"<w:body>{body}</w:body>"),
            "word/styles.xml": DOCX_STYLES,
            "word/numbering.xml": numbering,
        }
    )

    assert blocks_to_html(blocks_of(content, "DOCX")) == (
        "<ol><li>Kroki<ul><li>lokale</li><li>nabory</li></ul></li><li>Termin</li></ol>\n"
        "<ul><li>Punkt<ul><li>podpunkt</li></ul></li></ul>"
    )
