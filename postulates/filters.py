import django_filters
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from organisations.models import Organisation
from postulates.models import Outcome, Postulate, PublicTaskArea
from programmes.models import Programme


def by_slug(field_name, queryset, label, **options):
    """A select filter whose value in the URL is the chosen item's readable slug."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=queryset,
        label=label,
        empty_label=_("wszystkie"),
        **options,
    )


class PostulateFilter(django_filters.FilterSet):
    """Filters of the public postulate list; parameter names are the Polish words in the URL."""

    program = by_slug("programme", Programme.objects.published(), _("Program współpracy"))
    organizacja = by_slug("organisation", Organisation.objects.published(), _("Organizacja"))
    wydzial = by_slug(
        "responsible_department", Department.objects.published(), _("Wydział właściwy")
    )
    sfera = by_slug("area", PublicTaskArea.objects.all(), _("Sfera zadań publicznych"))
    rozstrzygniecie = by_slug(
        "positions__outcome", Outcome.objects.all(), _("Rozstrzygnięcie"), distinct=True
    )

    class Meta:
        model = Postulate
        fields = []
