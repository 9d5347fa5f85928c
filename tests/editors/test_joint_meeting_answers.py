"""A joint meeting of two departments: each department's editor changes the meeting and its
postulates, but an answer belongs to the department it speaks for. The culture editor tries
every way of changing or deleting the sport department's answer, as requests."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.factories import MeetingFactory, OutcomeFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

SPORT_ANSWER = "Odpowiedź Wydziału Sportu na wspólnym spotkaniu"


@pytest.fixture
def joint(world):
    meeting = MeetingFactory(
        title="Wspólne spotkanie kultury i sportu",
        departments=[world["culture"], world["sport"]],
        dates=[datetime.date(2025, 9, 3)],
    )
    postulate = PostulateFactory(
        meeting=meeting, number=1, content="Więcej zajęć", responsible_department=world["sport"]
    )
    sport_answer = PositionFactory(
        postulate=postulate,
        department=world["sport"],
        justification=SPORT_ANSWER,
        status="draft",
        published_at=None,
    )
    return {"meeting": meeting, "postulate": postulate, "sport_answer": sport_answer}


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def stored(answer):
    return Position.objects.filter(pk=answer.pk).values().first()


def test_the_answer_page_is_not_theirs(joint, login):
    client = login("kultura")
    answer = joint["sport_answer"]
    before = stored(answer)
    for view in ("change", "delete", "history"):
        response = client.get(url(Position, view, answer.pk))
        assert response.status_code in (302, 404), view
    client.post(url(Position, "change", answer.pk), {"justification": "Przejęte"})
    client.post(url(Position, "delete", answer.pk), {"post": "yes"})
    assert stored(answer) == before


def test_the_answer_list_and_its_actions_leave_it_alone(joint, login):
    client = login("kultura")
    answer = joint["sport_answer"]
    response = client.get(url(Position, "changelist"))
    assert answer not in response.context["cl"].result_list
    for action in ("publish_selected", "delete_selected"):
        client.post(
            url(Position, "changelist"),
            {"action": action, "_selected_action": [answer.pk], "post": "yes"},
        )
    assert stored(answer)["status"] == "draft"


def test_the_meeting_page_shows_the_answer_but_does_not_change_it(joint, login):
    client = login("kultura")
    meeting, answer = joint["meeting"], joint["sport_answer"]
    page = client.get(url(type(meeting), "change", meeting.pk))
    assertContains(page, "może ją zmienić tylko ten wydział")
    data = form_data(page, "meeting_form")
    prefix = next(key for key in data if key.endswith("-0-justification"))[: -len("justification")]
    data[f"{prefix}justification"] = "Przejęte przez Wydział Kultury"
    data[f"{prefix}answer_status"] = "published"
    data[f"{prefix}content"] = "Więcej zajęć dla seniorów"
    response = client.post(url(type(meeting), "change", meeting.pk), data)
    assert response.status_code == 302, response.context["errors"]
    # The postulate is the joint meeting's, the answer is the sport department's.
    assert Postulate.objects.get(pk=joint["postulate"].pk).content == "Więcej zajęć dla seniorów"
    assert stored(answer)["justification"] == SPORT_ANSWER
    assert stored(answer)["status"] == "draft"


def test_the_postulate_page_shows_the_answer_read_only_and_refuses_a_forged_row(joint, login):
    client = login("kultura")
    postulate, answer = joint["postulate"], joint["sport_answer"]
    page = client.get(url(Postulate, "change", postulate.pk))
    assertContains(page, "Stanowiska innych wydziałów (tylko do odczytu)")
    assertContains(page, SPORT_ANSWER)
    data = form_data(page, "postulate_form")
    assert data["positions-TOTAL_FORMS"] == "0"
    forged = {
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "1",
        "positions-0-id": str(answer.pk),
        "positions-0-postulate": str(postulate.pk),
        "positions-0-outcome": str(answer.outcome_id),
        "positions-0-justification": "Przejęte",
        "positions-0-status": "published",
        "positions-0-DELETE": "on",
    }
    client.post(url(Postulate, "change", postulate.pk), {**data, **forged})
    assert stored(answer)["justification"] == SPORT_ANSWER


def test_publishing_the_meetings_answers_waits_for_the_other_department(joint, login, world):
    own_answer = PositionFactory(
        postulate=PostulateFactory(meeting=joint["meeting"], number=2),
        department=world["culture"],
        status="draft",
        published_at=None,
    )
    login("kultura").post(
        url(type(joint["meeting"]), "changelist"),
        {"action": "publish_meetings_whole", "_selected_action": [joint["meeting"].pk]},
    )
    assert stored(own_answer)["status"] == "published"
    assert stored(joint["sport_answer"])["status"] == "draft"


def test_deleting_the_joint_meeting_would_take_the_others_answer_so_it_is_refused(joint, login):
    client = login("kultura")
    meeting = joint["meeting"]
    page = client.get(url(type(meeting), "delete", meeting.pk))
    assertContains(page, "należy do innego wydziału")  # listed as what stands in the way
    client.post(url(type(meeting), "delete", meeting.pk), {"post": "yes"})
    assert type(meeting).objects.filter(pk=meeting.pk).exists()
    assert stored(joint["sport_answer"]) is not None


def test_an_answer_naming_no_department_belongs_to_the_meetings_departments(joint, login):
    unsigned = PositionFactory(postulate=joint["postulate"], justification="Bez wydziału")
    for editor in ("kultura", "sport"):
        response = login(editor).get(url(Position, "change", unsigned.pk))
        assert response.status_code == 200, editor


def test_the_sport_editor_and_the_coordinator_change_it(joint, login):
    answer = joint["sport_answer"]
    for user in ("sport", "koordynator"):
        client = login(user)
        page = client.get(url(Position, "change", answer.pk))
        data = form_data(page, "position_form", justification=f"Poprawione: {user}")
        response = client.post(url(Position, "change", answer.pk), data)
        assert response.status_code == 302, response.context["errors"]
        assert stored(answer)["justification"] == f"Poprawione: {user}"


def test_the_answering_department_cannot_be_taken_off_the_meeting(joint, login, world):
    client = login("kultura")
    meeting = joint["meeting"]
    page = client.get(url(type(meeting), "change", meeting.pk))
    data = form_data(page, "meeting_form")
    (row,) = [
        key[: -len("department")]
        for key, value in data.items()
        if key.startswith("department_links-")
        and key.endswith("-department")
        and value == str(world["sport"].pk)
    ]
    data[f"{row}DELETE"] = "on"
    response = client.post(url(type(meeting), "change", meeting.pk), data)
    assertContains(response, "Nie można odłączyć od spotkania wydziału")
    assert set(meeting.departments.all()) == {world["culture"], world["sport"]}


def test_a_postulate_the_other_department_answered_stays_on_the_meeting(joint, login, world):
    client = login("kultura")
    postulate = joint["postulate"]
    page = client.get(url(Postulate, "change", postulate.pk))
    data = form_data(page, "postulate_form", meeting=str(world["own"]["meeting"].pk))
    response = client.post(url(Postulate, "change", postulate.pk), data)
    assertContains(response, "Tego postulatu nie można przenieść")
    assert Postulate.objects.get(pk=postulate.pk).meeting == joint["meeting"]
    # The coordinator may.
    client = login("koordynator")
    page = client.get(url(Postulate, "change", postulate.pk))
    data = form_data(page, "postulate_form", meeting=str(world["own"]["meeting"].pk))
    assert client.post(url(Postulate, "change", postulate.pk), data).status_code == 302


def test_the_read_only_answers_show_only_where_there_are_some(joint, login, world):
    client = login("kultura")
    heading = "Stanowiska innych wydziałów (tylko do odczytu)"
    assertNotContains(client.get(url(Postulate, "add")), heading)
    own = world["own"]["postulate"]
    assertNotContains(client.get(url(Postulate, "change", own.pk)), heading)
    assertNotContains(
        login("koordynator").get(url(Postulate, "change", joint["postulate"].pk)), heading
    )


def test_the_public_preview_shows_their_own_drafts_but_not_the_other_departments(joint, login):
    """A draft meeting previewed on its public URL: each editor sees their own department's
    draft answer, never the other's (a coordinator-era preview showed every draft)."""
    meeting, sport_answer = joint["meeting"], joint["sport_answer"]
    meeting.status, meeting.published_at = "draft", None
    meeting.save()
    sport_answer.outcome = OutcomeFactory(name="Rozstrzygnięcie sportu")
    sport_answer.save()
    own = PositionFactory(
        postulate=joint["postulate"],
        department=meeting.departments.exclude(pk=sport_answer.department_id).get(),
        outcome=OutcomeFactory(name="Rozstrzygnięcie kultury"),
        justification="Szkic odpowiedzi Wydziału Kultury",
        status="draft",
        published_at=None,
    )
    postulate_url = joint["postulate"].get_absolute_url()
    for editor, sees, never in (("kultura", own, sport_answer), ("sport", sport_answer, own)):
        client = login(editor)
        page = client.get(meeting.get_absolute_url())
        assert page.context["preview"], editor
        assertContains(page, sees.outcome.name)
        assertNotContains(page, never.outcome.name)
        page = client.get(postulate_url)
        assert page.context["preview"], editor
        assertContains(page, sees.justification)
        assertNotContains(page, never.justification)
