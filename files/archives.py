"""The one way the archive opens a ZIP: uploaded OOXML and OpenDocument files, imported XLSX.

zipfile trusts what it opens: it loads the whole central directory into memory, and a member
may inflate to any size (a "zip bomb"). So a ZIP is opened only by `open_zip`, which reads
the directory's size from the end record first, and a member is read only by `member_chunks`
(or handed to a library that reads it itself only after `check_member`). One set of limits
serves every caller:

- MAX_DIRECTORY_BYTES, 2 MB: a real document's directory is a few KB (an entry is 46 bytes
  and its name: even a presentation of a thousand slides, some 4 000 members with their
  layouts and pictures, needs about 300 KB), while 2 MB lists some 30 000 members. The upload check and the text reader had this limit;
  the spreadsheet import had none but its 5 MB file limit, which would let a 5 MB directory
  through.
- MAX_MEMBER_BYTES, 10 MB, decompressed from one member, and MAX_UNPACKED_BYTES, 200 MB, from
  one file (a reader of several members counts): a long report's document.xml is a few MB.
  Every reader runs inside the editor's save (text for the search, the HTML version, the
  accessibility check: three passes), and a pass over 50 MB of XML took ~22 s of CPU, over
  10 MB ~1 s; at 50 MB a save ran 60+ s into the server's timeout. A longer member gives the
  text of its first 10 MB. The spreadsheet import keeps its own, lower limit of the whole
  workbook's size, for openpyxl's sake (files.spreadsheets).
- MAX_COMPRESSION_RATIO, 200, of a member over RATIO_CHECKED_ABOVE_BYTES (1 MB): what the
  directory declares it inflates to against its compressed size. Office XML deflates 5-20
  times, 100 at the most for a sheet of empty cells; a zip bomb a thousand times (a 49 KB DOCX
  whose document.xml is 50 MB of padding). zipfile reads no more than the declared compressed
  size and inflates no more than the declared size, so the declaration cannot lie to the
  guard. Such a member is refused before it is read, as a damaged file is: the readers keep
  nothing of it and the check calls the file unreadable, but the file is still stored (the
  archive holds what the city published; the editor is told to upload a good copy).
- only stored and deflated members are read: Office and LibreOffice write no others, and
  zipfile bounds a read's output only for deflate, so a bzip2 or LZMA member could inflate a
  whole bomb in one read. The upload check read the ODF `mimetype` member whatever its
  compression, the spreadsheet import every member; both now refuse the others too.
"""

import os
import zipfile

MEGABYTE = 1024 * 1024
MAX_DIRECTORY_BYTES = 2 * MEGABYTE
MAX_MEMBER_BYTES = 10 * MEGABYTE
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_ABOVE_BYTES = MEGABYTE
MAX_UNPACKED_BYTES = 200 * MEGABYTE
SAFE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
CHUNK_BYTES = 64 * 1024

_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_MAX_COMMENT_BYTES = 65535
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_END_RECORD = b"PK\x06\x06"
_ZIP64_END_RECORD_SIZE = 56


class UnsafeZip(zipfile.BadZipFile):
    """A ZIP, or a member of one, that the guard will not read."""


class DirectoryTooLong(UnsafeZip):
    pass


class UnsupportedCompression(UnsafeZip):
    pass


class MemberTooLarge(UnsafeZip):
    pass


class CompressedTooHighly(UnsafeZip):
    """A member that inflates far more than documents do: a zip bomb."""


def open_zip(file):
    """A zipfile.ZipFile of `file`, once its central directory is known to be there and short.

    Raises zipfile.BadZipFile (DirectoryTooLong for a directory over MAX_DIRECTORY_BYTES).
    """
    size = central_directory_size(file)
    if size is None:
        raise zipfile.BadZipFile("no ZIP central directory")
    if size > MAX_DIRECTORY_BYTES:
        raise DirectoryTooLong(f"a central directory of {size} bytes")
    file.seek(0)
    return zipfile.ZipFile(file)


def central_directory_size(file):
    """The central directory's size as zipfile will read it, from the end record; None if none."""
    file.seek(0, os.SEEK_END)
    end = file.tell()
    span = _END_RECORD_SIZE + _MAX_COMMENT_BYTES + _ZIP64_LOCATOR_SIZE + _ZIP64_END_RECORD_SIZE
    file.seek(max(0, end - span))
    tail = file.read(span)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        return None
    size = int.from_bytes(tail[at + 12 : at + 16], "little")
    # Like zipfile, trust a ZIP64 end record placed right before the locator.
    locator_at = at - _ZIP64_LOCATOR_SIZE
    record_at = locator_at - _ZIP64_END_RECORD_SIZE
    has_zip64_record = (
        record_at >= 0
        and tail[locator_at : locator_at + 4] == _ZIP64_LOCATOR
        and tail[record_at : record_at + 4] == _ZIP64_END_RECORD
    )
    if has_zip64_record:
        size = max(size, int.from_bytes(tail[record_at + 40 : record_at + 48], "little"))
    return size


def check_member(info, limit=None):
    """Refuses, by what the directory declares, a member a library will read by itself.

    zipfile never inflates a member past its declared size, so the declaration bounds it.
    """
    _check_declaration(info)
    limit = MAX_MEMBER_BYTES if limit is None else limit
    if info.file_size > limit:
        raise MemberTooLarge(f"{info.filename} declares {info.file_size} bytes")


def member_chunks(archive, info, limit=None):
    """A member's decompressed bytes in chunks of at most CHUNK_BYTES, `limit` (by default
    MAX_MEMBER_BYTES) in all.

    Raises UnsupportedCompression or CompressedTooHighly before reading anything, and
    MemberTooLarge after the first `limit` bytes when more follow, so a reader may keep what
    it took until then.
    """
    _check_declaration(info)
    limit = MAX_MEMBER_BYTES if limit is None else limit
    read = 0
    with archive.open(info) as member:
        while read < limit and (chunk := member.read(min(CHUNK_BYTES, limit - read))):
            read += len(chunk)
            yield chunk
        if read >= limit and member.read(1):
            raise MemberTooLarge(f"{info.filename} is over {limit} bytes decompressed")


def _check_declaration(info):
    if info.compress_type not in SAFE_COMPRESSION:
        raise UnsupportedCompression(
            f"{info.filename} is compressed by method {info.compress_type}"
        )
    inflates_to, compressed = info.file_size, max(info.compress_size, 1)
    if inflates_to > RATIO_CHECKED_ABOVE_BYTES and inflates_to > MAX_COMPRESSION_RATIO * compressed:
        raise CompressedTooHighly(f"{info.filename} declares {inflates_to} bytes from {compressed}")
