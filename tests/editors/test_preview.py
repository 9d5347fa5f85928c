"""Drafts: staff preview them on their public URL; the public never sees them."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from krakow_ngo.publishing import Status
from meetings.models import Document, Meeting

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
