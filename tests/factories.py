"""Builders for test data. Everything is published unless a test says otherwise."""

import datetime

import factory
from django.utils import timezone

from core.publishing import Status
from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Document, Meeting, MeetingDate, Round
from organisations.models import Organisation
from postulates.models import Outcome, Position, Postulate, PostulateLink, PublicTaskArea
from programmes.models import Programme

# A record's state for the public tests: a draft, or published with its moment ahead.
DRAFT = {"status": Status.DRAFT, "published_at": None}


def scheduled():
    return {"status": Status.PUBLISHED, "published_at": timezone.now() + datetime.timedelta(days=3)}


class PublishedFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class DepartmentFactory(PublishedFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Wydział Testowy nr {n}")


class DepartmentChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentChange

    predecessor = factory.SubFactory(DepartmentFactory)
    successor = factory.SubFactory(DepartmentFactory)
    kind = DepartmentChange.Kind.RENAME


class OrganisationFactory(PublishedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Fundacja Testowa nr {n}")


class ProgrammeFactory(PublishedFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("kind", "first_year", "last_year")

    kind = Programme.Kind.ANNUAL
    first_year = 2026
    last_year = factory.SelfAttribute("first_year")
    short_name = factory.LazyAttribute(lambda o: f"RPW {o.first_year}")
    title = factory.LazyAttribute(
        lambda o: f"Program Współpracy Gminy Miejskiej Kraków na rok {o.first_year}"
    )


class ArchiveYearFactory(PublishedFactory):
    class Meta:
        model = ArchiveYear
        django_get_or_create = ("year",)

    year = 2025


class RoundFactory(PublishedFactory):
    class Meta:
        model = Round

    year = factory.SubFactory(ArchiveYearFactory)
    title = factory.Sequence(lambda n: f"Cykl spotkań nr {n}")


class MeetingFactory(PublishedFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    year = factory.SubFactory(ArchiveYearFactory)
    title = factory.Sequence(lambda n: f"Spotkanie branżowe nr {n}")
    kind = Meeting.Kind.SECTOR

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create:
            self.departments.set(extracted if extracted is not None else [DepartmentFactory()])

    @factory.post_generation
    def dates(self, create, extracted, **kwargs):
        if create:
            for day in extracted if extracted is not None else [datetime.date(self.year_id, 6, 10)]:
                MeetingDate.objects.create(meeting=self, date=day)


class DocumentFactory(PublishedFactory):
    class Meta:
        model = Document

    meeting = factory.SubFactory(MeetingFactory)
    kind = Document.Kind.SUMMARY
    title = factory.Sequence(lambda n: f"Podsumowanie spotkania nr {n}")


class PublicTaskAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicTaskArea

    name = factory.Sequence(lambda n: f"Sfera testowa nr {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    name = factory.Sequence(lambda n: f"rozstrzygnięcie {n}")
    category = Outcome.Category.ACCEPTED


class PostulateFactory(PublishedFactory):
    class Meta:
        model = Postulate

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.Sequence(lambda n: f"Treść postulatu testowego nr {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.SubFactory(PublicTaskAreaFactory)


class PositionFactory(PublishedFactory):
    class Meta:
        model = Position

    postulate = factory.SubFactory(PostulateFactory)
    outcome = factory.SubFactory(OutcomeFactory)
    justification = "Uzasadnienie stanowiska."


class PostulateLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostulateLink

    from_postulate = factory.SubFactory(PostulateFactory)
    to_postulate = factory.SubFactory(PostulateFactory)
    kind = PostulateLink.Kind.RESUBMISSION
