"""The XLSX template of a postulate list for one meeting: the header row, one example row that
imports as it is, and drop-down lists of the values the editors' lists allow.

The lists live on a second sheet and the drop-downs refer to its ranges: a list typed into
the validation itself may not be longer than 255 characters, far less than the departments'
names. The drop-downs only warn about other values: a department may also be written by its
abbreviation, and the import checks every cell anyway.
"""

import io

from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.scoping import answering_department_ids
from departments.models import Department
from postulates.importing.columns import (
    ANSWERED_ON,
    ANSWERING_DEPARTMENT,
    AREA,
    COLUMNS,
    CONTENT,
    JUSTIFICATION,
    NUMBER,
    OUTCOME,
    RESPONSIBLE_DEPARTMENT,
)
from postulates.importing.parsing import MAX_DATA_ROWS
from postulates.models import Outcome, PublicTaskArea

DATA_SHEET = "Postulaty"
VOCABULARY_SHEET = "Słowniki"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The import warns about a row holding this text: a forgotten example would become a postulate.
EXAMPLE_CONTENT = (
    "PRZYKŁAD – usuń ten wiersz przed importem. Więcej lokali miejskich dla organizacji "
    "pozarządowych."
)
EXAMPLE_JUSTIFICATION = "Przykładowe uzasadnienie stanowiska."
# A data row's drop-downs reach as far as an import may.
_LAST_ROW = MAX_DATA_ROWS + 1
_DEPARTMENT_COLUMNS = (RESPONSIBLE_DEPARTMENT, ANSWERING_DEPARTMENT)
_WIDTHS = {CONTENT.key: 60, JUSTIFICATION.key: 40, RESPONSIBLE_DEPARTMENT.key: 30}


def template_workbook(meeting, user):
    """The template's bytes: what `user` may import into `meeting`."""
    answering_ids = answering_department_ids(user)
    departments = list(Department.objects.only("pk", "name"))
    vocabularies = {
        AREA: [area.name for area in PublicTaskArea.objects.all()],
        RESPONSIBLE_DEPARTMENT: _distinct(d.name for d in departments),
        OUTCOME: [outcome.name for outcome in Outcome.objects.all()],
        # An answer may speak only for the editor's own departments (Position.speaks_for).
        ANSWERING_DEPARTMENT: _distinct(
            d.name for d in departments if answering_ids is None or d.pk in answering_ids
        ),
    }
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    lists = workbook.create_sheet(VOCABULARY_SHEET)
    _write_row(data, 1, [column.label for column in COLUMNS])
    for cell in data[1]:
        cell.font = Font(bold=True)
    example = _example_row(meeting, answering_ids, vocabularies)
    _write_row(data, 2, [example.get(column.key, "") for column in COLUMNS])
    for column in COLUMNS:
        cell = data.cell(2, _position(column))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column is ANSWERED_ON:
            cell.number_format = "DD.MM.YYYY"
    data.freeze_panes = "A2"
    for column in COLUMNS:
        width = _WIDTHS.get(column.key, max(14, len(column.label) + 4))
        data.column_dimensions[get_column_letter(_position(column))].width = width
    for list_number, (column, names) in enumerate(vocabularies.items(), start=1):
        _add_drop_down(data, lists, list_number, column, names)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_row(meeting, answering_ids, vocabularies):
    """A row the import accepts as it is, with values fitting this meeting and editor."""
    taken = meeting.postulates.aggregate(highest=Max("number"))["highest"] or 0
    row = {NUMBER.key: taken + 1, CONTENT.key: EXAMPLE_CONTENT}
    if vocabularies[AREA]:
        row[AREA.key] = vocabularies[AREA][0]
    department = _example_department(meeting, answering_ids)
    if department is not None:
        row[RESPONSIBLE_DEPARTMENT.key] = department.name
    may_answer = answering_ids is None or (department and department.pk in answering_ids)
    if vocabularies[OUTCOME] and department is not None and may_answer:
        row[OUTCOME.key] = vocabularies[OUTCOME][0]
        row[JUSTIFICATION.key] = EXAMPLE_JUSTIFICATION
        row[ANSWERED_ON.key] = timezone.localdate()
    return row


def _example_department(meeting, answering_ids):
    """The editor's own department at this meeting, else the meeting's first, else their own."""
    at_meeting = list(meeting.departments.only("pk", "name").order_by("name"))
    own = [d for d in at_meeting if answering_ids is None or d.pk in answering_ids]
    if own or at_meeting:
        return (own or at_meeting)[0]
    if answering_ids:
        return Department.objects.filter(pk__in=answering_ids).order_by("name").first()
    return None


def _add_drop_down(data, lists, list_number, column, names):
    letter = get_column_letter(list_number)
    _write_row(lists, 1, [column.label], first_column=list_number)
    lists.cell(1, list_number).font = Font(bold=True)
    lists.column_dimensions[letter].width = max([len(name) for name in names] + [20]) + 2
    for row_number, name in enumerate(names, start=2):
        _write_row(lists, row_number, [name], first_column=list_number)
    if not names:
        return  # a drop-down of nothing would refuse every value
    validation = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(VOCABULARY_SHEET)}!${letter}$2:${letter}${len(names) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Wartość spoza listy",
        error=(
            f"Tej wartości nie ma na liście „{column.label}” (arkusz „{VOCABULARY_SHEET}”). "
            "Import przyjmie tylko wartość z listy"
            + (" albo skrót jednostki." if column in _DEPARTMENT_COLUMNS else ".")
        ),
        showInputMessage=True,
        promptTitle=column.label[:32],
        prompt=column.help_text[:255],
    )
    target = get_column_letter(_position(column))
    validation.add(f"{target}2:{target}{_LAST_ROW}")
    data.add_data_validation(validation)


def _write_row(sheet, row_number, values, first_column=1):
    for offset, value in enumerate(values):
        cell = sheet.cell(row_number, first_column + offset, value)
        if isinstance(value, str):
            cell.data_type = "s"  # a name beginning with "=" is text, never a formula


def _position(column):
    return COLUMNS.index(column) + 1


def _distinct(names):
    return list(dict.fromkeys(names))
