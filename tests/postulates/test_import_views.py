import datetime
import re
import uuid

import pytest
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from core.publishing import Status
from files.spreadsheets import MAX_FILE_BYTES
from krakow_ngo.urls import urlpatterns as site_urlpatterns
from meetings.models import Meeting
from postulates import import_views
from postulates.import_views import ImportPostulatesView, ImportTemplateView
from postulates.models import Position, Postulate
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
)
from tests.postulates.builders import (
    HEADER,
    HEADER_ROW,
    csv_bytes,
    handmade_xlsx,
    row,
    upload,
    xlsx_bytes,
)


class SecondYearOnlyView(ImportPostulatesView):
    """Stands in for the admin's per-department scoping."""

    def get_meeting_queryset(self, request):
        return Meeting.objects.filter(year=2024)


# A test-only urlconf: the site (admin included, for reverse() and error pages) plus the two
# views, staff-only, as the admin will mount them.
urlpatterns = [
    path(
        "import/<int:meeting_id>/",
        staff_member_required(ImportPostulatesView.as_view()),
        name="postulates_import",
    ),
    path(
        "import/wzor.csv",
        staff_member_required(ImportTemplateView.as_view()),
        name="postulates_import_template",
    ),
    path(
        "scoped-import/<int:meeting_id>/",
        staff_member_required(SecondYearOnlyView.as_view()),
        name="scoped_postulates_import",
    ),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("redaktor", password="x" * 16)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def meeting():
    return MeetingFactory()


def import_url(meeting):
    return reverse("postulates_import", args=[meeting.pk])


def send(client, meeting, data, name="postulaty.csv"):
    return client.post(import_url(meeting), {"file": upload(data, name)})


def confirm(client, meeting, token):
    return client.post(import_url(meeting), {"token": token})


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def stashed_files():
    return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []


VALID_ROWS = [
    row("1", "Więcej lokali.", organisation="Fundacja Nowa", outcome="uwzględniony"),
    row("2", "Dłuższe terminy.", area="Działalność charytatywna"),
]


@pytest.fixture
def vocabulary():
    OutcomeFactory(name="uwzględniony")
    PublicTaskAreaFactory(name="Działalność charytatywna")


def test_the_form_lists_the_columns_and_links_the_template(editor_client, meeting, vocabulary):
    response = editor_client.get(import_url(meeting))
    assert response.status_code == 200
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, "<caption>Kolumny arkusza</caption>", html=False)
    for label in HEADER:
        assertContains(response, f'<th scope="row">{label}</th>', html=True)
    assertContains(response, 'href="/import/wzor.csv"')
    assertContains(response, "Działalność charytatywna")  # the editors' list of areas
    assertContains(response, meeting.title)


def test_the_template_has_exactly_the_headers(editor_client):
    response = editor_client.get(reverse("postulates_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig") == ";".join(HEADER) + "\r\n"
    assert response.content.decode("utf-8-sig").split("\r\n")[0].split(";") == [
        "Nr",
        "Treść postulatu",
        "Organizacja",
        "Sfera",
        "Wydział właściwy",
        "Rozstrzygnięcie",
        "Uzasadnienie",
        "Wydział odpowiadający",
        "Data stanowiska",
        "Zobowiązanie",
        "Termin zobowiązania",
        "Data wykonania zobowiązania",
    ]


def test_preview_then_confirm_imports_a_csv(editor_client, meeting, vocabulary):
    response = send(editor_client, meeting, csv_bytes(VALID_ROWS))
    assert response.status_code == 200
    assert Postulate.objects.count() == 0  # the preview saves nothing
    assertContains(response, "Wierszy z postulatami: <strong>2</strong>")
    assertContains(response, "nowa organizacja")
    assertContains(response, "Zatwierdź i zapisz jako szkice")
    token = token_of(response)
    assert stashed_files() == [f"{token}.csv"]
    assert str(uuid.UUID(token)) == token

    response = confirm(editor_client, meeting, token)

    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assertRedirects(response, change_url, fetch_redirect_response=False)
    first, second = meeting.postulates.order_by("number")
    assert (first.content, first.organisation.name) == ("Więcej lokali.", "Fundacja Nowa")
    assert second.area.name == "Działalność charytatywna"
    assert {p.status for p in (first, second)} == {Status.DRAFT}
    assert first.positions.get().status == Status.DRAFT
    assert stashed_files() == []
    messages = [str(m) for m in editor_client.get(change_url).context["messages"]]
    assert messages == [
        "Zaimportowano postulaty: 2, stanowiska: 1, nowe organizacje: 1. "
        "Postulaty i stanowiska są szkicami – opublikuj je po sprawdzeniu."
    ]


def test_preview_then_confirm_imports_an_xlsx(editor_client, meeting, vocabulary):
    data = xlsx_bytes([[1, "Z arkusza Excela."], [2, "Drugi."]])
    response = send(editor_client, meeting, data, "postulaty.xlsx")
    token = token_of(response)
    assert stashed_files() == [f"{token}.xlsx"]
    response = confirm(editor_client, meeting, token)
    assert response.status_code == 302
    assert list(meeting.postulates.values_list("number", flat=True)) == [1, 2]


def test_a_file_with_errors_shows_every_error_and_cannot_be_confirmed(
    editor_client, meeting, vocabulary
):
    data = csv_bytes([row("1"), row("x"), row("3", area="Sport")])
    response = send(editor_client, meeting, data)
    assert response.status_code == 200
    assertContains(response, "z błędami: <strong>2</strong>")
    errors = response.context["preview"].errors
    assert [(number, column) for number, column, _ in errors] == [(3, "Nr"), (4, "Sfera")]
    assertContains(
        response,
        '<tr><th scope="row"><a href="#wiersz-3">3</a></th><td>Nr</td>'
        f"<td>{errors[0][2].replace('„', '&#x201E;')}</td></tr>",
        html=True,
    )
    assertContains(response, 'class="import-invalid"', count=2)
    assertContains(response, '<td class="import-cell-error">', count=2)
    assertNotContains(response, 'name="token"')
    assert stashed_files() == []
    assert Postulate.objects.count() == 0


def test_the_preview_table_is_accessible(editor_client, meeting, vocabulary):
    response = send(editor_client, meeting, csv_bytes(VALID_ROWS))
    assertContains(response, '<caption id="import-rows-caption">')
    for label in ["Wiersz", "Stan", *HEADER]:
        assertContains(response, f'<th scope="col">{label}</th>', html=True)
    assertContains(response, '<th scope="row">2</th>', html=True)


def test_a_file_level_error_is_shown(editor_client, meeting):
    response = send(editor_client, meeting, b"%PDF-1.4 binary", "postulaty.pdf")
    assert response.status_code == 200
    assertContains(response, "To plik PDF, a nie arkusz.")
    assertNotContains(response, 'name="token"')


def test_no_file_is_a_form_error(editor_client, meeting):
    response = editor_client.post(import_url(meeting), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_confirm_validates_again_and_saves_nothing_when_the_data_changed(
    editor_client, meeting, vocabulary
):
    response = send(editor_client, meeting, csv_bytes(VALID_ROWS))
    token = token_of(response)
    PostulateFactory(meeting=meeting, number=2)  # someone else took number 2 meanwhile

    response = confirm(editor_client, meeting, token)

    assert response.status_code == 200
    assertContains(response, "Od czasu podglądu dane spotkania się zmieniły")
    assertContains(response, "To spotkanie ma już postulat nr 2.")
    assert meeting.postulates.count() == 1
    assert Position.objects.count() == 0
    assert not meeting.postulates.filter(content="Więcej lokali.").exists()
    assert stashed_files() == []


def test_a_clash_while_saving_is_reported_not_a_500(editor_client, meeting, monkeypatch):
    token = token_of(send(editor_client, meeting, csv_bytes([row("1")])))

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(import_views, "import_postulates", clash)
    response = confirm(editor_client, meeting, token)
    assert response.status_code == 409
    assertContains(response, "Nic nie zapisano", status_code=409)


@pytest.mark.parametrize("token", ["", "nonsense", "../../settings", str(uuid.uuid4())])
def test_a_bad_token_is_a_clear_error(editor_client, meeting, token):
    response = confirm(editor_client, meeting, token)
    assert response.status_code == 400
    assertContains(response, "Nie znaleziono przesłanego pliku", status_code=400)


def test_a_token_works_only_once_and_only_for_its_meeting(editor_client, meeting):
    token = token_of(send(editor_client, meeting, csv_bytes([row("1")])))
    assert confirm(editor_client, MeetingFactory(), token).status_code == 400
    assert confirm(editor_client, meeting, token).status_code == 302
    assert confirm(editor_client, meeting, token).status_code == 400
    assert meeting.postulates.count() == 1


def test_a_token_from_another_session_is_refused(editor_client, meeting, editor):
    token = token_of(send(editor_client, meeting, csv_bytes([row("1")])))
    other = Client()
    other.force_login(editor)
    assert confirm(other, meeting, token).status_code == 400
    assert meeting.postulates.count() == 0


def test_an_unknown_meeting_is_404(editor_client):
    assert editor_client.get("/import/999999/").status_code == 404


def test_the_meeting_queryset_can_be_narrowed(editor_client, meeting):
    assert meeting.year_id == 2025
    response = editor_client.get(reverse("scoped_postulates_import", args=[meeting.pk]))
    assert response.status_code == 404
    response = editor_client.post(
        reverse("scoped_postulates_import", args=[meeting.pk]),
        {"file": upload(csv_bytes([row("1")]))},
    )
    assert response.status_code == 404
    assert Postulate.objects.count() == 0


def test_anonymous_users_are_sent_to_log_in(client, meeting):
    response = client.get(import_url(meeting))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_need_the_permission_to_add_postulates(client, django_user_model, meeting):
    user = django_user_model.objects.create_user("pracownik", password="x" * 16, is_staff=True)
    client.force_login(user)
    assert client.get(import_url(meeting)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_postulate"))
    assert client.get(import_url(meeting)).status_code == 200


def test_a_renamed_department_abbreviation_resolves_in_the_preview(editor_client, vocabulary):
    department = DepartmentFactory(name="Wydział Polityki Społecznej", abbreviation="WS")
    meeting = MeetingFactory(departments=[department])
    response = send(editor_client, meeting, csv_bytes([row("1", responsible_department="ws")]))
    assertContains(response, "Wydział Polityki Społecznej")
    assert response.context["preview"].is_valid


# --- Characters feeds cannot carry ------------------------------------------------------------


def test_a_control_character_in_a_cell_is_reported_for_its_row(editor_client, meeting):
    data = csv_bytes([row("1", "Dobry."), row("2", "Zły\x07znak."), row("3", "Też dobry.")])
    response = send(editor_client, meeting, data)
    assert response.status_code == 200
    reason = (
        "Tekst zawiera niedozwolony znak sterujący (U+0007) po „Zły”. Usuń go i zapisz ponownie."
    )
    assert response.context["preview"].errors == [(3, "Treść postulatu", reason)]
    assertContains(response, reason.replace("„", "&#x201E;"), html=True)
    assertContains(response, "z błędami: <strong>1</strong>")
    assertNotContains(response, 'name="token"')
    assert stashed_files() == []
    assert Postulate.objects.count() == 0


def test_a_c1_control_character_from_an_xlsx_is_reported_too(editor_client, meeting):
    # XML may carry U+0085 (unlike U+0007), so a workbook can bring it in.
    data = xlsx_bytes([[1, "Dobry."], [2, "Dobry."], [3, "Wklejone\x85z Worda."]])
    response = send(editor_client, meeting, data, "postulaty.xlsx")
    assert response.context["preview"].errors == [
        (
            4,
            "Treść postulatu",
            "Tekst zawiera niedozwolony znak sterujący (U+0085) po „Wklejone”. "
            "Usuń go i zapisz ponownie.",
        )
    ]
    assert Postulate.objects.count() == 0


# --- Files that would cost far more to read than they hold ------------------------------------


def refused(response, message):
    """The preview names the file's problem, and nothing is kept or saved."""
    assert response.status_code == 200
    assert response.context["preview"].file_errors == [message]
    assertContains(response, message.replace("„", "&#x201E;").replace("”", "&#x201D;"), html=True)
    assertNotContains(response, 'name="token"')
    assert stashed_files() == []
    assert Postulate.objects.count() == 0


PADDED = (
    "Usuń puste wiersze pod danymi (albo skopiuj same dane do nowego arkusza), zapisz plik "
    "i prześlij go ponownie."
)
LAST_ROW = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'


def test_an_xlsx_whose_only_cell_is_in_the_last_row_is_refused_by_its_size(editor_client, meeting):
    data = handmade_xlsx(LAST_ROW, dimension="A1048576")
    assert len(data) < 2_000
    refused(
        send(editor_client, meeting, data, "postulaty.xlsx"),
        "Arkusz sięga do wiersza 1 048 576, a import odczytuje najwyżej 10 000 wierszy, "
        f"licząc puste. {PADDED}",
    )


def test_a_padded_xlsx_that_understates_its_size_is_refused_after_the_rows_limit(
    editor_client, meeting
):
    data = handmade_xlsx(HEADER_ROW + LAST_ROW, dimension="A1:B1")
    refused(
        send(editor_client, meeting, data, "postulaty.xlsx"),
        f"Arkusz ma więcej niż 10 000 wierszy, licząc puste – tyle najwyżej odczytuje import. {PADDED}",
    )


def test_a_csv_of_line_ends_is_refused_after_the_rows_limit(editor_client, meeting):
    header = ";".join(HEADER).encode() + b"\r\n"
    data = header + b"\n" * (MAX_FILE_BYTES - len(header))
    assert len(data) == MAX_FILE_BYTES
    refused(
        send(editor_client, meeting, data),
        f"Arkusz ma więcej niż 10 000 wierszy, licząc puste – tyle najwyżej odczytuje import. {PADDED}",
    )


def test_a_real_sheet_with_blank_rows_between_postulates_still_imports(editor_client, meeting):
    rows = []
    for number in range(1, 61):
        rows.append([number, f"Postulat nr {number}: więcej lokali dla organizacji."])
        if number % 10 == 0:
            rows += [[], [None, "  "]]  # a blank gap after each ten, as editors leave them
    response = send(editor_client, meeting, xlsx_bytes(rows), "postulaty.xlsx")
    assertContains(response, "Wierszy z postulatami: <strong>60</strong>")
    assert response.context["preview"].rows[-1].row_number == 1 + 60 + 2 * 5

    assert confirm(editor_client, meeting, token_of(response)).status_code == 302
    assert meeting.postulates.count() == 60


def test_the_confirmation_reads_the_kept_file_within_the_same_limits(editor_client, meeting):
    token = token_of(send(editor_client, meeting, csv_bytes([row("1")])))
    # Whatever the kept file has become, reading it again is bounded like the preview.
    (name,) = stashed_files()
    default_storage.delete(f"imports/{name}")
    default_storage.save(f"imports/{name}", ContentFile(handmade_xlsx(HEADER_ROW + LAST_ROW)))

    response = confirm(editor_client, meeting, token)

    assertContains(response, "Nic nie zapisano.")
    assert response.context["preview"].file_errors == [
        f"Arkusz ma więcej niż 10 000 wierszy, licząc puste – tyle najwyżej odczytuje import. {PADDED}"
    ]
    assert Postulate.objects.count() == 0
    assert stashed_files() == []


def test_an_abandoned_preview_leaves_no_file_behind(
    editor_client, meeting, vocabulary, monkeypatch
):
    """A preview never confirmed (the tab closed): its file goes at a later upload once it is
    a day old; a fresh one, perhaps still to be confirmed in another tab, stays."""
    token_of(send(editor_client, meeting, csv_bytes(VALID_ROWS)))  # abandoned
    later = timezone.now() + datetime.timedelta(hours=25)
    with monkeypatch.context() as patched:
        patched.setattr(import_views.timezone, "now", lambda: later)
        pending = token_of(send(editor_client, meeting, csv_bytes(VALID_ROWS)))
    fresh = token_of(send(editor_client, meeting, csv_bytes(VALID_ROWS)))
    assert sorted(stashed_files()) == sorted([f"{pending}.csv", f"{fresh}.csv"])
    assert confirm(editor_client, meeting, pending).status_code == 302
