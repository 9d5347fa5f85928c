"""Uploaded documents are checked by their bytes before the archive publishes them.

Every sample file is built here, byte by byte: nothing comes from disk or the network.
"""

import io
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from itertools import zip_longest

import olefile
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)

from files import archives, uploads
from files.uploads import detected_format, validate_document_file
from meetings.models import Document
from tests.factories import DocumentFactory
from tests.files.builders import pdf_bytes, zip_bytes

pytestmark = pytest.mark.django_db

# Builders -----------------------------------------------------------------------------------


OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def ooxml_bytes(extension, extra=None):
    main_part = OOXML_MAIN_PARTS[extension]
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            main_part: b'<?xml version="1.0"?><root/>',
            **(extra or {}),
        }
    )


ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}


def odf_bytes(mimetype):
    return zip_bytes(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
            "content.xml": b'<?xml version="1.0"?><office:document-content/>',
        },
        stored={"mimetype"},
    )


OLE2_SECTOR = 512
OLE2_FREE = OLE2_NO_STREAM = 0xFFFFFFFF
OLE2_END_OF_CHAIN = 0xFFFFFFFE
OLE2_FAT_SECTOR = 0xFFFFFFFD
# At the mini-stream cutoff, so every stream lives in ordinary sectors and no mini FAT is needed.
OLE2_STREAM_BYTES = 4096
MSI_CLSID = bytes.fromhex("84100C0000000000C000000000000046")  # {000C1084-...-000000000046}


class Ole2Entry:
    def __init__(self, name, is_stream, content=b""):
        self.name, self.is_stream, self.content, self.children = name, is_stream, content, {}
        self.id = self.first_sector = self.first_child = self.right_sibling = None


def ole2_bytes(paths, root_clsid=bytes(16)):
    """A minimal OLE2 compound file (version 3) with a 4 KB stream at each path ("A/B/c").

    olefile can only read, so the bytes are laid out by hand after [MS-CFB]: sector 0 holds
    the FAT, then the directory, then each stream's 8 sectors.
    """
    root = Ole2Entry("Root Entry", is_stream=False)
    for path in paths:
        *storages, stream = path.split("/")
        parent = root
        for storage in storages:
            parent = parent.children.setdefault(storage, Ole2Entry(storage, is_stream=False))
        parent.children[stream] = Ole2Entry(stream, is_stream=True, content=path.encode())

    entries = _ole2_number_entries(root)
    directory_sectors = -(-len(entries) // 4)
    streams = [entry for entry in entries if entry.is_stream]
    next_free_sector = 1 + directory_sectors
    for stream in streams:
        stream.first_sector = next_free_sector
        next_free_sector += OLE2_STREAM_BYTES // OLE2_SECTOR
    assert next_free_sector <= OLE2_SECTOR // 4, "one FAT sector maps 128 sectors"

    fat = [OLE2_FAT_SECTOR, *_ole2_chain(1, directory_sectors)]
    for stream in streams:
        fat += _ole2_chain(stream.first_sector, OLE2_STREAM_BYTES // OLE2_SECTOR)
    fat += [OLE2_FREE] * (OLE2_SECTOR // 4 - len(fat))

    directory = b"".join(_ole2_directory_entry(entry, root_clsid) for entry in entries)
    directory += _ole2_empty_entry() * (directory_sectors * 4 - len(entries))
    stream_data = b"".join(stream.content.ljust(OLE2_STREAM_BYTES, b"\0") for stream in streams)
    return _ole2_header() + struct.pack("<128I", *fat) + directory + stream_data


def _ole2_number_entries(root):
    """Gives every entry its directory id and links siblings as a chain in [MS-CFB] order."""
    entries, pending = [], [root]
    while pending:
        entry = pending.pop(0)
        entry.id = len(entries)
        entries.append(entry)
        children = sorted(entry.children.values(), key=lambda c: (len(c.name), c.name.upper()))
        for child, following in zip_longest(children, children[1:]):
            child.right_sibling = following
        entry.first_child = children[0] if children else None
        pending.extend(children)
    return entries


def _ole2_chain(first, count):
    return [*range(first + 1, first + count), OLE2_END_OF_CHAIN]


def _ole2_header():
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        OLE2_STREAM_BYTES,  # mini stream cutoff
        OLE2_END_OF_CHAIN,  # no mini FAT
        0,
        OLE2_END_OF_CHAIN,  # no extra DIFAT sectors
        0,
    )
    return header + struct.pack("<109I", 0, *[OLE2_FREE] * 108)


def _ole2_directory_entry(entry, root_clsid):
    is_root = entry.name == "Root Entry"
    object_type = 5 if is_root else (2 if entry.is_stream else 1)
    name = entry.name.encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,
        object_type,
        1,  # black
        OLE2_NO_STREAM,
        entry.right_sibling.id if entry.right_sibling else OLE2_NO_STREAM,
        entry.first_child.id if entry.first_child else OLE2_NO_STREAM,
        root_clsid if is_root else bytes(16),
        0,
        0,
        0,
        entry.first_sector if entry.is_stream else OLE2_END_OF_CHAIN,
        OLE2_STREAM_BYTES if entry.is_stream else 0,
    )


def _ole2_empty_entry():
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        b"",
        0,
        0,
        0,
        OLE2_NO_STREAM,
        OLE2_NO_STREAM,
        OLE2_NO_STREAM,
        bytes(16),
        0,
        0,
        0,
        0,
        0,
    )


DOC_STREAMS = ["\x01CompObj", "\x05SummaryInformation", "WordDocument", "1Table"]
XLS_STREAMS = ["\x01CompObj", "\x05SummaryInformation", "Workbook"]
MSI_STREAMS = ["\x05SummaryInformation", "\u4840\u3b3f\u4577\u446c\u3b6a\u45e4\u4824"]


class CountingBytes(io.BytesIO):
    """Remembers how many bytes were read, to show the check reads only what it needs."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def counting_upload(name, content):
    buffer = CountingBytes(content)
    upload = InMemoryUploadedFile(
        buffer, "file", name, "application/octet-stream", len(content), None
    )
    return upload, buffer


def rejection(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document_file(SimpleUploadedFile(name, content))
    return error.value


# Accepted formats ----------------------------------------------------------------------------

ACCEPTED_SAMPLES = [
    ("Podsumowanie spotkania.pdf", pdf_bytes, "PDF"),
    ("PODSUMOWANIE.PDF", pdf_bytes, "PDF"),
    ("nagłówek-dalej.pdf", lambda: b"\r\n \x00junk before the header\n" + pdf_bytes(), "PDF"),
    ("stanowisko.docx", lambda: ooxml_bytes("docx"), "DOCX"),
    ("zestawienie.xlsx", lambda: ooxml_bytes("xlsx"), "XLSX"),
    ("prezentacja.pptx", lambda: ooxml_bytes("pptx"), "PPTX"),
    ("stanowisko.odt", lambda: odf_bytes(ODF_MIMETYPES["odt"]), "ODT"),
    ("zestawienie.ods", lambda: odf_bytes(ODF_MIMETYPES["ods"]), "ODS"),
    ("prezentacja.odp", lambda: odf_bytes(ODF_MIMETYPES["odp"]), "ODP"),
    (
        "notatka.rtf",
        lambda: b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} Notatka.\\par}",
        "RTF",
    ),
    ("stary-dokument.doc", lambda: ole2_bytes(DOC_STREAMS), "DOC"),
    ("stary-arkusz.xls", lambda: ole2_bytes(XLS_STREAMS), "XLS"),
    ("bardzo-stary-arkusz.xls", lambda: ole2_bytes(["Book"]), "XLS"),
]


@pytest.mark.parametrize(("name", "build", "file_format"), ACCEPTED_SAMPLES)
def test_each_accepted_format_passes_and_is_detected(name, build, file_format):
    content = build()
    upload = SimpleUploadedFile(name, content)

    validate_document_file(upload)

    assert detected_format(upload) == file_format
    # Rewound, so saving writes the whole file.
    assert upload.tell() == 0
    assert upload.read() == content


@pytest.mark.parametrize(
    ("name", "build", "file_format"),
    [ACCEPTED_SAMPLES[0], ACCEPTED_SAMPLES[3], ACCEPTED_SAMPLES[10]],
)
def test_large_uploads_kept_in_a_temporary_file_are_checked_the_same(name, build, file_format):
    # Django spools uploads over 2.5 MB to disk: the check must work on those files too.
    content = build()
    upload = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    try:
        upload.write(content)
        validate_document_file(upload)
        assert detected_format(upload) == file_format
        assert upload.read() == content
    finally:
        upload.close()


def test_the_hand_built_ole2_files_are_read_by_olefile_as_real_compound_files():
    with olefile.OleFileIO(ole2_bytes([*DOC_STREAMS, "Macros/VBA/dir"])) as ole:
        for path in [*DOC_STREAMS, "Macros/VBA/dir"]:
            assert ole.openstream(path).read().rstrip(b"\0") == path.encode()
    with olefile.OleFileIO(ole2_bytes(MSI_STREAMS, root_clsid=MSI_CLSID)) as ole:
        assert ole.root.clsid == "000C1084-0000-0000-C000-000000000046"


# Rejected content ---------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)

REJECTED_SAMPLES = [
    ("raport.pdf", HTML, "nie jest dokumentem PDF: to plik HTML."),
    ("raport.pdf", b"\xef\xbb\xbf \r\n\t  <HtMl><body>x</body></HtMl>", "to plik HTML."),
    ("raport.pdf", "\ufeff  <html></html>".encode("utf-16-le"), "to plik HTML."),
    ("raport.pdf", b"<!-- komentarz -->\n%PDF-1.4\n", "to plik HTML."),
    ("raport.pdf", b"junk <script>alert(1)</script>\n%PDF-1.4\n", "przed nagłówkiem PDF"),
    ("rysunek.pdf", SVG, "nie jest dokumentem PDF: to grafika SVG."),
    ("rysunek.svg", SVG, "nie jest dokumentem, który archiwum przyjmuje: to grafika SVG."),
    ("dane.pdf", b'<?xml version="1.0"?><dane/>', "to plik XML."),
    ("program.pdf", b"MZ\x90\x00\x03" + bytes(200), "to program dla Windows (EXE/DLL)."),
    (
        "program.docx",
        b"\x7fELF\x02\x01\x01" + bytes(200),
        "nie jest dokumentem DOCX: to program dla Linuksa (ELF).",
    ),
    (
        "program.pdf",
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(100),
        "to program dla macOS (Mach-O).",
    ),
    (
        "skrypt.sh",
        b"#!/bin/sh\nrm -rf ~\n",
        "nie jest dokumentem, który archiwum przyjmuje: to skrypt (#!).",
    ),
    ("skrypt.pdf", b"#!/usr/bin/env python3\nprint(1)\n", "to skrypt (#!)."),
    ("skrypt.pdf", b"alert(document.cookie);\n", "to skrypt JavaScript."),
    ("skrypt.js", b"function steal() { return document.cookie; }\n", "to skrypt JavaScript."),
    ("notatka.pdf", "Zwykły tekst, nie PDF.\n".encode(), "to plik tekstowy."),
    ("zdjecie.pdf", b"\x89PNG\r\n\x1a\n" + bytes(50), "to obraz PNG."),
    ("nieznany.pdf", bytes(range(256)) * 4, "to plik w nieznanym formacie."),
    (
        "archiwum.docx",
        zip_bytes({"notatki.txt": b"tekst"}),
        "nie jest dokumentem DOCX: to archiwum ZIP.",
    ),
    ("uszkodzony.docx", b"PK\x03\x04" + bytes(100), "to uszkodzone archiwum ZIP."),
    (
        "bez-spisu-typow.docx",
        zip_bytes({"word/document.xml": b"<w/>"}),
        "to archiwum ZIP.",
    ),
    (
        "rysunek.odt",
        odf_bytes(b"application/vnd.oasis.opendocument.graphics"),
        "to dokument OpenDocument innego rodzaju (application/vnd.oasis.opendocument.graphics).",
    ),
    (
        "mimetype-nie-pierwszy.odt",
        zip_bytes({"content.xml": b"<x/>", "mimetype": ODF_MIMETYPES["odt"]}),
        "to archiwum ZIP.",
    ),
    (
        "instalator.doc",
        ole2_bytes(MSI_STREAMS, root_clsid=MSI_CLSID),
        "nie jest dokumentem DOC: to instalator Windows (MSI).",
    ),
    (
        "instalator.xls",
        ole2_bytes(MSI_STREAMS, root_clsid=MSI_CLSID),
        "nie jest dokumentem XLS: to instalator Windows (MSI).",
    ),
    (
        "nieznany.doc",
        ole2_bytes(["\x05SummaryInformation", "Contents"]),
        "to plik OLE2, który nie jest dokumentem Worda ani arkuszem Excela.",
    ),
    ("prezentacja.doc", ole2_bytes(["PowerPoint Document"]), "to prezentacja PPT"),
    ("uszkodzony.doc", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600), "to uszkodzony plik"),
]


@pytest.mark.parametrize(("name", "content", "message"), REJECTED_SAMPLES)
def test_files_that_are_not_documents_are_refused_by_their_content(name, content, message):
    error = rejection(name, content)
    assert error.code == "not_a_document"
    assert message in error.messages[0]
    assert error.messages[0].startswith(f"Plik „{name}”")
    assert (
        "Archiwum przyjmuje: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF, DOC, XLS."
        in (error.messages[0])
    )


def test_the_message_names_what_the_file_really_is():
    error = rejection("x.pdf", HTML)
    assert error.messages == [
        "Plik „x.pdf” nie jest dokumentem PDF: to plik HTML. "
        "Archiwum przyjmuje: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF, DOC, XLS."
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("makra.docx", ooxml_bytes("docx", {"word/vbaProject.bin": b"\xcc\x61"})),
        ("makra.xlsx", ooxml_bytes("xlsx", {"xl/VBAPROJECT.BIN": b"\xcc\x61"})),
        ("makra.doc", ole2_bytes([*DOC_STREAMS, "Macros/VBA/dir"])),
        ("makra.xls", ole2_bytes([*XLS_STREAMS, "_VBA_PROJECT_CUR/VBA/dir"])),
    ],
)
def test_documents_with_macros_are_refused(name, content):
    error = rejection(name, content)
    assert error.code == "document_with_macros"
    assert "Archiwum nie publikuje dokumentów z makrami" in error.messages[0]
    assert detected_format(SimpleUploadedFile(name, content)) is None


def test_a_real_docx_named_pdf_is_refused_with_what_it_really_is():
    error = rejection("stanowisko.pdf", ooxml_bytes("docx"))
    assert error.code == "extension_mismatch"
    assert error.messages == [
        "Plik „stanowisko.pdf” nie jest dokumentem PDF: to dokument DOCX. "
        "Zmień rozszerzenie pliku na .docx i dodaj go ponownie."
    ]


@pytest.mark.parametrize(
    ("name", "content", "real_extension"),
    [
        ("zestawienie.ods", odf_bytes(ODF_MIMETYPES["odt"]), ".odt"),
        ("arkusz.doc", ole2_bytes(XLS_STREAMS), ".xls"),
        ("dokument.txt", pdf_bytes(), ".pdf"),
        ("dokument", pdf_bytes(), ".pdf"),
    ],
)
def test_a_document_under_another_extension_is_refused(name, content, real_extension):
    error = rejection(name, content)
    assert error.code == "extension_mismatch"
    assert f"Zmień rozszerzenie pliku na {real_extension}" in error.messages[0]


def test_an_empty_file_is_refused():
    error = rejection("pusty.pdf", b"")
    assert error.code == "empty_file"
    assert error.messages == ["Plik „pusty.pdf” jest pusty."]


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    content = pdf_bytes().ljust(1024 * 1024 + 1, b" ")
    error = rejection("duzy.pdf", content)
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("Plik „duzy.pdf” ma 1,1 MB, a limit wynosi 1 MB.")


def test_a_file_exactly_at_the_limit_passes(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    validate_document_file(SimpleUploadedFile("w-limicie.pdf", pdf_bytes().ljust(1024 * 1024)))


# Reading only what is needed ----------------------------------------------------------------


def test_a_large_pdf_is_checked_from_its_first_kilobytes(settings):
    content = pdf_bytes() + b"%" + os.urandom(5 * 1024 * 1024)
    upload, buffer = counting_upload("duzy.pdf", content)
    validate_document_file(upload)
    assert buffer.bytes_read <= uploads.HEAD_BYTES
    assert upload.tell() == 0


def test_zip_members_are_listed_never_extracted(monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    docx, odt = ooxml_bytes("docx"), odf_bytes(ODF_MIMETYPES["odt"])
    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    validate_document_file(SimpleUploadedFile("a.docx", docx))
    validate_document_file(SimpleUploadedFile("a.odt", odt))
    # Only the ODF `mimetype` member, a few dozen stored bytes, is ever read.
    assert opened == ["mimetype"]


def test_a_zip_bomb_costs_nothing_to_check():
    # 100 MB of zeros packed into about 100 KB: decompressing it would show in memory.
    bomb = ooxml_bytes("docx", {"word/media/bomb.bin": bytes(100 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    upload = SimpleUploadedFile("bomba.docx", bomb)
    tracemalloc.start()
    try:
        validate_document_file(upload)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_a_stored_member_is_not_read_either():
    content = ooxml_bytes("docx", {"word/media/photo.jpg": os.urandom(3 * 1024 * 1024)})
    upload, buffer = counting_upload("zdjecia.docx", content)
    validate_document_file(upload)
    assert buffer.bytes_read < 256 * 1024


def test_a_zip_with_a_huge_central_directory_is_refused_before_zipfile_loads_it(monkeypatch):
    monkeypatch.setattr(archives, "MAX_DIRECTORY_BYTES", 2000)
    members = {f"word/part{number}.xml": b"<x/>" for number in range(100)}
    error = rejection("duzo.docx", ooxml_bytes("docx", members))
    assert "podejrzanie długim spisem plików" in error.messages[0]


# Files already in storage -------------------------------------------------------------------


def test_detected_format_reads_a_stored_file_and_closes_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory()
    document.file.save("stanowisko.docx", ContentFile(ooxml_bytes("docx")))
    document = Document.objects.get(pk=document.pk)

    assert detected_format(document.file) == "DOCX"
    assert document.file.closed


def test_a_file_already_in_storage_is_not_checked_again(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory()
    document.file.save("raport.pdf", ContentFile(pdf_bytes()))
    os.remove(document.file.path)  # even a file gone missing does not block editing

    Document.objects.get(pk=document.pk).full_clean()


# Settings ----------------------------------------------------------------------------------

PRINT_LIMIT = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DOCUMENT_MAX_UPLOAD_MB)"
)


def start_with_limit(value):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "krakow_ngo.settings"
    if value is not None:
        env["DJANGO_DOCUMENT_MAX_UPLOAD_MB"] = value
    return subprocess.run(
        [sys.executable, "-c", PRINT_LIMIT],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize(("value", "limit"), [(None, "50"), ("20", "20"), (" 100 ", "100")])
def test_the_upload_limit_comes_from_the_environment(value, limit):
    result = start_with_limit(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == limit


@pytest.mark.parametrize("value", ["", "abc", "0", "-5", "2.5", "50MB"])
def test_an_invalid_upload_limit_stops_start_up(value):
    result = start_with_limit(value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DOCUMENT_MAX_UPLOAD_MB must be a whole number" in (
        result.stderr
    )
