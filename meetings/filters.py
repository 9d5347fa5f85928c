import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from krakow_ngo.forms import ModelChoiceFilter, Select
from meetings.models import ArchiveYear, Meeting
from organisations.models import Organisation
from postulates.models import Outcome, Postulate, PublicTaskArea
from programmes.models import Programme


# Choices are callables, evaluated for each request: "published" depends on the moment, so a
# queryset built once at import would keep hiding what was scheduled after start-up.
def published(model):
    return lambda request: model.objects.published()


def published_years(request):
    return ArchiveYear.objects.published().order_by("-year")


def by_slug(queryset, label, **options):
    """A select whose value in the URL is the chosen item's readable slug."""
    return ModelChoiceFilter(
        queryset=queryset,
        label=label,
        to_field_name="slug",
        empty_label=_("wszystkie"),
        **options,
    )


def lineage_ids(department):
    """A department with its former and later names: filtering by one means all of them."""
    return [relative.pk for relative in department.lineage()]


def owned_by(paths, model, department):
    """Records of `model` reaching one of the department's names along any of `paths`."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": lineage_ids(department)})
    return model.objects.filter(condition).values("pk")


class MeetingFilter(django_filters.FilterSet):
    """Filters of the public meeting list; parameter names are the Polish words in the URL."""

    rok = ModelChoiceFilter(
        field_name="year",
        queryset=published_years,
        label=_("Rok"),
        empty_label=_("wszystkie"),
    )
    wydzial = by_slug(published(Department), _("Wydział lub jednostka"), method="filter_department")
    rodzaj = django_filters.ChoiceFilter(
        field_name="kind",
        choices=Meeting.Kind.choices,
        label=_("Rodzaj"),
        empty_label=_("wszystkie"),
        widget=Select,
    )
    sfera = by_slug(
        PublicTaskArea.objects.all(), _("Sfera zadań publicznych"), method="filter_area"
    )
    rozstrzygniecie = by_slug(Outcome.objects.all(), _("Rozstrzygnięcie"), method="filter_outcome")
    organizacja = by_slug(published(Organisation), _("Organizacja"), method="filter_organisation")
    program = by_slug(published(Programme), _("Program współpracy"), field_name="programme")

    class Meta:
        model = Meeting
        fields = []

    def filter_department(self, queryset, name, department):
        return queryset.filter(pk__in=owned_by(["departments"], Meeting, department))

    def _with_postulates(self, queryset, **lookup):
        postulates = Postulate.objects.published().filter(**lookup)
        return queryset.filter(pk__in=postulates.values("meeting"))

    def filter_area(self, queryset, name, area):
        return self._with_postulates(queryset, area=area)

    def filter_outcome(self, queryset, name, outcome):
        # Only public answers count: a draft answer must not reveal itself through a filter.
        return self._with_postulates(queryset, positions__in=outcome.positions.published())

    def filter_organisation(self, queryset, name, organisation):
        submitted = Postulate.objects.published().filter(organisation=organisation)
        return queryset.filter(
            Q(pk__in=Meeting.objects.filter(participants=organisation).values("pk"))
            | Q(pk__in=submitted.values("meeting"))
        )
