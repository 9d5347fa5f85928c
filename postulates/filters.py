import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import by_slug, published
from core.forms import ModelChoiceFilter, Select
from core.ownership import belonging_to
from departments.models import Department
from meetings.filters import published_years
from meetings.models import Meeting
from organisations.models import Organisation
from postulates.models import Outcome, Postulate, PublicTaskArea
from programmes.models import Programme


class PostulateFilter(django_filters.FilterSet):
    """Filters of the public postulate list; parameter names are the Polish words in the URL."""

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
            "odpowiedzialnym, więc podają mniejsze liczby."
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
    organizacja = by_slug(published(Organisation), _("Organizacja"), field_name="organisation")
    program = by_slug(published(Programme), _("Program współpracy"), field_name="programme")

    class Meta:
        model = Postulate
        fields = []

    def filter_year(self, queryset, name, year):
        return queryset.filter(Q(meeting__year=year) | Q(meeting__isnull=True, round__year=year))

    def filter_department(self, queryset, name, department):
        return queryset.filter(pk__in=belonging_to(Postulate, department))

    def filter_outcome(self, queryset, name, outcome):
        # Only public answers count: a draft answer must not reveal itself through a filter.
        answered = Postulate.objects.filter(positions__in=outcome.positions.published()).values(
            "pk"
        )
        return queryset.filter(pk__in=answered)
