"""The security review's editor attacks, replayed as the attacker's requests: reverting a
revision that holds another department's records, and writing into another department's
round."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from core.publishing import Status
from meetings.models import Document, Meeting, Round
from postulates.models import Postulate
from tests.admin_forms import form_data
from tests.factories import DocumentFactory, PostulateFactory, RoundFactory

pytestmark = pytest.mark.django_db


def run_action(client, action, meetings):
    return client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": action, "_selected_action": [meeting.pk for meeting in meetings]},
    )


@pytest.fixture
def shared_revision(world, login):
    """A coordinator unpublishes, then republishes, both departments' meetings in one action
    each; then sport's editor adds a postulate to sport's meeting. Returns the culture
    meeting's version in the unpublishing revision (the one that also holds sport's)."""
    own, other = world["own"]["meeting"], world["other"]["meeting"]
    coordinator = login("koordynator")
    run_action(coordinator, "unpublish_selected", [own, other])
    run_action(coordinator, "publish_selected", [own, other])
    assert Meeting.objects.get(pk=other.pk).status == Status.PUBLISHED
    version = (
        Version.objects.get_for_object(own)
        .filter(serialized_data__contains='"status": "draft"')
        .first()
    )
    assert version is not None
    assert version.revision.version_set.filter(object_id=str(other.pk)).exists()
    world["added_by_sport"] = PostulateFactory(meeting=other, content="Dodany przez sport")
    return version


def test_reverting_a_revision_with_another_departments_records_is_refused(
    world, login, shared_revision, client
):
    own, other = world["own"]["meeting"], world["other"]["meeting"]
    url = reverse("admin:meetings_meeting_revision", args=[own.pk, shared_revision.pk])
    # The revert form as a browser would send it (the coordinator may open it; the editor's
    # own request for it is refused before anything is reverted, even temporarily).
    coordinator_view = login("koordynator").get(url)
    assert coordinator_view.status_code == 200
    data = form_data(coordinator_view, "meeting_form")

    client = login("kultura")
    shown = client.get(url, follow=True)
    assertContains(shown, "Tej wersji nie można przywrócić")
    assertContains(shown, "spotkanie: 1")
    response = client.post(url, data, follow=True)
    assertContains(response, "Nic nie zostało zmienione")

    assert Meeting.objects.get(pk=other.pk).status == Status.PUBLISHED
    assert Meeting.objects.get(pk=own.pk).status == Status.PUBLISHED
    assert Postulate.objects.filter(pk=world["added_by_sport"].pk).exists()


def test_a_coordinator_may_revert_the_shared_revision(world, login, shared_revision):
    own, other = world["own"]["meeting"], world["other"]["meeting"]
    client = login("koordynator")
    url = reverse("admin:meetings_meeting_revision", args=[own.pk, shared_revision.pk])
    response = client.post(url, form_data(client.get(url), "meeting_form"))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=other.pk).status == Status.DRAFT


def test_an_editor_still_reverts_a_revision_of_their_own_records(world, login):
    own = world["own"]["meeting"]
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[own.pk])
    client.post(url, form_data(client.get(url), "meeting_form", topic="Pierwszy temat"))
    client.post(url, form_data(client.get(url), "meeting_form", topic="Drugi temat"))
    first = Version.objects.get_for_object(own).filter(serialized_data__contains="Pierwszy").get()
    revision_url = reverse("admin:meetings_meeting_revision", args=[own.pk, first.pk])
    response = client.post(revision_url, form_data(client.get(revision_url), "meeting_form"))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=own.pk).topic == "Pierwszy temat"


@pytest.fixture
def rounds(world):
    return {
        "own": RoundFactory(title="Cykl kultury", coordinator=world["culture"]),
        "other": RoundFactory(title="Cykl sportu", coordinator=world["sport"]),
    }


def test_rounds_of_another_department_are_not_offered_or_accepted(world, login, rounds):
    client = login("kultura")
    add_document = reverse("admin:meetings_document_add")
    form = client.get(add_document)
    assertNotContains(form, "Cykl sportu")
    # Autocomplete, as the round widget of the document form asks it.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meetings", "model_name": "document", "field_name": "round", "term": "Cykl"},
    ).json()["results"]
    assert [item["text"] for item in found] == ["Cykl kultury"]

    forged = {
        "round": rounds["other"].pk,
        "kind": Document.Kind.CITY_POSITION,
        "title": "Stanowisko Miasta podrzucone",
        "slug": "",
        "order": 0,
        "status": Status.PUBLISHED,
        "published_at": "2025-06-01T10:00",
        "editor_note": "",
    }
    response = client.post(add_document, forged)
    assert response.status_code == 200
    assert not Document.objects.filter(title="Stanowisko Miasta podrzucone").exists()

    add_postulate = reverse("admin:postulates_postulate_add")
    assertNotContains(client.get(add_postulate), "Cykl sportu")
    response = client.post(
        add_postulate,
        {"round": rounds["other"].pk, "number": 1, "content": "Podrzucony", "status": "draft"},
    )
    assert response.status_code == 200
    assert not Postulate.objects.filter(content="Podrzucony").exists()


def test_another_departments_round_cannot_be_opened_in_the_admin(world, login, rounds):
    DocumentFactory(
        meeting=None, round=rounds["other"], title="Szkic stanowiska sportu", status="draft"
    )
    client = login("kultura")
    listing = client.get(reverse("admin:meetings_round_changelist"))
    assert set(listing.context["cl"].result_list) == {rounds["own"]}
    other_round = client.get(reverse("admin:meetings_round_change", args=[rounds["other"].pk]))
    assert other_round.status_code == 302
    assertNotContains(client.get(other_round.url), "Szkic stanowiska sportu")


def test_a_meeting_keeps_the_round_a_coordinator_gave_it(world, login, rounds):
    own = world["own"]["meeting"]
    Meeting.objects.filter(pk=own.pk).update(round=rounds["other"])
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[own.pk])
    response = client.post(url, form_data(client.get(url), "meeting_form", topic="Zmieniony"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.round, own.topic) == (rounds["other"], "Zmieniony")


def test_round_documents_stay_visible_to_the_round_owner(world, login, rounds):
    document = DocumentFactory(meeting=None, round=rounds["own"], title="Stanowisko kultury")
    client = login("kultura")
    listing = client.get(reverse("admin:meetings_document_changelist"))
    assert document in listing.context["cl"].result_list
    assert Round.objects.get(pk=rounds["own"].pk).documents.get() == document
