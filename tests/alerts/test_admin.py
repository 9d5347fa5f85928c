"""Addresses in the admin: a coordinator finds one by its exact value and erases it; a
department's editor sees no address and no subscriber, only the messages' states."""

import pytest
from django.core.management import call_command

from alerts.models import Delivery, Subscriber, Subscription
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

ADDRESS = "prezes@stowarzyszenie.example.org"


@pytest.fixture
def staff(client, django_user_model, monkeypatch):
    culture = DepartmentFactory(slug="wydzial-kultury")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "Archiwum-Krakow-2026!")
    call_command("add_editor", "kultura", "--department", culture.slug, "--noinput", verbosity=0)
    call_command("add_editor", "koordynator", "--coordinator", "--noinput", verbosity=0)
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind=Subscription.Kind.ARCHIVE)
    Delivery.objects.create(
        subscriber=subscriber,
        kind=Delivery.Kind.DIGEST,
        key="digest:test",
        state=Delivery.State.DEAD,
        last_error="SMTPRecipientsRefused (550)",
    )

    def login(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return login


def test_an_editor_sees_failed_messages_but_no_address(staff):
    editor = staff("kultura")
    assert editor.get("/admin/alerts/subscriber/").status_code == 403
    assert editor.get(f"/admin/alerts/subscriber/?q={ADDRESS}").status_code == 403
    page = editor.get("/admin/alerts/delivery/?state=nieudane")
    assert page.status_code == 200
    content = page.content.decode()
    assert "SMTPRecipientsRefused (550)" in content
    assert ADDRESS not in content
    index = editor.get("/admin/").content.decode()
    assert "Adresy subskrybentów" not in index
    assert "Wysyłki powiadomień" in index


def test_a_coordinator_finds_an_address_exactly_and_erases_it(staff):
    coordinator = staff("koordynator")
    assert ADDRESS not in coordinator.get("/admin/alerts/subscriber/?q=prezes").content.decode()
    found = coordinator.get(f"/admin/alerts/subscriber/?q={ADDRESS}")
    assert ADDRESS in found.content.decode()
    subscriber = Subscriber.objects.get()
    response = coordinator.post(
        f"/admin/alerts/subscriber/{subscriber.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    # The failed message is gone with the address; nothing left names it.
    assert not Delivery.objects.exists()
