"""The rows of an uploaded spreadsheet (CSV or XLSX), read within limits a hostile file cannot
stretch.

`open_spreadsheet(uploaded_file)` decides the format by the content, not the name, and gives
the rows that hold data one at a time, as lists of raw cells (text, or a number or date from
XLSX) with the row numbers the spreadsheet shows. Blank rows are counted but not kept, so the
work follows the rows that hold data, not a file's padding, and reading stops at the first
limit the file exceeds. Anything that makes the file as a whole unusable is an UnreadableFile
whose message, in Polish, is shown to the editor as is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.control_characters import FORBIDDEN_CHARACTERS
from files.archives import member_chunks, open_zip

MAX_FILE_BYTES = 5 * 1024 * 1024
# Rows read in all, blank or not: blank rows between data are fine, a sheet padded down to row
# 1 048 576 is refused once this many rows have been read.
MAX_SHEET_ROWS = 10_000
# Data further right than this is refused (the postulate list has twelve columns).
MAX_COLUMNS = 50
# An XLSX is a ZIP; a tiny file may unpack to gigabytes (a "zip bomb"), so cap the unpacked
# size: a real list of two thousand postulates unpacks to a few megabytes.
MAX_UNPACKED_XLSX_BYTES = 40 * 1024 * 1024
# openpyxl spends 10-50 µs on each XML element it reads (most on cell styles): a full sheet of
# two thousand rows in twelve columns has about 70 000, a workbook's styles a few hundred.
MAX_XLSX_ELEMENTS = 150_000
MAX_XLSX_STYLE_ELEMENTS = 10_000
# Files inside the XLSX; a workbook has a dozen or two.
MAX_XLSX_PARTS = 1_000


def spaced(number):
    """A number as Polish text writes it: 2 000, 1 048 576."""
    return f"{number:,}".replace(",", " ")


class UnreadableFile(Exception):
    """The file as a whole cannot be used; the message is shown to the editor as is."""


@dataclass
class Spreadsheet:
    file_format: str  # "csv" or "xlsx"
    description: str  # how the file was read, e.g. "CSV, kodowanie Windows-1250, separator średnik"
    rows: Iterator[tuple[int, list]]  # (row number, cells) of each row that holds data


@contextmanager
def open_spreadsheet(uploaded_file):
    """The upload (a file or bytes) as a Spreadsheet whose rows are read while it is open;
    raises UnreadableFile, also while its rows are read."""
    data = _read_limited(uploaded_file)
    if data.startswith(b"PK"):
        with _open_xlsx(data) as records:
            yield Spreadsheet("xlsx", "XLSX, pierwszy arkusz", _numbered_records(records))
        return
    if data.startswith(_OLE2_SIGNATURE):
        raise UnreadableFile(
            "To plik w starym formacie XLS (Excel 97–2003), którego nie obsługujemy. "
            "Zapisz go w Excelu jako XLSX albo CSV i prześlij ponownie."
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile(
            "To plik PDF, a nie arkusz. Prześlij zestawienie postulatów w formacie XLSX albo CSV."
        )
    yield _read_csv(data)


def _read_limited(uploaded_file):
    if isinstance(uploaded_file, bytes | bytearray):
        data = bytes(uploaded_file)
    else:
        size = getattr(uploaded_file, "size", None)
        if size is not None and size > MAX_FILE_BYTES:
            raise UnreadableFile(_too_big_message(size))
        try:
            if hasattr(uploaded_file, "seek"):
                uploaded_file.seek(0)
            data = uploaded_file.read(MAX_FILE_BYTES + 1)
        except (OSError, ValueError) as error:
            raise UnreadableFile("Nie udało się odczytać przesłanego pliku.") from error
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_too_big_message(len(data)))
    if not data.strip():
        raise UnreadableFile("Plik jest pusty.")
    return data


def _too_big_message(size):
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    limit = MAX_FILE_BYTES // 1024 // 1024
    return f"Plik jest za duży ({megabytes} MB); największy dopuszczalny rozmiar to {limit} MB."


_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UNSUPPORTED_FORMAT = (
    "Nie rozpoznano formatu pliku. Prześlij arkusz w formacie XLSX albo CSV "
    "(w Excelu: Plik → Zapisz jako → „Skoroszyt programu Excel” lub „CSV”)."
)
_DAMAGED_XLSX = (
    "Nie udało się odczytać arkusza XLSX – plik może być uszkodzony. "
    "Otwórz go w Excelu, zapisz ponownie i prześlij jeszcze raz."
)
_FEWER_ROWS_HINT = (
    "Usuń puste wiersze pod danymi (albo skopiuj same dane do nowego arkusza), "
    "zapisz plik i prześlij go ponownie."
)
_SIMPLER_XLSX_HINT = (
    "Skopiuj same dane do nowego skoroszytu (Wklej specjalnie → Wartości), "
    "zapisz go i prześlij ponownie."
)


@contextmanager
def _open_xlsx(data):
    """The first sheet's rows, lazily, as tuples of raw cell values."""
    _check_xlsx_package(data)
    # openpyxl warns about unsupported extensions (data validation, ...); they do not matter.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of errors on damaged files
            raise UnreadableFile(_DAMAGED_XLSX) from error
        try:
            if not workbook.worksheets:
                raise UnreadableFile("Skoroszyt nie zawiera żadnego arkusza.")
            worksheet = workbook.worksheets[0]
            # The size the sheet declares (<dimension ref="A1:L61">) refuses a padded sheet
            # before a row is read. Some programs write too small a size, so it is not trusted
            # further: rows are read to the real end, and counted.
            if (worksheet.max_row or 0) > MAX_SHEET_ROWS:
                raise UnreadableFile(
                    f"Arkusz sięga do wiersza {spaced(worksheet.max_row)}, a import odczytuje "
                    f"najwyżej {spaced(MAX_SHEET_ROWS)} wierszy, licząc puste. {_FEWER_ROWS_HINT}"
                )
            worksheet.reset_dimensions()
            # openpyxl pads each row to the width asked for, so a blank cell at XFD would cost a
            # row of 16 384. One column more than is used is read, so that a wider table is
            # refused rather than cut; nothing further right is read at all.
            rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            yield _reading(rows, Exception, _DAMAGED_XLSX)
        finally:
            workbook.close()


def _check_xlsx_package(data):
    """Refuse, before openpyxl parses anything, a workbook out of all proportion to a list of
    postulates. openpyxl spends 10–50 µs on every XML element it reads, so a few kilobytes of
    compressed, repetitive XML would cost it minutes and hundreds of megabytes."""
    try:
        archive = open_zip(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(_UNSUPPORTED_FORMAT) from error
    with archive:
        _check_xlsx_members(archive, archive.infolist())


def _check_xlsx_members(archive, members):
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise UnreadableFile(
                "To arkusz w formacie ODS (LibreOffice/OpenOffice), którego nie obsługujemy. "
                "Zapisz go jako XLSX albo CSV i prześlij ponownie."
            )
        raise UnreadableFile(_UNSUPPORTED_FORMAT)
    if sum(member.file_size for member in members) > MAX_UNPACKED_XLSX_BYTES:
        raise UnreadableFile("Arkusz XLSX jest po rozpakowaniu zbyt duży, by go odczytać.")
    if len(members) > MAX_XLSX_PARTS:
        raise UnreadableFile(
            f"Plik XLSX składa się z ponad {spaced(MAX_XLSX_PARTS)} części – to za dużo jak na "
            f"listę postulatów. {_SIMPLER_XLSX_HINT}"
        )
    elements = 0
    # Every member, whatever its name: openpyxl follows the workbook's own references.
    for member in members:
        try:
            in_part = _count_elements(member_chunks(archive, member), MAX_XLSX_ELEMENTS - elements)
        except Exception as error:  # the guard, zipfile and zlib: many kinds on a bad member
            raise UnreadableFile(_DAMAGED_XLSX) from error
        # Cell styles cost openpyxl the most per element; real workbooks have few.
        if member.filename == "xl/styles.xml" and in_part > MAX_XLSX_STYLE_ELEMENTS:
            raise UnreadableFile(
                "Arkusz XLSX ma zbyt wiele stylów komórek (ponad "
                f"{spaced(MAX_XLSX_STYLE_ELEMENTS)} elementów). {_SIMPLER_XLSX_HINT}"
            )
        elements += in_part
        if elements > MAX_XLSX_ELEMENTS:
            raise UnreadableFile(
                "Arkusz XLSX ma zbyt złożoną budowę jak na listę postulatów (ponad "
                f"{spaced(MAX_XLSX_ELEMENTS)} elementów XML). {_SIMPLER_XLSX_HINT}"
            )


def _count_elements(chunks, limit):
    """An upper bound of the XML elements in `chunks` ("<" not followed by "/"), given up
    once past `limit`: a byte scan, far cheaper than parsing."""
    count = 0
    for chunk in chunks:
        count += chunk.count(b"<") - chunk.count(b"</")
        if count > limit:
            break
    return count


def _read_csv(data):
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise UnreadableFile(_UNSUPPORTED_FORMAT)
    delimiter = _sniff_delimiter(text)
    description = f"CSV, kodowanie {encoding}, separator {_DELIMITER_NAMES[delimiter]}"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = _reading(
        reader,
        csv.Error,
        lambda: (
            f"Nie udało się odczytać pliku CSV (około wiersza {reader.line_num}): "
            "sprawdź cudzysłowy i separatory."
        ),
    )
    return Spreadsheet("csv", description, _numbered_records(records))


def _reading(rows, errors, message):
    """The rows of a lazy reader; the errors it raises while reading become `message` (text,
    or a function giving it) for the editor."""
    rows = iter(rows)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except errors as error:
            raise UnreadableFile(message() if callable(message) else message) from error
        yield row


def _decode(data):
    if data.startswith(codecs.BOM_UTF8):
        encodings = [("utf-8-sig", "UTF-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        encodings = [("utf-16", "UTF-16")]
    else:
        # Polish Excel saves CSV in Windows-1250 unless told otherwise.
        encodings = [("utf-8", "UTF-8"), ("cp1250", "Windows-1250")]
    for codec, name in encodings:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "Nie udało się odczytać pliku: to nie jest arkusz XLSX ani plik CSV "
        "w kodowaniu UTF-8 lub Windows-1250."
    )


def _looks_binary(text):
    # A stray control character in a cell is a row error; a file full of them is not text.
    sample = text[:10_000]
    controls = len(FORBIDDEN_CHARACTERS.findall(sample))
    return controls > 10 and controls * 20 > len(sample)


_DELIMITER_NAMES = {";": "średnik", ",": "przecinek", "\t": "tabulator"}
_FIRST_LINE = re.compile(r"[^\r\n]*")


def _sniff_delimiter(text):
    """The candidate that splits the header record into the most fields (';' wins ties)."""
    first_line = _FIRST_LINE.match(text.lstrip("\r\n")).group()

    def field_count(delimiter):
        try:
            return len(next(csv.reader([first_line], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(_DELIMITER_NAMES, key=field_count)


def _numbered_records(records):
    """(row number, record) of each row that holds data. Blank rows are counted but not kept,
    and reading stops at the first row past the limits."""
    for row_number, record in enumerate(records, start=1):
        if row_number > MAX_SHEET_ROWS:
            raise UnreadableFile(
                f"Arkusz ma więcej niż {spaced(MAX_SHEET_ROWS)} wierszy, licząc puste – tyle "
                f"najwyżej odczytuje import. {_FEWER_ROWS_HINT}"
            )
        if not _is_blank_record(record):
            yield row_number, _within_columns(record, row_number)


def _within_columns(record, row_number):
    """The record's first MAX_COLUMNS cells; data further right is refused, never dropped."""
    for index in range(MAX_COLUMNS, len(record)):
        if not is_blank(record[index]):
            raise UnreadableFile(
                f"Wiersz {row_number} ma dane w kolumnie {_column_name(index)}, a import odczytuje "
                f"najwyżej {MAX_COLUMNS} kolumn (A–{get_column_letter(MAX_COLUMNS)}). Usuń "
                "kolumny, których import nie potrzebuje, i prześlij plik ponownie."
            )
    return record[:MAX_COLUMNS]


def _column_name(index):
    # Excel's letters end at XFD; a CSV line may go on much further.
    return get_column_letter(index + 1) if index < 16_384 else f"nr {spaced(index + 1)}"


def is_blank(value):
    """An empty cell: nothing, or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_record(record):
    return all(is_blank(value) for value in record)
