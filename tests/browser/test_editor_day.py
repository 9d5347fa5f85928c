"""An editor's whole day in headless Chromium, as a department's civil servant does it: log in
with the second factor, create a meeting, upload its documents, import 60 postulates from the
XLSX template, answer some, publish everything in one step, revise an answer, delete a
postulate, and the coordinator recovers it.

The screenshots (1366x768) illustrate docs/przewodnik-redaktora.md: with GUIDE_SCREENSHOTS=1
they are written into docs/przewodnik/, otherwise into the test's temporary folder."""

import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from meetings.models import Meeting
from postulates.models import Position, Postulate
from sampledata.files import accessible_pdf
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    OrganisationFactory,
    OutcomeFactory,
    PublicTaskAreaFactory,
)

# serialized_rollback: the flush at the end would otherwise remove rows migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Archiwum-Krakow-2026!"
VIEWPORT = {"width": 1366, "height": 768}
MEETING = "Spotkanie branżowe o lokalach dla organizacji kultury"
POSTULATES = 60
# How long Playwright waits for a page: long enough for a busy CI machine (saving a meeting
# with its 60 postulates takes seconds), short enough that a hung page fails the test soon.
STEP_TIMEOUT_MS = 30_000


@pytest.fixture
def screenshots(tmp_path):
    folder = settings.BASE_DIR / "docs" / "przewodnik"
    if not os.environ.get("GUIDE_SCREENSHOTS"):
        folder = tmp_path / "przewodnik"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def staff(monkeypatch, django_user_model):
    """A department with its editor and the coordinator, each with an authenticator app;
    the archive's year and the editors' lists the import reads."""
    culture = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego")
    ArchiveYearFactory(year=timezone.localdate().year)
    PublicTaskAreaFactory(name="Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego")
    for name in ("uwzględniony", "częściowo uwzględniony", "nieuwzględniony"):
        OutcomeFactory(name=name)
    OrganisationFactory(name="Stowarzyszenie Teatrów Niezależnych")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("add_editor", "anna", "--department", culture.slug, "--noinput", verbosity=0)
    call_command("add_editor", "koordynator", "--coordinator", "--noinput", verbosity=0)
    devices = {}
    for username in ("anna", "koordynator"):
        user = django_user_model.objects.get(username=username)
        devices[username] = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    return {"department": culture, "devices": devices}


def one_time_code(device):
    """The six digits the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Day:
    """The browser of one person, with the checks every step shares."""

    def __init__(self, page, base_url, folder):
        self.page = page
        self.base_url = base_url
        self.folder = folder

    def go(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, path
        return response

    def shot(self, name, locator=None):
        """The screen as the user sees it, scrolled to `locator` when given."""
        if locator is not None:
            locator.scroll_into_view_if_needed()
        self.page.screenshot(path=self.folder / f"{name}.png")

    def submit(self, locator):
        """Click a link or button that opens another page, and wait for that page."""
        with self.page.expect_navigation():
            locator.click()
        self.no_raw_errors()

    def message(self):
        """The green (or yellow) line the admin shows after a save."""
        return self.messages()[0]

    def messages(self):
        """Every line the admin shows after a save (a file's accessibility check adds one)."""
        messages = self.page.locator("ul.messagelist li")
        errors = self.page.locator(".errornote, .errorlist").all_inner_texts()
        assert messages.count(), f"no message on {self.page.url}; errors: {errors}"
        return messages.all_inner_texts()

    def no_raw_errors(self):
        text = self.page.locator("body").inner_text()
        for raw in ("Ograniczenie", "constraint", "Traceback", "IntegrityError", "Bad Request"):
            assert raw not in text, raw


def log_in(browser, live_server, folder, username, device, shot=None):
    context = browser.new_context(viewport=VIEWPORT, locale="pl-PL", accept_downloads=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    day = Day(context.new_page(), live_server.url, folder)
    day.go("/admin/login/")
    page = day.page
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_label("Kod jednorazowy").fill(one_time_code(device))
    if shot:
        day.shot(shot)
    day.submit(page.get_by_role("button", name="Zaloguj się"))
    return day


def template_with_postulates(data, count):
    """The meeting's XLSX template, its example row replaced by `count` postulates: a few
    with an answer already, the rest waiting for one."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Postulaty"]
    header = [cell.value for cell in sheet[1]]
    example = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    first = example["Nr"]
    sheet.delete_rows(2, sheet.max_row)
    for offset in range(count):
        row = {
            **example,
            "Nr": first + offset,
            "Treść postulatu": f"Postulat {first + offset}: udostępnić organizacjom "
            f"salę w domu kultury nr {offset + 1} na próby i spotkania.",
            "Organizacja": "Stowarzyszenie Teatrów Niezależnych" if offset % 2 else "",
        }
        if offset >= 5:  # answered later, in the admin
            for column in ("Rozstrzygnięcie", "Uzasadnienie", "Data stanowiska"):
                if column in row:
                    row[column] = None
        sheet.append([row[name] for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_editors_day(browser, live_server, staff, screenshots, settings, tmp_path):
    settings.ADMIN_REQUIRE_OTP = True
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()

    # 1. Log in: the password and the six digits from the authenticator app.
    day = log_in(
        browser, live_server, screenshots, "anna", staff["devices"]["anna"], shot="01-logowanie"
    )
    page = day.page

    # 2. The start page (the admin opens only once the code is accepted): the editor's
    # department, the day's actions.
    assert page.url == live_server.url + "/admin/"
    expect_text(page, "Twój wydział: Wydział Kultury i Dziedzictwa Narodowego.")
    day.shot("02-strona-startowa")

    # 3. A new meeting: one day, the department already chosen.
    day.submit(page.get_by_role("link", name="Dodaj spotkanie").first)
    assert page.locator("#id_department_links-0-department").input_value() == str(
        staff["department"].pk
    )
    page.locator("#id_title").fill(MEETING)
    page.locator("#id_place").fill("Centrum Obywatelskie, ul. Reymonta 20")
    page.locator("#id_dates-0-date").fill(today.isoformat())
    top(page)
    day.shot("03-nowe-spotkanie")
    day.shot("04-termin-i-wydzial", page.locator("#dates-group"))
    day.submit(page.get_by_role("button", name="Zapisz i kontynuuj edycję").first)
    meeting = Meeting.objects.get(title=MEETING)
    assert day.message() == f"Dodano: spotkanie „{meeting}”. Poniżej możesz edytować dalej."
    assert meeting.status == "draft"
    assert list(meeting.departments.all()) == [staff["department"]]
    assert meeting.starts_on == today

    # 4. A document: its kind, title and the PDF file.
    page.get_by_role("button", name="Dodaj: Dokument").click()
    page.locator("#id_documents-0-title").fill("Podsumowanie spotkania")
    attach_pdf(page)
    day.shot("05-dokument", page.locator("#documents-group"))
    # The kind forgotten: nothing is saved, and the page says what is missing and where.
    day.submit(page.get_by_role("button", name="Zapisz i kontynuuj edycję").first)
    # The chosen file is not kept over the page load (no browser refills it): said by name.
    assert page.locator(".errornote").first.inner_text() == "Prosimy poprawić poniższe błędy."
    errors = page.locator("#error-summary")
    assert errors.inner_text().splitlines() == [
        "Dokument 1 – rodzaj: To pole jest wymagane.",
        "Dokument 1 – plik: Wybrany plik „podsumowanie.pdf” nie został zapisany, bo formularz ma "
        "błędy. Popraw je i wybierz plik ponownie przed zapisaniem.",
    ]
    top(page)
    day.shot("06-blad-w-formularzu")
    page.locator("#id_documents-0-kind").select_option(label="podsumowanie spotkania")
    attach_pdf(page)  # a browser never keeps a chosen file over a page load
    day.submit(page.get_by_role("button", name="Zapisz i kontynuuj edycję").first)
    assert day.messages() == [
        "Sprawdzono dostępność pliku dokumentu „Podsumowanie spotkania”: nie znaleziono problemów.",
        f"Zapisano zmiany: spotkanie „{meeting}”. Poniżej możesz edytować dalej.",
    ]
    assert list(meeting.documents.values_list("title", "status")) == [
        ("Podsumowanie spotkania", "draft")
    ]

    # 5. Sixty postulates from the meeting's own XLSX template.
    day.submit(page.get_by_role("link", name="Importuj postulaty z arkusza"))
    expect_text(page, "Import postulatów z arkusza")
    day.shot("07-import")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX z listami do wyboru i przykładowym wierszem").click()
    filled = tmp_path / "postulaty.xlsx"
    filled.write_bytes(template_with_postulates(download.value.path().read_bytes(), POSTULATES))
    page.locator("input[type=file]").set_input_files(filled)
    day.submit(page.get_by_role("button", name="Sprawdź plik"))
    expect_text(
        page, f"Wierszy z postulatami: {POSTULATES}, poprawnych: {POSTULATES}, z błędami: 0."
    )
    expect_text(page, f"Po zatwierdzeniu zapiszą się postulaty: {POSTULATES} i stanowiska: 5")
    day.shot("08-podglad-importu", page.locator("#import-summary"))
    day.submit(page.get_by_role("button", name="Zatwierdź i zapisz jako szkice"))
    assert day.message() == (
        f"Zaimportowano postulaty: {POSTULATES}, stanowiska: 5, nowe organizacje: 0. "
        "Postulaty i stanowiska są szkicami – opublikuj je po sprawdzeniu."
    )
    assert meeting.postulates.count() == POSTULATES
    top(page)
    day.shot("09-po-imporcie")

    # 6. The start page now shows the draft and the postulates waiting for an answer,
    # oldest first, each with the way to its answer.
    day.submit(page.get_by_role("link", name="Strona główna"))
    drafts = page.locator("section[aria-labelledby=panel-szkice] li")
    assert drafts.count() == 1
    assert drafts.first.inner_text().startswith(MEETING)
    waiting = page.locator("section[aria-labelledby=panel-postulaty] li")
    assert waiting.count() == 10  # the panel's rows; "Pokaż wszystkie" opens the rest
    assert waiting.first.inner_text().startswith("Postulat nr 6: Postulat 6: udostępnić")
    day.shot("10-strona-startowa-po-imporcie")
    day.submit(waiting.first.get_by_role("link", name="Odpowiedz na stronie spotkania"))

    # 7. Answers to the next three postulates, on the meeting's page (twenty at a time).
    expect_text(page, f"Postulaty 1–20 z {POSTULATES}. Zapisz zmiany i pokaż stronę:")
    outcome = page.locator("#id_postulates-5-outcome")
    for index in (5, 6, 7):
        page.locator(f"#id_postulates-{index}-outcome").select_option(
            label="częściowo uwzględniony"
        )
        page.locator(f"#id_postulates-{index}-justification").fill(
            f"Sala będzie dostępna w dni powszednie (postulat {index + 1})."
        )
        page.locator(f"#id_postulates-{index}-answered_on").fill(today.isoformat())
    day.shot("11-odpowiedz", outcome)
    day.submit(page.get_by_role("button", name="Zapisz i kontynuuj edycję").first)
    assert (
        day.message() == f"Zapisano zmiany: spotkanie „{meeting}”. Poniżej możesz edytować dalej."
    )
    assert Position.objects.filter(postulate__meeting=meeting).count() == 8

    # 8. Publish the meeting with everything in it: first the preview, then the button.
    day.submit(page.get_by_role("link", name="Opublikuj ze wszystkim, co zawiera").first)
    expect_text(page, "Stanie się publiczne")
    day.shot("12-publikacja-podglad")
    day.submit(page.get_by_role("button", name="Opublikuj"))
    # The meeting, its document, 60 postulates and 8 answers.
    assert day.message().startswith(
        f"Opublikowano spotkanie „{meeting}” ze wszystkim, co zawiera: 70 wpisów, widocznych od"
    )
    top(page)
    day.shot("13-opublikowano")

    # 9. What a resident now sees.
    public = browser.new_page(viewport=VIEWPORT, locale="pl-PL")
    assert public.goto(live_server.url + meeting.get_absolute_url()).status == 200
    public.screenshot(path=screenshots / "14-strona-publiczna.png")
    expect_text(public, "Podsumowanie spotkania (podsumowanie spotkania; PDF")
    rows = public.locator("table tbody tr")
    assert rows.count() == POSTULATES
    assert rows.nth(5).inner_text().split("\t") == [
        "6",
        "Postulat 6: udostępnić organizacjom salę w domu kultury nr 6 na próby i spotkania.",
        "Stowarzyszenie Teatrów Niezależnych",
        "częściowo uwzględniony",
    ]
    assert rows.nth(8).inner_text().endswith("brak stanowiska")

    # 10. A revised answer: the public keeps seeing the earlier version, with its dates.
    page.locator("#id_postulates-5-justification").fill(
        "Sala będzie dostępna także w soboty, od 1 marca."
    )
    day.submit(page.get_by_role("button", name="Zapisz i kontynuuj edycję").first)
    assert (
        day.message() == f"Zapisano zmiany: spotkanie „{meeting}”. Poniżej możesz edytować dalej."
    )
    revised = Postulate.objects.get(meeting=meeting, number=6)
    assert public.goto(live_server.url + revised.get_absolute_url()).status == 200
    expect_text(public, "Sala będzie dostępna także w soboty, od 1 marca.")
    expect_text(public, "Obowiązywała od")
    public.screenshot(path=screenshots / "15-zmieniona-odpowiedz.png")
    public.close()

    # 11. The last postulate deleted by mistake.
    deleted = Postulate.objects.get(meeting=meeting, number=POSTULATES)
    # Its page from the meeting's last page of postulates, then "Usuń".
    day.submit(page.get_by_role("button", name="3", exact=True).first)
    assert day.message() == f"Zapisano spotkanie „{meeting}”. Strona postulatów: 3."
    expect_text(page, f"Postulaty 41–60 z {POSTULATES}.")
    last = page.locator(".inline-related", has_text=f"Postulat nr {POSTULATES}:").first
    day.submit(last.get_by_role("link", name="Zmień", exact=True))
    day.submit(page.get_by_role("link", name="Usuń", exact=True))
    expect_text(page, f"Czy na pewno usunąć: postulat „{deleted}”?")
    day.shot("16-usuwanie")
    day.submit(page.get_by_role("button", name="Tak, na pewno"))
    assert day.message() == f"Usunięto: postulat „{deleted}”."
    assert meeting.postulates.count() == POSTULATES - 1

    # 12. The coordinator brings it back, after seeing what the recovery restores.
    coordinator = log_in(
        browser, live_server, screenshots, "koordynator", staff["devices"]["koordynator"]
    )
    coordinator.go("/admin/postulates/postulate/")
    coordinator.submit(coordinator.page.get_by_role("link", name="Odzyskaj usunięte (postulaty)"))
    coordinator.shot("17-odzyskiwanie-lista")
    deleted_rows = coordinator.page.locator("#content table tbody tr")
    assert deleted_rows.count() == 1
    assert "Postulat nr 60: Postulat 60" in deleted_rows.first.inner_text()
    coordinator.submit(deleted_rows.first.get_by_role("link"))
    coordinator.shot("18-odzyskiwanie-podglad")
    expect_text(coordinator.page, "Odtworzone (usunięte po tej wersji): 1.")
    coordinator.submit(coordinator.page.get_by_role("button", name="Przywróć tę wersję").first)
    message = coordinator.message()
    assert message.startswith("Przywrócono wersję z ")
    assert message.endswith(f": {str(deleted).strip()}")
    assert meeting.postulates.published().count() == POSTULATES
    coordinator.shot("19-odzyskano")


def attach_pdf(page):
    page.locator("#id_documents-0-file").set_input_files(
        files=[
            {
                "name": "podsumowanie.pdf",
                "mimeType": "application/pdf",
                # Tagged, titled, in Polish: the accessibility check has nothing to say.
                "buffer": accessible_pdf(["Podsumowanie spotkania"]),
            }
        ]
    )


def top(page):
    page.evaluate("window.scrollTo(0, 0)")


def expect_text(page, text):
    assert text in page.locator("body").inner_text(), text
