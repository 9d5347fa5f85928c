"""Small real files built in memory for the upload, text extraction, archive and backup tests."""

import io
import zipfile

# The objects of a one-page PDF: catalog, page tree, page (its contents object 4 and its font
# object 5 follow when the page has text).
_BLANK_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def pdf_stream(data):
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def pdf_document(objects):
    """A PDF of `objects` (numbered from 1, the first the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def pdf_bytes(text=None):
    """A minimal valid one-page PDF; with `text` (ASCII) written on its page."""
    if text is None:
        return pdf_document(_BLANK_PAGE)
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    return pdf_document(
        [
            *_BLANK_PAGE[:2],
            page,
            pdf_stream(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def zip_bytes(members, stored=()):
    """A ZIP with `members` ({name: str or bytes}) in order; names in `stored` not compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            compression = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()
