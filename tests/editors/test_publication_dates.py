"""Publishing without a date, as an editor leaving the date empty would: the record is
published now, never a database constraint's message."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertNotContains

from meetings.models import Document
from organisations.models import Organisation
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def test_an_organisation_published_without_a_date_is_published_now(world, login):
    client = login("koordynator")
    url = reverse("admin:organisations_organisation_add")
    data = form_data(
        client.get(url), "organisation_form", name="Fundacja Bez Daty", status="published"
    )
    data["published_at"] = ""
    response = client.post(url, data)
    assertNotContains(response, "published_dated", status_code=302)
    assert Organisation.objects.published_own().filter(name="Fundacja Bez Daty").exists()


def test_a_document_published_without_a_date_is_published_now(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    Document.objects.filter(pk=document.pk).update(status="draft", published_at=None)
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", status="published")
    data["published_at"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert Document.objects.published().filter(pk=document.pk).exists()
