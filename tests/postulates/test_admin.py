"""Editors link their postulates to anyone's public ones, record commitments, and never
lose a published answer's earlier version, whatever path the change takes."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from core.publishing import Status
from postulates.models import PositionRevision, Postulate, PostulateLink
from tests.admin_forms import form_data
from tests.factories import PostulateFactory, PostulateLinkFactory

pytestmark = pytest.mark.django_db


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def with_link(page, target, kind=PostulateLink.Kind.RESUBMISSION, **overrides):
    data = form_data(page, "postulate_form")
    data.update(
        {
            "outgoing_links-TOTAL_FORMS": "1",
            "outgoing_links-0-kind": kind,
            "outgoing_links-0-to_postulate": str(target.pk),
            "outgoing_links-0-note": "",
            **overrides,
        }
    )
    return data


def test_an_editor_links_their_postulate_to_another_departments_public_one(world, login, client):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    client = login("kultura")
    page = client.get(change_url(own))
    assertContains(page, "Powiązania z innymi postulatami")
    response = client.post(change_url(own), with_link(page, other))
    assert response.status_code == 302
    link = PostulateLink.objects.get()
    assert (link.from_postulate, link.to_postulate, link.kind) == (own, other, "ponownie")
    # Both public pages now tell the same story.
    public = client.get(other.get_absolute_url())
    assertContains(public, "Historia postulatu")
    assertContains(public, own.get_absolute_url())


def test_a_forged_link_to_another_departments_draft_is_refused(world, login):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    Postulate.objects.filter(pk=other.pk).update(status=Status.DRAFT)
    client = login("kultura")
    response = client.post(change_url(own), with_link(client.get(change_url(own)), other))
    assert response.status_code == 200
    (links,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "outgoing_links"
    ]
    assert "to_postulate" in links.errors[0]
    assert not PostulateLink.objects.exists()


def test_a_forged_form_cannot_change_another_departments_link(world, login):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    theirs = PostulateLinkFactory(from_postulate=other, to_postulate=PostulateFactory())
    client = login("kultura")
    data = with_link(
        client.get(change_url(own)),
        own,
        **{
            "outgoing_links-INITIAL_FORMS": "1",
            "outgoing_links-0-id": str(theirs.pk),
            "outgoing_links-0-from_postulate": str(own.pk),
            "outgoing_links-0-kind": PostulateLink.Kind.DUPLICATE,
        },
    )
    client.post(change_url(own), data)
    theirs.refresh_from_db()
    assert (theirs.from_postulate, theirs.kind) == (other, "ponownie")
    # Nor can they open the other department's postulate to edit its links there.
    assert client.get(change_url(other)).status_code == 302


def test_linking_a_postulate_to_itself_is_a_form_error_not_a_crash(world, login):
    own = world["own"]["postulate"]
    client = login("kultura")
    response = client.post(change_url(own), with_link(client.get(change_url(own)), own))
    assertContains(response, "Postulatu nie można powiązać z nim samym.")
    assert not PostulateLink.objects.exists()


def test_a_second_link_between_the_same_two_postulates_is_a_form_error(world, login):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    PostulateLinkFactory(from_postulate=other, to_postulate=own)
    client = login("kultura")
    response = client.post(change_url(own), with_link(client.get(change_url(own)), other))
    assertContains(response, "Te dwa postulaty są już ze sobą powiązane.")
    assert PostulateLink.objects.count() == 1


def test_the_target_autocomplete_offers_public_postulates_and_own_drafts_only(world, login):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    own_draft = PostulateFactory(meeting=own.meeting, status=Status.DRAFT, published_at=None)
    other_draft = PostulateFactory(meeting=other.meeting, status=Status.DRAFT, published_at=None)
    client = login("kultura")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "postulates",
            "model_name": "postulatelink",
            "field_name": "to_postulate",
            "term": "",
        },
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {own.pk, other.pk, own_draft.pk}
    assert other_draft.pk not in ids
    # The postulate's own autocomplete (e.g. for a position) stays scoped as before.
    scoped = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "postulates", "model_name": "position", "field_name": "postulate"},
    )
    assert {int(r["id"]) for r in scoped.json()["results"]} == {own.pk, own_draft.pk}


def test_the_meeting_screen_records_a_commitment_and_keeps_the_earlier_answer(world, login):
    meeting = world["own"]["meeting"]
    position = world["own"]["position"]
    client = login("kultura")
    url = change_url(meeting)
    page = client.get(url)
    assertContains(page, "Zobowiązanie Miasta")
    assertContains(page, change_url(world["own"]["postulate"]))  # the way to its links
    data = form_data(
        page,
        "meeting_form",
        **{
            "postulates-0-justification": "Nowe uzasadnienie.",
            "postulates-0-commitment": "Przegląd lokali do końca roku.",
            "postulates-0-commitment_due_on": "2030-12-31",
        },
    )
    assert client.post(url, data).status_code == 302
    position.refresh_from_db()
    assert position.commitment == "Przegląd lokali do końca roku."
    revision = PositionRevision.objects.get(position=position)
    assert revision.justification == "Odpowiedź: Spotkanie kultury"


def test_reverting_an_answer_from_history_keeps_the_replaced_version(world, login):
    position = world["own"]["position"]
    client = login("kultura")
    url = change_url(position)
    for text in ("Wersja druga.", "Wersja trzecia."):
        client.post(url, form_data(client.get(url), "position_form", justification=text))
    # Its first save kept the loaded state first ("Odpowiedź: …"): the one after it is this.
    (second,) = [
        version
        for version in Version.objects.get_for_object(position)
        if version.field_dict["justification"] == "Wersja druga."
    ]
    revert_url = reverse("admin:postulates_position_revision", args=[position.pk, second.pk])
    client.post(revert_url, form_data(client.get(revert_url), "position_form"))
    position.refresh_from_db()
    assert position.justification == "Wersja druga."
    kept = list(
        PositionRevision.objects.filter(position=position).values_list("justification", flat=True)
    )
    assert kept == ["Odpowiedź: Spotkanie kultury", "Wersja druga.", "Wersja trzecia."]
    page = client.get(url)
    assertContains(page, "Wcześniejsze wersje stanowisk")


def test_a_preview_shows_the_editors_own_drafts_in_the_timeline_never_another_departments(
    world, login, client
):
    own, other = world["own"]["postulate"], world["other"]["postulate"]
    own_draft = PostulateFactory(
        meeting=own.meeting, content="Mój szkic postulatu.", status=Status.DRAFT
    )
    other_draft = PostulateFactory(
        meeting=other.meeting, content="Cudzy szkic postulatu.", status=Status.DRAFT
    )
    PostulateLinkFactory(from_postulate=own_draft, to_postulate=own)
    PostulateLinkFactory(from_postulate=other_draft, to_postulate=own)
    PostulateLinkFactory(from_postulate=other, to_postulate=own)

    public = client.get(own.get_absolute_url())
    assertContains(public, other.get_absolute_url())
    for hidden in (own_draft, other_draft):
        assertNotContains(public, hidden.content)
        assertNotContains(public, hidden.get_absolute_url())

    preview = login("kultura").get(own_draft.get_absolute_url())
    assertContains(preview, "Podgląd redakcji")
    assertContains(preview, "timeline-current")
    assertContains(preview, own.get_absolute_url())
    assertContains(preview, other.get_absolute_url())
    assertNotContains(preview, other_draft.content)
    assertNotContains(preview, other_draft.get_absolute_url())


def test_a_deleted_meeting_comes_back_with_its_links_and_earlier_answer_versions(world, login):
    meeting, postulate = world["own"]["meeting"], world["own"]["postulate"]
    position, elsewhere = world["own"]["position"], world["other"]["postulate"]
    position.justification = "Odpowiedź poprawiona."
    position.save()
    PostulateLinkFactory(from_postulate=postulate, to_postulate=elsewhere)

    client = login("koordynator")
    client.post(change_url(meeting).replace("/change/", "/delete/"), {"post": "yes"})
    assert not Postulate.objects.filter(pk=postulate.pk).exists()
    assert not PostulateLink.objects.exists()
    assert not PositionRevision.objects.exists()

    version = Version.objects.get_deleted(type(meeting)).get(object_id=str(meeting.pk))
    url = reverse("admin:meetings_meeting_recover", args=[version.pk])
    client.post(url, form_data(client.get(url), "meeting_form"))
    link = PostulateLink.objects.get()
    assert (link.from_postulate_id, link.to_postulate_id) == (postulate.pk, elsewhere.pk)
    revision = PositionRevision.objects.get()
    assert (revision.position_id, revision.justification) == (
        position.pk,
        "Odpowiedź: Spotkanie kultury",
    )


def test_a_meeting_whose_postulate_another_one_cites_is_not_deleted(world, login):
    meeting, postulate = world["own"]["meeting"], world["own"]["postulate"]
    PostulateLinkFactory(from_postulate=world["other"]["postulate"], to_postulate=postulate)
    client = login("koordynator")
    url = change_url(meeting).replace("/change/", "/delete/")
    assert client.get(url).context["protected"]
    client.post(url, {"post": "yes"})
    assert Postulate.objects.filter(pk=postulate.pk).exists()
