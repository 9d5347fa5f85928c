"""One rule for organisations: a new organisation becomes public with the first published
record that names it (a postulate it submitted, a meeting it took part in), whoever created
it (the postulate's "+", the import), and its name is the departments' shared record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Meeting
from meetings.services import publish_meeting
from organisations.models import Organisation
from postulates.models import Postulate
from tests.admin_forms import form_data
from tests.factories import MeetingFactory, OrganisationFactory, PostulateFactory

pytestmark = pytest.mark.django_db


def is_listed(client, organisation):
    return organisation.name in client.get(reverse("organisations:list")).content.decode()


def test_an_organisation_no_record_names_has_no_public_page(client):
    organisation = OrganisationFactory(name="Fundacja Znikąd")
    assert client.get(organisation.get_absolute_url()).status_code == 404
    assert not is_listed(client, organisation)
    assertNotContains(client.get("/szukaj/", {"q": "Znikąd"}), "Fundacja Znikąd")
    assertNotContains(client.get("/sitemap-organizacje.xml"), organisation.slug)
    assert not organisation.is_public


def test_it_becomes_public_with_the_postulate_that_names_it(client):
    postulate = PostulateFactory(
        organisation=OrganisationFactory(name="Fundacja Czekająca"), status=Status.DRAFT
    )
    organisation = postulate.organisation
    assert client.get(organisation.get_absolute_url()).status_code == 404

    Postulate.objects.filter(pk=postulate.pk).update(status=Status.PUBLISHED)
    assert client.get(organisation.get_absolute_url()).status_code == 200
    assert is_listed(client, organisation)
    assert organisation.is_public


def test_a_meeting_it_took_part_in_names_it_too(client):
    organisation = OrganisationFactory(name="Stowarzyszenie Uczestnik")
    MeetingFactory().participants.add(organisation)
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "Stowarzyszenie Uczestnik")


def test_a_scheduled_meeting_makes_it_public_at_the_scheduled_moment():
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    postulate = PostulateFactory(meeting__published_at=tomorrow)
    public = Organisation.objects.published
    assert not public().filter(pk=postulate.organisation.pk).exists()
    later = tomorrow + datetime.timedelta(minutes=1)
    assert public(at=later).filter(pk=postulate.organisation.pk).exists()


def test_a_draft_organisation_stays_hidden_even_where_named(client):
    postulate = PostulateFactory(organisation__status=Status.DRAFT, organisation__name="Ukryta")
    assert client.get(postulate.organisation.get_absolute_url()).status_code == 404
    page = client.get(postulate.get_absolute_url())
    assertContains(page, "nie podano")
    assertNotContains(page, "Ukryta")


def test_a_public_postulate_names_its_organisation_without_a_query_per_row(
    client, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    for number in range(1, 4):
        PostulateFactory(meeting=meeting, number=number)
    with django_assert_max_num_queries(30) as captured:
        page = client.get(meeting.get_absolute_url())
    few = len(captured)
    for number in range(4, 12):
        PostulateFactory(meeting=meeting, number=number)
    with django_assert_max_num_queries(few):
        page = client.get(meeting.get_absolute_url())
    assertContains(page, "Fundacja Testowa", count=11)


# --- Created by staff: the postulate's "+" and the import --------------------------------------


def test_an_organisation_added_in_the_admin_is_published_by_default(world, login):
    client = login("kultura")
    url = reverse("admin:organisations_organisation_add") + "?_popup=1&_to_field=id"
    form = client.get(url)
    assert form.context["adminform"].form.initial["status"] == Status.PUBLISHED
    response = client.post(url, form_data(form, "organisation_form", name="Fundacja Nowa"))
    assert response.status_code == 200  # the popup's closing page
    organisation = Organisation.objects.get(name="Fundacja Nowa")
    assert organisation.is_published_own
    assert client.get(organisation.get_absolute_url()).status_code == 200  # preview: staff
    assert client.logout() is None
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_the_draft_postulate_previews_its_new_organisation(world, login):
    postulate = world["own"]["postulate"]
    Meeting.objects.filter(pk=postulate.meeting_id).update(status=Status.DRAFT)
    postulate.organisation = OrganisationFactory(name="Fundacja Z Plusa")
    postulate.save()
    client = login("kultura")
    assertContains(client.get(postulate.get_absolute_url()), "Fundacja Z Plusa")


def test_publishing_the_meeting_makes_its_organisations_public(world, client, django_user_model):
    meeting = world["own"]["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.DRAFT)
    organisation = world["own"]["postulate"].organisation
    assert client.get(organisation.get_absolute_url()).status_code == 404
    publish_meeting(meeting, django_user_model.objects.get(username="kultura"))
    assert client.get(organisation.get_absolute_url()).status_code == 200


# --- Shared: whose is an organisation ---------------------------------------------------------


@pytest.fixture
def shared(world):
    """An organisation that submitted postulates to both departments."""
    organisation = world["own"]["postulate"].organisation
    other = world["other"]["postulate"]
    other.organisation = organisation
    other.save()
    return organisation


def test_an_editor_changes_an_organisation_only_their_department_names(world, login):
    organisation = world["own"]["postulate"].organisation
    client = login("kultura")
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    response = client.post(url, form_data(client.get(url), "organisation_form", name="Nowa"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nowa"


def test_one_another_department_names_opens_read_only_and_says_whom_to_ask(world, login, shared):
    client = login("kultura")
    url = reverse("admin:organisations_organisation_change", args=[shared.pk])
    page = client.get(url)
    assert page.status_code == 200
    assertContains(page, "może tylko koordynator")
    assertNotContains(page, 'name="_save"')
    assert client.post(url, {"name": "Przejęta", "status": "draft"}).status_code == 403
    shared.refresh_from_db()
    assert shared.name != "Przejęta" and shared.status == Status.PUBLISHED


def test_the_unpublish_action_leaves_a_shared_organisation_alone(world, login, shared):
    client = login("kultura")
    response = client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "unpublish_selected", "_selected_action": [shared.pk]},
        follow=True,
    )
    assertContains(response, "Pominięto wpisy, które wskazują także materiały innych wydziałów (1)")
    shared.refresh_from_db()
    assert shared.status == Status.PUBLISHED


def test_the_coordinator_changes_a_shared_organisation(world, login, shared):
    client = login("koordynator")
    url = reverse("admin:organisations_organisation_change", args=[shared.pk])
    response = client.post(url, form_data(client.get(url), "organisation_form", name="Wspólna"))
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Wspólna"
