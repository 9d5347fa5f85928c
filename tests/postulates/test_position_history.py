"""A published position revised later keeps its earlier versions on the public page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from postulates.forms import PostulateWithAnswerForm
from postulates.models import PositionRevision
from tests.factories import OutcomeFactory, PositionFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(day):
    return time_machine.travel(datetime.datetime(*day, 12, 0, tzinfo=WARSAW), tick=False)


@pytest.fixture
def revised_position():
    """Published on 1 September 2025, revised on 3 March 2026."""
    with at((2025, 9, 1)):
        position = PositionFactory(
            outcome=OutcomeFactory(name="do dalszej analizy"),
            justification="Miasto przeanalizuje zasoby lokalowe.",
            answered_on=datetime.date(2025, 9, 1),
            published_at=timezone.now(),
        )
    with at((2026, 3, 3)):
        position.outcome = OutcomeFactory(name="uwzględniony")
        position.justification = "Miasto przekaże trzy lokale."
        position.answered_on = datetime.date(2026, 3, 3)
        position.commitment = "Przekazanie lokali."
        position.commitment_due_on = datetime.date(2026, 6, 30)
        position.save()
    return position


def test_revising_a_published_position_keeps_the_version_the_public_read(revised_position):
    revision = PositionRevision.objects.get(position=revised_position)
    assert revision.outcome.name == "do dalszej analizy"
    assert revision.justification == "Miasto przeanalizuje zasoby lokalowe."
    assert revision.answered_on == datetime.date(2025, 9, 1)
    assert revision.commitment == ""
    assert timezone.localdate(revision.valid_from) == datetime.date(2025, 9, 1)
    assert timezone.localdate(revision.valid_to) == datetime.date(2026, 3, 3)


def test_the_public_page_shows_the_current_version_and_the_earlier_one_with_its_dates(
    client, revised_position
):
    with at((2026, 4, 1)):
        response = client.get(revised_position.postulate.get_absolute_url())
    assertContains(response, "Miasto przekaże trzy lokale.")
    assertContains(response, "<h4>Wcześniejsze wersje stanowiska</h4>", html=True)
    assertContains(
        response,
        '<p class="meta">Obowiązywała od <time datetime="2025-09-01">1 września 2025</time> '
        'do <time datetime="2026-03-03">3 marca 2026</time></p>',
        html=True,
    )
    assertContains(response, "Miasto przeanalizuje zasoby lokalowe.")
    assertContains(response, "Do dalszej analizy")
    assertContains(response, "Obecna wersja stanowiska obowiązuje od")


def test_every_revision_is_kept_in_order_and_periods_follow_each_other(revised_position):
    with at((2026, 7, 2)):
        revised_position.commitment_fulfilled_on = datetime.date(2026, 7, 1)
        revised_position.save()
    first, second = PositionRevision.objects.filter(position=revised_position)
    assert first.valid_to == second.valid_from
    assert second.commitment == "Przekazanie lokali."
    assert second.commitment_fulfilled_on is None
    assert timezone.localdate(second.valid_to) == datetime.date(2026, 7, 2)


def test_saving_without_a_public_change_records_nothing(revised_position):
    revised_position.save()
    revised_position.status = Status.PUBLISHED
    revised_position.save()
    assert PositionRevision.objects.filter(position=revised_position).count() == 1


def test_a_draft_is_edited_freely_and_nothing_of_it_is_kept():
    position = PositionFactory(status=Status.DRAFT, published_at=None, justification="Szkic 1")
    position.justification = "Szkic 2"
    position.save()
    assert not PositionRevision.objects.exists()


def test_a_position_answering_a_draft_postulate_was_never_public_so_nothing_is_kept():
    position = PositionFactory(postulate__status=Status.DRAFT, justification="Wersja 1")
    position.justification = "Wersja 2"
    position.save()
    assert not PositionRevision.objects.exists()


def test_withdrawing_a_published_position_keeps_what_the_public_read(client):
    position = PositionFactory(justification="Pierwsza odpowiedź.")
    position.status = Status.DRAFT
    position.save()
    position.justification = "Poprawiona odpowiedź."
    position.status = Status.PUBLISHED
    position.save()
    assert PositionRevision.objects.get(position=position).justification == "Pierwsza odpowiedź."
    response = client.get(position.postulate.get_absolute_url())
    assertContains(response, "Poprawiona odpowiedź.")
    assertContains(response, "Pierwsza odpowiedź.")


def test_the_meeting_screen_form_keeps_the_earlier_version_too():
    position = PositionFactory(justification="Odpowiedź pierwotna.")
    postulate = position.postulate
    form = PostulateWithAnswerForm(
        instance=postulate,
        data={
            "number": postulate.number,
            "content": postulate.content,
            "status": Status.PUBLISHED,
            # As the form shows it (Polish time): a moment moved back would be refused.
            "published_at": timezone.localtime(postulate.published_at).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "outcome": position.outcome_id,
            "justification": "Odpowiedź poprawiona.",
            "answer_status": Status.PUBLISHED,
            "commitment": "Konkurs w 2027 r.",
            "commitment_due_on": "2027-03-31",
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    position.refresh_from_db()
    assert position.justification == "Odpowiedź poprawiona."
    assert position.commitment_due_on == datetime.date(2027, 3, 31)
    assert PositionRevision.objects.get(position=position).justification == ("Odpowiedź pierwotna.")


def test_a_later_position_stays_the_current_one_beside_revisions(client, revised_position):
    later = PositionFactory(
        postulate=revised_position.postulate,
        outcome=OutcomeFactory(name="częściowo uwzględniony"),
        answered_on=datetime.date(2026, 9, 1),
    )
    assert revised_position.postulate.current_position() == later
    response = client.get(later.postulate.get_absolute_url())
    assertContains(response, "Częściowo uwzględniony")
    assertContains(response, "Wcześniejsze wersje stanowiska", count=1)


def test_earlier_versions_of_a_withdrawn_position_are_not_public(client, revised_position):
    revised_position.status = Status.DRAFT
    revised_position.save()
    response = client.get(revised_position.postulate.get_absolute_url())
    assertNotContains(response, "Miasto przeanalizuje zasoby lokalowe.")
    assertNotContains(response, "Wcześniejsze wersje stanowiska")
