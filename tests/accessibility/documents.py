"""Real small documents of each kind, built in memory, for the HTML version's tests (unit,
page and browser)."""

import io

from openpyxl import Workbook

from tests.files.builders import pdf_document, pdf_stream, zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _word(root, body):
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:{root} xmlns:w="{W_NS}">{body}</w:{root}>'
    )


def _p(text, style=None, numbered=None, bold=False, level=0):
    properties = ""
    if style:
        properties += f'<w:pStyle w:val="{style}"/>'
    if numbered:
        properties += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{numbered}"/></w:numPr>'
    run_properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f"<w:p><w:pPr>{properties}</w:pPr><w:r>{run_properties}"
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    )


def _cell(text, bold=False):
    return f"<w:tc>{_p(text, bold=bold)}</w:tc>"


DOCX_STYLES = _word(
    "styles",
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Nagwek2"><w:name w:val="heading 2"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Moj"><w:name w:val="Mój nagłówek"/>'
    '<w:basedOn w:val="Nagwek2"/></w:style>',
)
DOCX_NUMBERING = _word(
    "numbering",
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
)


def docx_bytes():
    """Headings by style (one by its outline level, one inherited), a bulleted list with a
    nested item, a numbered list and a table whose bold first row heads it."""
    body = (
        _p("Podsumowanie spotkania", style="Heading1")
        + _p("Spotkanie odbyło się w Centrum Obywatelskim.")
        + _p("Zgłoszone postulaty", style="Nagwek2")
        + _p("Więcej lokali dla organizacji", numbered=1)
        + _p("w dzielnicach poza centrum", numbered=1, level=1)
        + _p("Dłuższe terminy naborów", numbered=1)
        + _p("Dalsze kroki", style="Moj")
        + _p("Przygotować stanowisko", numbered=2)
        + _p("Opublikować stanowisko", numbered=2)
        + "<w:tbl><w:tr>"
        + _cell("Lp.", bold=True)
        + _cell("Postulat", bold=True)
        + "</w:tr><w:tr>"
        + _cell("1")
        + _cell("Więcej lokali &amp; &lt;sal&gt;")
        + "</w:tr></w:tbl>"
    )
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": _word("document", f"<w:body>{body}</w:body>"),
            "word/styles.xml": DOCX_STYLES,
            "word/numbering.xml": DOCX_NUMBERING,
        }
    )


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:compatibility:xmlns:xsl-fo-compatible:1.0"'
)


def odf_bytes(kind, body, styles=""):
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
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


def odt_bytes():
    """Headings by outline level, a numbered list, and a table with header rows."""
    styles = (
        '<text:list-style style:name="L1"><text:list-level-style-number text:level="1"/>'
        "</text:list-style>"
    )
    body = (
        "<office:text>"
        '<text:h text:outline-level="1">Stanowisko Wydziału</text:h>'
        "<text:p>Wydział odpowiada na postulaty.</text:p>"
        '<text:h text:outline-level="2">Odpowiedzi</text:h>'
        '<text:list text:style-name="L1"><text:list-item><text:p>Uwzględniony</text:p>'
        "</text:list-item><text:list-item><text:p>Nieuwzględniony</text:p></text:list-item>"
        "</text:list>"
        "<table:table table:name='Tabela1'><table:table-header-rows><table:table-row>"
        "<table:table-cell><text:p>Postulat</text:p></table:table-cell>"
        "<table:table-cell><text:p>Rozstrzygnięcie</text:p></table:table-cell>"
        "</table:table-row></table:table-header-rows><table:table-row>"
        "<table:table-cell><text:p>Więcej lokali</text:p></table:table-cell>"
        "<table:table-cell><text:p>uwzględniony</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "</office:text>"
    )
    return odf_bytes("text", body, styles)


def ods_bytes():
    body = (
        "<office:spreadsheet><table:table table:name='Postulaty'>"
        "<table:table-row><table:table-cell><text:p>Organizacja</text:p></table:table-cell>"
        "<table:table-cell><text:p>Głosy</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated='1000'/></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Fundacja Środowiska</text:p>"
        "</table:table-cell><table:table-cell office:value-type='float' office:value='12'>"
        "<text:p>12</text:p></table:table-cell></table:table-row>"
        "<table:table-row table:number-rows-repeated='1048000'><table:table-cell "
        "table:number-columns-repeated='1024'/></table:table-row>"
        "</table:table></office:spreadsheet>"
    )
    return odf_bytes("spreadsheet", body)


def xlsx_bytes():
    """Two sheets: one whose first row of text heads its columns, one of numbers only."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Postulaty"
    sheet.append(["Lp.", "Treść", "Wydział"])
    sheet.append([1, "Więcej lokali dla organizacji", "Wydział Kultury"])
    sheet.append([2, "Dłuższe terminy naborów", None])
    numbers = workbook.create_sheet("Liczby")
    numbers.append([2024, 15])
    numbers.append([2025, 18])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes():
    """A page with a large title, body text, a smaller heading and a list, in Helvetica."""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    content = (
        b"BT /F1 20 Tf 50 780 Td (Podsumowanie spotkania) Tj ET\n"
        b"BT /F1 11 Tf 50 750 Td (Spotkanie odbylo sie w Centrum Obywatelskim przy ul. "
        b"Reymonta 20, w sali na parterze.) Tj 0 -14 Td (Wzielo w nim udzial dwadziescia "
        b"organizacji.) Tj ET\n"
        b"BT /F1 14 Tf 50 700 Td (Postulaty) Tj ET\n"
        b"BT /F1 11 Tf 50 680 Td (- wiecej lokali dla organizacji) Tj 0 -14 Td "
        b"(- dluzsze terminy naborow) Tj ET\n"
    )
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            pdf_stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def rtf_bytes():
    return (
        rb"{\rtf1\ansi\ansicpg1250\deff0{\fonttbl{\f0 Arial;}}"
        rb"\f0 Notatka ze spotkania\par "
        rb"Om\'f3wiono harmonogram nabor\'f3w.\par }"
    )


# Each kind of document: (file name, bytes builder).
DOCUMENTS = {
    "DOCX": ("podsumowanie.docx", docx_bytes),
    "ODT": ("stanowisko.odt", odt_bytes),
    "XLSX": ("zestawienie.xlsx", xlsx_bytes),
    "ODS": ("zestawienie.ods", ods_bytes),
    "PDF": ("podsumowanie.pdf", pdf_bytes),
    "RTF": ("notatka.rtf", rtf_bytes),
}
