import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError

from tests.factories import (
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def test_postulate_numbers_are_unique_per_meeting():
    first = PostulateFactory(number=1)
    PostulateFactory(number=1)  # another meeting's list may start at 1 too
    with pytest.raises(IntegrityError):
        PostulateFactory(number=1, meeting=first.meeting)


def test_postulate_numbers_are_unique_per_round_when_there_is_no_meeting():
    round_ = RoundFactory()
    PostulateFactory(meeting=None, round=round_, number=7)
    with pytest.raises(IntegrityError):
        PostulateFactory(meeting=None, round=round_, number=7)


def test_a_postulate_is_raised_at_a_meeting_or_in_a_round():
    with pytest.raises(IntegrityError):
        PostulateFactory(meeting=None, round=None)


def test_answered_postulates_and_their_vocabularies_cannot_be_deleted():
    position = PositionFactory()
    with pytest.raises(ProtectedError):
        position.postulate.delete()
    with pytest.raises(ProtectedError):
        position.outcome.delete()
    with pytest.raises(ProtectedError):
        position.postulate.area.delete()
    with pytest.raises(ProtectedError):
        position.postulate.organisation.delete()


def test_vocabulary_slugs_are_transliterated():
    assert OutcomeFactory(name="częściowo uwzględniony").slug == "czesciowo-uwzgledniony"
    area = PublicTaskAreaFactory(name="Ekologia i ochrona zwierząt")
    assert area.slug == "ekologia-i-ochrona-zwierzat"
    assert OrganisationFactory(name="Fundacja Dzikusy Salamandry").slug == (
        "fundacja-dzikusy-salamandry"
    )
