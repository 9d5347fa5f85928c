"""Drafts: staff preview them on their public URL; the public never sees them."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Document, Meeting
from tests.editors.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    meeting = world["own"]["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.DRAFT)
    Document.objects.filter(meeting=meeting).update(status=Status.DRAFT)
    return world["own"]


def test_the_public_gets_404_for_a_draft_and_its_parts(client, draft):
    for record in ("meeting", "document", "postulate"):
        assert client.get(draft[record].get_absolute_url()).status_code == 404, record
    assertNotContains(client.get("/2025/"), "Spotkanie kultury")
    assertNotContains(client.get("/"), "Podsumowanie: Spotkanie kultury")


def test_its_editor_previews_the_draft_with_a_banner_and_marked_parts(login, draft):
    client = login("kultura")
    response = client.get(draft["meeting"].get_absolute_url())
    assertContains(response, "Podgląd redakcji – szkic.")
    assertContains(response, '<span class="draft-label">szkic</span>', html=True)
    assertContains(response, "Podsumowanie: Spotkanie kultury")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    document_page = client.get(draft["document"].get_absolute_url())
    assertContains(document_page, "Podgląd redakcji – szkic.")


def test_another_departments_editor_cannot_preview_it(login, draft):
    client = login("sport")
    assert client.get(draft["meeting"].get_absolute_url()).status_code == 404


def test_a_published_page_has_no_banner_even_for_staff(login, world):
    client = login("kultura")
    response = client.get(world["own"]["meeting"].get_absolute_url())
    assertNotContains(response, "Podgląd redakcji")
    assert "no-store" not in response.get("Cache-Control", "")


# --- The preview asks what the admin asks: the password and the second factor ----------------


def password_only(client, username):
    """Logs in through the admin's form with the password; the second factor is not given."""
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "otp_token": ""}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return client


def test_a_session_without_the_second_factor_sees_only_the_public_site(client, draft, settings):
    settings.ADMIN_REQUIRE_OTP = True
    public = {
        record: Client().get(draft[record].get_absolute_url())
        for record in ("meeting", "document", "postulate")
    }
    password_only(client, "kultura")
    # The admin does not open for this session, and neither does the preview.
    assert client.get(reverse("admin:index")).status_code == 302
    for record, anonymous in public.items():
        response = client.get(draft[record].get_absolute_url())
        assert (response.status_code, anonymous.status_code) == (404, 404), record
        assertNotContains(response, "Podgląd redakcji", status_code=404)
        assertNotContains(response, "Podsumowanie: Spotkanie kultury", status_code=404)


def test_an_editor_without_a_confirmed_code_cannot_preview_even_with_a_device(
    client, draft, settings, django_user_model
):
    settings.ADMIN_REQUIRE_OTP = True
    editor = django_user_model.objects.get(username="kultura")
    TOTPDevice.objects.create(user=editor, name="telefon", confirmed=True)
    client.force_login(editor)  # a password-only session, e.g. from before codes were required
    assert client.get(draft["meeting"].get_absolute_url()).status_code == 404


def test_once_the_code_is_confirmed_the_same_editor_previews_the_draft(client, draft, settings):
    settings.ADMIN_REQUIRE_OTP = True
    password_only(client, "kultura")
    assert client.get(reverse("admin:otp_setup")).status_code == 200  # shows a new key
    device = TOTPDevice.objects.get(user__username="kultura", confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert client.post(reverse("admin:otp_setup"), {"otp_token": f"{code:06d}"}).status_code == 302
    response = client.get(draft["meeting"].get_absolute_url())
    assertContains(response, "Podgląd redakcji – szkic.")
    assertContains(response, "Podsumowanie: Spotkanie kultury")
