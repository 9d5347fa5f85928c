"""Publishing a meeting with everything in it, in one step, now or at a chosen moment, after
a preview of what becomes public and what stays as it is."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from meetings.models import Document, Meeting
from organisations.models import Organisation
from postulates.models import Position, Postulate
from tests.factories import DocumentFactory, OrganisationFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

DRAFT = {"status": "draft", "published_at": None}


@pytest.fixture
def draft_meeting(world):
    """The culture editor's meeting, all of it still a draft, with a new organisation, and on
    a joint meeting the sport department's own draft answer."""
    meeting = world["own"]["meeting"]
    organisation = OrganisationFactory(name="Fundacja Nowa", **DRAFT)
    meeting.departments.add(world["sport"])
    sport_postulate = PostulateFactory(meeting=meeting, number=2, organisation=organisation)
    PositionFactory(postulate=sport_postulate, department=world["sport"], **DRAFT)
    DocumentFactory(meeting=meeting, title="Lista obecności")
    for model in (Meeting, Document, Postulate):
        model.objects.filter(pk__in=related(model, meeting)).update(**DRAFT)
    Position.objects.filter(postulate__meeting=meeting, department=None).update(**DRAFT)
    Position.objects.filter(postulate__meeting=meeting, department=world["culture"]).update(**DRAFT)
    return meeting


def related(model, meeting):
    if model is Meeting:
        return [meeting.pk]
    return model.objects.filter(meeting=meeting).values("pk")


def publish_url(meeting):
    return reverse("admin:meetings_meeting_publish", args=[meeting.pk])


def states(meeting):
    return {
        "meeting": Meeting.objects.get(pk=meeting.pk).status,
        "documents": set(meeting.documents.values_list("status", flat=True)),
        "postulates": set(meeting.postulates.values_list("status", flat=True)),
    }


def test_the_preview_lists_what_becomes_public_and_what_stays(draft_meeting, login):
    page = login("kultura").get(publish_url(draft_meeting))
    assert page.status_code == 200
    assertContains(page, "Stanie się publiczne")
    assertContains(page, "<strong>Dokumenty</strong>: 2", html=False)
    assertContains(page, "<strong>Postulaty</strong>: 2", html=False)
    assertContains(page, "Fundacja Nowa")
    assertContains(page, "Zostaje bez zmian")  # the sport department's answer
    assert states(draft_meeting)["meeting"] == "draft"  # a preview changes nothing


def test_publishing_now_publishes_everything_the_editor_may(draft_meeting, login, world):
    client = login("kultura")
    response = client.post(publish_url(draft_meeting), {"when": "now"})
    assert response.status_code == 302
    assert states(draft_meeting) == {
        "meeting": "published",
        "documents": {"published"},
        "postulates": {"published"},
    }
    answers = Position.objects.filter(postulate__meeting=draft_meeting)
    assert set(answers.filter(department=world["sport"]).values_list("status", flat=True)) == {
        "draft"
    }
    assert answers.exclude(department=world["sport"]).published().exists()
    assert Organisation.objects.get(name="Fundacja Nowa").status == "published"
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Opublikowano spotkanie")
    assert (
        Version.objects.get_for_object(draft_meeting)
        .first()
        .revision.comment.startswith("Opublikowano spotkanie ze wszystkim")
    )
    assert client.get(draft_meeting.get_absolute_url()).status_code == 200


def test_a_scheduled_publication_waits_for_its_moment(draft_meeting, login, client):
    moment = timezone.localtime() + datetime.timedelta(days=2)
    editor = login("kultura")
    editor.post(
        publish_url(draft_meeting), {"when": "later", "at": moment.strftime("%Y-%m-%dT%H:%M")}
    )
    meeting = Meeting.objects.get(pk=draft_meeting.pk)
    assert meeting.status == "published"
    assert meeting.published_at > timezone.now()
    assert set(draft_meeting.documents.values_list("published_at", flat=True)) == {
        meeting.published_at
    }
    listing = editor.get(reverse("admin:meetings_meeting_changelist"))
    assertContains(listing, "zaplanowany na")
    editor.logout()
    assert client.get(draft_meeting.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "data, error",
    [
        ({"when": "later"}, "Podaj dzień i godzinę"),
        ({"when": "later", "at": "2020-01-01T10:00"}, "Ta chwila już minęła"),
        ({"when": "later", "at": "jutro"}, "Wpisz poprawną datę"),
        ({"when": "kiedyś"}, "Wybierz poprawną wartość"),
    ],
)
def test_a_bad_moment_is_refused_in_words_and_nothing_changes(draft_meeting, login, data, error):
    page = login("kultura").post(publish_url(draft_meeting), data)
    assert page.status_code == 200
    assertContains(page, error)
    assert states(draft_meeting)["meeting"] == "draft"


def test_nothing_to_publish_is_a_warning_not_a_success(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    page = client.get(publish_url(meeting))
    assertContains(page, "nie ma czego publikować")
    assertNotContains(page, 'value="Opublikuj"')
    response = client.post(publish_url(meeting), {"when": "now"}, follow=True)
    assertContains(response, "Nic nie opublikowano")
    assertNotContains(response, 'messagelist">\n    <li class="success')


def test_another_departments_meeting_cannot_be_published(world, login):
    meeting = world["other"]["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(**DRAFT)
    client = login("kultura")
    assert client.get(publish_url(meeting)).status_code == 404
    assert client.post(publish_url(meeting), {"when": "now"}).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == "draft"


def test_a_draft_year_is_named_in_the_preview(draft_meeting, login):
    draft_meeting.year.status = "draft"
    draft_meeting.year.save()
    assertContains(
        login("kultura").get(publish_url(draft_meeting)), "nie jest jeszcze opublikowany"
    )


def test_the_bulk_publish_action_reports_nothing_as_a_warning(world, login):
    response = login("kultura").post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_selected", "_selected_action": [world["own"]["meeting"].pk]},
        follow=True,
    )
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    assertContains(response, "Nic nie opublikowano")
    assert "success" not in levels
