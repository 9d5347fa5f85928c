"""Publishing without a date, as an editor leaving the date empty would: the record is
published now, never a database constraint's message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

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


def _publish_document(client, document, **fields):
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", status="published", **fields)
    return client.post(url, data)


def test_an_editor_cannot_backdate_a_publication(world, login, client):
    """BIP: the real moment of publication is the system's to record."""
    editor = login("kultura")
    document = world["own"]["document"]
    Document.objects.filter(pk=document.pk).update(status="draft", published_at=None)
    past = timezone.localtime() - datetime.timedelta(days=3)
    response = _publish_document(editor, document, published_at=past.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 200
    assertContains(response, "Nie można opublikować z datą wsteczną")
    assert response.context["adminform"].form.errors.keys() == {"published_at"}
    assert not Document.objects.published().filter(pk=document.pk).exists()

    # A public record's moment cannot be moved back either.
    Document.objects.filter(pk=document.pk).update(
        status="published", published_at=timezone.now() - datetime.timedelta(days=1)
    )
    earlier = timezone.localtime() - datetime.timedelta(days=10)
    response = _publish_document(editor, document, published_at=earlier.strftime("%Y-%m-%dT%H:%M"))
    assertContains(response, "Nie można opublikować z datą wsteczną")


def test_republishing_a_withdrawn_record_dates_it_now_and_the_feed_lists_it(world, login, client):
    editor = login("kultura")
    document = world["own"]["document"]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Document.objects.filter(pk=document.pk).update(status="draft", published_at=long_ago)
    before = timezone.now()
    response = _publish_document(editor, document)  # the stored date left as it was
    assert response.status_code == 302, response.context["errors"]
    document.refresh_from_db()
    assert before <= document.published_at <= timezone.now()
    client.logout()
    assertContains(client.get("/kanaly/nowe.atom"), document.title)


def test_publishing_selected_records_never_takes_an_old_date(world, login):
    editor = login("kultura")
    document = world["own"]["document"]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Document.objects.filter(pk=document.pk).update(status="draft", published_at=long_ago)
    before = timezone.now()
    editor.post(
        reverse("admin:meetings_document_changelist"),
        {"action": "publish_selected", "_selected_action": [document.pk]},
    )
    document.refresh_from_db()
    assert document.status == "published"
    assert document.published_at >= before
