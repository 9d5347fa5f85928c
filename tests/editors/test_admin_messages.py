"""What the admin says after an editor saves, adds or deletes, and on its lists: plain Polish
without Django's guessed endings ("został(a)(-ło)", "Wybierz organizacja do zmiany")."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains

from tests.admin_forms import form_data
from tests.factories import PostulateFactory

pytestmark = pytest.mark.django_db


def last_message(response):
    return strip_tags(str(list(get_messages(response.wsgi_request))[-1]))


def test_saving_and_continuing_says_the_changes_were_saved(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form", _continue="1")
    response = client.post(url, data)
    assert response.status_code == 302
    assert last_message(response) == (
        f"Zapisano zmiany: spotkanie „{meeting.title}”. Poniżej możesz edytować dalej."
    )


def test_saving_and_adding_another_says_a_next_one_may_be_added(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form", _addanother="1")
    response = client.post(url, data)
    assert response.status_code == 302
    assert last_message(response) == (
        f"Zapisano zmiany: spotkanie „{meeting.title}”. Poniżej możesz dodać następny wpis."
    )


def test_adding_and_continuing_says_it_was_added(world, login):
    client = login("kultura")
    url = reverse("admin:meetings_meeting_add")
    data = form_data(client.get(url), "meeting_form", title="Nowe spotkanie", year="2025")
    data["department_links-0-department"] = str(world["culture"].pk)
    response = client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302
    assert last_message(response) == (
        "Dodano: spotkanie „Nowe spotkanie”. Poniżej możesz edytować dalej."
    )


def test_deleting_says_what_was_deleted(world, login):
    client = login("kultura")
    postulate = PostulateFactory(meeting=world["own"]["meeting"], content="Do usunięcia")
    url = reverse("admin:postulates_postulate_delete", args=[postulate.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert last_message(response) == f"Usunięto: postulat „{postulate}”."


def test_another_departments_record_is_missing_or_out_of_reach(world, login):
    client = login("kultura")
    other = world["other"]["postulate"]
    response = client.get(reverse("admin:postulates_postulate_change", args=[other.pk]))
    assert response.status_code == 302
    assert last_message(response) == (
        f"Nie ma wpisu o numerze „{other.pk}” (postulat) albo nie masz do niego dostępu."
    )


def test_lists_are_titled_in_the_plural(world, login):
    client = login("kultura")
    response = client.get(reverse("admin:organisations_organisation_changelist"))
    assertContains(response, "<h1>Organizacje – wybierz, aby zmienić</h1>", html=True)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assertContains(response, "<h1>Spotkania – wybierz, aby zmienić</h1>", html=True)


def test_an_address_ending_with_spaces_says_what_it_may_hold(world, login):
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[world["own"]["meeting"].pk])
    response = client.post(url, form_data(client.get(url), "meeting_form", slug="zły adres"))
    assert response.status_code == 200
    assertContains(
        response,
        "Adres może zawierać tylko litery bez polskich znaków, cyfry, podkreślenia i "
        "łączniki (-), bez spacji.",
    )


def test_too_many_rows_sent_at_once_are_counted_plainly(world, login):
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[world["own"]["meeting"].pk])
    data = form_data(client.get(url), "meeting_form")
    data["participant_links-TOTAL_FORMS"] = "2001"  # past what a formset reads at all
    response = client.post(url, data)
    assert response.status_code == 200
    assertContains(response, "Formularzy może być najwyżej 1000.")
