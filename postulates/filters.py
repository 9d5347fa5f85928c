import django_filters
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import CHOICE_FIELDS, by_slug, published
from core.forms import ModelChoiceFilter, Select
from core.ownership import belonging_to
from departments.models import Department
from meetings.filters import published_years
from meetings.models import Meeting
from organisations.models import Organisation
from postulates.models import (
    CommitmentState,
    Outcome,
    Position,
    Postulate,
    PublicTaskArea,
    commitment_overdue_condition,
    commitment_state_condition,
    stale_pending_condition,
    with_history_in_other_years_condition,
)
from programmes.models import Programme
from search.engine import word_filter
from search.forms import MAX_QUERY_LENGTH
from search.text import query_terms
from stats.dimensions import Vocabularies
from stats.expressions import narrowed
from stats.snapshot import HISTORY_KEY, counted_postulates
from stats.tallies import outcome_categories

# What the "requires attention" filter offers: the current answer's overdue commitment, or an
# answer "in progress" for too long. {URL value: (label, condition on the current answer)}.
FOLLOW_UP = {
    "zobowiazanie-po-terminie": (
        _("zobowiązanie Miasta po terminie"),
        commitment_overdue_condition,
    ),
    "czeka-na-odpowiedz": (_("czeka na odpowiedź ostateczną"), stale_pending_condition),
}
# Each FOLLOW_UP value's key among the kept lists (stats.snapshot.FilteredListing).
FOLLOW_UP_KEYS = {value: number for number, value in enumerate(FOLLOW_UP, start=1)}


def kept_follow_up(at):
    """The (kept_id: postulate, kept_key: FOLLOW_UP_KEYS value) pairs filter_follow_up
    selects at `at`, each once (a postulate has one current answer): the kept lists'."""
    today = timezone.localdate(at)
    current = Position.objects.current(at).order_by()
    pairs = [
        current.filter(condition(today)).values(kept_id=F("postulate"), kept_key=Value(key))
        for value, key in FOLLOW_UP_KEYS.items()
        for _label, condition in [FOLLOW_UP[value]]
    ]
    return pairs[0].union(*pairs[1:], all=True)


def kept_key(name, value):
    """The key of a value of the postulate list's filter `name` among the kept lists
    (stats.snapshot.KEPT_FILTERS): a record's pk, or the number of a fixed choice."""
    if name == "uwaga":
        return FOLLOW_UP_KEYS[value]
    if name == "historia":
        return HISTORY_KEY
    return value.pk


def raised_in_year():
    """The year a postulate was raised in: its meeting's, or its round's when it was raised in
    a round (a meeting always has a year)."""
    return Coalesce("meeting__year", "round__year")


class PostulateFilter(django_filters.FilterSet):
    """Filters of the public postulate list; parameter names are the Polish words in the URL."""

    q = django_filters.CharFilter(
        label=_("Szukane słowa"), max_length=MAX_QUERY_LENGTH, method="filter_keyword"
    )
    rok = ModelChoiceFilter(
        queryset=published_years,
        label=_("Rok"),
        empty_label=_("wszystkie"),
        method="filter_year",
    )
    wydzial = by_slug(
        published(Department),
        _("Wydział związany z postulatem"),
        method="filter_department",
        help_text=_(
            "Wydział odpowiedzialny za postulat albo prowadzący spotkanie lub cykl spotkań, na "
            "którym go zgłoszono. Statystyki liczą każdy postulat raz, pod jednym wydziałem "
            "odpowiedzialnym, więc podają mniejsze liczby: te same pokazuje filtr „Wydział "
            "odpowiedzialny (jak w statystykach)”."
        ),
    )
    odpowiedzialny = by_slug(
        published(Department),
        _("Wydział odpowiedzialny (jak w statystykach)"),
        method="filter_responsible",
        help_text=_(
            "Tylko postulaty, które statystyki liczą pod tym wydziałem (z jego dawnymi "
            "nazwami): wydział odpowiedzialny za postulat, a gdy go nie podano, wydział, który "
            "odpowiedział, albo wydział prowadzący spotkanie."
        ),
    )
    rodzaj = django_filters.ChoiceFilter(
        field_name="meeting__kind",
        choices=Meeting.Kind.choices,
        label=_("Rodzaj spotkania"),
        empty_label=_("wszystkie"),
        widget=Select,
    )
    sfera = by_slug(PublicTaskArea.objects.all(), _("Sfera zadań publicznych"), field_name="area")
    rozstrzygniecie = by_slug(Outcome.objects.all(), _("Rozstrzygnięcie"), method="filter_outcome")
    organizacja = by_slug(
        published(Organisation, *CHOICE_FIELDS), _("Organizacja"), field_name="organisation"
    )
    program = by_slug(published(Programme), _("Program współpracy"), field_name="programme")
    # The statistics' own definitions, so each of their numbers links to a list that shows it.
    odpowiedz = django_filters.ChoiceFilter(
        # The categories are fixed (their labels translate when shown): a list, not a callable,
        # which django-filter's choice field cannot take the length of.
        choices=[(category.value, category.label) for category in outcome_categories()],
        label=_("Obecne stanowisko (jak w statystykach)"),
        empty_label=_("wszystkie"),
        widget=Select,
        method="filter_current_category",
        help_text=_(
            "Rodzaj rozstrzygnięcia w obecnym (najnowszym) stanowisku Miasta albo brak "
            "stanowiska: tak liczą statystyki. Filtr „Rozstrzygnięcie” pokazuje postulaty z "
            "takim rozstrzygnięciem w którymkolwiek stanowisku."
        ),
    )
    dotyczy_programu = by_slug(
        published(Programme),
        _("Program współpracy (jak w statystykach)"),
        method="filter_statistics_programme",
        help_text=_(
            "Postulaty dotyczące programu, a gdy go nie podano, zgłoszone na spotkaniu lub w "
            "cyklu, które ten program przygotowywały: tak liczą statystyki."
        ),
    )
    uwaga = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _condition) in FOLLOW_UP.items()],
        label=_("Wymaga uwagi"),
        empty_label=_("wszystkie"),
        widget=Select,
        method="filter_follow_up",
    )
    historia = django_filters.ChoiceFilter(
        choices=[("tak", _("ma historię w innych latach"))],
        label=_("Historia postulatu"),
        empty_label=_("wszystkie"),
        widget=Select,
        method="filter_history",
    )

    class Meta:
        model = Postulate
        fields = []

    def filter_keyword(self, queryset, name, text):
        # The search's own words and forms, so the list and its exports find what it finds
        # first; unranked, a list shows only the typed words' forms where the archive has them.
        terms = query_terms(text)
        if not terms:
            return queryset
        return queryset.filter(
            pk__in=word_filter(Postulate.objects.published(), terms).values("pk")
        )

    def filter_year(self, queryset, name, year):
        return queryset.alias(raised_in=raised_in_year()).filter(raised_in=year.pk)

    def filter_department(self, queryset, name, department):
        return queryset.filter(pk__in=belonging_to(Postulate, department))

    def filter_responsible(self, queryset, name, department):
        # The statistics' own attribution, so the list reproduces their count.
        at = timezone.now()
        group = Vocabularies(at).department_group(department)
        return queryset.filter(counted_postulates(at, departments=group))

    def filter_current_category(self, queryset, name, category):
        return queryset.filter(counted_postulates(timezone.now(), category=category))

    def filter_statistics_programme(self, queryset, name, programme):
        return narrowed(queryset, {"programme": programme.pk}, timezone.now())

    def filter_follow_up(self, queryset, name, key):
        _label, condition = FOLLOW_UP[key]
        answers = Position.objects.current().filter(condition())
        return queryset.filter(pk__in=answers.values("postulate"))

    def filter_history(self, queryset, name, value):
        return queryset.filter(with_history_in_other_years_condition())

    def filter_outcome(self, queryset, name, outcome):
        # Only public answers count: a draft answer must not reveal itself through a filter.
        answered = Postulate.objects.filter(positions__in=outcome.positions.published()).values(
            "pk"
        )
        return queryset.filter(pk__in=answered)


class CommitmentFilter(django_filters.FilterSet):
    """Filters of the public list of commitments (Polish words in the URL, as on the postulate
    list): where each stands today, who answers for it, whose postulate it answers, the year that
    postulate was raised."""

    stan = django_filters.ChoiceFilter(
        choices=CommitmentState.choices,
        label=_("Stan zobowiązania"),
        empty_label=_("wszystkie"),
        widget=Select,
        method="filter_state",
    )
    wydzial = by_slug(published(Department), _("Wydział lub jednostka"), method="filter_department")
    organizacja = by_slug(
        published(Organisation, *CHOICE_FIELDS),
        _("Organizacja"),
        field_name="postulate__organisation",
    )
    rok = ModelChoiceFilter(
        queryset=published_years,
        label=_("Rok zgłoszenia postulatu"),
        empty_label=_("wszystkie"),
        method="filter_year",
    )

    class Meta:
        model = Position
        fields = []

    def filter_state(self, queryset, name, state):
        return queryset.filter(commitment_state_condition(CommitmentState(state)))

    def filter_department(self, queryset, name, department):
        return queryset.filter(pk__in=belonging_to(Position, department))

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            Q(postulate__meeting__year=year)
            | Q(postulate__meeting__isnull=True, postulate__round__year=year)
        )
