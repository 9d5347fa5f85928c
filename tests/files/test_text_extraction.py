"""Text is taken from every accepted format, in Polish, and never at the cost of a stalled upload.

Every sample file is built here: nothing comes from disk or the network.
"""

import datetime
import io
import logging
import struct
import time
import zipfile

import pytest
import xlwt
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter

from files import archives, text_extraction
from files.text_extraction import extract_text
from files.uploads import detected_format
from tests.files.builders import pdf_document, pdf_stream, zip_bytes

POLISH = "Zażółć gęślą jaźń"


def upload(name, content):
    return SimpleUploadedFile(name, content)


def words(text):
    return text.split()


# PDF ----------------------------------------------------------------------------------------
#
# pypdf cannot write text, so the PDF is laid out by hand. The standard 14 fonts know no Polish
# code page, so each page shows one of the two ways real PDFs carry Polish letters in a simple
# font: an /Encoding whose /Differences name the glyphs (/aogonek, /lslash, ...), and a
# /ToUnicode CMap that maps each byte to its Unicode character.

WIN_ANSI_WITH_POLISH = (
    b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences "
    b"[128 /aogonek /eogonek /lslash /sacute /zdotaccent /zacute /cacute /nacute /Sacute] >>"
)
# Byte for each Polish letter in the font above; ó is in WinAnsi itself.
DIFFERENCES_CODES = str.maketrans(
    {"ą": "\x80", "ę": "\x81", "ł": "\x82", "ś": "\x83", "ż": "\x84", "ź": "\x85", "ć": "\x86"}
    | {"ń": "\x87", "Ś": "\x88", "ó": "\xf3"}
)
TO_UNICODE_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Polish def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 beginbfrange
<20> <7E> <0020>
endbfrange
3 beginbfchar
<8C> <015A>
<F3> <00F3>
<B3> <0142>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def pdf_string(text, codes):
    return b"(" + text.translate(codes).encode("latin-1") + b")"


def pdf_with_polish_text():
    page_one = b"BT /F1 12 Tf 20 150 Td %s Tj 0 -20 Td %s Tj ET" % (
        pdf_string("Spotkanie z organizacjami", DIFFERENCES_CODES),
        pdf_string(POLISH, DIFFERENCES_CODES),
    )
    to_unicode_codes = str.maketrans({"Ś": "\x8c", "ó": "\xf3", "ł": "\xb3"})
    page_two = b"BT /F2 12 Tf 20 150 Td %s Tj 0 -20 Td %s Tj ET" % (
        pdf_string("Wydział Środowiska", to_unicode_codes),
        pdf_string("zestawienie postulatów", to_unicode_codes),
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 5 0 R "
        b"/Resources << /Font << /F1 7 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 6 0 R "
        b"/Resources << /Font << /F2 8 0 R >> >> >>",
        pdf_stream(page_one),
        pdf_stream(page_two),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %s >>"
        % WIN_ANSI_WITH_POLISH,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 9 0 R >>",
        pdf_stream(TO_UNICODE_CMAP),
    ]
    return pdf_document(objects)


def encrypted_pdf(user_password):
    writer = PdfWriter(clone_from=io.BytesIO(pdf_with_polish_text()))
    # RC4 needs no cryptography package, which pypdf wants for AES.
    writer.encrypt(user_password=user_password, owner_password="wlasciciel", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_hand_built_pdf_is_a_real_pdf():
    assert len(PdfReader(io.BytesIO(pdf_with_polish_text())).pages) == 2


def test_pdf_text_comes_out_with_polish_letters_from_both_kinds_of_font():
    text = extract_text(upload("notatka.pdf", pdf_with_polish_text()), "PDF")

    assert "Spotkanie z organizacjami" in text
    assert POLISH in text
    assert "Wydział Środowiska" in text
    assert "zestawienie postulatów" in text
    assert text.index("Spotkanie") < text.index("Środowiska")


def test_a_pdf_encrypted_only_against_editing_is_read_with_the_empty_password():
    content = encrypted_pdf(user_password="")
    assert PdfReader(io.BytesIO(content)).is_encrypted

    assert POLISH in extract_text(upload("zabezpieczony.pdf", content), "PDF")


def test_a_pdf_that_needs_a_password_gives_no_text(caplog):
    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload("tajny.pdf", encrypted_pdf(user_password="tajne")), "PDF")

    assert text == ""
    assert "password" in caplog.text


def test_only_the_first_pages_of_a_long_pdf_are_read(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_PDF_PAGES", 1)

    text = extract_text(upload("dlugi.pdf", pdf_with_polish_text()), "PDF")

    assert POLISH in text
    assert "Środowiska" not in text


# ZIP packages -------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


def word_xml(root, body):
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} xmlns:w="{W_NS}">{body}</w:{root}>'


def paragraph(*runs, properties=""):
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def run(content):
    return f"<w:r><w:rPr><w:b/></w:rPr>{content}</w:r>"


def docx_bytes(body, **extra_parts):
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": word_xml("document", f"<w:body>{body}</w:body>"),
            **extra_parts,
        }
    )


def test_docx_text_keeps_paragraphs_tabs_breaks_and_polish_letters():
    body = (
        paragraph(
            run("<w:t>Zażółć </w:t>"),
            run('<w:t xml:space="preserve">gęślą </w:t>'),
            run("<w:t>jaźń</w:t>"),
            # A tab stop in the paragraph's properties is no tab in the text.
            properties='<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>',
        )
        + paragraph(run("<w:t>Wydział</w:t><w:tab/><w:t>Środowiska</w:t><w:br/><w:t>Kraków</w:t>"))
        + paragraph(run("<w:delText>usunięte</w:delText>"), run("<w:t>postulatów</w:t>"))
    )
    content = docx_bytes(
        body,
        **{
            "word/header1.xml": word_xml("hdr", paragraph(run("<w:t>Nagłówek</w:t>"))),
            "word/footer2.xml": word_xml("ftr", paragraph(run("<w:t>Stopka</w:t>"))),
            "word/footnotes.xml": word_xml(
                "footnotes", f"<w:footnote>{paragraph(run('<w:t>Przypis</w:t>'))}</w:footnote>"
            ),
        },
    )
    assert detected_format(upload("a.docx", content)) == "DOCX"

    text = extract_text(upload("stanowisko.docx", content), "DOCX")

    assert text.splitlines() == [
        POLISH,
        "Wydział\tŚrodowiska",
        "Kraków",
        "postulatów",
        "Nagłówek",
        "Stopka",
        "Przypis",
    ]


def test_docx_text_boxes_are_not_counted_twice():
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = paragraph(run("<w:t>Ramka</w:t>"))
    body = (
        f'<w:p><w:r><mc:AlternateContent xmlns:mc="{mc}">'
        f"<mc:Choice><w:txbxContent>{box}</w:txbxContent></mc:Choice>"
        f"<mc:Fallback><w:txbxContent>{box}</w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )

    assert words(extract_text(upload("ramka.docx", docx_bytes(body)), "DOCX")) == ["Ramka"]


def slide_xml(*paragraphs):
    text = "".join(
        f"<a:p>{''.join(f'<a:r><a:t>{part}</a:t></a:r>' for part in parts)}</a:p>"
        for parts in paragraphs
    )
    return (
        f'<?xml version="1.0"?><p:sld xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:cSld><p:spTree>'
        f"<p:sp><p:txBody><a:bodyPr/><a:p><a:pPr><a:tabLst><a:tab pos='1'/></a:tabLst></a:pPr>"
        f"<a:r><a:t>Linia</a:t></a:r><a:br/><a:r><a:t>druga</a:t></a:r></a:p>{text}"
        "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )


def test_pptx_text_comes_slide_by_slide_in_slide_order():
    content = zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "ppt/presentation.xml": f'<?xml version="1.0"?><p:presentation xmlns:p="{P_NS}"/>',
            "ppt/slides/slide10.xml": slide_xml(["Dziesiąty"]),
            "ppt/slides/slide2.xml": slide_xml(["Wydział ", "Środowiska"]),
            "ppt/slides/slide1.xml": slide_xml([POLISH], ["postulatów"]),
            "ppt/notesSlides/notesSlide1.xml": slide_xml(["Notatki"]),
        }
    )
    assert detected_format(upload("a.pptx", content)) == "PPTX"

    text = extract_text(upload("prezentacja.pptx", content), "PPTX")

    assert text.splitlines() == [
        *["Linia", "druga", POLISH, "postulatów"],
        *["Linia", "druga", "Wydział Środowiska"],
        *["Linia", "druga", "Dziesiąty"],
    ]


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def odf_bytes(kind, body):
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    return zip_bytes(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest/>',
            "content.xml": content,
        },
        stored={"mimetype"},
    )


def test_odt_text_keeps_headings_paragraphs_spans_and_spaces():
    body = (
        "<office:text><text:tracked-changes><text:changed-region><text:deletion>"
        "<text:p>usunięte</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        '<text:h text:outline-level="1">Wydział <text:span>Środowiska</text:span></text:h>'
        "<text:p>Zażółć<text:s/>gęślą<text:s text:c='3'/>jaźń"
        "<office:annotation><dc:creator>Jan Kowalski</dc:creator>"
        "<dc:date>2025-01-01</dc:date><text:p>uwaga</text:p></office:annotation></text:p>"
        "<text:p>lista<text:tab/>postulatów<text:line-break/>"
        '<text:a xlink:href="x" xmlns:xlink="http://www.w3.org/1999/xlink">link</text:a></text:p>'
        "</office:text>"
    )
    content = odf_bytes("text", body)
    assert detected_format(upload("a.odt", content)) == "ODT"

    text = extract_text(upload("stanowisko.odt", content), "ODT")

    assert "Jan" not in text
    assert "2025" not in text
    assert words(text) == [
        *["Wydział", "Środowiska", "Zażółć", "gęślą", "jaźń", "uwaga"],
        *["lista", "postulatów", "link"],
    ]
    assert "lista\tpostulatów\nlink" in text


def test_ods_text_comes_cell_by_cell():
    body = (
        "<office:spreadsheet><table:table table:name='Arkusz1'>"
        "<table:table-row><table:table-cell><text:p>Organizacja</text:p></table:table-cell>"
        "<table:table-cell office:value-type='float' office:value='12'><text:p>12</text:p>"
        "</table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Fundacja Środowiska</text:p>"
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
    )
    content = odf_bytes("spreadsheet", body)
    assert detected_format(upload("a.ods", content)) == "ODS"

    text = extract_text(upload("zestawienie.ods", content), "ODS")

    assert text.splitlines() == ["Organizacja", "12", "Fundacja Środowiska"]


def test_odp_text_comes_from_every_slide():
    body = (
        "<office:presentation>"
        "<draw:page draw:name='1'><draw:frame><draw:text-box><text:p>Zażółć gęślą jaźń</text:p>"
        "</draw:text-box></draw:frame></draw:page>"
        "<draw:page draw:name='2'><draw:frame><draw:text-box><text:p>Omówienie "
        "<text:span>postulatów</text:span></text:p></draw:text-box></draw:frame></draw:page>"
        "</office:presentation>"
    )
    content = odf_bytes("presentation", body)
    assert detected_format(upload("a.odp", content)) == "ODP"

    text = extract_text(upload("prezentacja.odp", content), "ODP")

    assert text.splitlines() == [POLISH, "Omówienie postulatów"]


# XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Postulaty"
    sheet.append(["Numer", "Treść", "Głosy"])
    sheet.append([1, POLISH, 12.0])
    sheet.append([2, "Wydział\tŚrodowiska", 3.5])
    sheet["F10"] = "daleko"
    other = workbook.create_sheet("Źródła")
    other["B2"] = "postulatów"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_text_comes_row_by_row_from_every_sheet():
    content = xlsx_bytes()
    assert detected_format(upload("a.xlsx", content)) == "XLSX"

    text = extract_text(upload("zestawienie.xlsx", content), "XLSX")

    assert text.splitlines() == [
        "Postulaty",
        "Numer\tTreść\tGłosy",
        f"1\t{POLISH}\t12",
        "2\tWydział Środowiska\t3.5",
        "\t\t\t\t\tdaleko",
        "",
        "Źródła",
        "\tpostulatów",
    ]


def test_only_the_first_rows_of_a_big_workbook_are_read(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_SHEET_ROWS", 2)

    text = extract_text(upload("duzy.xlsx", xlsx_bytes()), "XLSX")

    assert POLISH in text
    assert "Środowiska" not in text


def test_a_workbook_with_an_oversized_member_is_not_handed_to_openpyxl(monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 100)

    assert extract_text(upload("bomba.xlsx", xlsx_bytes()), "XLSX") == ""


# RTF ----------------------------------------------------------------------------------------

RTF = (
    rb"{\rtf1\ansi\ansicpg1250\deff0"
    rb"{\fonttbl{\f0\fswiss\fcharset238 Arial;}{\f1\froman\fcharset0 Times New Roman;}}"
    rb"{\colortbl;\red0\green0\blue0;}"
    rb"{\stylesheet{\s0 Normal;}}"
    rb"{\info{\title Tytu\'b3 dokumentu}{\author Jan}}"
    rb"{\*\generator Microsoft Word 16;}"
    rb"\pard\plain\f0 Za\'bf\'f3\'b3\'e6 g\'ea\'9cl\'b9 ja\'9f\'f1\par"
    rb"\uc1 Wydzia\u322?\tab\u346?rodowiska\line Krak\'f3w\par"
    rb"{\field{\*\fldinst HYPERLINK \"https://example.org\"}{\fldrslt postulat\u243\'3fw}}\par"
    rb"{\pict\pngblip 89504e470d0a1a0a}\emdash  koniec\u-10179?\u-8704?\par"
    b"}"
)


def test_rtf_text_decodes_cp1250_bytes_and_unicode_escapes_and_drops_the_tables():
    assert detected_format(upload("a.rtf", RTF)) == "RTF"

    text = extract_text(upload("notatka.rtf", RTF), "RTF")

    assert text.splitlines() == [
        POLISH,
        "Wydział\tŚrodowiska",
        "Kraków",
        "postulatów",
        "— koniec😀",
    ]


def test_rtf_bytes_follow_the_font_charset_before_the_document_code_page():
    # A Western document (code page 1252) whose Polish text is in a Central European font.
    content = (
        rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset238 Arial CE;}}"
        rb"\f0 caf\'e9 {\f1 \'b3\'b9ka}\par}"
    )

    assert extract_text(upload("mieszany.rtf", content), "RTF") == "café łąka"


# DOC ----------------------------------------------------------------------------------------
#
# olefile can only read, so the compound file is laid out by hand after [MS-CFB], with each
# stream at the 4 KB mini-stream cutoff, so no mini FAT is needed. The Word stream holds a File
# Information Block that points to a piece table in the "1Table" stream ([MS-DOC] 2.4.1).

OLE2_SECTOR = 512
OLE2_STREAM_BYTES = 4096
NO_STREAM = FREE = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
FAT_SECTOR = 0xFFFFFFFD


def ole2_bytes(streams):
    """A version-3 compound file with the streams ({name: bytes up to 4 KB}) under the root."""
    names = list(streams)
    sectors_per_stream = OLE2_STREAM_BYTES // OLE2_SECTOR
    fat = [FAT_SECTOR, END_OF_CHAIN]  # sector 0: the FAT; sector 1: the directory
    for index in range(len(names)):
        first = 2 + index * sectors_per_stream
        fat += [*range(first + 1, first + sectors_per_stream), END_OF_CHAIN]
    fat += [FREE] * (OLE2_SECTOR // 4 - len(fat))
    # The root's child is the first stream; the rest hang off it as a chain of right siblings.
    entries = [directory_entry("Root Entry", 5, right=NO_STREAM, child=1, start=END_OF_CHAIN)]
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else NO_STREAM
        start = 2 + index * sectors_per_stream
        entries.append(directory_entry(name, 2, right=right, child=NO_STREAM, start=start))
    entries += [bytes(128)] * (4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),
        0x3E,
        3,  # 512-byte sectors
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        1,  # one FAT sector
        1,  # the directory's first sector
        0,
        OLE2_STREAM_BYTES,
        END_OF_CHAIN,  # no mini FAT
        0,
        END_OF_CHAIN,  # no extra DIFAT sectors
        0,
    ) + struct.pack("<109I", 0, *[FREE] * 108)
    data = b"".join(streams[name].ljust(OLE2_STREAM_BYTES, b"\0") for name in names)
    return header + struct.pack("<128I", *fat) + b"".join(entries) + data


def directory_entry(name, kind, *, right, child, start):
    encoded = name.encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded) + 2,
        kind,
        1,  # black
        NO_STREAM,
        right,
        child,
        bytes(16),
        0,
        0,
        0,
        start,
        OLE2_STREAM_BYTES if kind == 2 else 0,
    )


def doc_bytes(pieces, flags=0x0200):
    """A Word 97 document whose text is `pieces`: (text, compressed?) each, in that order."""
    fib = bytearray(1024)
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0415, 0, flags)
    struct.pack_into("<H", fib, 32, 14)  # 14 16-bit words
    struct.pack_into("<H", fib, 62, 22)  # 22 32-bit longs
    struct.pack_into("<H", fib, 152, 93)  # 93 offset/size pairs (Word 97)
    document = bytearray(fib)
    positions, descriptors, position = [0], b"", 0
    for text, compressed in pieces:
        offset = len(document)
        if compressed:
            document += text.encode("cp1252")
            value = (offset * 2) | 0x40000000
        else:
            document += text.encode("utf-16-le")
            value = offset
        position += len(text)
        positions.append(position)
        descriptors += struct.pack("<HIH", 0, value, 0)
    piece_table = struct.pack(f"<{len(positions)}I", *positions) + descriptors
    clx = b"\x01\x02\x00\xab\xcd" + b"\x02" + struct.pack("<I", len(piece_table)) + piece_table
    struct.pack_into("<II", document, 154 + 33 * 8, 0, len(clx))  # the Clx, at 0 in 1Table
    return ole2_bytes({"WordDocument": bytes(document), "1Table": clx})


def test_doc_text_comes_from_both_kinds_of_piece_and_drops_field_codes():
    content = doc_bytes(
        [
            ("Spotkanie z organizacjami\r", True),
            (f"{POLISH}\rWydział\x07Środowiska\x0bKraków\r", False),
            ('\x13 HYPERLINK "https://example.org" \x14postulatów\x15\r', False),
        ]
    )
    assert detected_format(upload("a.doc", content)) == "DOC"

    text = extract_text(upload("stary.doc", content), "DOC")

    assert text.splitlines() == [
        "Spotkanie z organizacjami",
        POLISH,
        "Wydział\tŚrodowiska",
        "Kraków",
        "postulatów",
    ]


def test_an_encrypted_doc_gives_no_text():
    content = doc_bytes([(POLISH, False)], flags=0x0200 | 0x0100)

    assert extract_text(upload("tajny.doc", content), "DOC") == ""


def test_a_doc_with_junk_streams_gives_no_text():
    content = ole2_bytes({"WordDocument": b"junk", "1Table": b"junk"})

    assert extract_text(upload("zly.doc", content), "DOC") == ""


def test_an_xls_whose_workbook_stream_is_junk_gives_no_text_but_no_error():
    content = ole2_bytes({"Workbook": b"\x09\x08\x10\x00"})
    assert detected_format(upload("a.xls", content)) == "XLS"

    assert extract_text(upload("stary.xls", content), "XLS") == ""


# XLS ----------------------------------------------------------------------------------------
#
# Written by xlwt, which writes Excel 97–2003 workbooks as Excel does (it is a test dependency
# only: the archive reads them with xlrd).


def xls_bytes(sheets):
    """A workbook of `sheets` ({title: {(row, column): value}})."""
    workbook = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for title, cells in sheets.items():
        sheet = workbook.add_sheet(title)
        for (row, column), value in cells.items():
            if isinstance(value, datetime.date):
                sheet.write(row, column, value, dates)
            else:
                sheet.write(row, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xls_text_comes_row_by_row_from_every_sheet():
    content = xls_bytes(
        {
            "Postulaty": {
                (0, 0): "Nr",
                (0, 1): "Treść postulatu",
                (1, 0): 1,
                (1, 1): POLISH,
                (2, 0): 2.5,
                (2, 2): datetime.date(2025, 3, 5),
                (3, 1): xlwt.Formula("1/0"),
            },
            "Wydział Środowiska": {(0, 0): "Kraków"},
        }
    )
    assert detected_format(upload("arkusz.xls", content)) == "XLS"

    assert extract_text(upload("arkusz.xls", content), "XLS") == (
        f"Postulaty\nNr\tTreść postulatu\n1\t{POLISH}\n2.5\t\t2025-03-05 00:00:00\n\n"
        "Wydział Środowiska\nKraków"
    )


def test_only_the_first_rows_of_a_big_xls_are_read(monkeypatch, caplog):
    monkeypatch.setattr(text_extraction, "MAX_SHEET_ROWS", 2)
    content = xls_bytes({"Arkusz": {(row, 0): f"wiersz {row}" for row in range(5)}})

    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload("duzy.xls", content), "XLS")

    assert text == "Arkusz\nwiersz 0\nwiersz 1"
    assert "first rows only" in caplog.text


def test_xlrd_is_stopped_while_it_loads_cells_far_apart(monkeypatch, caplog):
    """xlrd would pad every row to its last cell: 200 rows, 400 cells, 51 200 padded."""
    monkeypatch.setattr(text_extraction, "MAX_SHEET_CELLS", 10_000)
    cells = {(row, column): f"w{row}" for row in range(200) for column in (0, 255)}
    loaded = []
    real_load = text_extraction._XlsLoader.load

    def recording_load(loader, index):
        sheet = real_load(loader, index)
        loaded.append(sum(sheet.row_len(row) for row in range(sheet.nrows)))
        return sheet

    monkeypatch.setattr(text_extraction._XlsLoader, "load", recording_load)
    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload("rozstrzelony.xls", xls_bytes({"A": cells, "B": {}})), "XLS")

    # Thirty-nine rows of 256 cells (and the first of the next), not 51 200; the second sheet
    # is never loaded.
    assert len(loaded) == 1
    assert 9_984 <= loaded[0] <= 10_000
    assert "\nw38\t" in text
    assert "w40" not in text
    assert "first rows only" in caplog.text


def test_xlrd_is_stopped_when_loading_takes_too_long(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_SECONDS", 0)
    content = xls_bytes({"Arkusz": {(row, 0): row for row in range(30_000)}})

    text = extract_text(upload("wolny.xls", content), "XLS")

    assert 0 < len(text.splitlines()) < 10_001


# Broken and hostile files -------------------------------------------------------------------


def docx_sample():
    return docx_bytes(paragraph(run(f"<w:t>{POLISH}</w:t>")))


BROKEN = [
    ("PDF", b"%PDF-1.4\n" + bytes(range(256)) * 20),
    ("PDF", pdf_with_polish_text()[:200]),
    ("PDF", b"<html>nie PDF</html>"),
    ("DOCX", docx_sample()[: len(docx_sample()) // 2]),
    ("DOCX", b"PK\x03\x04" + b"\xff" * 500),
    ("PPTX", b"garbage"),
    ("ODT", b""),
    ("XLSX", xlsx_bytes()[:-40]),
    ("XLSX", zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<nie/>"})),
    ("DOC", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    ("XLS", b"junk"),
]


@pytest.mark.parametrize(("file_format", "content"), BROKEN)
def test_a_broken_file_gives_no_text_and_raises_nothing(file_format, content, caplog):
    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload(f"zly.{file_format.lower()}", content), file_format)

    assert text.strip(" ") == ""


@pytest.mark.parametrize(
    "content",
    [
        b"{\\rtf1 ",
        b"{\\rtf1 }}}}{{{{ \\",
        b"{\\rtf1 \\'zz \\u99999999999? \\uc-5 \\u-1 \\fcharset\\cpg999\\ansicpg0 x}",
        b"{\\rtf1 \\bin999999999 tekst}",
        b"{\\rtf1 \\" + bytes(range(256)) * 4,
    ],
)
def test_odd_rtf_never_raises(content):
    assert isinstance(extract_text(upload("dziwny.rtf", content), "RTF"), str)


def test_rtf_binary_data_is_skipped_by_its_length():
    content = b"{\\rtf1 {\\pict\\bin4 {}\\\\}przed \\bin2 a}\\par po}"

    assert words(extract_text(upload("bin.rtf", content), "RTF")) == ["przed", "po"]


def test_deeply_nested_rtf_is_cut_off_and_keeps_the_text_before():
    content = b"{\\rtf1 tekst " + b"{" * 1_000_000

    assert extract_text(upload("gleboki.rtf", content), "RTF") == "tekst"


def test_rtf_reading_stops_when_it_takes_too_long(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_SECONDS", 0)
    content = b"{\\rtf1 pierwsze\\par " + b"{}" * 20_000 + b" drugie}"

    assert extract_text(upload("wolny.rtf", content), "RTF") == "pierwsze"


def test_a_docx_whose_xml_declares_entities_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahaha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    content = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": laughs})

    assert extract_text(upload("smiech.docx", content), "DOCX") == ""


def test_a_member_compressed_other_than_by_deflate_is_not_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        document = word_xml("document", f"<w:body>{paragraph(run('<w:t>tekst</w:t>'))}</w:body>")
        archive.writestr("word/document.xml", document, compress_type=zipfile.ZIP_BZIP2)

    assert extract_text(upload("bzip.docx", buffer.getvalue()), "DOCX") == ""


def zip_bomb_docx(spaces):
    """A DOCX whose document.xml has `spaces` spaces between its first and last paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            start = paragraph(run("<w:t>Początek</w:t>"))
            member.write(word_xml("document", f"<w:body>{start}").encode().rsplit(b"</w:", 1)[0])
            chunk = b" " * (4 * 1024 * 1024)
            for _ in range(spaces // len(chunk)):
                member.write(chunk)
            member.write(f"{paragraph(run('<w:t>Koniec</w:t>'))}</w:body></w:document>".encode())
    return buffer.getvalue()


def test_a_zip_bomb_is_not_read_at_all(caplog):
    content = zip_bomb_docx(spaces=200 * 1024 * 1024)
    assert len(content) < 2 * 1024 * 1024

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload("bomba.docx", content), "DOCX")

    assert time.monotonic() - started < 2
    assert text == ""
    assert "CompressedTooHighly: word/document.xml declares" in caplog.text


def test_an_overlong_member_is_cut_off_and_keeps_the_text_before_the_cut(caplog, monkeypatch):
    monkeypatch.setattr(archives, "MAX_COMPRESSION_RATIO", 10**6)  # padding compresses so well
    content = zip_bomb_docx(spaces=20 * 1024 * 1024)

    with caplog.at_level(logging.WARNING, logger="files.text_extraction"):
        text = extract_text(upload("dlugi.docx", content), "DOCX")

    assert text == "Początek"
    assert f"is over {archives.MAX_MEMBER_BYTES} bytes uncompressed" in caplog.text
    assert "from its start only" in caplog.text


def test_the_text_is_capped(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_CHARS", 1000)
    content = docx_bytes(paragraph(run(f"<w:t>{'słowo ' * 1000}</w:t>")) * 10)

    text = extract_text(upload("dlugi.docx", content), "DOCX")

    assert len(text) <= 1000
    assert text.startswith("słowo słowo")


def test_control_characters_never_reach_the_text():
    content = rb"{\rtf1 a\'00b\'07c\par}"

    assert extract_text(upload("nul.rtf", content), "RTF") == "a b c"


def test_an_unknown_format_gives_no_text():
    assert extract_text(upload("plik.txt", b"tekst"), "TXT") == ""


# The file after extraction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_format", "build"),
    [
        ("PDF", pdf_with_polish_text),
        ("DOCX", docx_sample),
        ("XLSX", xlsx_bytes),
        ("RTF", lambda: RTF),
        ("DOCX", lambda: b"garbage"),
    ],
)
def test_the_file_is_rewound_after_extraction(file_format, build):
    content = build()
    file = upload("plik", content)
    file.read(10)

    extract_text(file, file_format)

    assert file.tell() == 0
    assert file.read() == content


def test_a_closed_file_is_opened_for_reading_and_closed_again(tmp_path):
    path = tmp_path / "notatka.rtf"
    path.write_bytes(RTF)
    file = File(path.open("rb"), name=str(path))
    file.close()

    assert POLISH in extract_text(file, "RTF")
    assert file.closed
