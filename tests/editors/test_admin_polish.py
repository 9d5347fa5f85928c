"""The admin speaks correct Polish where Django's catalogue declines a model's name with every
ending at once ("kolejne(go)(-ną)(-ny)"), and counts without "9 spotkania"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains, assertNotContains

from tests.admin_forms import form_data
from tests.factories import MeetingFactory

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
