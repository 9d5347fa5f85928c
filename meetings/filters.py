import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import CHOICE_FIELDS, by_slug, published
from core.forms import ModelChoiceFilter, Select
from core.ownership import belonging_to
from departments.models import Department
from meetings.models import ArchiveYear, Meeting
from meetings.selectors import organisation_meetings
from organisations.models import Organisation
from postulates.models import Outcome, Postulate, PublicTaskArea
from programmes.models import Programme


def published_years(request):
    return ArchiveYear.objects.published().order_by("-year")


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
    rozstrzygniecie = by_slug(
        Outcome.objects.all(),
        _("Odpowiedź Miasta na postulat"),
        method="filter_outcome",
        help_text=_(
            "Spotkania, na których zgłoszono choć jeden postulat z taką odpowiedzią Miasta, "
            "np. „nieuwzględniony”."
        ),
    )
    # The organisation page's meetings (meetings.selectors.organisation_meetings): a journalist
    # compared the two numbers when this also took the meetings of its postulates.
    organizacja = by_slug(
        published(Organisation, *CHOICE_FIELDS),
        _("Organizacja"),
        method="filter_organisation",
        help_text=_(
            "Spotkania, w których organizacja uczestniczyła, jak na jej stronie. Jej postulaty, "
            "także z innych spotkań, pokazuje wykaz postulatów."
        ),
    )
    program = by_slug(published(Programme), _("Program współpracy"), field_name="programme")

    class Meta:
        model = Meeting
        fields = []

    def filter_department(self, queryset, name, department):
        return queryset.filter(pk__in=belonging_to(Meeting, department))

    def _with_postulates(self, queryset, **lookup):
        postulates = Postulate.objects.published().filter(**lookup)
        return queryset.filter(pk__in=postulates.values("meeting"))

    def filter_area(self, queryset, name, area):
        return self._with_postulates(queryset, area=area)

    def filter_outcome(self, queryset, name, outcome):
        # Only public answers count: a draft answer must not reveal itself through a filter.
        return self._with_postulates(queryset, positions__in=outcome.positions.published())

    def filter_organisation(self, queryset, name, organisation):
        return queryset.filter(organisation_meetings(organisation))
