"""Spreadsheets for the postulate import tests, built in memory."""

import io

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
