"""Spreadsheets for the postulate import tests, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from postulates.importing import TEMPLATE_HEADERS

HEADER = list(TEMPLATE_HEADERS)


def csv_bytes(rows, header=HEADER, delimiter=";", encoding="utf-8-sig"):
    """A CSV as Excel writes it: CRLF line ends, cells quoted only when they need it."""

    def quote(cell):
        cell = str(cell)
        if any(char in cell for char in (delimiter, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [delimiter.join(quote(cell) for cell in row) for row in [header, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data, name="postulaty.csv"):
    return SimpleUploadedFile(name, data)


def row(number="1", content="Więcej lokali dla organizacji.", **cells):
    """A row under HEADER; keyword arguments name the other columns by their field names."""
    fields = (
        "organisation",
        "area",
        "responsible_department",
        "outcome",
        "justification",
        "answering_department",
        "answered_on",
        "commitment",
        "commitment_due_on",
        "commitment_fulfilled_on",
    )
    if unknown := set(cells) - set(fields):
        raise TypeError(f"unknown columns: {sorted(unknown)}")
    return [number, content, *(cells.get(name, "") for name in fields)]


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Postulaty" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def text_cell(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = f'<row r="1">{text_cell("A1", "Nr")}{text_cell("B1", "Treść postulatu")}</row>'


def handmade_xlsx(rows_xml, dimension=None, parts=None):
    """An XLSX written part by part, as a hostile or odd program might: a few kilobytes
    where openpyxl would write (and take as long as reading) the whole sheet."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension_xml}<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
