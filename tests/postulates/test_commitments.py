"""A commitment is overdue from its date alone: nothing is stored, nothing goes stale."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from pytest_django.asserts import assertContains, assertNotContains

from postulates.models import CommitmentState, Position
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

# Later than any record's publication: factories publish records a day before the real now.
DUE = datetime.date(2030, 6, 30)


def on(day):
    when = datetime.datetime(*day, 9, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    return time_machine.travel(when, tick=False)


@pytest.fixture
def committed():
    return PositionFactory(
        commitment="Przekazanie trzech lokali organizacjom.", commitment_due_on=DUE
    )


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ((2030, 6, 29), CommitmentState.ON_TIME),
        ((2030, 6, 30), CommitmentState.ON_TIME),  # due today is not late yet
        ((2030, 7, 1), CommitmentState.OVERDUE),
    ],
)
def test_a_commitment_becomes_overdue_the_day_after_its_due_date(committed, day, state):
    with on(day):
        assert committed.commitment_state() == state
        assert Position.objects.with_follow_up().get().commitment_status == state


def test_a_fulfilled_commitment_is_never_overdue(committed):
    committed.commitment_fulfilled_on = datetime.date(2030, 8, 1)
    committed.save()
    with on((2031, 1, 1)):
        assert committed.commitment_state() == CommitmentState.FULFILLED
        assert (
            not Position.objects.with_follow_up().filter(commitment_status="po-terminie").exists()
        )


def test_no_commitment_and_no_deadline_are_told_apart():
    assert PositionFactory().commitment_state() is None
    open_ended = PositionFactory(commitment="Dalsze rozmowy z organizacjami.")
    assert open_ended.commitment_state() == CommitmentState.NO_DEADLINE
    assert not Position.objects.with_follow_up().filter(commitment_status="po-terminie").exists()


def test_a_deadline_without_a_commitment_is_refused():
    existing = PositionFactory()
    position = PositionFactory.build(
        postulate=existing.postulate, outcome=existing.outcome, commitment="", commitment_due_on=DUE
    )
    with pytest.raises(ValidationError, match="opisz najpierw zobowiązanie"):
        position.validate_constraints()
    with pytest.raises(IntegrityError):
        position.save()


def test_postulates_know_whether_their_current_answer_is_overdue(committed):
    newer = PositionFactory(postulate=committed.postulate, answered_on=datetime.date(2030, 9, 1))
    other = PositionFactory(commitment="Inne zobowiązanie.", commitment_due_on=DUE)
    with on((2030, 7, 15)):
        flags = dict(
            Position.objects.current()
            .with_follow_up()
            .values_list("postulate", "commitment_status")
        )
    # The newer answer, without a commitment, replaced the one that carried it.
    assert flags == {newer.postulate_id: None, other.postulate_id: CommitmentState.OVERDUE}


@pytest.mark.parametrize(
    ("day", "status"),
    [((2030, 5, 1), "w terminie"), ((2030, 7, 1), "po terminie")],
)
def test_the_postulate_page_says_where_the_commitment_stands(client, committed, day, status):
    with on(day):
        response = client.get(committed.postulate.get_absolute_url())
    assertContains(response, "Przekazanie trzech lokali organizacjom.")
    assertContains(
        response,
        '<p class="commitment-dates">termin <time datetime="2030-06-30">30 czerwca 2030</time>'
        f' – <strong class="commitment-state">{status}</strong></p>',
        html=True,
    )


def test_the_page_shows_when_a_commitment_was_fulfilled(client, committed):
    committed.commitment_fulfilled_on = datetime.date(2030, 7, 20)
    committed.save()
    with on((2030, 8, 1)):
        response = client.get(committed.postulate.get_absolute_url())
    assertContains(response, 'wykonane <time datetime="2030-07-20">20 lipca 2030</time>')
    assertNotContains(response, "po terminie")
