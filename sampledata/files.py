"""Small real PDF files for the sample data, so the accessibility checks have something to find:
a tagged one, untagged ones and scans. Each says on its page that it is generated sample data.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accessibility.models import DocumentCheck
from accessibility.services import new_check
from files.text_extraction import extract_text
from meetings.models import Document, document_upload_to

SAMPLE_TEXT = "PRZYKLADOWY DOKUMENT - dane wygenerowane, nie dokument Miasta"
# One file for this many sample documents, and at most this many files in a run: enough for the
# statement and the lists to show flagged files, few enough to keep a big run's disk small.
ONE_FILE_IN = 7
MAX_FILES = 60

# One pixel of grey: what a scanner's page is, as far as the text layer goes.
_IMAGE = (
    b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
    b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
)


def _stream(data):
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def pdf(
    pages=(SAMPLE_TEXT,),
    *,
    tagged=False,
    title="",
    display_title=False,
    language="",
    embedded=True,
):
    """A PDF whose pages each hold a line of text (a latin-1 str) or, for None, a scanned
    image only; tagged (each line a paragraph of the structure tree, marked in its page's
    content), titled and with a language as asked."""
    catalog = ["/Type /Catalog /Pages 2 0 R"]
    objects = [None, None]  # the catalog and the page tree, filled in below
    font = len(objects) + 1
    objects.append(
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding "
        b"/FirstChar 32 /LastChar 126 /FontDescriptor %d 0 R >>" % (font + 1)
    )
    descriptor = b"/Type /FontDescriptor /FontName /Arial /Flags 32 /ItalicAngle 0"
    if embedded:
        descriptor += b" /FontFile2 %d 0 R" % (font + 2)
    objects.append(b"<< " + descriptor + b" >>")
    objects.append(_stream(b"not a real font program"))
    image = len(objects) + 1
    objects.append(_IMAGE)
    kids, text_pages = [], []
    for text in pages:
        if text is None:
            content = b"q 200 0 0 200 0 0 cm /Im1 Do Q"
        else:
            content = b"BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text.encode("latin-1")
            if tagged:
                content = b"/P << /MCID 0 >> BDC " + content + b" EMC"
        objects.append(_stream(content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
            % (len(objects), font, image)
        )
        kids.append(b"%d 0 R" % len(objects))
        if text is not None:
            text_pages.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    if tagged:
        tree, document = len(objects) + 1, len(objects) + 2
        paragraphs = [document + 1 + n for n in range(len(text_pages))]
        objects.append(b"<< /Type /StructTreeRoot /K %d 0 R >>" % document)
        objects.append(
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
            % (tree, b" ".join(b"%d 0 R" % number for number in paragraphs))
        )
        for page in text_pages:
            objects.append(
                b"<< /Type /StructElem /S /P /P %d 0 R /Pg %d 0 R /K 0 >>" % (document, page)
            )
        catalog.append(f"/MarkInfo << /Marked true >> /StructTreeRoot {tree} 0 R")
    if language:
        catalog.append(f"/Lang ({language})")
    if display_title:
        catalog.append("/ViewerPreferences << /DisplayDocTitle true >>")
    objects[0] = f"<< {' '.join(catalog)} >>".encode()
    info = None
    if title:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
        info = len(objects)
    return _document(objects, info)


def _document(objects, info):
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info_entry = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info_entry,
        xref_at,
    )
    return bytes(out)


def accessible_pdf(pages=(SAMPLE_TEXT,)):
    return pdf(pages, tagged=True, title="Przyklad", display_title=True, language="pl-PL")


# What the sample files are, in turn: a scan, an untagged PDF, an accessible one, a scan of
# some pages.
SAMPLE_FILES = (
    ("skan", lambda: pdf([None, None])),
    ("bez-tagow", lambda: pdf()),
    ("dostepny", accessible_pdf),
    ("czesciowy-skan", lambda: accessible_pdf([SAMPLE_TEXT, None])),
)


def attach_sample_files(run, documents):
    """Attaches a sample PDF to one in ONE_FILE_IN of `documents` (saved ones), at most
    MAX_FILES in the run, with its text and accessibility check as an upload gets them, but
    written in bulk as the rest of the sample data is."""
    room = MAX_FILES - run.counts.get("pliki dokumentów", 0)
    chosen = documents[::ONE_FILE_IN][: max(room, 0)]
    checks = []
    for index, document in enumerate(chosen):
        name, build = SAMPLE_FILES[index % len(SAMPLE_FILES)]
        content = ContentFile(build(), name=f"przyklad-{name}.pdf")
        document.file.name = default_storage.save(
            document_upload_to(document, content.name), content
        )
        document.file_format, document.file_size = "PDF", content.size
        document.text = extract_text(content, "PDF")
        check = new_check(document, content)
        check.ocr = DocumentCheck.Ocr.NOT_NEEDED  # a sample scan is one grey pixel: no text
        checks.append(check)
    Document.objects.bulk_update(chosen, ["file", "file_format", "file_size", "text"])
    DocumentCheck.objects.bulk_create(checks)
    run.count("pliki dokumentów", len(chosen))
