"""The admin speaks correct Polish where Django's catalogue declines a model's name with every
ending at once ("kolejne(go)(-ną)(-ny)"), counts without "9 spotkania", and never declines a
name wrongly: Django builds "Zmień %s" from verbose_name in the nominative ("Zmień wersja
tekstowa dokumentu"), so the catalogue names the record after a colon, as in "Dodaj: …"
(krakow_ngo/admin_wording.py)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains, assertNotContains

from accessibility.models import AccessibilityStatement, DocumentText, EasyReadSummary
from organisations.models import Organisation
from sampledata.files import accessible_pdf
from tests.admin_forms import form_data
from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BROKEN = (
    "(go)",
    "(-ną)",
    "(a)(-ło)",
    "(-na)(-ne)",
    "Według pola",
    "Pokaż ilości",
    "Dodaj organizacja",
)


def test_the_meeting_page_and_list_have_no_forms_with_every_ending(world, login):
    client = login("kultura")
    for _ in range(8):
        MeetingFactory(departments=[world["culture"]])
    pages = [
        client.get(reverse("admin:meetings_meeting_change", args=[world["own"]["meeting"].pk])),
        client.get(reverse("admin:meetings_meeting_changelist")),
        client.get(reverse("admin:organisations_organisation_changelist")),
    ]
    for page in pages:
        for broken in BROKEN:
            assertNotContains(page, broken)
    # The inlines' "add another" text, as the page hands it to the admin's script.
    assertContains(pages[0], "addText&quot;: &quot;Dodaj: ")
    assertContains(pages[1], "Spotkania: 9")
    assertContains(pages[1], "Filtr: rodzaj")


def test_a_saved_record_is_announced_without_guessed_endings(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    response = client.post(page.request["PATH_INFO"], form_data(page, "meeting_form"))
    assert response.status_code == 302
    message = strip_tags(str(list(get_messages(response.wsgi_request))[-1]))
    assert message == f"Zapisano zmiany: spotkanie „{meeting.title}”."


@pytest.mark.parametrize(
    "button, expected",
    [
        ("_continue", "Zapisano zmiany: spotkanie „{title}”. Poniżej możesz edytować dalej."),
        (
            "_addanother",
            "Zapisano zmiany: spotkanie „{title}”. Poniżej możesz dodać następny wpis.",
        ),
    ],
)
def test_saving_and_staying_is_announced_without_guessed_endings(world, login, button, expected):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    response = client.post(
        page.request["PATH_INFO"], form_data(page, "meeting_form", **{button: "1"})
    )
    assert response.status_code == 302
    message = strip_tags(str(list(get_messages(response.wsgi_request))[-1]))
    assert message == expected.format(title=meeting.title)


def h1(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktor", password="x" * 16)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("admin:organisations_organisation_add", "Dodaj: organizacja"),
        ("admin:departments_departmentchange_add", "Dodaj: zmiana wydziału"),
        ("admin:postulates_publictaskarea_add", "Dodaj: sfera zadań publicznych"),
        ("admin:accessibility_easyreadsummary_add", "Dodaj: tekst łatwy do czytania"),
        ("admin:auth_group_add", "Dodaj: grupa"),
    ],
)
def test_add_pages_name_the_model_after_a_colon(superuser_client, url_name, title):
    response = superuser_client.get(reverse(url_name))
    assert h1(response) == title
    assert f"<title>{title} |" in response.content.decode()


def test_change_pages_and_the_deletion_question_too(superuser_client):
    document = DocumentFactory(title="Podsumowanie")
    document.file.save("plik.pdf", ContentFile(accessible_pdf()))
    text = DocumentText.objects.get(document=document)
    summary = EasyReadSummary.objects.create(document=document, text="Krótko.")
    organisation = Organisation.objects.create(name="Fundacja Przykładowa")
    pages = {
        reverse("admin:accessibility_documenttext_change", args=[text.pk]): (
            "Zmień: wersja tekstowa dokumentu"
        ),
        reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk]): (
            "Zmień: tekst łatwy do czytania"
        ),
        reverse(
            "admin:accessibility_accessibilitystatement_change",
            args=[AccessibilityStatement.objects.get().pk],
        ): "Zmień: deklaracja dostępności",
        reverse("admin:organisations_organisation_change", args=[organisation.pk]): (
            "Zmień: organizacja"
        ),
    }
    for url, title in pages.items():
        assert h1(superuser_client.get(url)) == title
    delete = superuser_client.get(
        reverse("admin:accessibility_easyreadsummary_delete", args=[summary.pk])
    )
    assert (
        "Czy na pewno usunąć: tekst łatwy do czytania „Podsumowanie”? "
        "Zostaną też usunięte powiązane wpisy:"
    ) in delete.content.decode()


def test_a_page_shown_for_viewing_only_says_so_after_a_colon(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("czytelnik", password="x" * 16, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(user)
    organisation = Organisation.objects.create(name="Fundacja Przykładowa")
    response = client.get(
        reverse("admin:organisations_organisation_change", args=[organisation.pk])
    )
    assert h1(response) == "Zobacz: organizacja"
