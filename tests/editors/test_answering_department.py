"""The department a postulate is routed to answers it; it does not take it over. Replayed as
the outside review's attack: the answering department's editor tried to move a published
postulate out of the host department's meeting, rewrite it and delete it."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.publishing import Status
from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.factories import OutcomeFactory, PostulateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(world):
    """A postulate raised at culture's meeting, routed to sport to answer."""
    return PostulateFactory(
        meeting=world["own"]["meeting"],
        number=701,
        content="Remont hali sportowej przy szkole",
        responsible_department=world["sport"],
    )


def change_url(postulate):
    return reverse("admin:postulates_postulate_change", args=[postulate.pk])


def test_the_answering_department_cannot_move_rewrite_or_delete_it(world, login, routed):
    client = login("sport")
    page = client.get(change_url(routed))
    assert page.status_code == 200
    assertContains(page, "Ten postulat zgłoszono na spotkaniu innego wydziału.")
    data = form_data(page, "postulate_form")
    assert "meeting" not in data and "content" not in data  # shown, not editable
    data.update(meeting=world["other"]["meeting"].pk, content="Przejęte")
    client.post(change_url(routed), data)
    routed.refresh_from_db()
    assert routed.meeting == world["own"]["meeting"]
    assert routed.content == "Remont hali sportowej przy szkole"

    delete_url = reverse("admin:postulates_postulate_delete", args=[routed.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:postulates_postulate_changelist"),
        {"action": "delete_selected", "_selected_action": [routed.pk], "post": "yes"},
    )
    assert Postulate.objects.filter(pk=routed.pk).exists()


def test_the_answering_department_answers_it_on_its_page(world, login, routed):
    outcome = OutcomeFactory(name="Uwzględniony")
    client = login("sport")
    page = client.get(change_url(routed))
    data = form_data(page, "postulate_form")
    data.update(
        {
            "positions-TOTAL_FORMS": "1",
            "positions-0-outcome": outcome.pk,
            "positions-0-justification": "Remont w planie na 2027 r.",
            "positions-0-department": world["sport"].pk,
            "positions-0-status": Status.PUBLISHED,
        }
    )
    response = client.post(change_url(routed), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    answer = Position.objects.get(postulate=routed)
    assert (answer.department, answer.justification) == (
        world["sport"],
        "Remont w planie na 2027 r.",
    )


def test_the_host_department_still_changes_it(world, login, routed):
    client = login("kultura")
    page = client.get(change_url(routed))
    data = form_data(page, "postulate_form", content="Remont hali sportowej przy szkole nr 5")
    assert client.post(change_url(routed), data).status_code == 302
    routed.refresh_from_db()
    assert routed.content == "Remont hali sportowej przy szkole nr 5"


def test_an_editor_puts_a_meeting_into_a_public_round_another_department_coordinates(world, login):
    from core.publishing import Status
    from tests.factories import RoundFactory

    public = RoundFactory(title="Konsultacje programu na 2027 rok", coordinator=world["sport"])
    RoundFactory(title="Cykl w przygotowaniu", coordinator=world["sport"], status=Status.DRAFT)
    client = login("kultura")
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meetings", "model_name": "meeting", "field_name": "round"},
    ).json()["results"]
    assert [result["text"] for result in found] == [str(public)]

    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form", round=public.pk)
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.round == public
    # A document still hangs only under the editor's own rounds.
    assert (
        client.get(
            reverse("admin:autocomplete"),
            {"app_label": "meetings", "model_name": "document", "field_name": "round"},
        ).json()["results"]
        == []
    )
