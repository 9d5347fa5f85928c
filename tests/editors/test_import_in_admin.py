"""The spreadsheet import as editors reach it: from their meeting's page, never another's."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from postulates.importing.workbook import EXAMPLE_CONTENT
from postulates.models import Postulate
from tests.factories import OrganisationFactory
from tests.postulates.builders import HEADER_ROW, csv_bytes, handmade_xlsx, row, upload

pytestmark = pytest.mark.django_db

CONTENT = "Więcej lokali dla organizacji"


def sheet(number, content=CONTENT):
    return f"Nr;Treść postulatu;Organizacja\n{number};{content};Koci Patrol\n".encode()


def free_number(meeting):
    # The world's postulates are numbered by the factory's sequence, which runs on from test to
    # test: a fixed number would sooner or later be taken.
    return max(meeting.postulates.values_list("number", flat=True)) + 1


def import_url(meeting):
    return reverse("admin:meetings_meeting_import_postulates", args=[meeting.pk])


def test_an_editor_imports_into_their_meeting_after_a_preview(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    change_page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assertContains(change_page, import_url(meeting))

    number = free_number(meeting)
    upload = SimpleUploadedFile("postulaty.csv", sheet(number))
    preview = client.post(import_url(meeting), {"file": upload})
    assertContains(preview, CONTENT)
    assert not Postulate.objects.filter(content=CONTENT).exists()  # nothing saved before confirming

    token = preview.context["token"]
    done = client.post(import_url(meeting), {"token": token})
    assert done.status_code == 302
    imported = Postulate.objects.get(meeting=meeting, number=number)
    assert imported.status == "draft"
    assert imported.organisation.name == "Koci Patrol"


def test_another_departments_meeting_cannot_be_imported_into(world, login):
    other = world["other"]["meeting"]
    client = login("kultura")
    assert client.get(import_url(other)).status_code == 404
    upload = SimpleUploadedFile("postulaty.csv", sheet(free_number(other)))
    client.post(import_url(other), {"file": upload})
    assert not Postulate.objects.filter(content=CONTENT).exists()


def test_the_template_sheet_downloads_from_the_admin(world, login):
    response = login("kultura").get(reverse("admin:postulates_import_template"))
    assert response.status_code == 200
    assert "Treść postulatu" in response.content.decode("utf-8-sig")


def test_a_control_character_in_a_cell_is_reported_in_the_admins_preview(world, login):
    meeting = world["own"]["meeting"]
    data = sheet(free_number(meeting), "Więcej\x07lokali")
    response = login("kultura").post(
        import_url(meeting), {"file": SimpleUploadedFile("postulaty.csv", data)}
    )
    assert response.context["preview"].errors == [
        (
            2,
            "Treść postulatu",
            "Tekst zawiera niedozwolony znak sterujący (U+0007) po „Więcej”. "
            "Usuń go i zapisz ponownie.",
        )
    ]
    assert response.context["token"] == ""
    assert not Postulate.objects.filter(content__startswith="Więcej").exists()


def test_a_sheet_padded_to_its_last_row_is_refused_in_the_admins_preview(world, login):
    meeting = world["own"]["meeting"]
    # 1.5 KB: a header, and one postulate in Excel's last row; the sheet says it reaches no
    # further than row 1, so only counting the rows read can stop it.
    last_row = (
        '<row r="1048576"><c r="A1048576"><v>1</v></c>'
        f'<c r="B1048576" t="inlineStr"><is><t>{CONTENT}</t></is></c></row>'
    )
    data = handmade_xlsx(HEADER_ROW + last_row, "A1:B1")
    assert len(data) < 2_000
    response = login("kultura").post(
        import_url(meeting), {"file": SimpleUploadedFile("postulaty.xlsx", data)}
    )
    assert response.status_code == 200
    message = (
        "Arkusz ma więcej niż 10 000 wierszy, licząc puste – tyle najwyżej odczytuje import. "
        "Usuń puste wiersze pod danymi (albo skopiuj same dane do nowego arkusza), zapisz plik "
        "i prześlij go ponownie."
    )
    assert response.context["preview"].file_errors == [message]
    assertContains(response, message)
    assert response.context["token"] == ""
    assert not Postulate.objects.filter(content=CONTENT).exists()


def test_an_imported_answer_speaks_only_for_the_editors_department(world, login):
    meeting = world["own"]["meeting"]
    outcome = world["own"]["position"].outcome
    client = login("kultura")
    number = free_number(meeting)
    in_their_name = csv_bytes(
        [
            row(
                str(number),
                "Postulat z odpowiedzią sportu",
                outcome=outcome.name,
                answering_department="Wydział Sportu",
            ),
            row(
                str(number + 1),
                "Postulat skierowany do sportu",
                outcome=outcome.name,
                responsible_department="Wydział Sportu",
            ),
        ]
    )
    preview = client.post(import_url(meeting), {"file": upload(in_their_name)})
    # Each of the two rows: once in the list of errors, once beside its cell.
    assertContains(preview, "Odpowiedź może wydać tylko Twój wydział", count=4)
    assert not preview.context["token"]

    own_answer = csv_bytes(
        [
            row(
                str(number),
                "Postulat skierowany do sportu",
                outcome=outcome.name,
                responsible_department="Wydział Sportu",
                answering_department="Wydział Kultury",
            ),
        ]
    )
    preview = client.post(import_url(meeting), {"file": upload(own_answer)})
    assert preview.context["token"]
    assert client.post(import_url(meeting), {"token": preview.context["token"]}).status_code == 302
    imported = Postulate.objects.get(meeting=meeting, number=number)
    assert imported.responsible_department == world["sport"]
    assert imported.positions.get().department == world["culture"]


def test_the_preview_of_long_texts_stays_small_and_the_import_keeps_them_whole(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    number = free_number(meeting)
    long_text = "Bardzo długi postulat. " * 430  # about 10 000 characters
    preview = client.post(
        import_url(meeting), {"file": upload(csv_bytes([row(str(number), long_text)]))}
    )
    assert len(preview.content) < 60_000
    assertContains(preview, long_text[:500])
    client.post(import_url(meeting), {"token": preview.context["token"]})
    assert Postulate.objects.get(meeting=meeting, number=number).content == long_text.strip()


def test_an_editor_downloads_the_xlsx_template_and_imports_it_as_downloaded(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    page = client.get(import_url(meeting))
    template_url = f"{import_url(meeting)}?wzor=xlsx"
    assertContains(page, f'href="{template_url}"')

    download = client.get(template_url)
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"] == (
        'attachment; filename="wzor-importu-postulatow.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(download.content))
    lists = workbook["Słowniki"]
    # Any department may be the responsible one; an answer speaks only for the editor's own.
    assert [c.value for c in lists["B"] if c.value] == [
        "Wydział właściwy",
        "Wydział Kultury",
        "Wydział Sportu",
    ]
    assert [c.value for c in lists["D"] if c.value] == ["Wydział odpowiadający", "Wydział Kultury"]

    preview = client.post(
        import_url(meeting), {"file": SimpleUploadedFile("wzor.xlsx", download.content)}
    )
    assertContains(preview, "Wiersz 2 to przykład ze wzoru pliku – usuń go")
    assert client.post(import_url(meeting), {"token": preview.context["token"]}).status_code == 302
    imported = Postulate.objects.get(meeting=meeting, number=free_number(meeting) - 1)
    assert imported.content == EXAMPLE_CONTENT
    assert imported.responsible_department == world["culture"]
    assert imported.positions.get().department == world["culture"]


def test_another_departments_template_is_not_served(world, login):
    other = world["other"]["meeting"]
    assert login("kultura").get(f"{import_url(other)}?wzor=xlsx").status_code == 404


def test_an_unknown_department_names_the_editors_own_not_a_generic_abbreviation(world, login):
    meeting = world["own"]["meeting"]
    data = csv_bytes([row(str(free_number(meeting)), responsible_department="Wydział Kultry")])
    preview = login("kultura").post(import_url(meeting), {"file": upload(data)})
    message = (
        "Nie ma wydziału ani jednostki „Wydział Kultry”. Czy chodziło o: „Wydział Kultury”? "
        "Podaj pełną nazwę lub skrót jednostki z listy pod formularzem (np. „Wydział Kultury”) "
        "albo poproś redakcję o dopisanie jednostki."
    )
    assert preview.context["preview"].errors == [(2, "Wydział właściwy", message)]
    assertContains(preview, message, count=2)  # in the list of errors and beside the cell
    assertContains(preview, "<li>Wydział Sportu</li>", html=True)  # the list under the form


def test_an_answer_in_another_departments_name_points_to_the_editors_own(world, login):
    meeting = world["own"]["meeting"]
    outcome = world["own"]["position"].outcome
    data = csv_bytes(
        [
            row(
                str(free_number(meeting)),
                outcome=outcome.name,
                answering_department="Wydział Sportu",
            )
        ]
    )
    preview = login("kultura").post(import_url(meeting), {"file": upload(data)})
    assert preview.context["preview"].errors == [
        (
            2,
            "Wydział odpowiadający",
            "Odpowiedź może wydać tylko Twój wydział, a nie „Wydział Sportu”: wpisz w tej "
            "kolumnie „Wydział Kultury” albo poproś koordynatora o import.",
        )
    ]


def test_a_near_duplicate_organisation_is_flagged_in_the_preview(world, login):
    meeting = world["own"]["meeting"]
    existing = OrganisationFactory(name="Stowarzyszenie „Koci Patrol”")
    data = csv_bytes([row(str(free_number(meeting)), organisation="Stow. Koci Patrol")])
    preview = login("kultura").post(import_url(meeting), {"file": upload(data)})
    assert preview.context["token"]  # a warning, not an error
    assertContains(
        preview,
        "Nowa organizacja „Stow. Koci Patrol” (wiersz 2) – podobna do istniejącej "
        f"„{existing.name}”.",
    )
    assertContains(preview, f"(nowa organizacja – podobna do istniejącej „{existing.name}”)")


def test_a_long_unbroken_cell_is_cut_in_the_preview_saying_how_long_it_is(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    number = free_number(meeting)
    long_word = "x" * 10_001
    preview = client.post(
        import_url(meeting), {"file": upload(csv_bytes([row(str(number), long_word)]))}
    )
    assertContains(preview, f'<span class="import-text">{"x" * 599}…</span>', html=True)
    assertContains(
        preview,
        '<span class="import-note">(w podglądzie skrócono; cały tekst ma znaków: 10001)</span>',
        html=True,
    )
