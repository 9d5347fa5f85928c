"""Checks an uploaded document by its bytes, not by its name, before the archive publishes it.

The archive serves every upload to the public, so it accepts only document formats, and it
reads the real format from the content: a web page, script or program renamed to ".pdf" is
refused. Only the first few KB and a ZIP's central directory are read, and ZIP members are
never extracted, so checking a huge or hostile file (a zip bomb) costs next to nothing.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from files.archives import DirectoryTooLong, member_chunks, open_zip

# Each format's extension is its name in lowercase; the order is the one messages list.
ACCEPTED_FORMATS = ("PDF", "DOCX", "XLSX", "PPTX", "ODT", "ODS", "ODP", "RTF", "DOC", "XLS")

HEAD_BYTES = 8 * 1024
MEGABYTE = 1024 * 1024

PDF_MAGIC = b"%PDF-"
# PDF readers look for the header this far into the file, so real PDFs may start with junk.
PDF_MAX_LEADING_BYTES = 1024
RTF_MAGIC = b"{\\rtf"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

OOXML_MAIN_PARTS = {
    "word/document.xml": "DOCX",
    "xl/workbook.xml": "XLSX",
    "ppt/presentation.xml": "PPTX",
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "ODT",
    b"application/vnd.oasis.opendocument.spreadsheet": "ODS",
    b"application/vnd.oasis.opendocument.presentation": "ODP",
}
ODF_MAX_MIMETYPE_BYTES = 100

# The root storage of every Windows Installer package carries this class id.
MSI_CLSID = "000C1084-0000-0000-C000-000000000046"

BINARY_SIGNATURES = (
    (b"MZ", gettext_lazy("program dla Windows (EXE/DLL)")),
    (b"\x7fELF", gettext_lazy("program dla Linuksa (ELF)")),
    (b"\xfe\xed\xfa\xce", gettext_lazy("program dla macOS (Mach-O)")),
    (b"\xfe\xed\xfa\xcf", gettext_lazy("program dla macOS (Mach-O)")),
    (b"\xce\xfa\xed\xfe", gettext_lazy("program dla macOS (Mach-O)")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("program dla macOS (Mach-O)")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("program dla macOS (Mach-O)")),
    (b"#!", gettext_lazy("skrypt (#!)")),
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("obraz PNG")),
    (b"\xff\xd8\xff", gettext_lazy("obraz JPEG")),
    (b"GIF8", gettext_lazy("obraz GIF")),
    (b"PK\x05\x06", gettext_lazy("puste archiwum ZIP")),
    (b"Rar!\x1a\x07", gettext_lazy("archiwum RAR")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("archiwum 7z")),
    (b"\x1f\x8b", gettext_lazy("archiwum GZIP")),
)
TEXT_BYTE_ORDER_MARKS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
JAVASCRIPT_OPENINGS = (
    "function",
    "(function",
    "var ",
    "let ",
    "const ",
    "import ",
    "export ",
    "'use strict'",
    '"use strict"',
    "document.",
    "window.",
    "alert(",
)


@dataclass(frozen=True)
class Sniffed:
    """What a file's bytes really are."""

    format: str | None  # one of ACCEPTED_FORMATS, or None when the archive does not take it
    description: str  # in Polish, for messages: "plik HTML", "dokument DOCX"
    has_macros: bool = False


def _document(file_format):
    return Sniffed(file_format, _("dokument %(format)s") % {"format": file_format})


def _with_macros(file_format, where):
    description = _("dokument %(format)s z makrami (%(where)s)")
    return Sniffed(None, description % {"format": file_format, "where": where}, has_macros=True)


def _foreign(description):
    return Sniffed(None, str(description))


# Reading ------------------------------------------------------------------------------------


def detected_format(file):
    """The real format of a file ("PDF", "DOCX", ...), or None if the archive does not take it."""
    with _reading(file):
        return _sniff(file).format


@contextmanager
def _reading(file):
    """Reads from the start and leaves the file rewound for saving; closes what it opened."""
    was_closed = file.closed
    if was_closed:
        file.open("rb")
    file.seek(0)
    try:
        yield file
    finally:
        if was_closed:
            file.close()
        else:
            file.seek(0)


def _sniff(file):
    head = file.read(HEAD_BYTES)
    if head.startswith(PDF_MAGIC):
        return _document("PDF")
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(file)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(file)
    if head.startswith(RTF_MAGIC):
        return _document("RTF")
    for signature, description in BINARY_SIGNATURES:
        if head.startswith(signature):
            return _foreign(description)
    return _sniff_text(head)


def _sniff_text(head):
    text = _decode(head).lstrip().lower()
    markup = _describe_markup(text)
    if markup:
        return _foreign(markup)
    pdf_at = head.find(PDF_MAGIC, 0, PDF_MAX_LEADING_BYTES + len(PDF_MAGIC))
    if pdf_at > 0:
        # Markup before the header makes an HTML/PDF polyglot, not a PDF with junk.
        if b"<" in head[:pdf_at]:
            return _foreign(_("plik z kodem HTML lub XML przed nagłówkiem PDF"))
        return _document("PDF")
    if text.startswith(JAVASCRIPT_OPENINGS):
        return _foreign(_("skrypt JavaScript"))
    if _looks_like_text(text):
        return _foreign(_("plik tekstowy"))
    return _foreign(_("plik w nieznanym formacie"))


def _decode(head):
    for mark, encoding in TEXT_BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return head[len(mark) :].decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")


def _describe_markup(text):
    if text.startswith("<svg") or (text.startswith(("<?xml", "<!doctype svg")) and "<svg" in text):
        return _("grafika SVG")
    if text.startswith("<?xml"):
        return _("plik XML")
    if text.startswith("<"):
        return _("plik HTML")
    return None


def _looks_like_text(text):
    return all(char.isprintable() or char in "\t\n\r\f" for char in text[:1024])


# ZIP: OOXML and OpenDocument ----------------------------------------------------------------


def _sniff_zip(file):
    try:
        with open_zip(file) as archive:
            members = archive.infolist()
            odf_mimetype = _odf_mimetype(archive, members)
    except DirectoryTooLong:
        return _foreign(_("archiwum ZIP z podejrzanie długim spisem plików"))
    except Exception:  # hostile bytes can break the parser in many ways: none is a document
        return _foreign(_("uszkodzone archiwum ZIP"))
    return _classify_zip([member.filename.lower() for member in members], odf_mimetype)


def _odf_mimetype(archive, members):
    """An OpenDocument package starts with a tiny `mimetype` member naming its type."""
    first = members[0] if members else None
    if first is None or first.filename != "mimetype":
        return None
    if first.file_size > ODF_MAX_MIMETYPE_BYTES:
        return None
    return b"".join(member_chunks(archive, first, ODF_MAX_MIMETYPE_BYTES))


def _classify_zip(names, odf_mimetype):
    if odf_mimetype in ODF_MIMETYPES:
        return _document(ODF_MIMETYPES[odf_mimetype])
    if odf_mimetype is not None:
        kind = odf_mimetype[:ODF_MAX_MIMETYPE_BYTES].decode("ascii", errors="replace")
        return _foreign(_("dokument OpenDocument innego rodzaju (%(kind)s)") % {"kind": kind})
    if "[content_types].xml" not in names:
        return _foreign(_("archiwum ZIP"))
    for main_part, file_format in OOXML_MAIN_PARTS.items():
        if main_part in names:
            if any(name.endswith("vbaproject.bin") for name in names):
                return _with_macros(file_format, "vbaProject.bin")
            return _document(file_format)
    return _foreign(_("pakiet Office innego rodzaju niż dokument, arkusz lub prezentacja"))


# OLE2: legacy DOC and XLS -------------------------------------------------------------------


def _sniff_ole2(file):
    try:
        with olefile.OleFileIO(file) as ole:
            entries = {"/".join(path).lower() for path in ole.listdir(storages=True)}
            root_clsid = ole.root.clsid
    except Exception:  # hostile bytes can break the parser in many ways: none is a document
        return _foreign(_("uszkodzony plik pakietu Microsoft Office (OLE2)"))
    return _classify_ole2(entries, root_clsid)


def _classify_ole2(entries, root_clsid):
    if "worddocument" in entries:
        if "macros/vba" in entries:
            return _with_macros("DOC", "VBA")
        return _document("DOC")
    if "workbook" in entries or "book" in entries:
        if "_vba_project_cur/vba" in entries:
            return _with_macros("XLS", "VBA")
        return _document("XLS")
    if root_clsid == MSI_CLSID:
        return _foreign(_("instalator Windows (MSI)"))
    if "powerpoint document" in entries:
        return _foreign(_("prezentacja PPT w starym formacie PowerPointa"))
    if "encryptedpackage" in entries:
        return _foreign(_("dokument Office zaszyfrowany hasłem"))
    return _foreign(_("plik OLE2, który nie jest dokumentem Worda ani arkuszem Excela"))


# Validation -------------------------------------------------------------------------------


def validate_document_file(file):
    """Refuses empty, oversized, non-document and misnamed files; see the module docstring."""
    if _already_stored(file):
        return
    name = _display_name(file)
    if not file.size:
        raise ValidationError(
            _("Plik „%(name)s” jest pusty."), code="empty_file", params={"name": name}
        )
    _check_size(name, file.size)
    with _reading(file):
        sniffed = _sniff(file)
    expected = _format_for_name(name)
    if sniffed.has_macros:
        raise _macros_error(name, sniffed)
    if sniffed.format is None:
        raise _not_a_document_error(name, expected, sniffed)
    if sniffed.format != expected:
        raise _extension_mismatch_error(name, expected, sniffed)


def _already_stored(file):
    # A file already in storage was checked when it was uploaded; re-reading it on every edit
    # would cost a storage read and break editing a document whose file went missing.
    return isinstance(file, FieldFile) and file._committed


def _display_name(file):
    return PurePosixPath(str(file.name).replace("\\", "/")).name


def _format_for_name(name):
    file_format = PurePosixPath(name).suffix.lstrip(".").upper()
    return file_format if file_format in ACCEPTED_FORMATS else None


def _check_size(name, size):
    limit_mb = settings.DOCUMENT_MAX_UPLOAD_MB
    if size <= limit_mb * MEGABYTE:
        return
    raise ValidationError(
        _(
            "Plik „%(name)s” ma %(size)s MB, a limit wynosi %(limit)s MB. "
            "Zmniejsz plik albo podziel go na części."
        ),
        code="file_too_large",
        params={"name": name, "size": _megabytes(size), "limit": limit_mb},
    )


def _megabytes(size):
    # Rounded up, so a file just over the limit never reads as equal to it.
    tenths = math.ceil(size * 10 / MEGABYTE)
    return f"{tenths // 10},{tenths % 10}"


def _accepted_list():
    return ", ".join(ACCEPTED_FORMATS)


def _macros_error(name, sniffed):
    return ValidationError(
        _(
            "Plik „%(name)s” to %(what)s. Archiwum nie publikuje dokumentów z makrami: "
            "zapisz go bez makr (np. jako PDF) i dodaj ponownie."
        ),
        code="document_with_macros",
        params={"name": name, "what": sniffed.description},
    )


def _not_a_document_error(name, expected, sniffed):
    if expected:
        message = _(
            "Plik „%(name)s” nie jest dokumentem %(expected)s: to %(what)s. "
            "Archiwum przyjmuje: %(accepted)s."
        )
    else:
        message = _(
            "Plik „%(name)s” nie jest dokumentem, który archiwum przyjmuje: to %(what)s. "
            "Archiwum przyjmuje: %(accepted)s."
        )
    return ValidationError(
        message,
        code="not_a_document",
        params={
            "name": name,
            "expected": expected,
            "what": sniffed.description,
            "accepted": _accepted_list(),
        },
    )


def _extension_mismatch_error(name, expected, sniffed):
    if expected:
        message = _(
            "Plik „%(name)s” nie jest dokumentem %(expected)s: to %(what)s. "
            "Zmień rozszerzenie pliku na .%(extension)s i dodaj go ponownie."
        )
    else:
        message = _(
            "Plik „%(name)s” ma rozszerzenie, którego archiwum nie przyjmuje, choć to %(what)s. "
            "Zmień rozszerzenie pliku na .%(extension)s i dodaj go ponownie."
        )
    return ValidationError(
        message,
        code="extension_mismatch",
        params={
            "name": name,
            "expected": expected,
            "what": sniffed.description,
            "extension": sniffed.format.lower(),
        },
    )
