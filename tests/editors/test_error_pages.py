"""Refused requests explained in Polish: a page an editor may not open, and a form sent with a
session that has changed since (a new login in another tab)."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/meetings/meeting/recover/",
        "/admin/auth/user/",
        "/admin/organisations/organisation/{organisation}/delete/",
    ],
)
def test_an_editor_on_a_coordinators_page_is_told_so_in_polish(world, login, url):
    organisation = world["own"]["postulate"].organisation
    response = login("kultura").get(url.format(organisation=organisation.pk))
    assert response.status_code == 403
    assertContains(response, "<h1>Brak dostępu</h1>", status_code=403, html=True)
    assertContains(
        response,
        "Twoje konto nie ma uprawnień do tej strony ani tej czynności. "
        "Jeśli ich potrzebujesz, poproś koordynatora.",
        status_code=403,
    )
    assertContains(
        response,
        '<a href="/admin/">Wróć do strony głównej redakcji</a>',
        status_code=403,
        html=True,
    )
    assertNotContains(response, "Forbidden", status_code=403)


def test_saving_after_logging_in_again_in_another_tab_says_what_to_do(world, django_user_model):
    editor = django_user_model.objects.get(username="kultura")
    first_tab = Client(enforce_csrf_checks=True)
    first_tab.force_login(editor)
    url = reverse("admin:meetings_meeting_change", args=[world["own"]["meeting"].pk])
    data = form_data(first_tab.get(url), "meeting_form", title="Zmieniony tytuł")
    first_tab.logout()  # the other tab's new login replaced the session and its token
    first_tab.force_login(editor)

    response = first_tab.post(url, data)

    assert response.status_code == 403
    assertContains(
        response, "<h1>Nie zapisano: sesja się zmieniła</h1>", status_code=403, html=True
    )
    assertContains(
        response,
        "Zwykle dzieje się tak po ponownym zalogowaniu w innej karcie albo gdy sesja wygasła.",
        status_code=403,
    )
    assertContains(
        response,
        "Wróć przyciskiem „Wstecz” przeglądarki: wpisany tekst zwykle jest tam nadal.",
        status_code=403,
    )
    assertContains(
        response,
        '<a href="/admin/">Wróć do strony głównej redakcji</a>',
        status_code=403,
        html=True,
    )
    assertNotContains(response, "DEBUG", status_code=403)
    world["own"]["meeting"].refresh_from_db()
    assert world["own"]["meeting"].title == "Spotkanie kultury"
