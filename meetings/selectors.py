"""Reads of public meetings and documents shared by several pages: one place decides what is
prefetched, so no list can fall into N+1, and what "chronological" means."""

from django.db.models import Count, F, Prefetch, Q

from core.publishing import public_related, published_condition
from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Document, Meeting, Round
from organisations.models import Organisation

# A meeting's place in the archive: its year, then its first day (undated meetings last).
# "year_id", not "year": ordering by the foreign key would apply ArchiveYear's own
# (descending) ordering and silently reverse the direction.
CHRONOLOGICAL = ("year_id", F("starts_on").asc(nulls_last=True), "pk")
REVERSE_CHRONOLOGICAL = ("-year_id", F("starts_on").desc(nulls_first=True), "-pk")
# Lists show the newest year first and each year's meetings in the order they took place.
LISTING_ORDER = ("-year_id", *CHRONOLOGICAL[1:])


# What a meeting in a list shows.
LISTED_MEETING_FIELDS = (
    "year",
    "round",
    "kind",
    "title",
    "slug",
    "is_online",
    "starts_on",
    "round__title",
)


def public_documents(include_drafts=False):
    return Document.objects.visible(include_drafts).order_by("order", "pk")


def listed_documents(include_drafts=False):
    """The documents of a meeting or round the page has already found public, as lists show
    them: only what the document_link tag reads (a long PDF's extracted text can be hundreds
    of kilobytes; only the search reads it)."""
    documents = Document.objects.all() if include_drafts else Document.objects.released()
    return documents.order_by("order", "pk").only(
        "meeting",
        "round",
        "kind",
        "title",
        "slug",
        "file",
        "file_format",
        "file_size",
        "status",
        "published_at",
    )


def latest_documents(limit):
    return (
        Document.objects.published()
        .select_related("meeting", "round")
        .order_by("-published_at", "-pk")[:limit]
    )


def public_rounds(include_drafts=False):
    """Rounds with what every mention of one shows: its programme and coordinator."""
    return (
        Round.objects.visible(include_drafts)
        .select_related("programme", "coordinator")
        .order_by("-year_id", "title")
    )


def public_rounds_with_documents(include_drafts=False):
    return public_rounds(include_drafts).prefetch_related(
        Prefetch("documents", queryset=listed_documents(include_drafts))
    )


def with_meeting_count(rounds):
    """Only where the count is shown (a round's page): over a big year it is not free."""
    return rounds.annotate(
        meeting_count=Count("meetings", filter=published_condition(Meeting, "meetings__"))
    )


def public_years():
    return ArchiveYear.objects.published().annotate(
        meeting_count=Count("meetings", filter=published_condition(Meeting, "meetings__"))
    )


def public_meetings():
    """Published meetings with only what the lists show: see listed()."""
    return listed(Meeting.objects.published())


def public_meetings_of(year):
    """The published meetings of `year`, a year the page has already found published."""
    return listed(Meeting.objects.released().filter(year=year))


def grouped_by_public_round(meetings):
    """`meetings` ordered in groups by round, each with `round_heading`: its round's title
    when the round is public, else None. Meetings of a draft round and those of no round so
    make one group ("other meetings"), and a draft round's title is never read out."""
    return meetings.annotate(round_heading=public_related(Round, "round", "title")).order_by(
        F("round_heading").asc(nulls_last=True), F("starts_on").asc(nulls_last=True), "pk"
    )


def listed(meetings):
    """`meetings` with only what the lists show (the meeting_item tag): their public days,
    departments and documents in `public_dates`, `public_departments` and `public_documents`.
    An export that reads more widens the query with defer(None).

    Lists plain attributes rather than prefetched managers: Django builds a queryset per
    meeting and relation for a prefetched manager, which cost a year page a tenth of its time.
    """
    return (
        meetings.select_related("round")
        .only(*LISTED_MEETING_FIELDS)
        .prefetch_related(
            Prefetch("dates", to_attr="public_dates"),
            Prefetch(
                "departments",
                queryset=Department.objects.published().only("name", "slug"),
                to_attr="public_departments",
            ),
            Prefetch("documents", queryset=listed_documents(), to_attr="public_documents"),
        )
        .order_by(*LISTING_ORDER)
    )


def public_meeting_detail(include_drafts=False):
    renames = DepartmentChange.objects.filter(
        published_condition(Department, "successor__")
    ).select_related("successor")
    departments = Department.objects.published().prefetch_related(
        Prefetch("successor_changes", queryset=renames)
    )
    return (
        Meeting.objects.visible(include_drafts)
        .select_related("round__year", "programme")
        .prefetch_related(
            "dates",
            Prefetch("departments", queryset=departments),
            Prefetch("participants", queryset=Organisation.objects.published()),
            Prefetch("documents", queryset=listed_documents(include_drafts)),
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
