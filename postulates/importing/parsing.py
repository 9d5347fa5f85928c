"""A postulate list's rows keyed by column, from the rows files.spreadsheets reads."""

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from files.spreadsheets import UnreadableFile, is_blank, open_spreadsheet, spaced
from postulates.importing.columns import COLUMNS, Column, column_for_header

# Postulates in one import: far more than one meeting's list. The preview shows every row on
# one page (2 000 rows: about 2 s and 5 MB of HTML) and the confirmation reads them again.
MAX_DATA_ROWS = 2_000


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


def parse_spreadsheet(uploaded_file):
    """Read a CSV or XLSX upload into a ParsedSheet; problems become errors, never exceptions.

    Rows are read one at a time and blank ones are not kept, so the work follows the rows that
    hold data, not a file's padding; reading stops at the first limit the file exceeds.
    """
    sheet = ParsedSheet()
    try:
        with open_spreadsheet(uploaded_file) as spreadsheet:
            sheet.file_format, sheet.description = spreadsheet.file_format, spreadsheet.description
            _collect_rows(spreadsheet.rows, sheet)
    except UnreadableFile as problem:
        sheet.rows = []
        sheet.errors = [str(problem)]
    return sheet


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
            elif not is_blank(value) and is_blank(_at(header, index)):
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
        if is_blank(value):
            continue
        letter = get_column_letter(index + 1)
        column = column_for_header(value)
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
