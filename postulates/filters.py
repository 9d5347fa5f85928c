import django_filters
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from organisations.models import Organisation
from postulates.models import Outcome, Postulate, PublicTaskArea
from programmes.models import Programme


class PostulateFilter(django_filters.FilterSet):
    """Filters of the public postulate list; parameter names are the Polish words in the URL."""

    program = django_filters.ModelChoiceFilter(
        field_name="programme",
        to_field_name="slug",
        queryset=Programme.objects.published(),
        label=_("Program współpracy"),
        empty_label=_("wszystkie"),
    )
    organizacja = django_filters.ModelChoiceFilter(
        field_name="organisation",
        to_field_name="slug",
        queryset=Organisation.objects.published(),
        label=_("Organizacja"),
        empty_label=_("wszystkie"),
    )
    wydzial = django_filters.ModelChoiceFilter(
        field_name="responsible_department",
        to_field_name="slug",
        queryset=Department.objects.published(),
        label=_("Wydział właściwy"),
        empty_label=_("wszystkie"),
    )
    sfera = django_filters.ModelChoiceFilter(
        field_name="area",
        to_field_name="slug",
        queryset=PublicTaskArea.objects.all(),
        label=_("Sfera zadań publicznych"),
        empty_label=_("wszystkie"),
    )
    rozstrzygniecie = django_filters.ModelChoiceFilter(
        field_name="positions__outcome",
        to_field_name="slug",
        queryset=Outcome.objects.all(),
        label=_("Rozstrzygnięcie"),
        empty_label=_("wszystkie"),
        distinct=True,
    )

    class Meta:
        model = Postulate
        fields = []
