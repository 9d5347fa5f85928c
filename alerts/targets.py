"""What a subscription page offers to follow, read from its address: a public department,
organisation, postulate or year, the whole archive, or a filtered list's query string, checked
by the very filters the list page uses."""

import re
from dataclasses import dataclass

import django_filters
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.models import MAX_QUERY_LENGTH, Subscription
from core.control_characters import strip_forbidden_characters
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
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidFilters({"query": "too long"})
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


def describe(subscription, typed_text=True):
    """(what it follows, in words; the public page it follows).

    `typed_text=False` leaves out words typed into a list's search field: the confirmation
    goes to an address nobody has confirmed yet, and must not carry a stranger's text to it
    (a request's "search words" could be a phishing paragraph)."""
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
    query = subscription.query if typed_text else without_typed_text(kind, subscription.query)
    return (
        f"{described.noun}: {filters_in_words(kind, subscription.query, typed_text)}",
        f"{reverse(described.url_name)}?{query}".rstrip("?"),
    )


def typed_text_filters(kind):
    """Names of the list's filters whose value is typed, not chosen (the search words)."""
    return {
        name
        for name, declared in LISTS[kind].filterset_class.base_filters.items()
        if isinstance(declared, django_filters.CharFilter)
    }


def without_typed_text(kind, query):
    data = QueryDict(query, mutable=True)
    for name in typed_text_filters(kind):
        data.pop(name, None)
    return data.urlencode()


def filters_in_words(kind, query, typed_text=True):
    """ "Rok: 2025; Wydział lub jednostka: Wydział Kultury": the list's filters as its form
    labels and shows them. Typed words are quoted, on one line, cut short and stripped of
    characters that hide or reorder text; left out (named only) without `typed_text`."""
    filterset = list_filterset(kind, query)
    if not filterset.is_valid():
        return ""  # refused before it was ever saved; never echo the raw query
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", ()) or ())
        if name in typed_text_filters(kind):
            shown = (
                f"„{typed(value)}”"
                if typed_text
                else _("(pokażemy je po otwarciu linku potwierdzającego)")
            )
        else:
            shown = choices.get(value, value)
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


# Bidirectional controls and zero-width characters: they can make quoted text read as
# something else (U+202E reverses what follows).
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
TYPED_LENGTH = 60


def typed(text):
    """A visitor's typed words as a message may quote them: printable, one line, short."""
    return shorten(INVISIBLE.sub("", strip_forbidden_characters(text)), TYPED_LENGTH)


def shorten(text, length=120):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
