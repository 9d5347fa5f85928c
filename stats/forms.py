from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Select


class StatisticsFilterForm(forms.Form):
    """Filters of the statistics pages and files; parameter names are the Polish words in the
    URL. A value that names nothing public is an error, never a silently broader count."""

    rok = forms.TypedChoiceField(label=_("Rok"), coerce=int, required=False, widget=Select)
    wydzial = forms.ChoiceField(
        label=_("Wydział odpowiedzialny"),
        help_text=_(
            "Każdy postulat liczymy raz, pod jednym wydziałem odpowiedzialnym (zob. „Jak "
            "liczymy”). Filtr „Wydział związany z postulatem” w wykazie postulatów obejmuje też "
            "wydziały prowadzące spotkanie, więc pokazuje więcej postulatów; filtr „Wydział "
            "odpowiedzialny (jak w statystykach)” pokazuje te same, co tu."
        ),
        required=False,
        widget=Select,
    )
    sfera = forms.ChoiceField(label=_("Sfera zadań publicznych"), required=False, widget=Select)
    program = forms.ChoiceField(label=_("Program współpracy"), required=False, widget=Select)

    def __init__(self, *args, vocabularies, without=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabularies = vocabularies
        everything = [("", _("wszystkie"))]
        departments = {d.slug: d for d in vocabularies.departments.values()}
        self.fields["rok"].choices = everything + [(y, y) for y in vocabularies.years]
        # The select offers each department under its latest name; an address with a former
        # name's slug (a department page links its own) is valid and means the same group.
        self.fields["wydzial"].choices = everything + [
            (d.slug, d.name) for d in vocabularies.department_heads
        ]
        self.fields["wydzial"].valid_value = lambda value: value in departments
        self.fields["sfera"].choices = everything + [
            (a.slug, a.display_name) for a in vocabularies.areas
        ]
        self.fields["program"].choices = everything + [
            (p.slug, p.short_name) for p in vocabularies.programmes
        ]
        self.departments = departments
        if without:
            del self.fields[without]

    def filters(self):
        """{dimension field: value} of the chosen filters, for stats.selectors.breakdown()."""
        data, chosen = self.cleaned_data, {}
        if data.get("rok") not in (None, ""):
            chosen["year"] = data["rok"]
        if data.get("wydzial"):
            chosen["department"] = self.vocabularies.department_group(
                self.departments[data["wydzial"]]
            )
        if data.get("sfera"):
            chosen["area"] = next(a.pk for a in self.vocabularies.areas if a.slug == data["sfera"])
        if data.get("program"):
            chosen["programme"] = next(
                p.pk for p in self.vocabularies.programmes if p.slug == data["program"]
            )
        return chosen

    def list_filters(self):
        """The chosen filters as the postulate list's parameters, of the same definitions
        (the responsible department as `odpowiedzialny`, the programme as `dotyczy_programu`:
        see stats.dimensions.list_filters)."""
        data = self.cleaned_data
        chosen = {"rok": data.get("rok"), "odpowiedzialny": data.get("wydzial")}
        chosen["sfera"] = data.get("sfera")
        chosen["dotyczy_programu"] = data.get("program")
        return {name: value for name, value in chosen.items() if value not in (None, "")}

    def described(self):
        """The chosen filters in words, for the page's title ("2025, Wydział Kultury")."""
        data, parts = self.cleaned_data, []
        if data.get("rok") not in (None, ""):
            parts.append(str(data["rok"]))
        if data.get("wydzial"):
            department = self.departments[data["wydzial"]]
            head = self.vocabularies.department_group_of[department.pk]
            parts.append(self.vocabularies.departments[head].name)
        for name, items, label in (
            ("sfera", self.vocabularies.areas, "display_name"),
            ("program", self.vocabularies.programmes, "short_name"),
        ):
            if data.get(name):
                parts.append(next(getattr(i, label) for i in items if i.slug == data[name]))
        return ", ".join(parts)
