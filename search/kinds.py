"""The kinds of record the search finds, each declared once: how it is matched and ordered
(search.engine), loaded for a page of results and described as a hit (search.views,
search.hits), and loaded to rebuild its search text (search.indexing). Making a new model
searchable is one SearchKind here, plus its search_parts()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.rich_text import plain_text
from departments.models import Department
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    people_without_basis_of_meeting,
    year_label,
)
from organisations.models import Organisation
from postulates.models import Position, Postulate


@dataclass(frozen=True)
class SearchKind:
    key: str  # the value of ?typ= and the kind's name in the engine's query
    label: str
    plural: str
    model: type
    day: object  # expression: the date a result is shown and ordered by
    # Only what describe() reads, so a page of hits costs one query per kind (meetings'
    # departments are added by the view for meetings and documents alike).
    load_hits: Callable
    # (title, day, departments, text) of one record, for its hit.
    describe: Callable
    # What search_parts() reads, so rebuilding the text of many records costs no extra query.
    load_for_text: Callable = lambda records: records
    year_paths: tuple = ()
    programme_paths: tuple = ()
    postulate_path: str | None = None  # to the postulate: filtered by its answers' outcome
    titled: bool = False  # search_parts() begin with its `title` field (ranked higher)
    # Records that accumulate over the years: read newest first (search.engine.search).
    dated: bool = True


def public_names(departments):
    """The names of the public ones among `departments`: a hit never names a draft."""
    return ", ".join(
        department.name for department in departments if department and department.is_public
    )


# A department's name and what its is_public reads.
NAME_AND_STATE = ("name", "status", "published_at")


def named_department(path):
    """NAME_AND_STATE of the department at `path`."""
    return tuple(f"{path}__{field}" for field in NAME_AND_STATE)


def _meeting(meeting):
    departments = public_names(meeting.departments.all())
    return meeting.title, meeting.starts_on, departments, plain_text(meeting.topic)


def _document(document):
    if document.meeting_id:
        meeting = document.meeting
        day, departments = meeting.starts_on, public_names(meeting.departments.all())
    else:
        day, departments = None, public_names([document.round.coordinator])
    text = "" if document.file_text_withheld else document.text
    return document.title, day or document.published_at.date(), departments, text


def _postulate(postulate):
    title = gettext("Postulat nr %(number)s: %(title)s") % {
        "number": postulate.number,
        "title": (postulate.meeting or postulate.round).title,
    }
    day = postulate.meeting.starts_on if postulate.meeting_id else None
    return title, day, public_names([postulate.responsible_department]), postulate.content


def _position(position):
    title = gettext("Stanowisko (%(outcome)s) wobec postulatu nr %(number)s") % {
        "outcome": position.outcome.display_name,
        "number": position.postulate.number,
    }
    departments = public_names([position.department])
    return title, position.answered_on, departments, plain_text(position.justification)


KINDS = {
    kind.key: kind
    for kind in (
        SearchKind(
            key="spotkania",
            label=_("Spotkanie"),
            plural=_("Spotkania"),
            model=Meeting,
            day=F("starts_on"),
            year_paths=("year",),
            programme_paths=("programme", "round__programme"),
            titled=True,
            load_hits=lambda qs: qs.only("title", "slug", "year", "starts_on", "topic"),
            describe=_meeting,
            load_for_text=lambda qs: qs.select_related("programme", "round__year").prefetch_related(
                Prefetch(
                    "departments",
                    queryset=Department.objects.only(*NAME_AND_STATE, "abbreviation"),
                ),
                "participants",
            ),
        ),
        SearchKind(
            key="dokumenty",
            label=_("Dokument"),
            plural=_("Dokumenty"),
            model=Document,
            # The meeting's day, or the day it was published (DatedByMeeting.search_day).
            day=F("search_day"),
            year_paths=("meeting__year", "round__year"),
            programme_paths=(
                "meeting__programme",
                "meeting__round__programme",
                "round__programme",
            ),
            titled=True,
            load_hits=lambda qs: (
                qs.select_related("meeting", "round__coordinator", "accessibility_check")
                .only(
                    "title",
                    "slug",
                    "published_at",
                    "text",
                    "file",
                    # What the file's marker reads, as in lists (DocumentQuerySet.for_listing).
                    "accessibility_check__blocking",
                    "accessibility_check__findings",
                    "meeting__slug",
                    "meeting__year",
                    "meeting__starts_on",
                    "round__slug",
                    "round__year",
                    *named_department("round__coordinator"),
                )
                .prefetch_related(people_without_basis_of_meeting())
            ),
            describe=_document,
            load_for_text=lambda qs: qs.select_related("meeting").prefetch_related(
                people_without_basis_of_meeting()
            ),
        ),
        SearchKind(
            key="postulaty",
            label=_("Postulat"),
            plural=_("Postulaty"),
            model=Postulate,
            day=F("search_day"),  # the meeting's (DatedByMeeting); none raised in a round
            year_paths=("meeting__year", "round__year"),
            programme_paths=("programme",),
            postulate_path="pk",
            load_hits=lambda qs: qs.select_related(
                "meeting", "round", "responsible_department"
            ).only(
                "number",
                "content",
                "meeting__title",
                "meeting__starts_on",
                "round__title",
                *named_department("responsible_department"),
            ),
            describe=_postulate,
            load_for_text=lambda qs: qs.select_related("organisation"),
        ),
        SearchKind(
            key="stanowiska",
            label=_("Stanowisko"),
            plural=_("Stanowiska"),
            model=Position,
            day=F("answered_on"),
            year_paths=("postulate__meeting__year", "postulate__round__year"),
            programme_paths=("postulate__programme",),
            postulate_path="postulate",
            load_hits=lambda qs: qs.select_related("outcome", "department", "postulate").only(
                "answered_on",
                "justification",
                "outcome__name",
                "outcome__name_en",
                "postulate__number",
                *named_department("department"),
            ),
            describe=_position,
            load_for_text=lambda qs: qs.select_related("outcome"),
        ),
        SearchKind(
            key="lata",
            label=_("Rok archiwum"),
            plural=_("Lata archiwum"),
            model=ArchiveYear,
            day=Value(None),
            dated=False,
            year_paths=("year",),
            load_hits=lambda qs: qs.only("year", "intro"),
            describe=lambda year: (year_label(year.year), None, "", plain_text(year.intro)),
        ),
        SearchKind(
            key="organizacje",
            label=_("Organizacja"),
            plural=_("Organizacje"),
            model=Organisation,
            day=Value(None),
            dated=False,
            load_hits=lambda qs: qs.only("name", "slug"),
            describe=lambda organisation: (organisation.name, None, "", ""),
        ),
    )
}
