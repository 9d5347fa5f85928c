"""Filters only the API has: its list of positions holds every published answer, where the
public list of commitments (/postulaty/zobowiazania/) shows only the current answers that
commit the city to something. `zobowiazania=tak` narrows the API's list to exactly that
page's records, by the page's own definition (postulates.selectors.public_commitments)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import Select
from postulates.filters import CommitmentFilter
from postulates.selectors import public_commitments

COMMITMENTS_ONLY = "zobowiazania"


class PositionFilter(CommitmentFilter):
    zobowiazania = django_filters.ChoiceFilter(
        choices=[("tak", _("tylko obecne stanowiska z zobowiązaniem Miasta"))],
        label=_("Tylko zobowiązania"),
        help_text=_(
            "Bez tego filtru lista obejmuje wszystkie opublikowane stanowiska, także "
            "wcześniejsze odpowiedzi na ten sam postulat i te bez zobowiązania; z nim – te same "
            "rekordy co wykaz zobowiązań Miasta (/postulaty/zobowiazania/)."
        ),
        empty_label=_("wszystkie"),
        widget=Select,
        method="filter_commitments",
    )

    def filter_commitments(self, queryset, name, value):
        return queryset.filter(pk__in=public_commitments().values("pk"))
