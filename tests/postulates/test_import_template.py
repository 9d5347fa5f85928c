"""The XLSX template of the postulate import: headers, an example row that imports as it is,
drop-down lists from the editors' lists."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from editors.models import EditorProfile
from postulates.importing import import_postulates, parse_spreadsheet, validate
from postulates.importing.workbook import EXAMPLE_CONTENT, EXAMPLE_JUSTIFICATION, template_workbook
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
)
from tests.postulates.builders import HEADER, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def culture():
    return DepartmentFactory(name="Wydział Kultury", abbreviation="WK")


@pytest.fixture
def meeting(culture):
    return MeetingFactory(departments=[culture])


@pytest.fixture
def coordinator(django_user_model):
    return django_user_model.objects.create_superuser("koordynator", password="x" * 16)


@pytest.fixture
def vocabulary():
    for name in ("Kultura", "Działalność charytatywna"):
        PublicTaskAreaFactory(name=name)
    for name in ("uwzględniony", "nieuwzględniony"):
        OutcomeFactory(name=name)


def opened(data):
    return load_workbook(io.BytesIO(data))


def drop_downs(sheet):
    """Cells -> the range of the list they offer."""
    return {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}


def column_values(sheet, letter):
    return [cell.value for cell in sheet[letter] if cell.value is not None]


def test_the_template_has_the_headers_an_example_and_the_lists(meeting, coordinator, vocabulary):
    sport = DepartmentFactory(name="Wydział Sportu")
    PostulateFactory(meeting=meeting, number=7, area=None)
    workbook = opened(template_workbook(meeting, coordinator))

    assert workbook.sheetnames == ["Postulaty", "Słowniki"]
    data, lists = workbook["Postulaty"], workbook["Słowniki"]
    assert [cell.value for cell in data[1]] == HEADER
    assert [cell.value for cell in data[2]] == [
        8,  # the meeting's next number
        EXAMPLE_CONTENT,
        None,
        "Działalność charytatywna",  # the first of the list, in its order (by name)
        "Wydział Kultury",
        "nieuwzględniony",
        EXAMPLE_JUSTIFICATION,
        None,
        data["I2"].value,
        None,
        None,
        None,
    ]
    assert data["I2"].value.date() == timezone.localdate()
    assert data.max_row == 2

    assert drop_downs(data) == {
        "D2:D2001": "'Słowniki'!$A$2:$A$3",
        "E2:E2001": "'Słowniki'!$B$2:$B$3",
        "F2:F2001": "'Słowniki'!$C$2:$C$3",
        "H2:H2001": "'Słowniki'!$D$2:$D$3",
    }
    assert column_values(lists, "A") == ["Sfera", "Działalność charytatywna", "Kultura"]
    assert column_values(lists, "B") == ["Wydział właściwy", culture_name(meeting), sport.name]
    assert column_values(lists, "C") == ["Rozstrzygnięcie", "nieuwzględniony", "uwzględniony"]
    # A coordinator answers for any department.
    assert column_values(lists, "D") == [
        "Wydział odpowiadający",
        "Wydział Kultury",
        "Wydział Sportu",
    ]
    validation = data.data_validations.dataValidation[0]
    # Other values only warn: a department may be written by its abbreviation too.
    assert (validation.type, validation.errorStyle, validation.allow_blank) == (
        "list",
        "warning",
        True,
    )


def culture_name(meeting):
    return meeting.departments.get().name


def test_the_example_row_imports_as_downloaded(meeting, coordinator, vocabulary):
    data = template_workbook(meeting, coordinator)
    preview = validate(parse_spreadsheet(upload(data, "wzor.xlsx")), meeting, coordinator)
    assert preview.is_valid, preview.errors
    # Valid, but a forgotten example would become a postulate: the preview says so.
    assert preview.warnings == [
        "Wiersz 2 to przykład ze wzoru pliku – usuń go, zanim zatwierdzisz import, bo inaczej "
        "zapisze się jako postulat."
    ]
    result = import_postulates(preview, meeting, coordinator)
    assert (result.postulates_created, result.positions_created) == (1, 1)
    postulate = meeting.postulates.get()
    assert (postulate.number, postulate.content, postulate.area.name) == (
        1,
        EXAMPLE_CONTENT,
        "Działalność charytatywna",
    )
    assert postulate.organisation is None
    position = postulate.positions.get()
    assert (position.outcome.name, position.department.name, position.answered_on) == (
        "nieuwzględniony",
        "Wydział Kultury",
        timezone.localdate(),
    )


def test_an_editor_gets_only_their_departments_to_answer_for(
    meeting, culture, vocabulary, django_user_model
):
    sport = DepartmentFactory(name="Wydział Sportu")
    editor = django_user_model.objects.create_user("sport", is_staff=True)
    EditorProfile.objects.create(user=editor).departments.set([sport])
    workbook = opened(template_workbook(meeting, editor))
    data, lists = workbook["Postulaty"], workbook["Słowniki"]
    assert column_values(lists, "B") == ["Wydział właściwy", "Wydział Kultury", "Wydział Sportu"]
    assert column_values(lists, "D") == ["Wydział odpowiadający", "Wydział Sportu"]
    # The meeting is culture's: the example names it and, since the editor may not answer in
    # its name, gives no answer, so that it still imports.
    assert [cell.value for cell in data[2]][3:7] == [
        "Działalność charytatywna",
        "Wydział Kultury",
        None,
        None,
    ]
    preview = validate(
        parse_spreadsheet(upload(data_bytes(workbook), "wzor.xlsx")), meeting, editor
    )
    assert preview.is_valid, preview.errors


def data_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_long_lists_are_referred_to_whole(meeting, coordinator):
    names = [f"Wydział o bardzo długiej nazwie, z przecinkiem, nr {n:02}" for n in range(40)]
    for name in names:
        DepartmentFactory(name=name)
    workbook = opened(template_workbook(meeting, coordinator))
    lists = workbook["Słowniki"]
    assert column_values(lists, "B")[1:] == sorted([*names, "Wydział Kultury"])
    assert drop_downs(workbook["Postulaty"])["E2:E2001"] == "'Słowniki'!$B$2:$B$42"


def test_empty_lists_get_no_drop_down(meeting, coordinator):
    workbook = opened(template_workbook(meeting, coordinator))  # no spheres, no outcomes
    data = workbook["Postulaty"]
    assert set(drop_downs(data)) == {"E2:E2001", "H2:H2001"}
    assert [cell.value for cell in data[2]][3:6] == [None, "Wydział Kultury", None]


def test_a_name_beginning_with_an_equals_sign_stays_text(meeting, coordinator):
    PublicTaskAreaFactory(name='=HYPERLINK("http://example.com")')
    lists = opened(template_workbook(meeting, coordinator))["Słowniki"]
    assert lists["A2"].data_type == "s"
