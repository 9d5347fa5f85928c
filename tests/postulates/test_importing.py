import datetime
import io
import zipfile

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError

from core.publishing import Status
from files import spreadsheets
from files.spreadsheets import MAX_FILE_BYTES, MAX_SHEET_ROWS, MAX_XLSX_PARTS
from organisations.models import Organisation
from postulates.importing import (
    MAX_DATA_ROWS,
    RowError,
    import_postulates,
    parse_spreadsheet,
    parsing,
    validate,
)
from postulates.models import Position, Postulate
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
)
from tests.postulates.builders import (
    HEADER,
    HEADER_ROW,
    csv_bytes,
    handmade_xlsx,
    row,
    text_cell,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(programme=ProgrammeFactory(first_year=2026))


@pytest.fixture
def vocabulary():
    return {
        "area": PublicTaskAreaFactory(name="Działalność charytatywna"),
        "outcome": OutcomeFactory(name="częściowo uwzględniony"),
        "department": DepartmentFactory(name="Wydział Polityki Społecznej", abbreviation="WS"),
        "other_department": DepartmentFactory(name="Wydział Kultury", abbreviation="KD"),
        "organisation": OrganisationFactory(name="Koci Patrol"),
    }


def preview_of(data, meeting, name="postulaty.csv"):
    return validate(parse_spreadsheet(upload(data, name)), meeting)


def errors_of(preview):
    return [(number, column) for number, column, _reason in preview.errors]


def counts():
    return (Postulate.objects.count(), Position.objects.count(), Organisation.objects.count())


# --- Whole imports ----------------------------------------------------------------------------


def test_a_valid_csv_imports_exactly_its_rows_as_drafts(meeting, vocabulary):
    data = csv_bytes(
        [
            row(
                "1",
                "Więcej lokali dla organizacji.",
                organisation="koci patrol",
                area="Działalność charytatywna",
                responsible_department="WS",
                outcome="częściowo uwzględniony",
                justification="Miasto przeanalizuje zasoby.",
                answered_on="05.09.2025",
            ),
            row("2", "Dłuższe terminy składania ofert.", organisation="Fundacja Nowa Łódź"),
            row(
                "3",
                "Postulat osoby prywatnej.",
                outcome="częściowo uwzględniony",
                responsible_department="Wydział Polityki Społecznej",
                answering_department="KD",
            ),
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    preview = preview_of(data, meeting)
    assert preview.is_valid, preview.errors
    assert preview.sheet.description == "CSV, kodowanie UTF-8, separator średnik"

    result = import_postulates(preview, meeting)

    assert (result.postulates_created, result.positions_created) == (3, 2)
    assert result.organisations_created == 1
    first, second, third = Postulate.objects.filter(meeting=meeting).order_by("number")
    assert first.content == "Więcej lokali dla organizacji."
    assert first.organisation == vocabulary["organisation"]
    assert first.area == vocabulary["area"]
    assert first.responsible_department == vocabulary["department"]
    assert first.programme == meeting.programme
    assert second.organisation.name == "Fundacja Nowa Łódź"
    assert second.organisation.status == Status.PUBLISHED
    assert second.organisation.published_at is not None
    assert second.positions.count() == 0
    assert third.organisation is None
    for postulate in (first, second, third):
        assert (postulate.status, postulate.published_at) == (Status.DRAFT, None)
        # Ordered in the search by their meeting's day once published, as saved ones are.
        assert postulate.search_day == meeting.starts_on
    position = first.positions.get()
    assert position.outcome == vocabulary["outcome"]
    assert position.justification == "Miasto przeanalizuje zasoby."
    assert position.department == vocabulary["department"]  # falls back to Wydział właściwy
    assert position.answered_on == datetime.date(2025, 9, 5)
    assert (position.status, position.published_at) == (Status.DRAFT, None)
    assert third.positions.get().department == vocabulary["other_department"]


# Excel stores dates without a time zone; openpyxl reads them as naive datetimes.
EXCEL_DATE = datetime.datetime(2025, 3, 5)  # noqa: DTZ001


def test_a_valid_xlsx_imports_with_real_dates_and_numbers(meeting, vocabulary):
    answered = [1, "Pierwszy postulat.", "Koci Patrol", None, None, "częściowo uwzględniony"]
    answered += [None, None, EXCEL_DATE]
    data = xlsx_bytes([answered, [2.0, "Drugi postulat.", None, "dzialalnosc charytatywna"]])
    preview = preview_of(data, meeting, "postulaty.xlsx")
    assert preview.is_valid, preview.errors
    assert preview.sheet.file_format == "xlsx"

    result = import_postulates(preview, meeting)

    assert (result.postulates_created, result.positions_created) == (2, 1)
    first, second = meeting.postulates.order_by("number")
    assert first.positions.get().answered_on == datetime.date(2025, 3, 5)
    assert second.number == 2
    assert second.area == vocabulary["area"]
    assert result.organisations_created == 0


def test_a_windows_1250_csv_keeps_polish_letters(meeting, vocabulary):
    content = "Zażółć gęślą jaźń – świetlice dla młodzieży."
    data = csv_bytes(
        [row("1", content, organisation="Stowarzyszenie Źródło", area="Działalność charytatywna")],
        encoding="cp1250",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    preview = preview_of(data, meeting)
    assert preview.is_valid, preview.errors
    assert "Windows-1250" in preview.sheet.description
    import_postulates(preview, meeting)
    postulate = meeting.postulates.get()
    assert postulate.content == content
    assert postulate.organisation.name == "Stowarzyszenie Źródło"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_header_aliases_match_whatever_the_case_diacritics_and_delimiter(
    meeting, vocabulary, delimiter
):
    header = [
        " L.P. ",
        "TRESC",
        "Zgłaszający",
        "sfera zadan publicznych",
        "WYDZIAŁ",
        "ocena",
        "uzasadnienie",
        "Wydzial  odpowiadajacy",
        "Data",
        "zobowiazanie miasta",
        "TERMIN",
        "Data wykonania",
    ]
    data = csv_bytes(
        [
            [
                "7",
                "Treść, z przecinkiem.",
                "KOCI PATROL",
                "DZIAŁALNOŚĆ CHARYTATYWNA",
                "wydzial-polityki-spolecznej",
                "czesciowo-uwzgledniony",
                "Tak.",
                "ws",
                "2025-09-05",
                "Konkurs na lokale.",
                "30.06.2026",
                "",
            ]
        ],
        header=header,
        delimiter=delimiter,
    )
    preview = preview_of(data, meeting)
    assert preview.is_valid, (preview.file_errors, preview.errors)
    assert [column.label for column in preview.sheet.columns] == HEADER
    values = preview.rows[0].values
    assert values.number == 7
    assert values.content == "Treść, z przecinkiem."
    assert values.organisation == vocabulary["organisation"]
    assert values.area == vocabulary["area"]
    assert values.responsible_department == vocabulary["department"]
    assert values.outcome == vocabulary["outcome"]
    assert values.answering_department == vocabulary["department"]
    assert values.answered_on == datetime.date(2025, 9, 5)
    assert values.commitment == "Konkurs na lokale."
    assert values.commitment_due_on == datetime.date(2026, 6, 30)
    assert values.commitment_fulfilled_on is None


def test_other_aliases_and_unknown_columns_are_warnings(meeting):
    data = csv_bytes([["1", "Treść.", "uwaga"]], header=["Numer", "Postulat", "Uwagi redakcji"])
    preview = preview_of(data, meeting)
    assert preview.is_valid
    assert preview.warnings == ["Nieznana kolumna „Uwagi redakcji” (C) – zostanie pominięta."]


def test_validation_creates_nothing_and_marks_new_organisations(meeting, vocabulary):
    before = counts()
    data = csv_bytes(
        [
            row("1", organisation="Fundacja Nowa"),
            row("2", organisation="FUNDACJA NOWA"),
            row("3", organisation="Koci  Patrol"),
        ]
    )
    preview = preview_of(data, meeting)
    assert counts() == before
    assert [r.creates_organisation for r in preview.rows] == [True, True, False]
    assert preview.new_organisation_names == ["Fundacja Nowa"]
    result = import_postulates(preview, meeting)
    assert result.organisations_created == 1
    assert Organisation.objects.filter(name="Fundacja Nowa").count() == 1
    assert {p.organisation.name for p in meeting.postulates.all()} == {
        "Fundacja Nowa",
        "Koci Patrol",
    }


@pytest.mark.parametrize("marker", ["osoba prywatna", "Osoba fizyczna", "mieszkaniec"])
def test_private_persons_are_never_named(meeting, marker):
    preview = preview_of(csv_bytes([row("1", organisation=marker)]), meeting)
    assert preview.is_valid
    assert preview.rows[0].values.organisation is None
    assert not preview.rows[0].creates_organisation


def test_residents_associations_are_not_mistaken_for_private_persons(meeting):
    preview = preview_of(csv_bytes([row("1", organisation="Stowarzyszenie Mieszkańców")]), meeting)
    assert preview.is_valid
    assert preview.new_organisation_names == ["Stowarzyszenie Mieszkańców"]


# --- Row rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"number": ""}, "Nr", "Podaj numer postulatu."),
        ({"number": "abc"}, "Nr", "nie jest poprawnym numerem"),
        ({"number": "0"}, "Nr", "nie jest poprawnym numerem"),
        ({"number": "-3"}, "Nr", "nie jest poprawnym numerem"),
        ({"number": "1,5"}, "Nr", "nie jest poprawnym numerem"),
        ({"number": "99999999999"}, "Nr", "jest za duży"),
        ({"content": ""}, "Treść postulatu", "Podaj treść postulatu."),
        ({"content": "x" * 10_001}, "Treść postulatu", "najwyżej 10000"),
        ({"content": "Ala\x00ma kota"}, "Treść postulatu", "znak sterujący (U+0000) po „Ala”"),
        ({"justification": "a\x07b", "outcome": "uwzględniony"}, "Uzasadnienie", "U+0007"),
        ({"organisation": "Jan Kowalski, osoba prywatna"}, "Organizacja", "osoby prywatnej"),
        ({"organisation": "F" * 256}, "Organizacja", "najwyżej 255 znaków"),
        ({"area": "Sport"}, "Sfera", "Listę sfer prowadzi redakcja"),
        (
            {"responsible_department": "Wydział Nieistniejący"},
            "Wydział właściwy",
            "Nie ma wydziału",
        ),
        (
            {"answering_department": "XYZ", "outcome": "uwzględniony"},
            "Wydział odpowiadający",
            "Nie ma wydziału",
        ),
        ({"outcome": "może kiedyś"}, "Rozstrzygnięcie", "Nie ma rozstrzygnięcia „może kiedyś”"),
        ({"justification": "Bo tak."}, "Rozstrzygnięcie", "Podaj rozstrzygnięcie"),
        ({"answered_on": "05.09.2025"}, "Rozstrzygnięcie", "Podaj rozstrzygnięcie"),
        ({"answering_department": "WS"}, "Rozstrzygnięcie", "Podaj rozstrzygnięcie"),
        (
            {"answered_on": "31.02.2025", "outcome": "uwzględniony"},
            "Data stanowiska",
            "Data „31.02.2025” nie istnieje w kalendarzu.",
        ),
        (
            {"answered_on": "2025/09/05", "outcome": "uwzględniony"},
            "Data stanowiska",
            "nie jest datą w formacie DD.MM.RRRR",
        ),
        ({"commitment": "Konkurs."}, "Rozstrzygnięcie", "Podaj rozstrzygnięcie"),
        (
            {"commitment_due_on": "30.06.2026", "outcome": "uwzględniony"},
            "Zobowiązanie",
            "Opisz zobowiązanie: termin i data wykonania dotyczą zobowiązania "
            "(wypełniono: Termin zobowiązania).",
        ),
        (
            {
                "commitment": "Konkurs.",
                "commitment_due_on": "30.13.2026",
                "outcome": "uwzględniony",
            },
            "Termin zobowiązania",
            "Data „30.13.2026” nie istnieje w kalendarzu.",
        ),
    ],
)
def test_each_rule_reports_row_column_and_reason(meeting, cells, column, reason):
    OutcomeFactory(name="uwzględniony")
    DepartmentFactory(name="Wydział Polityki Społecznej", abbreviation="WS")
    cells = {"number": "4", "content": "Treść.", **cells}
    data = csv_bytes([row("1"), row(cells.pop("number"), cells.pop("content"), **cells)])
    preview = preview_of(data, meeting)
    assert not preview.is_valid
    assert preview.rows[0].is_valid
    assert len(preview.errors) == 1, preview.errors
    number, error_column, error_reason = preview.errors[0]
    assert (number, error_column) == (3, column)
    assert reason in error_reason


@pytest.mark.parametrize("text", ["5.9.2025", "05.09.2025", "2025-09-05", " 2025-9-5 "])
def test_dates_in_polish_and_iso_formats(meeting, text):
    OutcomeFactory(name="uwzględniony")
    preview = preview_of(csv_bytes([row("1", outcome="uwzględniony", answered_on=text)]), meeting)
    assert preview.is_valid, preview.errors
    assert preview.rows[0].values.answered_on == datetime.date(2025, 9, 5)


def test_list_numbers_written_with_a_dot_are_accepted(meeting):
    preview = preview_of(csv_bytes([row("1."), row(" 2 ")]), meeting)
    assert [r.values.number for r in preview.rows] == [1, 2]


def test_vocabularies_match_by_slug_and_without_diacritics(meeting, vocabulary):
    data = csv_bytes(
        [
            row(
                "1",
                area="dzialalnosc-charytatywna",
                outcome="CZESCIOWO UWZGLEDNIONY",
                responsible_department="wydział kultury",
            ),
            row("2", responsible_department="wydzial-kultury"),
        ]
    )
    preview = preview_of(data, meeting)
    assert preview.is_valid, preview.errors
    values = preview.rows[0].values
    assert (values.area, values.outcome) == (vocabulary["area"], vocabulary["outcome"])
    assert {r.values.responsible_department for r in preview.rows} == {
        vocabulary["other_department"]
    }


def test_an_ambiguous_abbreviation_prefers_the_meetings_department(vocabulary):
    old = DepartmentFactory(name="Wydział Spraw Społecznych", abbreviation="WS")
    meeting = MeetingFactory(departments=[old])
    preview = preview_of(csv_bytes([row("1", responsible_department="WS")]), meeting)
    assert preview.rows[0].values.responsible_department == old

    elsewhere = MeetingFactory()
    preview = preview_of(csv_bytes([row("1", responsible_department="WS")]), elsewhere)
    assert not preview.is_valid
    assert "pasuje do kilku wydziałów" in preview.errors[0][2]


def test_numbers_repeated_in_the_file_are_flagged_on_every_row(meeting):
    preview = preview_of(csv_bytes([row("1"), row("2"), row("1"), row("1")]), meeting)
    assert errors_of(preview) == [(2, "Nr"), (4, "Nr"), (5, "Nr")]
    assert preview.errors[0][2] == "Numer 1 powtarza się w pliku (wiersze 2, 4, 5)."
    assert preview.invalid_row_count == 3
    assert preview.valid_row_count == 1


def test_numbers_already_used_at_the_meeting_are_flagged(meeting):
    PostulateFactory(meeting=meeting, number=2)
    PostulateFactory(number=3)  # another meeting's list does not matter
    preview = preview_of(csv_bytes([row("1"), row("2"), row("3")]), meeting)
    assert preview.errors == [(3, "Nr", "To spotkanie ma już postulat nr 2.")]


def test_one_bad_row_imports_nothing(meeting, vocabulary):
    before = counts()
    data = csv_bytes(
        [
            row("1", organisation="Fundacja Nowa", outcome="częściowo uwzględniony"),
            row("2", area="Nieznana sfera"),
            row("3"),
        ]
    )
    preview = preview_of(data, meeting)
    assert preview.errors[0][:2] == (3, "Sfera")
    assert preview.rows[1].errors == [RowError("Sfera", preview.errors[0][2])]
    with pytest.raises(ValueError):
        import_postulates(preview, meeting)
    assert counts() == before


def test_a_failure_while_saving_rolls_everything_back(meeting, vocabulary, monkeypatch):
    preview = preview_of(
        csv_bytes([row("1", organisation="Fundacja Nowa", outcome="częściowo uwzględniony")]),
        meeting,
    )
    before = counts()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Position.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        import_postulates(preview, meeting)
    assert counts() == before


def test_a_stale_preview_fails_on_the_database_constraint_and_keeps_nothing(meeting):
    preview = preview_of(csv_bytes([row("1", organisation="Fundacja Nowa"), row("2")]), meeting)
    PostulateFactory(meeting=meeting, number=2)  # saved after validation, before the import
    before = counts()
    with pytest.raises(IntegrityError):
        import_postulates(preview, meeting)
    assert counts() == before


def test_a_preview_imports_only_into_its_own_meeting(meeting):
    preview = preview_of(csv_bytes([row("1")]), meeting)
    with pytest.raises(ValueError):
        import_postulates(preview, MeetingFactory())


def test_the_importing_editor_is_recorded_in_the_admin_history(meeting, django_user_model):
    editor = django_user_model.objects.create_user("redaktor")
    preview = preview_of(csv_bytes([row("1", organisation="Fundacja Nowa")]), meeting)
    import_postulates(preview, meeting, user=editor)
    assert LogEntry.objects.filter(user=editor).count() == 2  # the postulate, the organisation


# --- Reading files ----------------------------------------------------------------------------


def test_blank_rows_are_skipped_but_row_numbers_stay_as_in_the_sheet(meeting):
    data = csv_bytes([row("1"), ["", "", ""], row("2", "Treść\nw dwóch liniach"), row("x")])
    preview = preview_of(data, meeting)
    assert [r.row_number for r in preview.rows] == [2, 4, 5]
    assert errors_of(preview) == [(5, "Nr")]
    assert preview.rows[1].values.content == "Treść\nw dwóch liniach"


def test_xlsx_row_numbers_skip_blank_rows_too(meeting):
    data = xlsx_bytes([[1, "Pierwszy."], [], [None, "  "], ["dwa", "Drugi."]])
    preview = preview_of(data, meeting, "postulaty.xlsx")
    assert preview.errors[0][:2] == (5, "Nr")


def file_errors(data, name="plik"):
    sheet = parse_spreadsheet(upload(data, name))
    assert sheet.rows == []
    return sheet.errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Plik jest pusty."),
        (b"  \r\n ", "Plik jest pusty."),
        (b"\xef\xbb\xbf;;\r\n;;\r\n", "Plik jest pusty – nie ma w nim nagłówka ani postulatów."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "To plik PDF, a nie arkusz."),
        (
            bytes(range(256)) * 8,
            "Nie udało się odczytać pliku: to nie jest arkusz XLSX ani plik CSV",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "starym formacie XLS"),
        (b"PK\x03\x04 not really a zip", "Nie rozpoznano formatu pliku."),
        (csv_bytes([], header=["Nr", "Treść postulatu"]), "Arkusz ma tylko wiersz nagłówka"),
        (
            csv_bytes([["1"]], header=["Nr", "Organizacja"]),
            "Brak wymaganych kolumn: „Treść postulatu”",
        ),
        (csv_bytes([["1"]], header=["Sfera", "Uwagi"]), "Brak wymaganych kolumn: „Nr”, „Treść"),
        (
            csv_bytes([["1", "2", "x"]], header=["Nr", "lp", "Treść"]),
            "„Nr” występuje w pliku dwa razy",
        ),
    ],
)
def test_unusable_files_give_a_single_file_level_error(data, message):
    (error,) = file_errors(data)
    assert message in error


def test_a_zip_that_is_not_a_workbook_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    (error,) = file_errors(buffer.getvalue(), "postulaty.xlsx")
    assert error.startswith("Nie rozpoznano formatu pliku.")


def test_a_damaged_workbook_is_an_error_not_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<to nie jest xml")
    (error,) = file_errors(buffer.getvalue(), "postulaty.xlsx")
    assert "plik może być uszkodzony" in error


def test_a_random_binary_file_is_not_a_csv():
    # Decodes as Windows-1250, but is mostly control characters.
    (error,) = file_errors(bytes(range(1, 32)) * 100)
    assert error.startswith("Nie rozpoznano formatu pliku.")


def test_too_many_rows_is_an_error():
    data = csv_bytes([[str(n), "Treść."] for n in range(1, MAX_DATA_ROWS + 2)], HEADER[:2])
    (error,) = file_errors(data)
    assert error == (
        "Plik ma więcej niż 2 000 wierszy z postulatami, a jeden import przyjmuje najwyżej tyle. "
        "Podziel go na mniejsze części i zaimportuj każdą osobno."
    )


def test_the_row_limit_itself_is_allowed():
    data = csv_bytes([[str(n), "Treść."] for n in range(1, MAX_DATA_ROWS + 1)], HEADER[:2])
    sheet = parse_spreadsheet(upload(data))
    assert sheet.errors == []
    assert len(sheet.rows) == MAX_DATA_ROWS
    assert sheet.rows[-1].row_number == MAX_DATA_ROWS + 1


def test_too_many_xlsx_rows_is_an_error(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_DATA_ROWS", 3)
    data = xlsx_bytes([[n, "Treść."] for n in range(1, 5)])
    (error,) = file_errors(data)
    assert "więcej niż 3 wierszy" in error


PADDED = (
    "Usuń puste wiersze pod danymi (albo skopiuj same dane do nowego arkusza), zapisz plik "
    "i prześlij go ponownie."
)
SIMPLER = (
    "Skopiuj same dane do nowego skoroszytu (Wklej specjalnie → Wartości), zapisz go "
    "i prześlij ponownie."
)


def test_blank_rows_count_towards_the_rows_read_up_to_the_limit():
    header = "Nr;Treść postulatu\r\n"
    last_allowed = header + "\r\n" * (MAX_SHEET_ROWS - 2) + "1;Na samym dole.\r\n"
    sheet = parse_spreadsheet(last_allowed.encode())
    assert sheet.errors == []
    assert [row.row_number for row in sheet.rows] == [MAX_SHEET_ROWS]

    one_more = header + "\r\n" * (MAX_SHEET_ROWS - 1) + "1;O jeden za nisko.\r\n"
    assert file_errors(one_more.encode()) == [
        f"Arkusz ma więcej niż 10 000 wierszy, licząc puste – tyle najwyżej odczytuje import. {PADDED}"
    ]


def test_the_declared_size_of_an_xlsx_is_checked_before_its_rows():
    rows = HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c>' + text_cell("B2", "Treść.") + "</row>"
    assert parse_spreadsheet(handmade_xlsx(rows, dimension="A1:B2")).errors == []
    assert file_errors(handmade_xlsx(rows, dimension="A1:B10001")) == [
        "Arkusz sięga do wiersza 10 001, a import odczytuje najwyżej 10 000 wierszy, licząc "
        f"puste. {PADDED}"
    ]


COLUMNS = (
    "a import odczytuje najwyżej 50 kolumn (A–AX). Usuń kolumny, których import nie "
    "potrzebuje, i prześlij plik ponownie."
)


def test_data_beyond_the_last_column_read_is_refused_not_dropped():
    csv_row = ["1", "Treść.", *[""] * 48, "w kolumnie AY"]
    assert file_errors(csv_bytes([csv_row], HEADER[:2])) == [
        f"Wiersz 2 ma dane w kolumnie AY, {COLUMNS}"
    ]
    xlsx_row = [1, "Treść.", *[None] * 48, "w kolumnie AY"]
    assert file_errors(xlsx_bytes([xlsx_row], HEADER[:2])) == [
        f"Wiersz 2 ma dane w kolumnie AY, {COLUMNS}"
    ]
    far = "1;Treść." + ";" * 19_998 + "daleko\r\n"
    assert file_errors(f"Nr;Treść postulatu\r\n{far}".encode()) == [
        f"Wiersz 2 ma dane w kolumnie nr 20 000, {COLUMNS}"
    ]


def test_empty_cells_beyond_the_last_column_read_are_ignored():
    data = csv_bytes([["1", "Treść.", *[""] * 500]], HEADER[:2])
    sheet = parse_spreadsheet(data)
    assert sheet.errors == []
    assert sheet.rows[0].cells == {"number": "1", "content": "Treść."}


def test_an_xlsx_of_too_many_xml_elements_is_refused_before_it_is_parsed():
    # Two hundred thousand empty cells, each of its own row: tens of KB compressed (well
    # under the zip-bomb ratio guard of files.archives), tens of seconds to parse.
    rows = HEADER_ROW + "".join(
        f'<row r="{number}"><c r="C{number}"/></row>' for number in range(2, 200_002)
    )
    assert file_errors(handmade_xlsx(rows)) == [
        "Arkusz XLSX ma zbyt złożoną budowę jak na listę postulatów (ponad 150 000 elementów "
        f"XML). {SIMPLER}"
    ]


def test_an_xlsx_of_too_many_cell_styles_is_refused():
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>'
        + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 10_001
        + "</cellXfs></styleSheet>"
    )
    data = handmade_xlsx(HEADER_ROW, parts={"xl/styles.xml": styles})
    assert file_errors(data) == [
        f"Arkusz XLSX ma zbyt wiele stylów komórek (ponad 10 000 elementów). {SIMPLER}"
    ]


def test_an_xlsx_of_too_many_parts_is_refused():
    parts = {f"xl/media/image{number}.png": b"" for number in range(MAX_XLSX_PARTS)}
    assert file_errors(handmade_xlsx(HEADER_ROW, parts=parts)) == [
        f"Plik XLSX składa się z ponad 1 000 części – to za dużo jak na listę postulatów. {SIMPLER}"
    ]


def test_an_xlsx_unpacking_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_XLSX_BYTES", 100_000)
    rows = HEADER_ROW + '<row r="2">' + text_cell("B2", " " * 100_000) + "</row>"
    assert file_errors(handmade_xlsx(rows)) == [
        "Arkusz XLSX jest po rozpakowaniu zbyt duży, by go odczytać."
    ]


def test_too_big_a_file_is_an_error():
    data = csv_bytes([["1", "x" * MAX_FILE_BYTES]], HEADER[:2])
    (error,) = file_errors(data)
    assert "Plik jest za duży (5,0 MB)" in error
    # Also when the upload does not tell its size.
    assert "Plik jest za duży" in parse_spreadsheet(io.BytesIO(data)).errors[0]


def test_a_data_column_without_header_is_a_warning(meeting):
    data = csv_bytes([["1", "Treść.", "zgubione"]], header=["Nr", "Treść postulatu", ""])
    preview = preview_of(data, meeting)
    assert preview.is_valid
    assert preview.warnings == ["Kolumna C nie ma nagłówka, a zawiera dane – zostanie pominięta."]


def test_nul_bytes_in_a_cell_are_an_error_not_stripped(meeting):
    data = "Nr;Treść postulatu\r\n1;Ala\x00ma kota\r\n2;Dobry\r\n".encode()
    preview = preview_of(data, meeting)
    assert errors_of(preview) == [(2, "Treść postulatu")]
    assert preview.errors[0][2] == (
        "Tekst zawiera niedozwolony znak sterujący (U+0000) po „Ala”. Usuń go i zapisz ponownie."
    )


def test_a_utf16_export_is_read_too(meeting):
    data = "Nr\tTreść postulatu\r\n1\tŻółw\r\n".encode("utf-16")
    preview = preview_of(data, meeting)
    assert preview.is_valid
    assert preview.rows[0].values.content == "Żółw"


def test_a_preview_without_rows_is_not_valid(meeting):
    preview = preview_of(csv_bytes([], header=HEADER), meeting)
    assert preview.rows == []
    assert not preview.is_valid


def test_a_commitment_is_imported_with_its_dates_into_the_draft_answer(meeting):
    OutcomeFactory(name="uwzględniony")
    data = csv_bytes(
        [
            row(
                "1",
                outcome="uwzględniony",
                commitment="Konkurs na trzy lokale.",
                commitment_due_on="30.06.2026",
                commitment_fulfilled_on="2026-06-15",
            )
        ]
    )
    preview = preview_of(data, meeting)
    assert preview.is_valid, preview.errors
    import_postulates(preview, meeting)
    position = Position.objects.get(postulate__meeting=meeting)
    assert position.commitment == "Konkurs na trzy lokale."
    assert position.commitment_due_on == datetime.date(2026, 6, 30)
    assert position.commitment_fulfilled_on == datetime.date(2026, 6, 15)
    assert position.status == "draft"
