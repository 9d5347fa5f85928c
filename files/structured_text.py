"""The structure of an uploaded document (headings, paragraphs, lists, tables), taken once at
upload for its HTML version (accessibility.DocumentText).

`extract_blocks(file, file_format)` gives a list of blocks, plain data that JSON stores:

- {"type": "heading", "level": 2..6, "text": ...}: the page's h1 is the document's title, so
  the document's own top heading level is 2, and no level is more than one below the one
  before it (a "Heading 1" then a "Heading 3" give h2 then h3);
- {"type": "paragraph", "text": ...}: a line break inside it is "\\n";
- {"type": "list", "ordered": bool, "items": [{"text": ..., "level": 0..}]}, level for nesting
  (an item of a nested list of the other kind has its own "ordered");
- {"type": "table", "caption": ..., "header": bool, "rows": [[cell text, ...], ...]}: `header`
  when the first row heads the columns; a spreadsheet's sheet is a table captioned with its
  name;
- {"type": "scanned-page", "page": n}: where a PDF's page n draws something but holds no
  text (a scan), so the HTML version says so rather than leaving the page out; OCR, when it
  has read the page, adds its text: "ocr": ... (accessibility.services).

Bounded exactly as files.text_extraction, whose readers and limits it uses: the text of all
blocks stops at MAX_CHARS characters, ZIP members are streamed through files.archives
within MAX_MEMBER_BYTES and MAX_UNPACKED_BYTES, XML goes through defusedxml, PDF pages,
sheet rows and cells and the seconds spent are capped. It never raises: a file that cannot be
read gives the blocks read until the trouble (logged), possibly none.

Formats with no structure worth reading here (RTF, DOC, PPTX, ODP) give the plain text of
files.text_extraction as paragraphs.
"""

import logging
import re
import statistics
import time
from collections import Counter

from pypdf import PasswordType, PdfReader

from files import archives, text_extraction
from files.archives import open_zip
from files.text_extraction import (
    MAX_PDF_PAGES,
    MAX_SECONDS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    ODF_TEXT,
    Text,
    TextTooLong,
    W,
    _members,
    _name,
    _read_xml_member,
    _reading,
    _tags,
    bounded_sheets,
    cell_text,
    extract_text,
    page_is_scan,
    xls_sheets,
    xlsx_sheets,
)

logger = logging.getLogger(__name__)

TOP_LEVEL = 2  # the page's own h1 is the document's title
MAX_LEVEL = 6


class Blocks:
    """The blocks read so far. Their text counts against MAX_CHARS through a Text: the block
    that reaches the limit is cut there, and reading stops (TextTooLong)."""

    def __init__(self):
        self.blocks = []
        self.budget = Text()

    def _fit(self, text):
        """`text`, cut to what is left of MAX_CHARS."""
        return text[: max(text_extraction.MAX_CHARS - self.budget.length, 0)]

    def heading(self, level, text):
        text = self._fit(_clean(text))
        if text:
            self.blocks.append({"type": "heading", "level": level, "text": text})
            self.budget.add(text)

    def paragraph(self, text):
        text = self._fit(_clean(text, keep_breaks=True))
        if text:
            self.blocks.append({"type": "paragraph", "text": text})
            self.budget.add(text)

    def list_item(self, text, ordered, level=0):
        text = self._fit(_clean(text, keep_breaks=True))
        if not text:
            return
        last = self.blocks[-1] if self.blocks else None
        if not (last and last["type"] == "list" and (level or last["ordered"] == ordered)):
            last = {"type": "list", "ordered": ordered, "items": []}
            self.blocks.append(last)
        item = {"text": text, "level": level}
        if ordered != last["ordered"]:
            item["ordered"] = ordered  # a nested list of the other kind: bullets in a numbered
        last["items"].append(item)
        self.budget.add(text)

    def scanned_page(self, number):
        self.blocks.append({"type": "scanned-page", "page": number})

    def table(self, rows, header, caption=""):
        rows = [[_clean(cell, keep_breaks=True) for cell in row] for row in rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        # Columns empty in every row (a spreadsheet's padding) are left out.
        used = [c for c in range(width) if any(c < len(row) and row[c] for row in rows)]
        rows = [[row[c] if c < len(row) else "" for c in used] for row in rows]
        caption = self._fit(_clean(caption))
        left = text_extraction.MAX_CHARS - self.budget.length - len(caption)
        kept = []
        for row in rows:
            cut = []
            for cell in row:
                cell = cell[: max(left, 0)]
                left -= len(cell)
                cut.append(cell)
            kept.append(cut)
            if left <= 0:
                break
        self.blocks.append({"type": "table", "caption": caption, "header": header, "rows": kept})
        self.budget.add(caption + "".join(cell for row in kept for cell in row))


_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text, keep_breaks=False):
    text = _CONTROL.sub(" ", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    # Joins the UTF-16 halves of characters beyond U+FFFF and replaces lone halves.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return ("\n" if keep_breaks else " ").join(line for line in lines if line)


def extract_blocks(file, file_format):
    """The blocks of `file` in `file_format` ("PDF", "DOCX", ...); never raises.

    The file is left rewound (or closed again, if it was closed) so it can still be saved.
    """
    reader = _READERS.get(file_format)
    if reader is None:
        return _plain_blocks(file, file_format)
    blocks = Blocks()
    try:
        with _reading(file):
            reader(file, blocks)
    except TextTooLong:
        pass
    except Exception:  # a hostile file can break any parser in any way: keep what was read
        logger.warning(
            "Could not read the structure of %s file %s", file_format, _name(file), exc_info=True
        )
    return normalized_levels(blocks.blocks)


def normalized_levels(blocks):
    """`blocks` with heading levels that start at TOP_LEVEL and never skip one going down."""
    previous = TOP_LEVEL - 1
    for block in blocks:
        if block["type"] == "heading":
            block["level"] = max(TOP_LEVEL, min(block["level"], previous + 1, MAX_LEVEL))
            previous = block["level"]
    return blocks


def _plain_blocks(file, file_format):
    """Paragraphs of the plain text: each line of text a paragraph."""
    blocks = Blocks()
    try:
        for line in extract_text(file, file_format).split("\n"):
            blocks.paragraph(line)
    except TextTooLong:
        pass
    return blocks.blocks


# DOCX -----------------------------------------------------------------------------------------

_HEADING_STYLE_NAME = re.compile(r"(?:heading|nagłówek)\s*([1-9])", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}


def _attribute(attributes, name, namespaces=W):
    for namespace in namespaces:
        value = attributes.get(f"{{{namespace}}}{name}")
        if value is not None:
            return value
    return None


class _DocxStyles:
    """From word/styles.xml: the heading level of each paragraph style, by its outline level or
    its name ("heading 1", "Nagłówek 1", "Title"), followed through `basedOn`."""

    def __init__(self):
        self.outline, self.based_on, self.named = {}, {}, {}
        self.style = None
        self.in_paragraph_properties = 0

    def start(self, tag, attributes):
        local = tag.rpartition("}")[2]
        if local == "style":
            self.style = _attribute(attributes, "styleId")
        elif self.style is None:
            return
        elif local == "name":
            name = _attribute(attributes, "val") or ""
            match = _HEADING_STYLE_NAME.fullmatch(name.strip())
            if match:
                self.named[self.style] = int(match.group(1))
            elif name.strip().lower() in ("title", "tytuł"):
                self.named[self.style] = 1
        elif local == "basedOn":
            self.based_on[self.style] = _attribute(attributes, "val")
        elif local == "outlineLvl":
            level = _attribute(attributes, "val") or ""
            if level.isdigit() and int(level) < 9:
                self.outline[self.style] = int(level) + 1

    def end(self, tag):
        if tag.rpartition("}")[2] == "style":
            self.style = None

    def data(self, data):
        pass

    def close(self):
        return None

    def level(self, style):
        for _ in range(10):  # basedOn chains are short; a loop in a hostile file is cut
            if style is None:
                return None
            if style in self.outline:
                return self.outline[style]
            if style in self.named:
                return self.named[style]
            style = self.based_on.get(style)
        return None


class _DocxNumbering:
    """From word/numbering.xml: whether a numbered list (numId) at a level counts or bullets."""

    def __init__(self):
        self.abstract_formats = {}  # (abstractNumId, level) → numFmt
        self.abstract_of = {}  # numId → abstractNumId
        self.abstract = self.level = self.number = None

    def start(self, tag, attributes):
        local = tag.rpartition("}")[2]
        if local == "abstractNum":
            self.abstract = _attribute(attributes, "abstractNumId")
        elif local == "lvl":
            self.level = _attribute(attributes, "ilvl")
        elif local == "numFmt" and self.abstract is not None and self.level is not None:
            self.abstract_formats[(self.abstract, self.level)] = _attribute(attributes, "val")
        elif local == "num":
            self.number = _attribute(attributes, "numId")
        elif local == "abstractNumId" and self.number is not None:
            self.abstract_of[self.number] = _attribute(attributes, "val")

    def end(self, tag):
        local = tag.rpartition("}")[2]
        if local == "abstractNum":
            self.abstract = None
        elif local == "lvl":
            self.level = None
        elif local == "num":
            self.number = None

    def data(self, data):
        pass

    def close(self):
        return None

    def ordered(self, number, level):
        abstract = self.abstract_of.get(number)
        number_format = self.abstract_formats.get((abstract, level or "0"), "bullet")
        return number_format not in ("bullet", "none")


class _DocxParagraph:
    def __init__(self):
        self.pieces = []
        self.style = self.outline = self.number = self.level = None
        self.has_text = False
        self.all_bold = True
        self.run_bold = False


class _DocxBody:
    """word/document.xml into blocks: headings by style or outline level, list items by
    numbering, tables row by row (a table inside a cell adds its text to the cell)."""

    def __init__(self, blocks, styles, numbering):
        self.blocks, self.styles, self.numbering = blocks, styles, numbering
        self.paragraphs = []  # nested when a text box sits inside a paragraph
        self.tables = []  # [rows, header row?, current row, current cell]
        self.in_text = self.in_skip = self.in_run = 0
        self.in_run_properties = False

    def start(self, tag, attributes):
        local = tag.rpartition("}")[2]
        if local == "Fallback":
            self.in_skip += 1
        if self.in_skip or tag[1:].partition("}")[0] not in W:
            return
        paragraph = self.paragraphs[-1] if self.paragraphs else None
        if local == "p":
            self.paragraphs.append(_DocxParagraph())
        elif local == "tbl":
            self.tables.append({"rows": [], "header": False, "row": None, "cell": None})
        elif local == "tr" and self.tables:
            self.tables[-1]["row"] = []
        elif local == "tblHeader" and self.tables and not self.tables[-1]["rows"]:
            self.tables[-1]["header"] = _attribute(attributes, "val") not in _FALSE
        elif local == "tc" and self.tables:
            self.tables[-1]["cell"] = []
        elif paragraph is None:
            return
        elif local == "pStyle":
            paragraph.style = _attribute(attributes, "val")
        elif local == "outlineLvl":
            level = _attribute(attributes, "val") or ""
            paragraph.outline = int(level) + 1 if level.isdigit() and int(level) < 9 else None
        elif local == "numId":
            paragraph.number = _attribute(attributes, "val")
        elif local == "ilvl":
            paragraph.level = _attribute(attributes, "val")
        elif local == "r":
            self.in_run += 1
            paragraph.run_bold = False
        elif local == "rPr" and self.in_run:
            self.in_run_properties = True
        elif local == "b" and self.in_run_properties:
            paragraph.run_bold = _attribute(attributes, "val") not in _FALSE
        elif local == "t" and self.in_run:
            self.in_text += 1
        elif self.in_run and local in ("tab", "ptab"):
            paragraph.pieces.append("\t")
        elif self.in_run and local in ("br", "cr"):
            paragraph.pieces.append("\n")
        elif self.in_run and local == "noBreakHyphen":
            paragraph.pieces.append("-")

    def end(self, tag):
        local = tag.rpartition("}")[2]
        if local == "Fallback":
            self.in_skip -= 1
            return
        if self.in_skip or tag[1:].partition("}")[0] not in W:
            return
        if local == "t" and self.in_text:
            self.in_text -= 1
        elif local == "rPr":
            self.in_run_properties = False
        elif local == "r" and self.in_run:
            self.in_run -= 1
        elif local == "p" and self.paragraphs:
            self._end_paragraph(self.paragraphs.pop())
        elif local == "tc" and self.tables and self.tables[-1]["cell"] is not None:
            table = self.tables[-1]
            if table["row"] is not None:
                table["row"].append("\n".join(table["cell"]))
            table["cell"] = None
        elif local == "tr" and self.tables and self.tables[-1]["row"] is not None:
            table = self.tables[-1]
            table["rows"].append(table["row"])
            table["row"] = None
        elif local == "tbl" and self.tables:
            self._end_table(self.tables.pop())

    def data(self, data):
        if self.in_text and not self.in_skip and self.paragraphs:
            paragraph = self.paragraphs[-1]
            paragraph.pieces.append(data)
            if data.strip():
                paragraph.has_text = True
                paragraph.all_bold &= paragraph.run_bold

    def close(self):
        return None

    def _end_paragraph(self, paragraph):
        text = "".join(paragraph.pieces)
        if self.tables and self.tables[-1]["cell"] is not None:
            table = self.tables[-1]
            table["cell"].append(text)
            if not table["rows"]:  # the first row: bold throughout makes it a header
                table.setdefault("bold", []).append(paragraph.all_bold or not paragraph.has_text)
            return
        level = paragraph.outline or self.styles.level(paragraph.style)
        if level is not None and text.strip() and "\n" not in text.strip():
            self.blocks.heading(level + 1, text)
        elif paragraph.number not in (None, "0"):
            ordered = self.numbering.ordered(paragraph.number, paragraph.level)
            depth = int(paragraph.level) if (paragraph.level or "").isdigit() else 0
            self.blocks.list_item(text, ordered, min(depth, 8))
        else:
            self.blocks.paragraph(text)

    def _end_table(self, table):
        rows = table["rows"]
        if self.tables:  # a table inside a cell: its text joins the outer cell
            outer = self.tables[-1]
            if outer["cell"] is not None:
                outer["cell"].extend("\t".join(row) for row in rows)
            return
        bold = table.get("bold", [])
        header = table["header"] or (len(rows) > 1 and bool(bold) and all(bold))
        self.blocks.table(rows, header)


def _read_docx(file, blocks):
    with open_zip(file) as archive:
        budget = [archives.MAX_UNPACKED_BYTES]
        styles, numbering = _DocxStyles(), _DocxNumbering()
        for pattern, handler in (
            (re.compile(r"word/styles\.xml"), styles),
            (re.compile(r"word/numbering\.xml"), numbering),
        ):
            for info in _members(archive, (pattern,)):
                _read_xml_member(file, archive, info, handler, budget)
        for info in _members(archive, (re.compile(r"word/document\.xml"),)):
            _read_xml_member(file, archive, info, _DocxBody(blocks, styles, numbering), budget)


# ODT and ODS ----------------------------------------------------------------------------------

ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
ODF_FO = "urn:oasis:names:compatibility:xmlns:xsl-fo-compatible:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = ODF_TEXT[0]


def _odf(namespace, name):
    return f"{{{namespace}}}{name}"


# Comments, footnotes and deleted text are not the document's running text.
_ODF_SKIPPED = _tags(ODF_TEXT, "note", "tracked-changes", "note-citation") | {
    _odf(ODF_OFFICE, "annotation")
}
# A spreadsheet repeats empty rows and cells to the sheet's edge; past these, repeats of
# empty ones are dropped and of filled ones capped.
MAX_ODF_REPEAT = 1000


class _OdfContent:
    """content.xml of an ODT or ODS into blocks: text:h by its outline level, text:list as a
    list (numbered when its style numbers), tables row by row (a spreadsheet's sheets
    captioned with their names, a first row of text heading their columns)."""

    def __init__(self, blocks, spreadsheet):
        self.blocks, self.spreadsheet = blocks, spreadsheet
        self.numbered_styles = set()  # list styles whose first level counts
        self.bold_styles = set()  # automatic styles whose text is bold
        self.style = None
        self.lists = []  # ordered? of each open list
        self.paragraph = None  # [pieces, heading level, bold style?, text not bold?]
        self.nested = 0  # paragraphs of a frame inside a paragraph
        self.in_skip = 0
        self.table = None
        self.cells = self.rows = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def start(self, tag, attributes):
        if tag in _ODF_SKIPPED:
            self.in_skip += 1
        if self.in_skip:
            return
        if tag == _odf(_T, "list-style"):
            self.style = attributes.get(_odf(ODF_STYLE, "name"))
        elif tag == _odf(_T, "list-level-style-number") and self.style:
            if attributes.get(_odf(_T, "level")) in (None, "1"):
                self.numbered_styles.add(self.style)
        elif tag == _odf(ODF_STYLE, "style"):
            self.style = attributes.get(_odf(ODF_STYLE, "name"))
        elif tag == _odf(ODF_STYLE, "text-properties") and self.style:
            if attributes.get(_odf(ODF_FO, "font-weight")) == "bold":
                self.bold_styles.add(self.style)
        elif tag == _odf(_T, "list"):
            style = attributes.get(_odf(_T, "style-name"))
            outer = self.lists[0] if self.lists else None
            self.lists.append(outer if outer is not None else style in self.numbered_styles)
        elif tag in (_odf(_T, "p"), _odf(_T, "h")):
            if self.paragraph is not None:  # a frame's text inside a paragraph
                self.nested += 1
                self.paragraph[0].append("\n")
                return
            level = None
            if tag == _odf(_T, "h"):
                outline = attributes.get(_odf(_T, "outline-level"), "1")
                level = int(outline) + 1 if outline.isdigit() else TOP_LEVEL
            style = attributes.get(_odf(_T, "style-name"), "")
            bold = style in self.bold_styles or "Heading" in style
            self.paragraph = [[], level, bold, False]
        elif tag == _odf(_T, "span") and self.paragraph is not None:
            if attributes.get(_odf(_T, "style-name")) not in self.bold_styles:
                self.paragraph[3] = True  # text that is not bold
        elif tag == _odf(_T, "s") and self.paragraph is not None:
            count = attributes.get(_odf(_T, "c"), "1")
            self.paragraph[0].append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif tag == _odf(_T, "tab") and self.paragraph is not None:
            self.paragraph[0].append("\t")
        elif tag == _odf(_T, "line-break") and self.paragraph is not None:
            self.paragraph[0].append("\n")
        elif tag == _odf(ODF_TABLE, "table"):
            if self.table is None:
                self.table = {
                    "name": attributes.get(_odf(ODF_TABLE, "name"), ""),
                    "rows": [],
                    "pending_rows": 0,
                    "header_rows": False,
                    "in_header": False,
                    "first_row_text": True,
                    "first_row_bold": True,
                    "depth": 1,
                }
            else:
                self.table["depth"] += 1
        elif self.table is None or self.table["depth"] > 1:
            return
        elif tag == _odf(ODF_TABLE, "table-header-rows"):
            self.table["in_header"] = True
        elif tag == _odf(ODF_TABLE, "table-row"):
            repeat = attributes.get(_odf(ODF_TABLE, "number-rows-repeated"), "1")
            self.table["row"] = {
                "cells": [],
                "pending": 0,
                "repeat": int(repeat) if repeat.isdigit() else 1,
            }
        elif tag in (_odf(ODF_TABLE, "table-cell"), _odf(ODF_TABLE, "covered-table-cell")):
            repeat = attributes.get(_odf(ODF_TABLE, "number-columns-repeated"), "1")
            value_type = attributes.get(_odf(ODF_OFFICE, "value-type"), "string")
            self.table["cell"] = {
                "pieces": [],
                "repeat": int(repeat) if repeat.isdigit() else 1,
                "text": value_type == "string",
            }

    def end(self, tag):
        if tag in _ODF_SKIPPED:
            self.in_skip -= 1
            return
        if self.in_skip:
            return
        if tag in (_odf(ODF_STYLE, "style"), _odf(_T, "list-style")):
            self.style = None
        elif tag == _odf(_T, "list") and self.lists:
            self.lists.pop()
        elif tag in (_odf(_T, "p"), _odf(_T, "h")) and self.paragraph is not None:
            if self.nested:
                self.nested -= 1
                self.paragraph[0].append("\n")
                return
            pieces, level, bold, plain = self.paragraph
            self.paragraph = None
            self._end_paragraph("".join(pieces), level, bold and not plain)
        elif self.table is None:
            return
        elif tag == _odf(ODF_TABLE, "table"):
            self.table["depth"] -= 1
            if not self.table["depth"]:
                self._end_table(self.table)
                self.table = None
        elif self.table["depth"] > 1:
            return
        elif tag == _odf(ODF_TABLE, "table-header-rows"):
            self.table["in_header"] = False
            self.table["header_rows"] = True
        elif tag in (_odf(ODF_TABLE, "table-cell"), _odf(ODF_TABLE, "covered-table-cell")):
            self._end_cell()
        elif tag == _odf(ODF_TABLE, "table-row"):
            self._end_row()

    def data(self, data):
        if self.paragraph is not None and not self.in_skip:
            self.paragraph[0].append(data)

    def close(self):
        return None

    def _end_paragraph(self, text, level, bold):
        table = self.table
        cell = table.get("cell") if table else None
        if cell is not None:
            cell["pieces"].append(text)
            if not table["rows"] and not table["pending_rows"] and text.strip():
                table["first_row_bold"] &= bold
            return
        if table is not None:
            return  # text of a table inside a cell, or outside any cell
        if level is not None:
            self.blocks.heading(level, text)
        elif self.lists:
            self.blocks.list_item(text, self.lists[0], min(len(self.lists) - 1, 8))
        else:
            self.blocks.paragraph(text)

    def _end_cell(self):
        table = self.table
        row, cell = table.get("row"), table.pop("cell", None)
        if row is None or cell is None:
            return
        text = "\n".join(cell["pieces"])
        if not text.strip():
            row["pending"] += cell["repeat"]  # kept only if a filled cell follows
            return
        if not table["rows"] and not cell["text"]:
            table["first_row_text"] = False
        repeat = min(cell["repeat"], MAX_ODF_REPEAT)
        self._count_cells(min(row["pending"], MAX_ODF_REPEAT) + repeat)
        row["cells"].extend([""] * min(row["pending"], MAX_ODF_REPEAT))
        row["cells"].extend([text] * repeat)
        row["pending"] = 0

    def _end_row(self):
        table = self.table
        row = table.pop("row", None)
        if row is None:
            return
        if not row["cells"]:
            table["pending_rows"] += row["repeat"]
            return
        if table["in_header"] and not table["rows"]:
            table["header_rows"] = True
        for _ in range(min(table["pending_rows"], MAX_ODF_REPEAT)):
            self._count_rows()
            table["rows"].append([])
        table["pending_rows"] = 0
        for _ in range(min(row["repeat"], MAX_ODF_REPEAT)):
            self._count_rows()
            table["rows"].append(list(row["cells"]))

    def _count_cells(self, count):
        self.cells += count
        if self.cells > MAX_SHEET_CELLS:
            raise TextTooLong
        if time.monotonic() > self.deadline:
            raise TimeoutError(f"ODF took over {MAX_SECONDS} s")

    def _count_rows(self):
        self.rows += 1
        if self.rows > MAX_SHEET_ROWS:
            raise TextTooLong

    def _end_table(self, table):
        rows = [row for row in table["rows"] if any(cell.strip() for cell in row)]
        if self.spreadsheet:
            header = table["header_rows"] or (len(rows) > 1 and table["first_row_text"])
            self.blocks.table(rows, header, caption=table["name"])
        else:
            header = table["header_rows"] or (len(rows) > 1 and table["first_row_bold"])
            self.blocks.table(rows, header)


def _odf_reader(spreadsheet):
    def read(file, blocks):
        with open_zip(file) as archive:
            budget = [archives.MAX_UNPACKED_BYTES]
            handler = _OdfContent(blocks, spreadsheet)
            try:
                for info in _members(archive, (re.compile(r"content\.xml"),)):
                    _read_xml_member(file, archive, info, handler, budget)
            finally:
                if handler.table is not None:  # cut off by a limit: keep the rows read
                    handler._end_table(handler.table)

    return read


# XLSX and XLS -------------------------------------------------------------------------------


def _add_sheets(file, file_format, sheets, blocks):
    """Each sheet as a table captioned with its name; its first row heads the columns when
    it holds only text and more rows follow."""
    for title, sheet_rows in bounded_sheets(file, file_format, sheets):
        rows = []
        # Reading stops once the text would pass MAX_CHARS, as the search text's does.
        left = text_extraction.MAX_CHARS - blocks.budget.length
        try:
            for row in sheet_rows:
                rows.append(row)
                left -= sum(len(cell_text(value)) for value in row)
                if left < 0:
                    break
        finally:
            filled = [row for row in rows if any(cell_text(v) for v in row)]
            first = filled[0] if filled else []
            header = len(filled) > 1 and all(v is None or isinstance(v, str) for v in first)
            blocks.table(
                [[cell_text(value) for value in row] for row in filled], header, caption=title
            )


def _read_xlsx(file, blocks):
    with xlsx_sheets(file) as sheets:
        _add_sheets(file, "XLSX", sheets, blocks)


def _read_xls(file, blocks):
    with xls_sheets(file) as sheets:
        _add_sheets(file, "XLS", sheets, blocks)


# PDF ----------------------------------------------------------------------------------------
#
# A PDF holds positioned glyphs, not structure. pypdf gives the text in the order the page
# draws it (which for office-made PDFs is reading order) and, to a visitor, each piece with
# its font size. Lines are joined into paragraphs until a blank line, a short line ending a
# sentence, or a change of font size; a line is a heading only when it is short, has no
# final full stop and is set clearly larger than the body text (1.2 times or more): the two
# largest such sizes are levels 2 and 3. Anything less sure stays a paragraph.

HEADING_SIZE_RATIO = 1.2
MAX_HEADING_CHARS = 120
_LIST_MARK = re.compile(r"^\s*(?:[•▪◦·\-–]|\d{1,3}[.)]|[a-z][)])\s+")
_NUMBERED_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]|[a-z][)])\s+")


def _pdf_lines(page):
    """(text, font size) of each line of `page`, in the order pypdf reads them."""
    pieces = []

    def visit(text, matrix, text_matrix, font, size):
        scale = abs(text_matrix[3] * matrix[3]) or abs(text_matrix[0] * matrix[0]) or 1
        pieces.append((text, size * scale))

    page.extract_text(visitor_text=visit)
    lines, current, sizes = [], [], Counter()
    for text, size in pieces:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append(("".join(current), _main_size(sizes)))
                current, sizes = [], Counter()
            if part:
                current.append(part)
                if part.strip():
                    sizes[round(size, 1)] += len(part.strip())
    if current:
        lines.append(("".join(current), _main_size(sizes)))
    return lines


def _main_size(sizes):
    return sizes.most_common(1)[0][0] if sizes else 0


def _read_pdf(file, blocks):
    reader = PdfReader(file, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        logger.warning("PDF %s is protected by a password: no text taken", _name(file))
        return
    deadline = time.monotonic() + MAX_SECONDS
    lines = []
    try:
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or time.monotonic() > deadline:
                logger.warning(
                    "PDF %s: text taken from its first %d pages only", _name(file), number
                )
                break
            page_lines = _pdf_lines(page)
            if page_is_scan(page, "".join(t for t, _s in page_lines)):
                lines.append(_ScannedPage(number + 1))
            lines.extend(page_lines)
            lines.append(("", 0))  # a page ends a paragraph
    finally:
        _pdf_blocks(lines, blocks)


class _ScannedPage(int):
    """Among a PDF's lines: the place of a page without text (its number)."""


def _pdf_blocks(lines, blocks):
    text_lines = [line for line in lines if not isinstance(line, _ScannedPage)]
    weights = Counter()
    for text, size in text_lines:
        if size:
            weights[size] += len(text.strip())
    if not weights:  # no text at all: a scan, whose pages are marked
        for line in lines:
            if isinstance(line, _ScannedPage):
                blocks.scanned_page(int(line))
        return
    body = weights.most_common(1)[0][0]
    larger = sorted({s for s in weights if s >= body * HEADING_SIZE_RATIO}, reverse=True)
    heading_levels = {size: TOP_LEVEL + min(rank, 1) for rank, size in enumerate(larger)}
    typical = statistics.median([len(t.strip()) for t, s in text_lines if s == body and t.strip()])
    paragraph = []

    def end_paragraph():
        if paragraph:
            text = " ".join(paragraph)
            mark = _LIST_MARK.match(text)
            if mark:
                ordered = bool(_NUMBERED_MARK.match(text))
                blocks.list_item(text[mark.end() :], ordered)
            else:
                blocks.paragraph(text)
            paragraph.clear()

    for line in lines:
        if isinstance(line, _ScannedPage):
            end_paragraph()
            blocks.scanned_page(int(line))
            continue
        text, size = line
        text = text.strip()
        if not text:
            end_paragraph()
            continue
        if (
            size in heading_levels
            and len(text) <= MAX_HEADING_CHARS
            and not text.endswith((".", ",", ";"))
        ):
            end_paragraph()
            blocks.heading(heading_levels[size], text)
            continue
        if _LIST_MARK.match(text):
            end_paragraph()
        paragraph.append(text)
        short = len(text) < 0.7 * typical
        # A list item's short line did not wrap: the line after it is not the item's.
        if short and (text.endswith((".", ":", "!", "?")) or _LIST_MARK.match(paragraph[0])):
            end_paragraph()
    end_paragraph()


_READERS = {
    "PDF": _read_pdf,
    "DOCX": _read_docx,
    "ODT": _odf_reader(spreadsheet=False),
    "ODS": _odf_reader(spreadsheet=True),
    "XLSX": _read_xlsx,
    "XLS": _read_xls,
}
