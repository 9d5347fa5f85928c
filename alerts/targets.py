"""What a subscription page offers to follow, read from its address: a public department,
organisation, postulate or year, the whole archive, or a filtered list's query string, checked
by the very filters the list page uses."""

from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.models import Subscription
from departments.models import Department
from meetings.filters import MeetingFilter
from meetings.models import ArchiveYear, Meeting, year_label
from organisations.models import Organisation
from postulates.filters import PostulateFilter
from postulates.models import Postulate

Kind = Subscription.Kind

# A list subscription matching more than this share of the archive's records of its kind would
# be the whole archive by other means: refused, with the archive's own subscription offered.
BROADEST_SHARE = 0.5


@dataclass(frozen=True)
class FilteredList:
    filterset_class: type
    model: type
    url_name: str
    noun: object


LISTS = {
    Kind.MEETING_LIST: FilteredList(
        MeetingFilter, Meeting, "meetings:list", gettext_lazy("Spotkania")
    ),
    Kind.POSTULATE_LIST: FilteredList(
        PostulateFilter, Postulate, "postulates:list", gettext_lazy("Postulaty")
    ),
}


class TooBroad(Exception):
    """The list's filters match most of the archive (or nothing narrows it at all)."""


class InvalidFilters(Exception):
    """The query string holds values the list's filters refuse."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def list_filterset(kind, query):
    described = LISTS[kind]
    data = QueryDict(query)
    return described.filterset_class(
        data, queryset=described.model.objects.published(), request=None
    )


def normalised_query(kind, querydict):
    """The parameters the list's filters read, non-empty, in a fixed order: the same list
    asked for twice is one subscription. The page number is not a filter."""
    names = LISTS[kind].filterset_class.base_filters
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        values = [value for value in querydict.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def check_list(kind, query):
    """Refuses a list subscription whose filters are invalid or match most of the archive."""
    if not query:
        raise TooBroad
    filterset = list_filterset(kind, query)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    model = LISTS[kind].model
    matched = filterset.qs.count()
    if matched > BROADEST_SHARE * model.objects.published().count():
        raise TooBroad
    return filterset


def refusal(subscription):
    """Why a list subscription cannot be made ("broad", "invalid"), or None."""
    if subscription.kind not in LISTS:
        return None
    try:
        check_list(subscription.kind, subscription.query)
    except TooBroad:
        return "broad"
    except InvalidFilters:
        return "invalid"
    return None


def subscription_for(kind, value=None, querydict=None):
    """An unsaved Subscription for what the page's address names; 404 for anything not public.
    A list's query string is normalised but not checked here (check_list)."""
    if kind == Kind.DEPARTMENT:
        return Subscription(
            kind=kind, department=get_object_or_404(Department.objects.published(), slug=value)
        )
    if kind == Kind.ORGANISATION:
        return Subscription(
            kind=kind,
            organisation=get_object_or_404(Organisation.objects.published(), slug=value),
        )
    if kind == Kind.POSTULATE:
        return Subscription(
            kind=kind, postulate=get_object_or_404(Postulate.objects.published(), pk=value)
        )
    if kind == Kind.YEAR:
        get_object_or_404(ArchiveYear.objects.published(), year=value)
        return Subscription(kind=kind, year=value)
    if kind == Kind.ARCHIVE:
        return Subscription(kind=kind)
    if kind in LISTS:
        return Subscription(kind=kind, query=normalised_query(kind, querydict or QueryDict()))
    raise Http404


def describe(subscription):
    """(what it follows, in words; the public page it follows)."""
    kind = subscription.kind
    if kind == Kind.DEPARTMENT:
        department = subscription.department
        return department.name, department.get_absolute_url()
    if kind == Kind.ORGANISATION:
        organisation = subscription.organisation
        return organisation.name, organisation.get_absolute_url()
    if kind == Kind.POSTULATE:
        postulate = subscription.postulate
        return (
            _("Postulat nr %(number)s: %(content)s")
            % {"number": postulate.number, "content": shorten(postulate.content)},
            postulate.get_absolute_url(),
        )
    if kind == Kind.YEAR:
        return year_label(subscription.year), reverse("meetings:year", args=[subscription.year])
    if kind == Kind.ARCHIVE:
        return _("Całe archiwum: nowe spotkania i dokumenty"), reverse("meetings:home")
    described = LISTS[kind]
    url = reverse(described.url_name)
    return (
        f"{described.noun}: {filters_in_words(kind, subscription.query)}",
        f"{url}?{subscription.query}",
    )


def filters_in_words(kind, query):
    """ "Rok: 2025; Wydział lub jednostka: Wydział Kultury": the list's filters as its form
    labels and shows them."""
    filterset = list_filterset(kind, query)
    if not filterset.is_valid():
        return query
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", ()) or ())
        shown = choices.get(value, value)
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def shorten(text, length=120):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
