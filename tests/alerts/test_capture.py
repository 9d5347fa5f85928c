"""Published changes become events when, and only when, the archive's one definition of
"published" says they are public: never a draft, a scheduled item once its time comes."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from alerts.capture import capture
from alerts.models import Event
from alerts.sources import still_public
from core.publishing import Status
from postulates.services import keep_replaced_public_version  # noqa: F401 (signal wired)
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
)

pytestmark = pytest.mark.django_db

Kind = Event.Kind


@pytest.fixture(autouse=True)
def baseline():
    """Alerts have started: what follows is announced."""
    capture()


def kinds():
    return sorted((event.kind, event.object_id) for event in Event.objects.filter(announced=True))


def test_what_was_public_before_alerts_started_is_never_announced(db):
    Event.objects.all().delete()
    from alerts.models import CaptureStart

    CaptureStart.objects.all().delete()
    MeetingFactory()
    assert capture() == 1
    assert not Event.objects.filter(announced=True).exists()
    assert Event.objects.get().dispatched  # nothing to hand to anyone


def test_a_published_meeting_is_one_event_with_what_it_concerns():
    culture = DepartmentFactory()
    organisation = OrganisationFactory()
    meeting = MeetingFactory(departments=[culture])
    meeting.participants.add(organisation)
    assert capture() == 1
    event = Event.objects.get(announced=True)
    assert (event.kind, event.object_id, event.meeting_id) == (Kind.MEETING, meeting.pk, meeting.pk)
    assert event.year == meeting.year_id
    assert event.department_ids == [culture.pk]
    assert event.organisation_ids == [organisation.pk]
    assert not event.dispatched
    # Found once: a second look records nothing new.
    assert capture() == 0


def test_drafts_never_become_events():
    meeting = MeetingFactory(status=Status.DRAFT)
    DocumentFactory(meeting=meeting)  # public by itself, hidden by its draft meeting
    postulate = PostulateFactory(meeting=MeetingFactory(), status=Status.DRAFT)
    PositionFactory(postulate=postulate)
    PositionFactory(status=Status.DRAFT)
    capture()
    assert [kind for kind, _pk in kinds()] == [Kind.MEETING, Kind.MEETING]  # the public ones


def test_a_draft_year_hides_everything_in_it():
    year = ArchiveYearFactory(year=2031, status=Status.DRAFT)
    meeting = MeetingFactory(year=year)
    PositionFactory(postulate=PostulateFactory(meeting=meeting))
    capture()
    assert kinds() == []
    year.status = Status.PUBLISHED
    year.save()
    capture()
    assert {kind for kind, _pk in kinds()} == {Kind.MEETING, Kind.ANSWER}


def test_a_scheduled_publication_becomes_an_event_when_its_time_comes_not_when_saved():
    later = timezone.now() + datetime.timedelta(hours=3)
    answer = PositionFactory(published_at=later)
    capture()
    assert (Kind.ANSWER, answer.pk) not in kinds()
    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        capture()
    assert (Kind.ANSWER, answer.pk) in kinds()
    event = Event.objects.get(kind=Kind.ANSWER)
    assert event.happened_at == later


def test_a_revised_answer_is_an_event_after_the_answer_was_announced():
    answer = PositionFactory()
    capture()
    answer.justification = "Nowe uzasadnienie."
    answer.save()
    capture()
    revision = answer.revisions.get()
    assert (Kind.REVISED_ANSWER, revision.pk) in kinds()
    event = Event.objects.get(kind=Kind.REVISED_ANSWER)
    assert event.postulate_ids == [answer.postulate_id]


def test_a_link_between_two_public_postulates_is_an_event_for_both():
    first, second = PostulateFactory(), PostulateFactory()
    link = PostulateLinkFactory(from_postulate=second, to_postulate=first)
    draft = PostulateFactory(status=Status.DRAFT)
    PostulateLinkFactory(from_postulate=draft, to_postulate=first)
    capture()
    event = Event.objects.get(kind=Kind.LINKED_POSTULATE)
    assert event.object_id == link.pk
    assert event.postulate_ids == sorted([first.pk, second.pk])


def test_a_commitment_is_an_event_the_day_it_falls_due_unfulfilled():
    today = timezone.localdate()
    due = PositionFactory(
        commitment="Remont lokalu.", commitment_due_on=today + datetime.timedelta(days=2)
    )
    PositionFactory(
        commitment="Wykonane.",
        commitment_due_on=today + datetime.timedelta(days=2),
        commitment_fulfilled_on=today,
    )
    capture()
    assert not Event.objects.filter(kind=Kind.COMMITMENT_DUE).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        capture()
        capture()
    event = Event.objects.get(kind=Kind.COMMITMENT_DUE)
    assert event.object_id == due.pk
    # A new due date set later is announced when it comes.
    due.commitment_due_on = today + datetime.timedelta(days=10)
    due.save()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11), tick=False):
        capture()
    assert Event.objects.filter(kind=Kind.COMMITMENT_DUE).count() == 2


def test_an_item_withdrawn_after_the_event_is_no_longer_public():
    answer = PositionFactory()
    capture()
    assert still_public(Kind.ANSWER, [answer.pk]) == {answer.pk}
    answer.status = Status.DRAFT
    answer.save()
    assert still_public(Kind.ANSWER, [answer.pk]) == set()


def test_an_answer_belongs_to_the_department_it_speaks_for():
    sport = DepartmentFactory()
    answer = PositionFactory(department=sport)
    capture()
    assert Event.objects.get(kind=Kind.ANSWER, object_id=answer.pk).department_ids == [sport.pk]
