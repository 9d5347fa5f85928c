"""How far an editor's department reaches, replayed as the outside review's requests: a
department split in two, a rename planned ahead, an answer in another department's name, and
the admin's "view on site" redirect."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from departments.models import DepartmentChange
from postulates.models import Position
from tests.admin_forms import form_data
from tests.factories import DepartmentChangeFactory, DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def split(world):
    """A former department whose tasks passed to both culture and sport."""
    former = DepartmentFactory(name="Wydział Kultury i Sportu")
    for successor in (world["culture"], world["sport"]):
        DepartmentChangeFactory(
            predecessor=former, successor=successor, kind=DepartmentChange.Kind.TAKEOVER
        )
    return former


def test_after_a_split_each_successor_keeps_to_its_own_records(world, login):
    former = split(world)
    old_meeting = MeetingFactory(title="Spotkanie sprzed podziału", departments=[former])
    for username, own, theirs in (("sport", "other", "own"), ("kultura", "own", "other")):
        client = login(username)
        listing = client.get(reverse("admin:meetings_meeting_changelist"))
        assert set(listing.context["cl"].result_list) == {world[own]["meeting"], old_meeting}
        their_meeting = world[theirs]["meeting"]
        response = client.get(reverse("admin:meetings_meeting_change", args=[their_meeting.pk]))
        assert response.status_code == 302


def test_after_a_split_the_public_page_tells_only_its_own_history(world, client):
    former = split(world)
    MeetingFactory(title="Spotkanie sprzed podziału", departments=[former])
    page = client.get(world["sport"].get_absolute_url())
    assertContains(page, "Wydział Kultury i Sportu")
    assertContains(page, "Spotkanie sprzed podziału")
    assertContains(page, "Spotkanie sportu")
    assertNotContains(page, "Spotkanie kultury")


def test_a_planned_rename_shows_nowhere_and_links_nothing(world, client):
    planned = DepartmentFactory(name="Wydział Sportu i Rekreacji", status=Status.DRAFT)
    DepartmentChangeFactory(
        predecessor=world["sport"], successor=planned, note="Zmiana planowana na przyszły rok"
    )
    DepartmentChangeFactory(predecessor=planned, successor=world["culture"])
    page = client.get(world["sport"].get_absolute_url())
    assertNotContains(page, "Zmiana planowana")
    assertNotContains(page, "Spotkanie kultury")
    response = client.get("/spotkania/", {"wydzial": world["sport"].slug})
    assertNotContains(response, "Spotkanie kultury")


def test_an_editor_answers_only_in_their_own_departments_name(world, login):
    postulate = world["own"]["postulate"]
    client = login("kultura")
    url = reverse("admin:postulates_position_add")
    form = client.get(url)
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "postulates", "model_name": "position", "field_name": "department"},
    ).json()["results"]
    assert [item["text"] for item in found] == ["Wydział Kultury"]
    forged = {
        **form_data(form, "position_form"),
        "postulate": postulate.pk,
        "outcome": world["own"]["position"].outcome_id,
        "justification": "W imieniu sportu",
        "department": world["sport"].pk,
    }
    response = client.post(url, forged)
    assert response.status_code == 200
    assert not Position.objects.filter(justification="W imieniu sportu").exists()
    forged["department"] = world["culture"].pk
    assert client.post(url, forged).status_code == 302
    assert Position.objects.filter(justification="W imieniu sportu").exists()


def test_an_answer_keeps_the_department_a_coordinator_gave_it(world, login):
    position = world["own"]["position"]
    Position.objects.filter(pk=position.pk).update(department=world["sport"])
    client = login("kultura")
    url = reverse("admin:postulates_position_change", args=[position.pk])
    response = client.post(url, form_data(client.get(url), "position_form", justification="Nowe"))
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.department, position.justification) == (world["sport"], "Nowe")


def test_view_on_site_redirects_only_to_records_the_editor_may_open(world, login):
    client = login("sport")
    draft = MeetingFactory(title="Szkic kultury", departments=[world["culture"]], status="draft")
    content_type = ContentType.objects.get_for_model(draft)
    url = reverse("admin:view_on_site", args=[content_type.pk, draft.pk])
    assert client.get(url).status_code == 404
    own = world["other"]["meeting"]
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, own.pk]))
    assert response.status_code == 302
    assert response.url.endswith(own.get_absolute_url())
    assert (
        client.get(reverse("admin:view_on_site", args=[content_type.pk, "x/../1"])).status_code
        == 404
    )
    assert client.get(reverse("admin:view_on_site", args=[9999, 1])).status_code == 404
