"""Filters only the API has: its list of positions holds every published answer, where the
public list of commitments (/postulaty/zobowiazania/) shows only the current answers that
commit the city to something. `zobowiazania=tak` narrows the API's list to exactly that
page's records, by the page's own definition (postulates.selectors.public_commitments)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from api.pagination import MAX_ID
from core.forms import Select
from postulates.filters import CommitmentFilter
from postulates.models import PostulateLink
from postulates.selectors import public_commitments

COMMITMENTS_ONLY = "zobowiazania"


class RecordIdFilter(django_filters.NumberFilter):
    """A record's `id`: a whole number the database can hold ("5.5" or 2**64 is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def postulate_filter(help_text, **kwargs):
    return RecordIdFilter(label=_("Postulat"), help_text=help_text, **kwargs)


class PositionFilter(CommitmentFilter):
    # One postulate's answers without reading them all (its page lists them the same way).
    postulat = postulate_filter(
        _("Identyfikator postulatu (id z postulaty.json): jego stanowiska, obecne i wcześniejsze."),
        field_name="postulate_id",
    )
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


class PostulateLinkFilter(django_filters.FilterSet):
    postulat = postulate_filter(
        _(
            "Identyfikator postulatu (id z postulaty.json): jego powiązania, w których jest "
            "postulatem albo postulatem powiązanym."
        ),
        method="filter_either_side",
    )

    class Meta:
        model = PostulateLink
        fields = ()

    def filter_either_side(self, queryset, name, value):
        return queryset.filter(Q(from_postulate_id=value) | Q(to_postulate_id=value))
