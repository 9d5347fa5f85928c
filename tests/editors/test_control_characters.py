"""Text editors save in the admin never holds a control character: one in a title would
break every feed listing it. Tested as an editor submits the forms."""

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.control_characters import reject_forbidden_characters
from meetings.models import Meeting
from postulates.models import Position, Postulate
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "accessibility",
    "departments",
    "editors",
    "meetings",
    "organisations",
    "postulates",
    "programmes",
}


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def message(code, before):
    return (
        f"Tekst zawiera niedozwolony znak sterujący ({code}) po „{before}”. "
        "Usuń go i zapisz ponownie."
    )


def test_a_meeting_title_with_a_control_character_is_refused(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    url = change_url(meeting)
    data = form_data(client.get(url), "meeting_form", title="Spotkanie\x07kultury")

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"title": [message("U+0007", "Spotkanie")]}
    assertContains(response, message("U+0007", "Spotkanie"))
    meeting.refresh_from_db()
    assert meeting.title == "Spotkanie kultury"


def test_the_same_title_without_it_saves(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    url = change_url(meeting)
    data = form_data(client.get(url), "meeting_form", title="Spotkanie kultury\tpoprawione")
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Spotkanie kultury\tpoprawione"


def test_postulates_and_answers_edited_on_the_meeting_page_are_checked_too(world, login):
    meeting = world["own"]["meeting"]
    postulate = world["own"]["postulate"]
    client = login("kultura")
    url = change_url(meeting)
    data = form_data(
        client.get(url),
        "meeting_form",
        **{
            "postulates-0-content": "Więcej\x1blokali",
            # Declared by the inline's own form, not built from the model.
            "postulates-0-justification": "Odpowiedź\x85Miasta",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 200
    postulates = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Postulate
    )
    assert postulates.errors[0] == {
        "content": [message("U+001B", "Więcej")],
        "justification": [message("U+0085", "Odpowiedź")],
    }
    postulate.refresh_from_db()
    assert postulate.content == "Postulat: Spotkanie kultury"
    assert postulate.positions.get().justification == "Odpowiedź: Spotkanie kultury"


def test_an_answer_edited_on_its_postulates_page_is_checked(world, login):
    postulate = world["own"]["postulate"]
    client = login("kultura")
    url = change_url(postulate)
    data = form_data(
        client.get(url), "postulate_form", **{"positions-0-commitment": "Zrobimy\ufffe"}
    )

    response = client.post(url, data)

    assertContains(
        response,
        "Tekst zawiera niedozwolony znak specjalny (U+FFFE) po „Zrobimy”. "
        "Usuń go i zapisz ponownie.",
    )
    assert Position.objects.get(postulate=postulate).commitment == ""


def project_admins():
    return [
        pytest.param(model_admin, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
    ]


def admin_forms(model_admin, request):
    yield model_admin.get_form(request)
    for inline in model_admin.get_inline_instances(request):
        yield inline.get_formset(request).form


@pytest.fixture
def coordinator_request(django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user(
        "koordynator", is_staff=True, is_superuser=True
    )
    return request


@pytest.mark.parametrize("model_admin", project_admins())
def test_every_text_field_of_every_admin_form_refuses_them(coordinator_request, model_admin):
    """Each admin form of the project and of its inlines, however a field is made: from the
    model, or declared by the form itself."""
    text_fields = [
        (form.__name__, name, field)
        for form in admin_forms(model_admin, coordinator_request)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
    ]
    unguarded = [
        (form_name, name)
        for form_name, name, field in text_fields
        if reject_forbidden_characters not in field.validators
    ]
    assert unguarded == []


def test_the_check_covers_the_forms_that_have_text(coordinator_request):
    names = {
        name
        for form in admin_forms(admin.site._registry[Meeting], coordinator_request)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
    }
    assert {"title", "topic", "content", "justification", "commitment"} <= names
