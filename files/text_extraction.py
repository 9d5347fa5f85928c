"""Plain text of an uploaded document, taken once at upload so full-text search can find its words.

`extract_text(file, file_format)` gives the words of a document (paragraphs on their own lines)
and never raises: a broken, encrypted or hostile file is logged as a warning and gives "", or
the text read before the trouble. Every reader is bounded, so a huge or hostile upload cannot
stall the request that saves it:

- the result is cut at MAX_CHARS characters, and reading stops there;
- ZIP members (DOCX, PPTX, ODF) are streamed through files.archives, never extracted to disk,
  and at most its MAX_MEMBER_BYTES are decompressed from one member and MAX_UNPACKED_BYTES
  from one file, so an overlong member is cut off and the text read until then is kept, and
  a member compressed far more than documents are (a zip bomb) is not read at all. XLSX goes
  through openpyxl, which reads the members itself, so a workbook whose members declare more
  than that is skipped (zipfile never returns more bytes than a member declares). An RTF
  file or an OLE2 stream is read up to MAX_STREAM_BYTES;
- XML is parsed by defusedxml, which refuses DTDs and entity declarations (billion laughs,
  external entities), streamed into a handler that keeps only the text;
- PDF reading stops after MAX_PDF_PAGES pages, XLSX and XLS after MAX_SHEET_ROWS rows or
  MAX_SHEET_CELLS cells, and PDF, XLSX, XLS and RTF after MAX_SECONDS seconds (checked
  between pages, rows, records and tokens).
"""

import codecs
import io
import logging
import re
import struct
import time
import unicodedata
from contextlib import contextmanager

import olefile
import xlrd
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl import load_workbook
from pypdf import PasswordType, PdfReader
from pypdf.generic import ContentStream

from files import archives
from files.archives import (
    MemberTooLarge,
    UnsafeZip,
    UnsupportedCompression,
    check_member,
    member_chunks,
    open_zip,
)
from files.uploads import _reading

logger = logging.getLogger(__name__)

MAX_CHARS = 1_000_000
# An RTF file or an OLE2 stream is read whole, up to as much as one ZIP member gives.
# A file's own bytes, not what they inflate to: as much as the default upload limit.
MAX_STREAM_BYTES = 50 * archives.MEGABYTE
MAX_PDF_PAGES = 500
MAX_SHEET_ROWS = 100_000
MAX_SHEET_CELLS = 2_000_000
MAX_SECONDS = 30
MAX_RTF_DEPTH = 1000  # Word nests a few dozen groups; each level costs memory

# Control characters other than tab and newline (PostgreSQL refuses NUL in text).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES_BEFORE_NEWLINE = re.compile(r"[ \t\u00a0]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


class TextTooLong(Exception):
    """Raised inside a reader when the text reached MAX_CHARS: reading stops, the text is kept."""


class Text:
    """Collects the pieces of a document's text up to MAX_CHARS characters."""

    def __init__(self):
        self.parts = []
        self.length = 0

    def add(self, piece):
        if not piece:
            return
        self.parts.append(piece)
        self.length += len(piece)
        if self.length >= MAX_CHARS:
            raise TextTooLong

    def value(self):
        text = "".join(self.parts)[:MAX_CHARS]
        # Joins the UTF-16 halves of characters beyond U+FFFF (RTF writes them so) and replaces
        # lone halves, which no database could store.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")
        text = _CONTROL_CHARACTERS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = _SPACES_BEFORE_NEWLINE.sub("\n", text)
        return _BLANK_LINES.sub("\n\n", text).strip()


def extract_text(file, file_format):
    """The plain text of `file` in `file_format` ("PDF", "DOCX", ...; see uploads.detected_format).

    Never raises: a file that cannot be read gives "" (or the text read so far) and a warning.
    The file is left rewound (or closed again, if it was closed) so it can still be saved.
    """
    reader = _READERS.get(file_format)
    if reader is None:
        logger.warning("No text extraction for format %r (%s)", file_format, _name(file))
        return ""
    text = Text()
    try:
        with _reading(file):
            reader(file, text)
    except TextTooLong:
        pass
    except Exception:  # a hostile file can break any parser in any way: keep what was read
        logger.warning(
            "Could not extract text from %s file %s", file_format, _name(file), exc_info=True
        )
    # Accents composed (NFC): PDFs often store a letter and its accent apart.
    return unicodedata.normalize("NFC", text.value())


def _name(file):
    return getattr(file, "name", None) or "(unnamed)"


# PDF ----------------------------------------------------------------------------------------

_LETTER_OR_DIGIT = re.compile(r"\w")


# Form XObjects nested this deep are not followed: a scan draws its image a level or two down.
MAX_FORM_DEPTH = 5


def page_is_scan(page, page_text):
    """Whether a PDF page is a scan (or an image of text): it paints an image and its text
    holds no letter or digit. The accessibility check flags it, OCR may read it, the HTML
    version marks it. A page with neither text nor an image is empty (or lines only): not
    a scan, and nothing OCR could read."""
    return not has_text(page_text) and _paints_image(page, page.get("/Resources"), 0)


def has_text(page_text):
    """Whether the text taken from a page holds a letter or a digit."""
    return bool(_LETTER_OR_DIGIT.search(page_text or ""))


def _paints_image(content, resources, depth):
    """Whether a page's (or a form's) content paints an image: inline, or an image XObject
    drawn by Do, directly or through a form. Read only for pages without text, so a text
    document's pages are never parsed twice."""
    stream = content.get_contents() if depth == 0 else ContentStream(content, None)
    if stream is None or depth > MAX_FORM_DEPTH:
        return False
    xobjects = _resolved(_resolved(resources or {}).get("/XObject")) or {}
    for operands, operator in stream.operations:
        if operator == b"INLINE IMAGE":
            return True
        if operator == b"Do" and operands:
            drawn = _resolved(xobjects.get(operands[0]))
            subtype = drawn.get("/Subtype") if hasattr(drawn, "get") else None
            if subtype == "/Image":
                return True
            if subtype == "/Form" and _paints_image(
                drawn, drawn.get("/Resources") or resources, depth + 1
            ):
                return True
    return False


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _read_pdf(file, text):
    reader = PdfReader(file, strict=False)
    # Many PDFs are "encrypted" only to restrict printing or editing, with an empty password
    # for reading; one that needs a real password cannot be read.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        logger.warning("PDF %s is protected by a password: no text taken", _name(file))
        return
    deadline = time.monotonic() + MAX_SECONDS
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or time.monotonic() > deadline:
            logger.warning("PDF %s: text taken from its first %d pages only", _name(file), number)
            return
        text.add(page.extract_text())
        text.add("\n\n")


# ZIP packages: DOCX, PPTX, ODT, ODS, ODP ------------------------------------------------------

W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
A = (
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/main",
)
MC = ("http://schemas.openxmlformats.org/markup-compatibility/2006",)
ODF_TEXT = ("urn:oasis:names:tc:opendocument:xmlns:text:1.0",)
DC = ("http://purl.org/dc/elements/1.1/",)


def _tags(namespaces, *names):
    """Tags as ElementTree names them ("{namespace}name"), in each of the namespaces."""
    return frozenset(f"{{{namespace}}}{name}" for namespace in namespaces for name in names)


class XmlText:
    """A parser target that keeps the text of chosen elements and drops the rest of the XML.

    Character data counts inside `text_tags` (w:t); a `paragraph_tags` element (w:p) ends with
    a newline; a `marks` element (w:tab, w:br) stands for its string, but only inside an
    `inline_tags` element (w:r), since w:tab also names tab stops in paragraph properties.
    Nothing inside `skip_tags` counts. No tree is built, so memory stays flat.
    """

    def __init__(self, text, *, text_tags, paragraph_tags, inline_tags, marks, skip_tags):
        self.text = text
        self.text_tags, self.paragraph_tags = text_tags, paragraph_tags
        self.inline_tags, self.marks, self.skip_tags = inline_tags, marks, skip_tags
        self.in_text = self.in_inline = self.in_skip = 0

    def start(self, tag, attributes):
        if tag in self.skip_tags:
            self.in_skip += 1
        if self.in_skip:
            return
        if tag in self.paragraph_tags and self.in_inline:
            self.text.add("\n")  # a text box or comment inside a paragraph: its own line
        self.in_text += tag in self.text_tags
        self.in_inline += tag in self.inline_tags
        if self.in_inline and tag in self.marks:
            self.text.add(self.marks[tag])

    def end(self, tag):
        if tag in self.skip_tags:
            self.in_skip -= 1
            return
        if self.in_skip:
            return
        self.in_text -= tag in self.text_tags
        self.in_inline -= tag in self.inline_tags
        if tag in self.paragraph_tags:
            self.text.add("\n")

    def data(self, data):
        if self.in_text and not self.in_skip:
            self.text.add(data)

    def close(self):
        return None


def _marks(namespaces, **strings):
    return {tag: string for name, string in strings.items() for tag in _tags(namespaces, name)}


def _docx_handler(text):
    return XmlText(
        text,
        text_tags=_tags(W, "t"),  # w:delText (deleted in tracked changes) is left out
        paragraph_tags=_tags(W, "p"),
        inline_tags=_tags(W, "r"),
        marks=_marks(W, tab="\t", ptab="\t", br="\n", cr="\n", noBreakHyphen="-"),
        # Text boxes come twice: as DrawingML and as a VML fallback for old Word versions.
        skip_tags=_tags(MC, "Fallback"),
    )


def _pptx_handler(text):
    return XmlText(
        text,
        text_tags=_tags(A, "t"),
        paragraph_tags=_tags(A, "p"),
        inline_tags=_tags(A, "p"),
        marks=_marks(A, br="\n"),
        skip_tags=_tags(MC, "Fallback"),
    )


def _odf_handler(text):
    paragraphs = _tags(ODF_TEXT, "p", "h")
    return XmlText(
        text,
        # All character data inside a paragraph or heading, spans and links included.
        text_tags=paragraphs,
        paragraph_tags=paragraphs,
        inline_tags=paragraphs,
        # text:s stands for a run of spaces.
        marks=_marks(ODF_TEXT, tab="\t", s=" ", **{"line-break": "\n"}),
        # A comment's author and date, a footnote's number and deleted text (kept for tracked
        # changes) are not the document's words.
        skip_tags=_tags(DC, "creator", "date")
        | _tags(ODF_TEXT, "note-citation", "tracked-changes"),
    )


DOCX_PARTS = (
    re.compile(r"word/document\.xml"),
    re.compile(r"word/header(\d*)\.xml"),
    re.compile(r"word/footer(\d*)\.xml"),
    re.compile(r"word/footnotes\.xml"),
    re.compile(r"word/endnotes\.xml"),
)
# Slides in the order of their part names, which PowerPoint and LibreOffice number in show
# order when they save; the order matters little to a search anyway.
PPTX_PARTS = (re.compile(r"ppt/slides/slide(\d+)\.xml"),)
ODF_PARTS = (re.compile(r"content\.xml"),)


def _zip_reader(parts, handler):
    def read(file, text):
        with open_zip(file) as archive:
            budget = [archives.MAX_UNPACKED_BYTES]
            for info in _members(archive, parts):
                _read_xml_member(file, archive, info, handler(text), budget)

    return read


def _members(archive, patterns):
    """The members whose names match `patterns`, in the patterns' order, then by number."""
    found = []
    for info in archive.infolist():
        for rank, pattern in enumerate(patterns):
            match = pattern.fullmatch(info.filename)
            if match:
                number = match.group(1) if match.groups() else ""
                found.append((rank, int(number or 0), info.filename, info))
                break
    return [info for *_, info in sorted(found, key=lambda item: item[:3])]


def _read_xml_member(file, archive, info, handler, budget):
    """Streams one member's XML into `handler`, cut off at its limit and at `budget`."""
    parser = DefusedXMLParser(target=handler, forbid_dtd=True)
    limit = min(archives.MAX_MEMBER_BYTES, budget[0])
    try:
        for chunk in member_chunks(archive, info, limit):
            budget[0] -= len(chunk)
            parser.feed(chunk)
    except UnsupportedCompression:
        logger.warning("%s: skipped %s, compressed unusually", _name(file), info.filename)
        return
    except MemberTooLarge:
        logger.warning(
            "%s: %s is over %d bytes uncompressed, text taken from its start only",
            _name(file),
            info.filename,
            limit,
        )
        return
    parser.close()


_read_docx = _zip_reader(DOCX_PARTS, _docx_handler)
_read_pptx = _zip_reader(PPTX_PARTS, _pptx_handler)
_read_odf = _zip_reader(ODF_PARTS, _odf_handler)


# XLSX and XLS ---------------------------------------------------------------------------------


def _read_xlsx(file, text):
    with xlsx_sheets(file) as sheets:
        _add_sheets(file, "XLSX", sheets, text)


@contextmanager
def xlsx_sheets(file):
    """(title, rows) of each sheet of an XLSX, rows as tuples of raw values; none at all for a
    workbook with a member over the limits (logged)."""
    # openpyxl reads the members itself, whole for shared strings and styles, so it gets only
    # a workbook whose members are all within bounds; zipfile never inflates a member past
    # the size the ZIP declares for it.
    with open_zip(file) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue  # pictures and the like, which openpyxl does not read in read-only mode
            try:
                check_member(info)
            except UnsafeZip:
                logger.warning(
                    "XLSX %s: member %s is too large or compressed unusually: no text taken",
                    _name(file),
                    info.filename,
                )
                yield iter(())
                return
    file.seek(0)
    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        yield _xlsx_sheets(workbook)
    finally:
        workbook.close()


def _xlsx_sheets(workbook):
    for sheet in workbook.worksheets:
        # Rows are padded to the declared dimension, which a hostile file can set to the whole
        # grid; without it a row is as long as its own cells.
        sheet.reset_dimensions()
        yield sheet.title, sheet.iter_rows(values_only=True)


def bounded_sheets(file, file_format, sheets):
    """Each sheet's (title, rows) from `sheets`, its rows as lists of raw values, until
    MAX_SHEET_ROWS rows or MAX_SHEET_CELLS cells in all, or MAX_SECONDS: past a limit the
    current sheet ends and no other follows (logged)."""
    limits = _SheetLimits(file, file_format)
    for title, sheet_rows in sheets:
        yield title, limits.rows(sheet_rows)
        if limits.reached:
            return


class _SheetLimits:
    def __init__(self, file, file_format):
        self.file, self.file_format = file, file_format
        self.row_count = self.cell_count = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.reached = False

    def rows(self, sheet_rows):
        for row in sheet_rows:
            self.row_count += 1
            self.cell_count += len(row)
            if self.row_count > MAX_SHEET_ROWS or self.cell_count > MAX_SHEET_CELLS:
                logger.warning(
                    "%s %s: text taken from its first rows only", self.file_format, _name(self.file)
                )
                self.reached = True
                return
            if self.row_count % 1000 == 0 and time.monotonic() > self.deadline:
                logger.warning(
                    "%s %s: reading took too long, stopped", self.file_format, _name(self.file)
                )
                self.reached = True
                return
            yield list(row)


def _add_sheets(file, file_format, sheets, text):
    """Each sheet's title, then its rows a line each, cells split by tabs (bounded_sheets)."""
    for title, rows in bounded_sheets(file, file_format, sheets):
        text.add(f"{title}\n")
        for row in rows:
            values = [cell_text(value) for value in row]
            if any(values):
                text.add("\t".join(values).rstrip("\t") + "\n")
        text.add("\n")


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\t", " ").replace("\n", " ")


# RTF ----------------------------------------------------------------------------------------
#
# RTF is plain 7-bit text: {groups}, \control words with an optional number, \'hh for a byte
# of the current code page and \uN for a Unicode character. The reader walks the tokens once,
# keeping per group whether its text counts, the font (whose \fcharset picks the code page of
# \'hh bytes) and how many fallback characters follow each \uN (\ucN).
#
# Kept, measured against striprtf (bench/rtf_readers.py, docs/search.md): both read Polish
# \'hh bytes and \uN escapes right, but striprtf leaves a character beyond U+FFFF as two
# lone UTF-16 halves no database stores, reads a document that names no code page as cp1252,
# has no limit of depth, time or length (a 1 MB nesting bomb cost it 4 s and 78 MB, this
# reader 0.01 s), and took 11 s for a 5 MB document this reader reads whole in 5.

_RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 1, 2: control word and its number
    rb"|\\'([0-9a-fA-F]{2})"  # 3: a byte in the current code page
    rb"|\\(.)"  # 4: control symbol: \\ \{ \} \~ \- \_ \* ...
    rb"|([{}])"  # 5: group
    rb"|[\r\n]+"  # line breaks in the source mean nothing
    rb"|([^\\{}\r\n]+)",  # 6: text
    re.DOTALL,
)
# Groups that hold no document text: tables, metadata, pictures, embedded objects, field codes.
# Groups that start with \* ("ignorable destinations") are skipped as well.
_RTF_SKIPPED = frozenset(
    b"colortbl stylesheet info pict object objdata fldinst themedata colorschememapping "
    b"datastore latentstyles listtable listoverridetable revtbl rsidtbl generator filetbl "
    b"xmlnsprefixes pgdsctbl mmathPr nonshppict shpinst bkmkstart bkmkend xe tc txe".split()
)
_RTF_WORDS = {
    b"par": "\n",
    b"line": "\n",
    b"sect": "\n",
    b"page": "\n",
    b"row": "\n",
    b"tab": "\t",
    b"cell": "\t",
    b"emdash": "—",
    b"endash": "–",
    b"bullet": "•",
    b"lquote": "‘",
    b"rquote": "’",
    b"ldblquote": "“",
    b"rdblquote": "”",
    b"emspace": " ",
    b"enspace": " ",
}
_RTF_SYMBOLS = {
    b"\\": "\\",
    b"{": "{",
    b"}": "}",
    b"~": "\u00a0",
    b"_": "-",
    b"\n": "\n",
    b"\r": "\n",
}
# \fcharsetN of a font → its code page; 0 (ANSI) and 1 (default) follow the document's \ansicpg.
_RTF_CHARSETS = {
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    134: "cp936",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
}
_RTF_DEFAULT_CODEPAGE = "cp1250"  # Polish Windows, when the document names none


class _RtfGroup:
    __slots__ = ("font", "in_font_table", "skip", "unicode_fallback")

    def __init__(self, skip=False, in_font_table=False, font=None, unicode_fallback=1):
        self.skip, self.in_font_table = skip, in_font_table
        self.font, self.unicode_fallback = font, unicode_fallback

    def copy(self):
        return _RtfGroup(self.skip, self.in_font_table, self.font, self.unicode_fallback)


class _RtfReader:
    def __init__(self, text):
        self.text = text
        self.group = _RtfGroup()
        self.stack = []
        self.document_codepage = _RTF_DEFAULT_CODEPAGE
        self.font_codepages = {}  # font number → code page, from \fonttbl
        self.defining_font = None
        self.default_font = None  # \deffN: the font of text before any \fN
        self.pending = bytearray()  # \'hh bytes wait here, so a multi-byte character decodes
        self.pending_codepage = None
        self.to_skip = 0  # fallback characters still to drop after a \uN
        self.group_start = False

    def read(self, data):
        try:
            self._read(data)
        finally:
            self._flush()

    def _read(self, data):
        position = tokens = 0
        deadline = time.monotonic() + MAX_SECONDS
        while position < len(data):
            match = _RTF_TOKEN.match(data, position)
            if match is None:  # a lone backslash at the very end
                break
            position = match.end()
            tokens += 1
            if tokens % 10_000 == 0 and time.monotonic() > deadline:
                raise TimeoutError(f"RTF took over {MAX_SECONDS} s, stopped at byte {position}")
            word, number, hex_byte, symbol, brace, chunk = match.groups()
            starts_group, self.group_start = self.group_start, False
            if brace == b"{":
                if len(self.stack) >= MAX_RTF_DEPTH:
                    raise ValueError(f"RTF groups nested deeper than {MAX_RTF_DEPTH}")
                self.stack.append(self.group.copy())
                self.group_start = True
            elif brace == b"}":
                self.group = self.stack.pop() if self.stack else self.group
                self.to_skip = 0
            elif word is not None:
                number = int(number) if number is not None else None
                if word == b"bin" and number:
                    position += number  # raw binary data follows
                else:
                    self._control_word(word, number, starts_group)
            elif hex_byte is not None:
                self._bytes(bytes.fromhex(hex_byte.decode()))
            elif symbol == b"*" and starts_group:
                self.group.skip = True  # an "ignorable destination"
            elif symbol is not None:
                self._emit(_RTF_SYMBOLS.get(symbol, ""))
            elif chunk is not None:
                self._bytes(chunk)

    def _control_word(self, word, number, starts_group):
        group = self.group
        if starts_group and word in _RTF_SKIPPED:
            group.skip = True
        elif starts_group and word == b"fonttbl":
            group.in_font_table = True
        elif word == b"ansicpg" and number:
            self.document_codepage = _codepage(f"cp{number}") or self.document_codepage
        elif word == b"deff":
            self.default_font = number
        elif word == b"uc" and number is not None:
            group.unicode_fallback = max(number, 0)
        elif group.in_font_table:
            if word == b"f":
                self.defining_font = number
            elif word == b"fcharset" and number in _RTF_CHARSETS:
                self.font_codepages[self.defining_font] = _RTF_CHARSETS[number]
            elif word == b"cpg" and number:
                codepage = _codepage(f"cp{number}")
                if codepage:
                    self.font_codepages[self.defining_font] = codepage
        elif word == b"f":
            group.font = number
        elif word == b"u" and number is not None:
            self._emit(chr(number % 65536))  # written as a signed 16-bit number
            self.to_skip = group.unicode_fallback
        elif word in _RTF_WORDS:
            self._emit(_RTF_WORDS[word])

    def _bytes(self, data):
        if self.to_skip:
            dropped = min(self.to_skip, len(data))
            data, self.to_skip = data[dropped:], self.to_skip - dropped
        if not data or self.group.skip or self.group.in_font_table:
            return
        font = self.default_font if self.group.font is None else self.group.font
        codepage = self.font_codepages.get(font, self.document_codepage)
        if codepage != self.pending_codepage:
            self._flush()
            self.pending_codepage = codepage
        self.pending += data

    def _emit(self, piece):
        if piece and not (self.group.skip or self.group.in_font_table):
            self._flush()
            self.text.add(piece)

    def _flush(self):
        if self.pending:
            piece = bytes(self.pending).decode(self.pending_codepage, errors="replace")
            self.pending.clear()
            self.text.add(piece)


def _codepage(name):
    """The codec for a code page the document names, or None if Python has none."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _read_rtf(file, text):
    _RtfReader(text).read(file.read(MAX_STREAM_BYTES))


# DOC and XLS (OLE2) -------------------------------------------------------------------------


def _read_doc(file, text):
    """Word 97–2003: the text is in the WordDocument stream, in pieces listed in a table stream.

    The File Information Block at the stream's start says which table stream ("0Table" or
    "1Table") and where in it the piece table (Clx) is; each piece is a run of characters
    stored as UTF-16 or, "compressed", as cp1252 bytes ([MS-DOC] 2.4.1 "Retrieving Text").
    Older Word (6, 95) and encrypted documents give "".
    """
    with olefile.OleFileIO(file) as ole:
        document = ole.openstream("WordDocument").read(MAX_STREAM_BYTES)
        identifier, version, flags = _unpack("<HH6xH", document, 0)
        if identifier != 0xA5EC or version < 0xC1:
            logger.warning("DOC %s: not a Word 97–2003 document, no text taken", _name(file))
            return
        if flags & 0x0100:
            logger.warning("DOC %s is encrypted: no text taken", _name(file))
            return
        table_name = "1Table" if flags & 0x0200 else "0Table"
        table = ole.openstream(table_name).read(MAX_STREAM_BYTES)
    clx_at, clx_size = _doc_clx_position(document)
    for start, end, offset, compressed in _doc_pieces(table[clx_at : clx_at + clx_size]):
        length = end - start
        if compressed:
            piece = document[offset // 2 : offset // 2 + length].decode("cp1252", "replace")
        else:
            piece = document[offset : offset + 2 * length].decode("utf-16-le", "replace")
        text.add(_doc_visible(piece))


def _unpack(layout, data, offset):
    return struct.unpack_from(layout, data, offset)


def _doc_clx_position(document):
    # FibBase (32 bytes), then three arrays, each after its count: 16-bit words, 32-bit longs
    # and the FcLcb pairs (offset, size) of which the 34th is the Clx's.
    (word_count,) = _unpack("<H", document, 32)
    longs_at = 34 + 2 * word_count
    (long_count,) = _unpack("<H", document, longs_at)
    pairs_at = longs_at + 2 + 4 * long_count + 2
    return _unpack("<II", document, pairs_at + 8 * 33)


def _doc_pieces(clx):
    """(first character, end character, byte offset, compressed?) of each piece, from the Clx."""
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: formatting, skipped
        (size,) = _unpack("<H", clx, position + 1)
        position += 3 + size
    if position >= len(clx) or clx[position] != 0x02:
        raise ValueError("no piece table in the Clx")
    (size,) = _unpack("<I", clx, position + 1)
    table = clx[position + 5 : position + 5 + size]
    count = (len(table) - 4) // 12  # n + 1 character positions, then n 8-byte descriptors
    positions = _unpack(f"<{count + 1}I", table, 0)
    for index in range(count):
        (value,) = _unpack("<I", table, 4 * (count + 1) + 8 * index + 2)
        compressed = bool(value & 0x40000000)
        yield positions[index], positions[index + 1], value & 0x3FFFFFFF, compressed


_DOC_FIELD_CODE = re.compile("\x13[^\x13\x14\x15]*(?:\x14|\x15)")
_DOC_SPECIAL = str.maketrans({"\r": "\n", "\x07": "\t", "\x0b": "\n", "\x0c": "\n", "\x1e": "-"})


def _doc_visible(piece):
    # A field is \x13 code \x14 result \x15: its code ("HYPERLINK ...") is no one's words.
    return _DOC_FIELD_CODE.sub("", piece).translate(_DOC_SPECIAL)


def _read_xls(file, text):
    with xls_sheets(file) as sheets:
        _add_sheets(file, "XLS", sheets, text)


@contextmanager
def xls_sheets(file):
    """(title, rows) of each sheet of an Excel 97–2003 (and 95) workbook, read by xlrd (which
    since 2.0 reads these and nothing else) within the limits of _XlsLoader; none at all for
    a file over MAX_STREAM_BYTES (logged)."""
    data = file.read(MAX_STREAM_BYTES + 1)
    if len(data) > MAX_STREAM_BYTES:
        logger.warning("XLS %s is over %d bytes: no text taken", _name(file), MAX_STREAM_BYTES)
        yield iter(())
        return
    # on_demand: one sheet in memory at a time; ragged_rows: a row as long as its own cells.
    with xlrd.open_workbook(
        file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO()
    ) as book:
        yield _xls_sheets(file, _XlsLoader(book))


def _xls_sheets(file, loader):
    book = loader.book
    for index in range(book.nsheets):
        sheet = loader.load(index)
        yield sheet.name, (_xls_values(sheet.row(row), book.datemode) for row in range(sheet.nrows))
        book.unload_sheet(index)
        if loader.stopped:
            logger.warning("XLS %s: text taken from its first rows only", _name(file))
            return


def _xls_values(cells, datemode):
    return [_xls_value(cell, datemode) for cell in cells]


def _xls_value(cell, datemode):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except xlrd.xldate.XLDateError:
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


# The BIFF records that put a value in a cell, each starting with its row and column: FORMULA
# (three versions), MULRK (several numbers, its last column in its last two bytes), RSTRING,
# LABELSST, NUMBER, LABEL, BOOLERR, RK. xlrd skips blank cells unless asked for formatting.
_XLS_CELL_RECORDS = frozenset(
    {0x0006, 0x0206, 0x0406, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
)
_XLS_MULRK = 0x00BD
_XLS_END_OF_SHEET = (0x000A, 0, b"")


class _XlsLoader:
    """Loads sheets through xlrd within MAX_SHEET_CELLS (in all) and MAX_SECONDS.

    xlrd builds a whole sheet before giving any of it, each row padded up to its last cell, so
    a few MB of cells far apart would cost it hundreds of MB and seconds. It reads a sheet
    record by record through `book.get_record_parts`, so that is where the cells are counted
    (padded as xlrd will pad them) and the time is checked; past a limit the sheet ends there,
    as if its end-of-sheet record had come, keeping the cells read until then.
    """

    def __init__(self, book):
        self.book = book
        self.read_record = book.get_record_parts
        book.get_record_parts = self.next_record
        self.row_widths = {}
        self.cells = self.records = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.stopped = False

    def load(self, index):
        self.row_widths = {}
        return self.book.sheet_by_index(index)

    def next_record(self):
        if self.stopped:
            return _XLS_END_OF_SHEET
        code, length, data = self.read_record()
        self.records += 1
        if code in _XLS_CELL_RECORDS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            if code == _XLS_MULRK:
                (column,) = struct.unpack_from("<H", data, len(data) - 2)
            width = self.row_widths.get(row, 0)
            if column >= width:
                self.cells += column + 1 - width
                self.row_widths[row] = column + 1
            self.stopped = self.cells > MAX_SHEET_CELLS
        if self.records % 10_000 == 0 and time.monotonic() > self.deadline:
            self.stopped = True
        return _XLS_END_OF_SHEET if self.stopped else (code, length, data)


_READERS = {
    "PDF": _read_pdf,
    "DOCX": _read_docx,
    "PPTX": _read_pptx,
    "XLSX": _read_xlsx,
    "ODT": _read_odf,
    "ODS": _read_odf,
    "ODP": _read_odf,
    "RTF": _read_rtf,
    "DOC": _read_doc,
    "XLS": _read_xls,
}
