"""How far an editor's department reaches, replayed as the outside review's requests: a
department split in two, a rename planned ahead, an answer in another department's name, and
the admin's "view on site" redirect."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from departments.models import DepartmentChange
from postulates.models import Position
from tests.admin_forms import form_data
from tests.factories import (
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
)

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


def test_an_answer_a_coordinator_gave_another_department_is_that_departments(world, login):
    """The answer speaks for the department a coordinator named: its editors change it, the
    editors of the meeting's department no longer may."""
    position = world["own"]["position"]
    Position.objects.filter(pk=position.pk).update(department=world["sport"])
    url = reverse("admin:postulates_position_change", args=[position.pk])
    assert login("kultura").get(url).status_code == 302  # "not found" back to the admin
    client = login("sport")
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


def test_the_meeting_page_does_not_answer_in_another_departments_name(world, login):
    meeting, postulate = world["own"]["meeting"], world["own"]["postulate"]
    Position.objects.filter(postulate=postulate).delete()
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form")
    prefix = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("postulates-") and key.endswith("-id") and value == str(postulate.pk)
    )
    data.update(
        {
            f"{prefix}-responsible_department": world["sport"].pk,
            f"{prefix}-outcome": OutcomeFactory().pk,
            f"{prefix}-justification": "Odpowiedź w imieniu sportu",
        }
    )
    response = client.post(url, data)
    assertContains(response, "odpowiadać możesz tylko w imieniu swojego wydziału")
    assert not Position.objects.filter(justification="Odpowiedź w imieniu sportu").exists()


def test_handing_tasks_over_gives_no_reach_into_the_successor(world, login):
    """Sport's tasks passed to culture: culture's editors work on sport's records (their
    former tasks), sport's editors gain nothing of culture's."""
    DepartmentChangeFactory(
        predecessor=world["sport"], successor=world["culture"], kind=DepartmentChange.Kind.TAKEOVER
    )
    sport = login("sport").get(reverse("admin:meetings_meeting_changelist"))
    assert set(sport.context["cl"].result_list) == {world["other"]["meeting"]}
    culture = login("kultura").get(reverse("admin:meetings_meeting_changelist"))
    assert set(culture.context["cl"].result_list) == {
        world["own"]["meeting"],
        world["other"]["meeting"],
    }


@pytest.mark.parametrize("state", ["draft", "planned"])
def test_a_chain_through_a_hidden_department_reaches_nothing_yet(world, login, state):
    hidden = DepartmentFactory(name="Wydział w przygotowaniu")
    if state == "draft":
        hidden.status, hidden.published_at = Status.DRAFT, None
    else:
        hidden.published_at = timezone.now() + datetime.timedelta(days=60)
    hidden.save()
    DepartmentChangeFactory(predecessor=world["sport"], successor=hidden)
    DepartmentChangeFactory(predecessor=hidden, successor=world["culture"])
    culture = login("kultura").get(reverse("admin:meetings_meeting_changelist"))
    assert set(culture.context["cl"].result_list) == {world["own"]["meeting"]}


def test_no_answer_in_the_name_of_a_former_department(world, login):
    former = split(world)
    client = login("sport")
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "postulates", "model_name": "position", "field_name": "department"},
    ).json()["results"]
    assert [item["text"] for item in found] == ["Wydział Sportu"]
    url = reverse("admin:postulates_position_add")
    forged = {
        **form_data(client.get(url), "position_form"),
        "postulate": world["other"]["postulate"].pk,
        "outcome": world["other"]["position"].outcome_id,
        "justification": "W imieniu poprzednika",
        "department": former.pk,
    }
    assert client.post(url, forged).status_code == 200
    assert not Position.objects.filter(justification="W imieniu poprzednika").exists()


def test_a_takeover_dated_next_year_has_no_effect_until_then(world, login, client):
    """Two published departments, a change recorded ahead for next year: neither the editors'
    reach nor the public history moves before the year begins."""
    next_year = timezone.localdate().year + 1
    DepartmentChangeFactory(
        predecessor=world["sport"],
        successor=world["culture"],
        kind=DepartmentChange.Kind.TAKEOVER,
        year=next_year,
        note="Przejęcie zadań od przyszłego roku",
    )
    culture = login("kultura").get(reverse("admin:meetings_meeting_changelist"))
    assert set(culture.context["cl"].result_list) == {world["own"]["meeting"]}
    client.logout()
    assertNotContains(client.get(world["culture"].get_absolute_url()), "od przyszłego roku")
    DepartmentChange.objects.update(year=next_year - 1)
    culture = login("kultura").get(reverse("admin:meetings_meeting_changelist"))
    assert world["other"]["meeting"] in culture.context["cl"].result_list
