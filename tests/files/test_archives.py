"""The ZIP guard refuses what zipfile would trust, and every reader of a ZIP goes through it."""

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from files import archives
from files.archives import (
    CompressedTooHighly,
    DirectoryTooLong,
    MemberTooLarge,
    UnsupportedCompression,
    central_directory_size,
    check_member,
    member_chunks,
    open_zip,
)
from files.spreadsheets import UnreadableFile, open_spreadsheet
from files.text_extraction import extract_text
from files.uploads import validate_document_file
from tests.files.builders import zip_bytes

MEGABYTE = 1024 * 1024
END_RECORD = b"PK\x05\x06"


def opened(content):
    return open_zip(io.BytesIO(content))


def with_declared_directory(content, size):
    """`content` whose end record says its central directory is `size` bytes long."""
    at = content.rindex(END_RECORD)
    return content[: at + 12] + struct.pack("<I", size) + content[at + 16 :]


def with_zip64_directory(content, size):
    """`content` with a ZIP64 end record (and its locator) declaring a `size`-byte directory."""
    at = content.rindex(END_RECORD)
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 1, 1, size, 0)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
    return content[:at] + record + locator + content[at:]


def bomb(megabytes, compression=zipfile.ZIP_DEFLATED):
    """One member of `megabytes` MB of zeros: about a thousandth of that once deflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression) as archive,
        archive.open("bomb.xml", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(bytes(MEGABYTE))
    return buffer.getvalue()


# Opening --------------------------------------------------------------------------------


def test_a_real_zip_opens_and_its_directory_is_measured():
    content = zip_bytes({"a.xml": "<a/>", "b.xml": "<b/>"})

    with opened(content) as archive:
        assert [info.filename for info in archive.infolist()] == ["a.xml", "b.xml"]
    assert 0 < central_directory_size(io.BytesIO(content)) < 200


def test_a_huge_declared_directory_is_refused_before_zipfile_reads_it(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("zipfile was given the archive")

    content = with_declared_directory(zip_bytes({"a.xml": "<a/>"}), 3 * MEGABYTE)
    monkeypatch.setattr(zipfile, "ZipFile", fail)

    with pytest.raises(DirectoryTooLong):
        opened(content)


def test_a_zip64_end_record_cannot_hide_a_huge_directory():
    content = with_zip64_directory(zip_bytes({"a.xml": "<a/>"}), 2**40)

    assert central_directory_size(io.BytesIO(content)) == 2**40
    with pytest.raises(DirectoryTooLong):
        opened(content)


def test_a_directory_of_many_real_members_is_refused_over_the_limit(monkeypatch):
    content = zip_bytes({f"part{number}.xml": "<x/>" for number in range(100)})
    monkeypatch.setattr(archives, "MAX_DIRECTORY_BYTES", 2000)

    with pytest.raises(DirectoryTooLong):
        opened(content)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 no end record", b"x" * 100_000])
def test_bytes_without_a_central_directory_are_no_zip(content):
    with pytest.raises(zipfile.BadZipFile):
        opened(content)


# Reading members ------------------------------------------------------------------------


def test_a_member_is_read_whole_within_the_limit():
    with opened(zip_bytes({"a.xml": "<a>tekst</a>"})) as archive:
        (info,) = archive.infolist()
        assert b"".join(member_chunks(archive, info)) == b"<a>tekst</a>"


def test_a_zip_bomb_member_is_refused_by_its_declared_ratio_before_it_is_read(monkeypatch):
    content = bomb(50)  # 50 MB in some 50 KB: a thousand times
    assert len(content) < 100 * 1024

    with opened(content) as archive:
        (info,) = archive.infolist()
        monkeypatch.setattr(zipfile.ZipFile, "open", None)  # reading it would fail otherwise
        with pytest.raises(CompressedTooHighly):
            next(member_chunks(archive, info))
        with pytest.raises(CompressedTooHighly):
            check_member(info)


def test_the_ratio_is_not_asked_of_small_members_nor_of_ordinary_compression():
    small = bomb(1)  # 1 MB of zeros: a thousand times too, but within RATIO_CHECKED_ABOVE_BYTES
    with opened(small) as archive:
        (info,) = archive.infolist()
        assert info.file_size == archives.RATIO_CHECKED_ABOVE_BYTES
        assert sum(len(chunk) for chunk in member_chunks(archive, info)) == MEGABYTE

    text = "".join(f"<p>Zdanie {n} o sprawie numer {n * 7919 % 100003}.</p>" for n in range(60000))
    with opened(zip_bytes({"document.xml": text})) as archive:
        (info,) = archive.infolist()
        assert info.file_size > 2 * MEGABYTE
        assert b"".join(member_chunks(archive, info)) == text.encode()


def test_a_member_is_cut_at_the_limit_quickly_and_in_little_memory(monkeypatch):
    # The ratio guard lifted, to see the read limit cut a long member.
    monkeypatch.setattr(archives, "MAX_COMPRESSION_RATIO", 10**6)
    content = bomb(100)
    assert len(content) < 200 * 1024

    started = time.monotonic()
    tracemalloc.start()
    try:
        with opened(content) as archive:
            (info,) = archive.infolist()
            taken = 0
            with pytest.raises(MemberTooLarge):
                for chunk in member_chunks(archive, info, limit=MEGABYTE):
                    taken += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert taken == MEGABYTE
    assert peak < 2 * MEGABYTE
    assert time.monotonic() - started < 5


def test_the_default_limit_is_the_guards(monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 100)
    with opened(zip_bytes({"a.xml": "<a/>" * 100})) as archive:
        (info,) = archive.infolist()
        with pytest.raises(MemberTooLarge):
            b"".join(member_chunks(archive, info))
        with pytest.raises(MemberTooLarge):
            check_member(info)


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_member_compressed_otherwise_than_by_deflate_is_never_read(compression, monkeypatch):
    content = bomb(1, compression)

    with opened(content) as archive:
        (info,) = archive.infolist()
        monkeypatch.setattr(zipfile.ZipFile, "open", None)  # reading it would fail otherwise
        with pytest.raises(UnsupportedCompression):
            next(member_chunks(archive, info))
        with pytest.raises(UnsupportedCompression):
            check_member(info)


def test_a_member_declaring_more_than_the_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(archives, "MAX_COMPRESSION_RATIO", 10**6)
    with opened(bomb(2)) as archive:
        (info,) = archive.infolist()
        check_member(info, limit=2 * MEGABYTE)
        with pytest.raises(MemberTooLarge):
            check_member(info, limit=2 * MEGABYTE - 1)


# Every reader of a ZIP goes through the guard ---------------------------------------------
#
# Each sample is a file the reader would take but for the guard.

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def short_directories(monkeypatch):
    monkeypatch.setattr(archives, "MAX_DIRECTORY_BYTES", 2000)


def many_members(**members):
    return {**members, **{f"docProps/part{number}.xml": "<x/>" for number in range(100)}}


def docx_of_many_members():
    document = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>tekst</w:t></w:r></w:p></w:body></w:document>'
    return zip_bytes(
        many_members(**{"[Content_Types].xml": "<Types/>", "word/document.xml": document})
    )


def xlsx(compression=zipfile.ZIP_DEFLATED, extra=None):
    workbook = Workbook()
    workbook.active.append(["Nr", "Treść postulatu"])
    written = io.BytesIO()
    workbook.save(written)
    buffer = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(buffer, "w", compression) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info))
        for name, content in (extra or {}).items():
            copy.writestr(name, content)
    return buffer.getvalue()


def spreadsheet_error(content):
    with pytest.raises(UnreadableFile) as error, open_spreadsheet(content):
        pass
    return str(error.value)


def test_the_samples_pass_within_the_limits():
    validate_document_file(SimpleUploadedFile("a.docx", docx_of_many_members()))
    assert extract_text(SimpleUploadedFile("a.docx", docx_of_many_members()), "DOCX") == "tekst"
    with open_spreadsheet(xlsx(extra=many_members())) as spreadsheet:
        assert next(row for _, row in spreadsheet.rows)[:2] == ("Nr", "Treść postulatu")


def test_the_upload_check_refuses_a_long_directory(short_directories):
    with pytest.raises(ValidationError, match="podejrzanie długim spisem plików"):
        validate_document_file(SimpleUploadedFile("a.docx", docx_of_many_members()))


def test_text_extraction_reads_nothing_from_a_long_directory(short_directories):
    assert extract_text(SimpleUploadedFile("a.docx", docx_of_many_members()), "DOCX") == ""


def test_the_spreadsheet_import_refuses_a_long_directory(short_directories):
    error = spreadsheet_error(xlsx(extra=many_members()))
    assert error.startswith("Nie rozpoznano formatu pliku")


def test_the_spreadsheet_import_refuses_members_compressed_otherwise():
    error = spreadsheet_error(xlsx(zipfile.ZIP_BZIP2))
    assert "plik może być uszkodzony" in error


def test_the_upload_check_refuses_an_odf_mimetype_compressed_otherwise():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        mimetype = "application/vnd.oasis.opendocument.text"
        archive.writestr("mimetype", mimetype, zipfile.ZIP_BZIP2)
        archive.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(ValidationError, match="uszkodzone archiwum ZIP"):
        validate_document_file(SimpleUploadedFile("a.odt", buffer.getvalue()))
