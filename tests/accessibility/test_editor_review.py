"""What an editor's outside pass found in the documents' admin: a zip bomb, a replaced file,
a document of no meeting, the text version's editor and deleting a text version."""

import datetime
import io
import time
import zipfile

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone
from pytest_django.asserts import assertContains, assertNotContains

from accessibility.models import DocumentCheck, DocumentText, EasyReadSummary
from meetings.models import Document
from sampledata.files import accessible_pdf, pdf
from tests.admin_forms import form_data
from tests.factories import DocumentFactory, MeetingFactory, RoundFactory

pytestmark = pytest.mark.django_db

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def bomb_docx(megabytes=50):
    """A DOCX of some 50 KB whose document.xml inflates to `megabytes` MB of padding."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(megabytes):
                member.write(b" " * 1024 * 1024)
            member.write(b"<w:p><w:r><w:t>Koniec</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


# 1. A zip bomb ------------------------------------------------------------------------------


def test_a_zip_bomb_is_stored_as_unreadable_with_the_rest_of_the_form(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", title="Podsumowanie (bomba)")
    content = bomb_docx()
    assert len(content) < 60 * 1024
    data["file"] = SimpleUploadedFile("podsumowanie.docx", content)

    started = time.monotonic()
    response = client.post(url, data, follow=True)
    assert time.monotonic() - started < 10  # three passes over 50 MB took 60+ s

    assert response.status_code == 200
    [message] = [m for m in messages_of(response) if m.startswith("Pliku dokumentu")]
    # Told as what it is, not as a damaged file.
    assert message == (
        "Pliku dokumentu „Podsumowanie (bomba)” archiwum nie odczytało: po rozpakowaniu byłby "
        "setki razy większy niż przesłany, jak tzw. bomba ZIP, a nie jak dokument zapisany w "
        "edytorze. Możesz go opublikować, ale strona dokumentu i deklaracja dostępności "
        "powiedzą mieszkańcom, że plik jest nieczytelny, dopóki nie prześlesz poprawnego. Co "
        'zrobić: <ul class="accessibility-findings"><li>Blokuje odczyt: Plik po rozpakowaniu '
        "byłby setki razy większy niż przesłany (tak zbudowane są tzw. bomby ZIP; dokumenty "
        "zapisane w edytorze nigdy tak się nie kompresują), więc archiwum go nie odczytało: nie "
        "ma jego wersji tekstowej ani tekstu w wyszukiwarce. Otwórz go w programie, w którym "
        "powstał, zapisz ponownie i prześlij jeszcze raz (albo poproś autora o nową kopię)."
        "</li></ul>"
    )
    assert "uszkodzony" not in message
    document.refresh_from_db()
    assert document.title == "Podsumowanie (bomba)"
    assert document.file.name.endswith(".docx") and document.file_format == "DOCX"
    assert document.text == ""
    check = DocumentCheck.objects.get(document=document)
    assert check.unreadable and check.blocking
    assert [f.code for f in check.finding_list()] == ["compressed-too-highly"]
    assert document.html_version.blocks == []
    # The public page says the file could not be read, and why.
    assertContains(
        Client().get(document.get_absolute_url()),
        "Dlaczego: plik nieczytelny: po rozpakowaniu byłby setki razy większy.",
    )


# 3. A document of no meeting or round -------------------------------------------------------

MEETING_OR_ROUND = (
    "Wybierz spotkanie albo cykl spotkań, do którego należy dokument (jedno z nich, nie oba)."
)


@pytest.mark.parametrize("editor", ["koordynator", "kultura"])
def test_a_document_of_no_meeting_is_refused_plainly_keeping_what_was_typed(world, login, editor):
    client = login(editor)
    url = reverse("admin:meetings_document_add")
    data = form_data(client.get(url), "document_form")
    data.update(
        title="Stanowisko bez spotkania",
        kind=Document.Kind.CITY_POSITION,
        editor_note="Uwaga do zachowania",
        meeting="",
        round="",
        file=SimpleUploadedFile("stanowisko.pdf", accessible_pdf()),
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, f'<ul class="errorlist nonfield"><li>{MEETING_OR_ROUND}</li></ul>')
    assertNotContains(response, "document_belongs_to_meeting_or_round")
    assertContains(
        response,
        "Wybrany plik „stanowisko.pdf” nie został zapisany, bo formularz ma błędy. Popraw je i "
        "wybierz plik ponownie przed zapisaniem.",
    )
    assertContains(response, 'value="Stanowisko bez spotkania"')
    assertContains(response, "Uwaga do zachowania</textarea>")
    assert not Document.objects.filter(title="Stanowisko bez spotkania").exists()


def test_a_document_of_both_a_meeting_and_a_round_is_refused_plainly(world, login):
    client = login("koordynator")
    url = reverse("admin:meetings_document_change", args=[world["own"]["document"].pk])
    data = form_data(client.get(url), "document_form")
    data["round"] = RoundFactory(coordinator=world["culture"]).pk

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, MEETING_OR_ROUND)
    assertNotContains(response, "nie został zapisany")  # no file was sent


# 2. Replacing a document's file --------------------------------------------------------------


def test_a_new_file_keeps_the_correction_for_review_and_warns_of_the_easy_read(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("stary.pdf", ContentFile(pdf(["Stary tekst pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    version_url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    data = form_data(client.get(version_url), "documenttext_form")
    data["corrected_html"] = "<h2>Poprawiony nagłówek</h2><p>Poprawiony stary tekst.</p>"
    client.post(version_url, data)
    summary = EasyReadSummary.objects.create(document=document, text="Krótko o starym pliku.")

    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form")
    data["file"] = SimpleUploadedFile("nowy.pdf", pdf(["Nowy tekst pliku."], tagged=True))
    response = client.post(url, data, follow=True)

    summary_url = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
    title = document.title
    assert (
        f"Plik dokumentu „{title}” został zmieniony. Poprawiona wersja tekstowa została "
        "zachowana, ale dotyczy poprzedniego pliku, więc do czasu jej sprawdzenia strona "
        f'pokazuje tekst odczytany z nowego pliku. <a href="{version_url}">Sprawdź poprawioną '
        "wersję tekstową</a> i zapisz ją."
    ) in messages_of(response)
    assert (
        f"Tekst łatwy do czytania dokumentu „{title}” opisuje poprzedni plik i może być "
        f'nieaktualny: <a href="{summary_url}">sprawdź go</a>.'
    ) in messages_of(response)
    version.refresh_from_db()
    assert version.corrected_html == "<h2>Poprawiony nagłówek</h2><p>Poprawiony stary tekst.</p>"
    assert version.needs_review
    page = Client().get(document.get_text_url())
    assertContains(page, "Nowy tekst pliku.")
    assertNotContains(page, "Poprawiony stary tekst.")

    form = client.get(version_url)
    assertContains(form, "ta poprawiona wersja dotyczy poprzedniego pliku")
    assertContains(form, "Poprawiony stary tekst.")
    data = form_data(form, "documenttext_form")
    data["corrected_html"] = "<h2>Poprawiony nagłówek</h2><p>Poprawiony nowy tekst.</p>"
    client.post(version_url, data)

    version.refresh_from_db()
    assert not version.needs_review
    assertContains(Client().get(document.get_text_url()), "Poprawiony nowy tekst.")


def test_a_new_file_without_a_correction_or_summary_says_nothing_of_them(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form")
    data["file"] = SimpleUploadedFile("nowy.pdf", pdf(["Nowy tekst pliku."], tagged=True))

    response = client.post(url, data, follow=True)

    assert not [m for m in messages_of(response) if "łatwy" in m or "wersja tekstowa" in m]
    assert not DocumentText.objects.get(document=document).needs_review


# 5. Deleting a text version ------------------------------------------------------------------


def corrected_version(document):
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    version.corrected_html = "<p>Tekst poprawiony.</p>"
    version.save()
    return version


def test_a_text_version_is_not_deleted_on_its_own_but_restored_to_the_files_text(world, login):
    client = login("kultura")
    version = corrected_version(world["own"]["document"])
    change_url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    list_url = reverse("admin:accessibility_documenttext_changelist")

    assertNotContains(client.get(change_url), 'class="deletelink"')
    delete_url = reverse("admin:accessibility_documenttext_delete", args=[version.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    listing = client.get(list_url)
    assertNotContains(listing, 'value="delete_selected"')
    assertContains(
        listing,
        '<option value="restore_extracted">Przywróć tekst odczytany z pliku (usuń poprawki)'
        "</option>",
        html=True,
    )
    forged = client.post(
        list_url, {"action": "delete_selected", "_selected_action": [version.pk], "post": "yes"}
    )
    assert forged.status_code in (200, 302)
    assert DocumentText.objects.filter(pk=version.pk).exists()

    response = client.post(
        list_url,
        {"action": "restore_extracted", "_selected_action": [version.pk]},
        follow=True,
    )

    assert "Przywrócono tekst odczytany z pliku: 1." in messages_of(response)
    version.refresh_from_db()
    assert version.corrected_html == ""
    page = Client().get(version.document.get_text_url())
    assertContains(page, "Tekst z pliku.")
    assertNotContains(page, "w przygotowaniu")


def test_deleting_a_document_still_takes_its_text_version_along(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    corrected_version(document)
    url = reverse("admin:meetings_document_delete", args=[document.pk])

    confirm = client.get(url)
    assertNotContains(confirm, "nie ma uprawnień")
    client.post(url, {"post": "yes"})

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not DocumentText.objects.filter(document=document.pk).exists()


# 5. The meeting's record card follows its documents -------------------------------------------


def test_adding_a_document_to_a_meeting_moves_its_cards_last_change(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    add = reverse("admin:meetings_document_add")
    data = form_data(client.get(add), "document_form")
    data.update(
        meeting=meeting.pk,
        kind=Document.Kind.MATERIALS,
        title="Prezentacja z dyskusji",
        status="published",
        published_at="",
    )
    with time_machine.travel(later, tick=False):
        response = client.post(add, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    with time_machine.travel(later + datetime.timedelta(minutes=5), tick=False):
        page = Client().get(meeting.get_absolute_url())

    when = dateformat.format(later, "j E Y, H:i")
    stamp = later.strftime("%Y-%m-%dT%H:%M:%S%z")
    assertContains(
        page, f'<dt>Ostatnia zmiana</dt><dd><time datetime="{stamp}">{when}</time></dd>', html=True
    )
    assertContains(page, f"{when}</time> – Prezentacja z dyskusji: opublikowano dokument")


# 4. The text version's editor says what its cleaning changed ----------------------------------


def test_the_cleaning_keeps_what_editors_mean_and_says_what_it_changed(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    data = form_data(client.get(url), "documenttext_form")
    data["corrected_html"] = (
        "<h1>Podsumowanie</h1><h2>Postulaty</h2>"
        '<p style="color: red"><b>Ważne</b> i <i>pilne</i> <span>zdanie</span>.</p>'
        '<noscript><p title="">Włącz skrypty</p></noscript><script>alert(1)</script>'
        "<table><tr><th>Lp.</th><th>Postulat</th></tr><tr><th>1</th><td>Lokale</td></tr></table>"
    )

    response = client.post(url, data, follow=True)

    version.refresh_from_db()
    assert version.corrected_html == (
        "<h2>Podsumowanie</h2><h3>Postulaty</h3>"
        "<p><strong>Ważne</strong> i <em>pilne</em> zdanie.</p>"
        '<table><tbody><tr><th scope="col">Lp.</th><th scope="col">Postulat</th></tr>'
        '<tr><th scope="row">1</th><td>Lokale</td></tr></tbody></table>'
    )
    assert (
        f"Poprawiona wersja tekstowa dokumentu „{document.title}” została zapisana po "
        "oczyszczeniu do dozwolonych znaczników. Zmieniono: "
        "usunięto znacznik &lt;noscript&gt; wraz z zawartością; "
        "usunięto znacznik &lt;script&gt; wraz z zawartością; "
        "usunięto znacznik &lt;span&gt; (tekst zostaje); usunięto atrybut style; "
        "zmieniono &lt;b&gt; na &lt;strong&gt;; zmieniono &lt;h1&gt; na &lt;h2&gt;; "
        "zmieniono &lt;h2&gt; na &lt;h3&gt;; zmieniono &lt;i&gt; na &lt;em&gt;; "
        "dodano komórkom &lt;th&gt; atrybut scope (3 razy). Sprawdź wynik na stronie publicznej."
    ) in messages_of(response)
    page = Client().get(document.get_text_url())
    assertContains(page, "<h2>Podsumowanie</h2>", html=True)
    assertNotContains(page, "&lt;p")
    assertNotContains(page, "Włącz skrypty")


def test_clean_html_is_saved_without_a_message(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    data = form_data(client.get(url), "documenttext_form")
    data["corrected_html"] = '<h2>Tytuł</h2><p><a href="https://www.krakow.pl/">Link</a></p>'

    response = client.post(url, data, follow=True)

    assert not [m for m in messages_of(response) if "oczyszczeniu" in m]
    version.refresh_from_db()
    assert version.corrected_html == (
        '<h2>Tytuł</h2><p><a href="https://www.krakow.pl/" rel="nofollow noopener">Link</a></p>'
    )


def test_the_meetings_card_reads_its_documents_histories_in_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    meeting = MeetingFactory(dates=[datetime.date(2025, 6, 11)])
    DocumentFactory(meeting=meeting, title="Pierwszy")
    client = Client()
    with CaptureQueriesContext(connection) as one:
        client.get(meeting.get_absolute_url())
    for number in range(5):
        DocumentFactory(meeting=meeting, title=f"Kolejny {number}")

    with django_assert_max_num_queries(len(one)):
        response = client.get(meeting.get_absolute_url())

    assertContains(response, "Kolejny 4")
