from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, Select
from departments.models import Department
from meetings.models import ArchiveYear
from postulates.models import Outcome, PublicTaskArea
from search.kinds import KINDS

MAX_QUERY_LENGTH = 200
ANSWERS = ("rozstrzygniecie", "sfera")
FILTERS = ("rok", "wydzial", *ANSWERS)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Szukane słowa"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Zapytanie może mieć najwyżej %(limit_value)d znaków (ma %(show_value)d)."
            ),
            "null_characters_not_allowed": _("Zapytanie zawiera niedozwolone znaki."),
        },
    )
    typ = forms.ChoiceField(
        label=_("Rodzaj"),
        required=False,
        choices=[("", _("wszystko")), *((key, kind.plural) for key, kind in KINDS.items())],
        widget=Select,
    )
    rok = ModelChoiceField(
        label=_("Rok"),
        required=False,
        queryset=ArchiveYear.objects.none(),  # set per form: "published" depends on the time
        empty_label=_("wszystkie"),
    )
    wydzial = ModelChoiceField(
        label=_("Wydział lub jednostka"),
        required=False,
        queryset=Department.objects.none(),
        to_field_name="slug",
        empty_label=_("wszystkie"),
    )

    # Answers' filters, as the postulate list names them: they narrow the search to postulates
    # and positions.
    rozstrzygniecie = ModelChoiceField(
        label=_("Rozstrzygnięcie"),
        required=False,
        queryset=Outcome.objects.all(),
        to_field_name="slug",
        empty_label=_("wszystkie"),
    )
    sfera = ModelChoiceField(
        label=_("Sfera zadań publicznych"),
        required=False,
        queryset=PublicTaskArea.objects.all(),
        to_field_name="slug",
        empty_label=_("wszystkie"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rok"].queryset = ArchiveYear.objects.published().order_by("-year")
        self.fields["wydzial"].queryset = Department.objects.published()

    def filter_fields(self):
        """The fields that narrow a query, folded away under it on the page (a phone would
        otherwise show six fields before the first result)."""
        return [self[name] for name in ("typ", *FILTERS)]

    def filters_chosen(self):
        return self.is_bound and any(self.data.get(field.name) for field in self.filter_fields())

    def filter_errors(self):
        """Whether a folded field holds an error: the panel then opens to show it."""
        return any(field.errors for field in self.filter_fields())

    def is_empty(self):
        data = self.cleaned_data
        return not (data.get("q", "").strip() or any(data.get(name) for name in FILTERS))

    def answers(self):
        """The answers' filters chosen, as the postulate list's parameters."""
        return {
            name: self.cleaned_data[name].slug for name in ANSWERS if self.cleaned_data.get(name)
        }
