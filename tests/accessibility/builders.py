"""Real documents built in memory, good and bad for accessibility: DOCX with headings, tables
and pictures, ODF, workbooks with and without a header row. PDFs, tagged or not, with a text
layer or scanned, are the sample data's own (sampledata/files.py)."""

import io

from openpyxl import Workbook

from tests.files.builders import zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def heading(text, level=1):
    return (
        f'<w:p><w:pPr><w:pStyle w:val="Nagwek{level}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
    )


def paragraph(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def table(rows, header=False):
    properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    cells = [
        "<w:tr>"
        + (properties if index == 0 else "")
        + "".join(f"<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>" for cell in row)
        + "</w:tr>"
        for index, row in enumerate(rows)
    ]
    return f"<w:tbl>{''.join(cells)}</w:tbl>"


def picture(alt="", decorative=False):
    marker = ""
    if decorative:
        marker = (
            '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
            "</a:ext></a:extLst>"
        )
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Obraz 1" descr="{alt}">'
        f'{marker}</wp:docPr><a:graphic><a:graphicData uri="{PICTURE}"/></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="{language}"/></w:rPr></w:rPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:styleId="Normalny"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Nagwek1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Nagwek2"><w:name w:val="heading 2"/></w:style>'
    "</w:styles>"
)


def core_properties(title):
    """docProps/core.xml with the document's title ("" writes none)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
        "</cp:coreProperties>"
    )


def docx(*blocks, language="pl-PL", title="Podsumowanie spotkania"):
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
        f'xmlns:wp="{WP_NS}" xmlns:a="{A_NS}"><w:body>{"".join(blocks)}</w:body></w:document>'
    )
    styles = STYLES.replace("{language}", language)
    if not language:
        styles = styles.replace('<w:lang w:val=""/>', "")
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "word/document.xml": document,
            "word/styles.xml": styles,
            "docProps/core.xml": core_properties(title),
        }
    )


def xlsx(*sheets):
    """A workbook of `sheets`, each (title, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odf(kind, body, language="pl-PL", title="Podsumowanie spotkania"):
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NAMESPACES}>'
        f"<office:meta><dc:title>{title}</dc:title><dc:language>{language}</dc:language>"
        "</office:meta>"
        "</office:document-meta>"
    )
    return zip_bytes(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest/>',
            "content.xml": content,
            "meta.xml": meta,
        },
        stored={"mimetype"},
    )
