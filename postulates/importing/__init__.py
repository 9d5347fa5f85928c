"""Importing a department's postulate list (and its positions) from a CSV or XLSX sheet.

Three steps, none of them HTTP-aware:

1. `parse_spreadsheet` (parsing.py) turns an uploaded file into rows of raw cells keyed by
   column, reporting anything unreadable as file-level errors instead of raising; reading the
   file itself, within its limits, is files.spreadsheets';
2. `validate` (validation.py) resolves every row against the database (read only: nothing is
   created) and lists every problem as (row, column, reason), so editors can fix the sheet in
   one go;
3. `import_postulates` (saving.py) saves a valid preview in one transaction: everything or
   nothing.

The columns both ends speak of are in columns.py.
"""

from postulates.importing.columns import (
    ANSWERING_DEPARTMENT,
    COLUMNS,
    ORGANISATION,
    TEMPLATE_HEADERS,
    Column,
)
from postulates.importing.parsing import MAX_DATA_ROWS, ParsedSheet, parse_spreadsheet
from postulates.importing.saving import ImportResult, import_postulates
from postulates.importing.validation import ImportPreview, RowError, validate

__all__ = [
    "ANSWERING_DEPARTMENT",
    "COLUMNS",
    "MAX_DATA_ROWS",
    "ORGANISATION",
    "TEMPLATE_HEADERS",
    "Column",
    "ImportPreview",
    "ImportResult",
    "ParsedSheet",
    "RowError",
    "import_postulates",
    "parse_spreadsheet",
    "validate",
]
