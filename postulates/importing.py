"""Importing a department's postulate list (and its positions) from a CSV or XLSX sheet.

Three steps, none of them HTTP-aware:

1. `parse_spreadsheet` turns an uploaded file into rows of raw cells keyed by column,
   reporting anything unreadable as file-level errors instead of raising;
2. `validate` resolves every row against the database (read only: nothing is created) and
   lists every problem as (row, column, reason), so editors can fix the sheet in one go;
3. `import_postulates` saves a valid preview in one transaction: everything or nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import warnings
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from django.contrib.admin.models import ADDITION, LogEntry
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.control_characters import FORBIDDEN_CHARACTERS, forbidden_character_message
from core.publishing import Status
from core.scoping import answering_department_ids
from core.slugs import polish_slugify
from departments.models import Department
from organisations.models import Organisation
from postulates.models import Outcome, Position, Postulate, PublicTaskArea

MAX_FILE_BYTES = 5 * 1024 * 1024
# Postulates in one import: far more than one meeting's list. The preview shows every row on
# one page (2 000 rows: about 2 s and 5 MB of HTML) and the confirmation reads them again.
MAX_DATA_ROWS = 2_000
# Rows read in all, blank or not: blank rows between postulates are fine, a sheet padded
# down to row 1 048 576 is refused once this many rows have been read.
MAX_SHEET_ROWS = 10_000
# A sheet has twelve meaningful columns; data further right than this is refused.
MAX_COLUMNS = 50
MAX_CONTENT_CHARS = 10_000
# An XLSX is a ZIP; a tiny file may unpack to gigabytes (a "zip bomb"), so cap the unpacked
# size: a real list of MAX_DATA_ROWS postulates unpacks to a few megabytes.
MAX_UNPACKED_XLSX_BYTES = 40 * 1024 * 1024
# openpyxl spends 10-50 µs on each XML element it reads (most on cell styles): a full sheet of
# MAX_DATA_ROWS rows in all twelve columns has about 70 000, a workbook's styles a few hundred.
MAX_XLSX_ELEMENTS = 150_000
MAX_XLSX_STYLE_ELEMENTS = 10_000
# Files inside the XLSX; a workbook has a dozen or two.
MAX_XLSX_PARTS = 1_000
# PositiveIntegerField's upper bound on PostgreSQL; SQLite would not complain, PostgreSQL would.
MAX_NUMBER = 2_147_483_647
ORGANISATION_NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length


def spaced(number):
    """A number as Polish text writes it: 2 000, 1 048 576."""
    return f"{number:,}".replace(",", " ")


# --- Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header of the template, and the name errors refer to
    aliases: tuple[str, ...] = ()
    required: bool = False
    help_text: str = ""


NUMBER = Column(
    "number",
    "Nr",
    ("numer", "lp", "l.p."),
    required=True,
    help_text="numer postulatu na liście, liczba całkowita większa od zera",
)
CONTENT = Column(
    "content",
    "Treść postulatu",
    ("treść", "postulat"),
    required=True,
    help_text=f"treść postulatu, najwyżej {spaced(MAX_CONTENT_CHARS)} znaków",
)
ORGANISATION = Column(
    "organisation",
    "Organizacja",
    ("zgłaszający", "organizacja zgłaszająca"),
    help_text="nazwa organizacji zgłaszającej; pusta, gdy zgłosiła osoba prywatna",
)
AREA = Column(
    "area",
    "Sfera",
    ("sfera zadań publicznych", "obszar"),
    help_text="sfera zadań publicznych z listy prowadzonej przez redakcję",
)
RESPONSIBLE_DEPARTMENT = Column(
    "responsible_department",
    "Wydział właściwy",
    ("wydział",),
    help_text="nazwa lub skrót wydziału właściwego dla postulatu",
)
OUTCOME = Column(
    "outcome",
    "Rozstrzygnięcie",
    ("stanowisko", "ocena"),
    help_text="np. „uwzględniony”; wymagane, jeśli podano uzasadnienie lub datę stanowiska",
)
JUSTIFICATION = Column("justification", "Uzasadnienie", help_text="uzasadnienie stanowiska")
ANSWERING_DEPARTMENT = Column(
    "answering_department",
    "Wydział odpowiadający",
    help_text="wydział, który zajął stanowisko; pusty, gdy to wydział właściwy",
)
ANSWERED_ON = Column(
    "answered_on",
    "Data stanowiska",
    ("data",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD",
)
COMMITMENT = Column(
    "commitment",
    "Zobowiązanie",
    ("zobowiązanie miasta",),
    help_text="co Miasto zobowiązało się zrobić; puste, gdy nic",
)
COMMITMENT_DUE_ON = Column(
    "commitment_due_on",
    "Termin zobowiązania",
    ("termin",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD; wymaga opisu zobowiązania",
)
COMMITMENT_FULFILLED_ON = Column(
    "commitment_fulfilled_on",
    "Data wykonania zobowiązania",
    ("data wykonania",),
    help_text="w formacie DD.MM.RRRR lub RRRR-MM-DD; puste, dopóki nie wykonano",
)

COLUMNS = (
    NUMBER,
    CONTENT,
    ORGANISATION,
    AREA,
    RESPONSIBLE_DEPARTMENT,
    OUTCOME,
    JUSTIFICATION,
    ANSWERING_DEPARTMENT,
    ANSWERED_ON,
    COMMITMENT,
    COMMITMENT_DUE_ON,
    COMMITMENT_FULFILLED_ON,
)
TEMPLATE_HEADERS = tuple(column.label for column in COLUMNS)

# ł has no Unicode decomposition, so NFKD alone would keep it; map it by hand.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L"})


def fold(text):
    """Case-, whitespace- and diacritics-insensitive form of `text`, for matching names."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _header_key(text):
    # Editors mark required columns with "*" or end headers with ":"; neither changes meaning.
    return fold(text).strip(" :*")


_COLUMN_BY_HEADER = {
    _header_key(name): column for column in COLUMNS for name in (column.label, *column.aliases)
}


# --- Parsing ---------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row_number: int  # as the spreadsheet shows it; the header is row 1
    cells: dict[str, Any]  # column key -> raw value (text, or a number/date from XLSX)

    def get(self, column):
        return self.cells.get(column.key)


@dataclass
class ParsedSheet:
    rows: list[ParsedRow] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)  # recognised, in the file's order
    errors: list[str] = field(default_factory=list)  # file-level: nothing can be imported
    warnings: list[str] = field(default_factory=list)  # worth reading, but not blocking
    file_format: str = ""  # "csv" or "xlsx"
    description: str = ""  # how the file was read, e.g. "CSV, Windows-1250, separator ;"


class UnreadableFile(Exception):
    """The file as a whole cannot be used; the message is shown to the editor as is."""


def parse_spreadsheet(uploaded_file):
    """Read a CSV or XLSX upload into a ParsedSheet; problems become errors, never exceptions.

    Rows are read one at a time and blank ones are not kept, so the work follows the rows that
    hold data, not a file's padding; reading stops at the first limit the file exceeds.
    """
    sheet = ParsedSheet()
    try:
        data = _read_limited(uploaded_file)
        with _open_records(data, sheet) as records:
            _collect_rows(_numbered_records(records), sheet)
    except UnreadableFile as problem:
        sheet.rows = []
        sheet.errors = [str(problem)]
    return sheet


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
def _open_records(data, sheet):
    """The sheet's rows, lazily, as lists of raw cell values; the format is decided by content,
    not by file name."""
    if data.startswith(b"PK"):
        with _open_xlsx(data, sheet) as records:
            yield records
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
    yield _read_csv(data, sheet)


@contextmanager
def _open_xlsx(data, sheet):
    _check_xlsx_package(data)
    sheet.file_format = "xlsx"
    sheet.description = "XLSX, pierwszy arkusz"
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
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(_UNSUPPORTED_FORMAT) from error
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
            with archive.open(member) as part:
                in_part = _count_elements(part, MAX_XLSX_ELEMENTS - elements)
        except Exception as error:  # zipfile and zlib raise many kinds on damaged members
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


def _count_elements(stream, limit):
    """An upper bound of the XML elements in `stream` ("<" not followed by "/"), read in
    chunks and given up once past `limit`: a byte scan, far cheaper than parsing."""
    count = 0
    while count <= limit and (chunk := stream.read(64 * 1024)):
        count += chunk.count(b"<") - chunk.count(b"</")
    return count


def _read_csv(data, sheet):
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise UnreadableFile(_UNSUPPORTED_FORMAT)
    delimiter = _sniff_delimiter(text)
    sheet.file_format = "csv"
    sheet.description = f"CSV, kodowanie {encoding}, separator {_DELIMITER_NAMES[delimiter]}"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _reading(
        reader,
        csv.Error,
        lambda: (
            f"Nie udało się odczytać pliku CSV (około wiersza {reader.line_num}): "
            "sprawdź cudzysłowy i separatory."
        ),
    )


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
        if not _is_blank(record[index]):
            raise UnreadableFile(
                f"Wiersz {row_number} ma dane w kolumnie {_column_name(index)}, a import odczytuje "
                f"najwyżej {MAX_COLUMNS} kolumn (A–{get_column_letter(MAX_COLUMNS)}). Usuń "
                "kolumny, których import nie potrzebuje, i prześlij plik ponownie."
            )
    return record[:MAX_COLUMNS]


def _column_name(index):
    # Excel's letters end at XFD; a CSV line may go on much further.
    return get_column_letter(index + 1) if index < 16_384 else f"nr {spaced(index + 1)}"


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_record(record):
    return all(_is_blank(value) for value in record)


def _collect_rows(records, sheet):
    header = column_at = None
    unnamed_with_data = set()
    for row_number, record in records:
        if header is None:
            if row_number > 1:
                raise UnreadableFile(
                    "Pierwszy wiersz arkusza musi zawierać nagłówki kolumn (co najmniej „Nr” "
                    "i „Treść postulatu”), a jest pusty."
                )
            header, column_at = record, _map_header(record, sheet)
            continue
        if len(sheet.rows) == MAX_DATA_ROWS:
            raise UnreadableFile(
                f"Plik ma więcej niż {spaced(MAX_DATA_ROWS)} wierszy z postulatami, a jeden "
                "import przyjmuje najwyżej tyle. Podziel go na mniejsze części i zaimportuj "
                "każdą osobno."
            )
        cells = {}
        for index, value in enumerate(record):
            if index in column_at:
                cells[column_at[index].key] = value
            elif not _is_blank(value) and _is_blank(_at(header, index)):
                unnamed_with_data.add(index)
        sheet.rows.append(ParsedRow(row_number, cells))
    if header is None:
        raise UnreadableFile("Plik jest pusty – nie ma w nim nagłówka ani postulatów.")
    for index in sorted(unnamed_with_data):
        sheet.warnings.append(
            f"Kolumna {get_column_letter(index + 1)} nie ma nagłówka, a zawiera dane – "
            "zostanie pominięta."
        )
    if not sheet.rows:
        raise UnreadableFile("Arkusz ma tylko wiersz nagłówka – nie ma w nim żadnych postulatów.")


def _at(record, index):
    return record[index] if index < len(record) else None


def _map_header(header, sheet):
    """Column index -> Column; unknown headers become warnings, missing required ones errors."""
    column_at, seen = {}, {}
    for index, value in enumerate(header):
        if _is_blank(value):
            continue
        letter = get_column_letter(index + 1)
        column = _COLUMN_BY_HEADER.get(_header_key(value))
        if column is None:
            sheet.warnings.append(
                f"Nieznana kolumna „{str(value).strip()}” ({letter}) – zostanie pominięta."
            )
            continue
        if column.key in seen:
            raise UnreadableFile(
                f"Kolumna „{column.label}” występuje w pliku dwa razy "
                f"({seen[column.key]} i {letter}); zostaw tylko jedną."
            )
        seen[column.key] = letter
        column_at[index] = column
    missing = [column.label for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise UnreadableFile(
            "Brak wymaganych kolumn: "
            + ", ".join(f"„{label}”" for label in missing)
            + ". Pierwszy wiersz arkusza musi zawierać nagłówki kolumn – pobierz wzór pliku."
        )
    sheet.columns = [column_at[index] for index in sorted(column_at)]
    return column_at


# --- Validation ------------------------------------------------------------------------------


class RowError(NamedTuple):
    column: str  # the column's label, e.g. "Nr"
    reason: str


@dataclass
class RowValues:
    """A row's values as they will be saved; organisations not yet in the database by name."""

    number: int | None = None
    content: str = ""
    organisation: Organisation | None = None
    new_organisation_name: str = ""
    area: PublicTaskArea | None = None
    responsible_department: Department | None = None
    outcome: Outcome | None = None
    justification: str = ""
    answering_department: Department | None = None
    answered_on: datetime.date | None = None
    commitment: str = ""
    commitment_due_on: datetime.date | None = None
    commitment_fulfilled_on: datetime.date | None = None

    @property
    def position_department(self):
        return self.answering_department or self.responsible_department


@dataclass
class RowResult:
    row_number: int  # the spreadsheet's row number
    values: RowValues = field(default_factory=RowValues)
    errors: list[RowError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # the cells as written, for the preview

    @property
    def is_valid(self):
        return not self.errors

    @property
    def creates_organisation(self):
        return bool(self.values.new_organisation_name)

    def errors_for(self, column):
        return [error.reason for error in self.errors if error.column == column.label]


@dataclass
class ImportPreview:
    meeting_id: int
    sheet: ParsedSheet
    rows: list[RowResult]

    @property
    def file_errors(self):
        return self.sheet.errors

    @property
    def warnings(self):
        return self.sheet.warnings

    @property
    def is_valid(self):
        return bool(self.rows) and not self.file_errors and all(row.is_valid for row in self.rows)

    @property
    def valid_row_count(self):
        return sum(1 for row in self.rows if row.is_valid)

    @property
    def invalid_row_count(self):
        return len(self.rows) - self.valid_row_count

    @property
    def errors(self):
        """Every row error as (row number, column, reason), in sheet order."""
        return [(row.row_number, *error) for row in self.rows for error in row.errors]

    @property
    def position_count(self):
        return sum(1 for row in self.rows if row.values.outcome is not None)

    @property
    def new_organisation_names(self):
        names = {}
        for row in self.rows:
            name = row.values.new_organisation_name
            if name:
                names.setdefault(_organisation_key(name), name)
        return list(names.values())


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in Polish."""


@dataclass
class Lookups:
    """Everything a row is matched against, loaded once per validation."""

    meeting_department_ids: set[int]
    # The departments the importing editor may answer for; None: any (a coordinator).
    answering_department_ids: frozenset[int] | None
    taken_numbers: set[int]
    organisations: dict[str, Organisation]
    areas: dict[str, list[PublicTaskArea]]
    outcomes: dict[str, list[Outcome]]
    departments: dict[str, list[Department]]

    @classmethod
    def load(cls, meeting, user=None):
        organisations = {}
        # Lowest pk wins, so duplicates already in the database resolve the same way each time.
        for organisation in Organisation.objects.order_by("-pk").only("pk", "name", "slug"):
            organisations[_organisation_key(organisation.name)] = organisation
        return cls(
            meeting_department_ids=set(meeting.departments.values_list("pk", flat=True)),
            answering_department_ids=answering_department_ids(user) if user else None,
            taken_numbers=set(meeting.postulates.values_list("number", flat=True)),
            organisations=organisations,
            areas=_index(PublicTaskArea.objects.all(), "name", "slug"),
            outcomes=_index(Outcome.objects.all(), "name", "slug"),
            departments=_index(
                Department.objects.only("pk", "name", "slug", "abbreviation"),
                "name",
                "slug",
                "abbreviation",
            ),
        )


def _index(queryset, *attributes):
    """Folded name, slug, ... -> the records carrying it (several when ambiguous)."""
    index = defaultdict(list)
    for record in queryset:
        keys = {fold(getattr(record, attribute)) for attribute in attributes}
        for key in keys - {""}:
            index[key].append(record)
    return index


def _organisation_key(name):
    # The brief: organisations match by name case-insensitively (not diacritics-insensitively:
    # "Żak" and "Zak" may well be two different associations).
    return " ".join(name.casefold().split())


def validate(parsed, meeting, user=None):
    """One RowResult per data row; reads the database, never writes to it. With `user`, an
    answer may speak only for a department the user edits (Position.speaks_for)."""
    lookups = Lookups.load(meeting, user)
    rows = [_validate_row(row, lookups) for row in parsed.rows]
    _flag_numbers_repeated_in_file(rows)
    return ImportPreview(meeting_id=meeting.pk, sheet=parsed, rows=rows)


def _validate_row(row, lookups):
    result = RowResult(row_number=row.row_number)
    values = result.values
    for column in COLUMNS:
        result.texts[column.key] = _display_text(row.get(column))

    def check(column, parser, *extra):
        try:
            return parser(row.get(column), *extra)
        except CellError as problem:
            result.errors.append(RowError(column.label, str(problem)))
            return None

    values.number = check(NUMBER, _parse_number, lookups.taken_numbers)
    values.content = check(CONTENT, _parse_content) or ""
    organisation = check(ORGANISATION, _parse_organisation, lookups.organisations)
    if organisation is not None:
        values.organisation, values.new_organisation_name = organisation
    values.area = check(AREA, _parse_area, lookups.areas)
    values.responsible_department = check(RESPONSIBLE_DEPARTMENT, _parse_department, lookups)
    values.outcome = check(OUTCOME, _parse_outcome, lookups.outcomes)
    values.justification = check(JUSTIFICATION, _parse_optional_text) or ""
    values.answering_department = check(ANSWERING_DEPARTMENT, _parse_department, lookups)
    values.answered_on = check(ANSWERED_ON, _parse_date)
    values.commitment = check(COMMITMENT, _parse_optional_text) or ""
    values.commitment_due_on = check(COMMITMENT_DUE_ON, _parse_date)
    values.commitment_fulfilled_on = check(COMMITMENT_FULFILLED_ON, _parse_date)
    _require_outcome_for_position_details(row, result)
    _require_commitment_for_its_dates(row, result)
    _require_own_answering_department(result, lookups)
    return result


def _require_own_answering_department(result, lookups):
    department = result.values.position_department
    allowed = lookups.answering_department_ids
    if result.values.outcome is None or department is None or allowed is None:
        return
    if department.pk not in allowed:
        result.errors.append(
            RowError(
                ANSWERING_DEPARTMENT.label,
                f"Odpowiedź może wydać tylko Twój wydział, a nie „{department.name}”: wpisz "
                "swój wydział w tej kolumnie albo poproś koordynatora o import.",
            )
        )


def _require_outcome_for_position_details(row, result):
    details = [
        column.label
        for column in (
            JUSTIFICATION,
            ANSWERED_ON,
            ANSWERING_DEPARTMENT,
            COMMITMENT,
            COMMITMENT_DUE_ON,
            COMMITMENT_FULFILLED_ON,
        )
        if not _is_blank(row.get(column))
    ]
    if details and _is_blank(row.get(OUTCOME)):
        result.errors.append(
            RowError(
                OUTCOME.label,
                "Podaj rozstrzygnięcie: bez niego nie można zapisać stanowiska "
                f"(wypełniono: {', '.join(details)}).",
            )
        )


def _require_commitment_for_its_dates(row, result):
    dated = [
        column.label
        for column in (COMMITMENT_DUE_ON, COMMITMENT_FULFILLED_ON)
        if not _is_blank(row.get(column))
    ]
    if dated and _is_blank(row.get(COMMITMENT)):
        result.errors.append(
            RowError(
                COMMITMENT.label,
                "Opisz zobowiązanie: termin i data wykonania dotyczą zobowiązania "
                f"(wypełniono: {', '.join(dated)}).",
            )
        )


def _flag_numbers_repeated_in_file(rows):
    rows_by_number = defaultdict(list)
    for row in rows:
        if row.values.number is not None:
            rows_by_number[row.values.number].append(row)
    for number, repeated in rows_by_number.items():
        if len(repeated) < 2:
            continue
        row_numbers = ", ".join(str(row.row_number) for row in repeated)
        for row in repeated:
            row.errors.append(
                RowError(
                    NUMBER.label, f"Numer {number} powtarza się w pliku (wiersze {row_numbers})."
                )
            )


# --- Cell parsers: each returns the value to save or raises CellError ------------------------


def _display_text(value):
    """A cell as the editor wrote it, for showing next to its error."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value):
    """A cell's text with line endings unified; control characters are an error, not stripped."""
    text = _display_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if message := forbidden_character_message(text):
        raise CellError(message)
    return text


def _parse_number(value, taken_numbers):
    if _is_blank(value):
        raise CellError("Podaj numer postulatu.")
    if isinstance(value, bool):
        raise CellError("Numer postulatu musi być liczbą całkowitą większą od zera.")
    if isinstance(value, int | float):
        number = int(value) if float(value).is_integer() else None
    else:
        # Lists are often numbered "1.", "2.", ...
        text = _text(value).removesuffix(".")
        number = int(text) if re.fullmatch(r"[0-9]+", text) else None
    if number is None or number < 1:
        raise CellError(
            f"„{_display_text(value)}” nie jest poprawnym numerem: podaj liczbę całkowitą "
            "większą od zera."
        )
    if number > MAX_NUMBER:
        raise CellError(f"Numer {number} jest za duży.")
    if number in taken_numbers:
        raise CellError(f"To spotkanie ma już postulat nr {number}.")
    return number


def _parse_content(value):
    content = _text(value)
    if not content:
        raise CellError("Podaj treść postulatu.")
    if len(content) > MAX_CONTENT_CHARS:
        raise CellError(
            f"Treść ma {len(content)} znaków; dopuszczalne jest najwyżej {MAX_CONTENT_CHARS}."
        )
    return content


def _parse_optional_text(value):
    return _text(value)


# What editors write instead of a private person's name; such rows have no organisation.
_PRIVATE_PERSON_CELLS = {
    fold(text)
    for text in (
        "osoba prywatna",
        "osoba fizyczna",
        "osoby prywatne",
        "osoby fizyczne",
        "mieszkaniec",
        "mieszkanka",
        "mieszkańcy",
    )
}
# Next to other text these mean someone named a private person, e.g. "Jan Nowak (osoba prywatna)".
_PRIVATE_PERSON_HINTS = tuple(fold(text) for text in ("osoba prywatna", "osoba fizyczna"))


def _parse_organisation(value, organisations):
    """(existing organisation, "") or (None, name of the organisation to create); None if empty."""
    name = " ".join(_text(value).split())
    if not name:
        return None
    folded = fold(name)
    if folded in _PRIVATE_PERSON_CELLS:
        return None
    if any(hint in folded for hint in _PRIVATE_PERSON_HINTS):
        raise CellError(
            "Wygląda na dane osoby prywatnej – tych nie publikujemy. Zostaw komórkę pustą, "
            "jeśli postulat zgłosiła osoba prywatna."
        )
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise CellError(
            f"Nazwa organizacji może mieć najwyżej {ORGANISATION_NAME_MAX_LENGTH} znaków."
        )
    existing = organisations.get(_organisation_key(name))
    return (existing, "") if existing else (None, name)


def _vocabulary_match(text, index):
    """Records whose folded name or slug equals the text, also when the text is a slugified name."""
    return index.get(fold(text)) or index.get(polish_slugify(text)) or []


def _parse_vocabulary(value, entries, missing):
    """One entry of a list the editors keep (spheres, outcomes), by name or slug; `missing`
    says in the editor's words which list lacks `{text}`."""
    text = _text(value)
    if not text:
        return None
    matches = _vocabulary_match(text, entries)
    if len(matches) != 1:
        raise CellError(missing.format(text=text))
    return matches[0]


_parse_area = partial(
    _parse_vocabulary,
    missing="Nie ma sfery zadań publicznych „{text}”. Listę sfer prowadzi redakcja: użyj "
    "nazwy z tej listy (jest pod formularzem) albo poproś redakcję o dopisanie nowej.",
)
_parse_outcome = partial(
    _parse_vocabulary,
    missing="Nie ma rozstrzygnięcia „{text}”. Listę rozstrzygnięć prowadzi redakcja: użyj "
    "nazwy z tej listy (jest pod formularzem).",
)


def _parse_department(value, lookups):
    text = _text(value)
    if not text:
        return None
    matches = _vocabulary_match(text, lookups.departments)
    if len(matches) > 1:
        # A renamed department keeps its abbreviation: prefer the name the meeting used.
        at_meeting = [d for d in matches if d.pk in lookups.meeting_department_ids]
        if len(at_meeting) == 1:
            return at_meeting[0]
        names = "; ".join(sorted(department.name for department in matches))
        raise CellError(f"„{text}” pasuje do kilku wydziałów ({names}); podaj pełną nazwę.")
    if not matches:
        raise CellError(
            f"Nie ma wydziału ani jednostki „{text}”; podaj pełną nazwę, skrót (np. „WS”) "
            "lub poproś redakcję o dopisanie jednostki."
        )
    return matches[0]


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        raise CellError(
            f"„{text}” nie jest datą w formacie DD.MM.RRRR (np. 05.03.2025) ani RRRR-MM-DD."
        )
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(f"Data „{text}” nie istnieje w kalendarzu.") from error


# --- Import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    postulates_created: int
    positions_created: int
    organisations_created: int


IMPORT_LOG_MESSAGE = "Zaimportowano z arkusza postulatów."


def import_postulates(preview, meeting, user=None):
    """Save a valid preview's rows as draft postulates (and positions): all or nothing."""
    if not preview.is_valid:
        raise ValueError("Nie można zaimportować pliku z błędami.")
    if preview.meeting_id != meeting.pk:
        raise ValueError("Podgląd dotyczy innego spotkania.")
    with transaction.atomic():
        organisations = _create_missing_organisations(preview.new_organisation_names)
        postulates = Postulate.objects.bulk_create(
            _postulate(row.values, meeting, organisations) for row in preview.rows
        )
        positions = Position.objects.bulk_create(
            _position(row.values, postulate)
            for row, postulate in zip(preview.rows, postulates, strict=True)
            if row.values.outcome is not None
        )
        if user is not None and user.pk is not None:
            for records in (list(organisations.values()), postulates, positions):
                if records:
                    LogEntry.objects.log_actions(
                        user.pk, records, ADDITION, change_message=IMPORT_LOG_MESSAGE
                    )
    return ImportResult(
        postulates_created=len(postulates),
        positions_created=len(positions),
        organisations_created=len(organisations),
    )


def _create_missing_organisations(names):
    """Folded name -> new Organisation. Published at once: organisation names are public."""
    created = {}
    for name in names:
        organisation = Organisation(name=name, status=Status.PUBLISHED, published_at=timezone.now())
        organisation.save()  # one by one, so each gets a unique slug
        created[_organisation_key(name)] = organisation
    return created


def _postulate(values, meeting, new_organisations):
    organisation = values.organisation
    if values.new_organisation_name:
        organisation = new_organisations[_organisation_key(values.new_organisation_name)]
    # Drafts: editors publish the list after reviewing it in the admin.
    return Postulate(
        meeting=meeting,
        programme=meeting.programme,
        number=values.number,
        content=values.content,
        organisation=organisation,
        area=values.area,
        responsible_department=values.responsible_department,
        status=Status.DRAFT,
        published_at=None,
    )


def _position(values, postulate):
    return Position(
        postulate=postulate,
        outcome=values.outcome,
        justification=values.justification,
        department=values.position_department,
        answered_on=values.answered_on,
        commitment=values.commitment,
        commitment_due_on=values.commitment_due_on,
        commitment_fulfilled_on=values.commitment_fulfilled_on,
        status=Status.DRAFT,
        published_at=None,
    )
