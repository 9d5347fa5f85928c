import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from search.engine import text_filter
from search.text import query_terms


class OrganisationFilter(django_filters.FilterSet):
    """The organisation list's filter; the parameter name is the Polish word in the URL."""

    nazwa = django_filters.CharFilter(
        label=_("Nazwa organizacji"),
        method="filter_name",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_name(self, queryset, name, value):
        # The search's own matching: word beginnings, without Polish letters or case mattering.
        return text_filter(queryset, query_terms(value))
