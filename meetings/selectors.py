"""Reads of public meetings and documents shared by several pages: one place decides what is
prefetched, so no list can fall into N+1, and what "chronological" means."""

from django.db.models import Count, Prefetch, Q

from core.publishing import published_condition
from departments.models import Department, DepartmentChange
from meetings.models import (
    CHRONOLOGICAL,
    REVERSE_CHRONOLOGICAL,
    ArchiveYear,
    Document,
    Meeting,
    MeetingParticipant,
    Round,
)
from organisations.models import Organisation


def public_documents(preview_for=None):
    return Document.objects.for_preview(preview_for).order_by("order", "pk")


def listed_documents(preview_for=None):
    """The documents of a meeting or round the page has already found public (or previews),
    as lists show them."""
    documents = (
        Document.objects.published_own()
        if preview_for is None
        else Document.objects.for_preview(preview_for)
    )
    return documents.for_listing()


def latest_documents(limit):
    return (
        Document.objects.published()
        .select_related("meeting", "round", "accessibility_check")
        .order_by("-published_at", "-pk")[:limit]
    )


def public_rounds(preview_for=None):
    """Rounds with what every mention of one shows: its programme and coordinator. Rounds of
    a year may share a title: pk last keeps their order the same on every page."""
    return (
        Round.objects.for_preview(preview_for)
        .select_related("programme", "coordinator")
        .order_by("-year_id", "title", "pk")
    )


def public_rounds_with_documents(preview_for=None):
    return public_rounds(preview_for).prefetch_related(
        Prefetch("documents", queryset=listed_documents(preview_for))
    )


def public_years():
    return ArchiveYear.objects.published().annotate(
        meeting_count=Count("meetings", filter=published_condition(Meeting, "meetings__"))
    )


def public_meetings():
    """Published meetings with only what the lists show."""
    return Meeting.objects.published().for_listing()


def public_meetings_of(year):
    """The published meetings of `year`, a year the page has already found published."""
    return Meeting.objects.published_own().filter(year=year).for_listing()


def organisation_meetings(organisation):
    """The condition on meetings that are `organisation`'s: those it took part in (the
    meeting's list of participants). The one definition of "an organisation's meetings": its
    page lists and counts them, the meeting list's (so the API's and the exports')
    `?organizacja=` filter selects them, and they are what the organisation list counts, its
    calendar holds and an API meeting names as its `organizacje`. The meetings where it only
    submitted postulates are reached through its postulates."""
    return Q(pk__in=MeetingParticipant.objects.filter(organisation=organisation).values("meeting"))


def public_meeting_detail(preview_for=None):
    renames = DepartmentChange.objects.filter(
        published_condition(Department, "successor__")
    ).select_related("successor")
    departments = Department.objects.published().prefetch_related(
        Prefetch("successor_changes", queryset=renames)
    )
    return (
        Meeting.objects.for_preview(preview_for)
        .select_related("round__year", "programme")
        .prefetch_related(
            "dates",
            Prefetch("departments", queryset=departments),
            Prefetch("participants", queryset=Organisation.objects.published_own()),
            "people",
            Prefetch("documents", queryset=listed_documents(preview_for)),
        )
    )


def adjacent_meetings(meeting):
    """The published meetings just before and just after `meeting` in the archive's order."""
    earlier_same_year = (
        Q(starts_on__lt=meeting.starts_on) | Q(starts_on=meeting.starts_on, pk__lt=meeting.pk)
        if meeting.starts_on
        else Q(starts_on__isnull=False) | Q(starts_on__isnull=True, pk__lt=meeting.pk)
    )
    later_same_year = (
        Q(starts_on__gt=meeting.starts_on)
        | Q(starts_on=meeting.starts_on, pk__gt=meeting.pk)
        | Q(starts_on__isnull=True)
        if meeting.starts_on
        else Q(starts_on__isnull=True, pk__gt=meeting.pk)
    )
    candidates = Meeting.objects.published().only("year", "slug", "title", "starts_on")
    previous = (
        candidates.filter(Q(year__lt=meeting.year_id) | Q(earlier_same_year, year=meeting.year_id))
        .order_by(*REVERSE_CHRONOLOGICAL)
        .first()
    )
    following = (
        candidates.filter(Q(year__gt=meeting.year_id) | Q(later_same_year, year=meeting.year_id))
        .order_by(*CHRONOLOGICAL)
        .first()
    )
    return previous, following
