import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ModelChoiceField, Select
from departments.models import Department

# The longest period one page of the register covers: a year's changes are still a few
# thousand entries, read in a fixed number of queries per kind of record.
MAX_DAYS = 366
DEFAULT_DAYS = 30
# Dates the register can be asked about: before the archive's first records there is nothing,
# and a date near the calendar's ends (9999-12-31) would overflow the day arithmetic.
FIRST_DATE = datetime.date(1990, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)
DATE_ERRORS = {
    "invalid": _(
        "Nie rozpoznano daty. Wybierz ją w kalendarzu albo wpisz jako RRRR-MM-DD, np. 2026-11-01."
    )
}


class ChangeRegisterForm(forms.Form):
    """The register's filters, in the URL: ?od=2026-11-01&do=2026-11-30&wydzial=wydzial-kultury."""

    # The browser's date picker, which sends 2026-11-01; a browser without one shows a text
    # box, where a typo gets the message above (a 400 page, never a 500).
    od = forms.DateField(
        label=_("Od dnia"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )
    do = forms.DateField(
        label=_("Do dnia (włącznie)"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )
    wydzial = ModelChoiceField(
        queryset=Department.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("Wydział lub jednostka"),
        empty_label=_("wszystkie"),
        widget=Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per request: "published" moves with the clock.
        self.fields["wydzial"].queryset = Department.objects.published()

    def clean_od(self):
        return self._within_range(self.cleaned_data.get("od"))

    def clean_do(self):
        return self._within_range(self.cleaned_data.get("do"))

    def _within_range(self, day):
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            raise forms.ValidationError(
                _("Podaj datę od %(first)s do %(last)s.")
                % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
            )
        return day

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        last = cleaned.get("do") or today
        first = cleaned.get("od") or last - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if "od" in self.errors or "do" in self.errors:
            return cleaned
        if first > last:
            raise forms.ValidationError(_("Data „od” jest późniejsza niż data „do”."))
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                _("Rejestr pokazuje naraz najwyżej %(days)s dni: skróć okres.") % {"days": MAX_DAYS}
            )
        cleaned["first_day"], cleaned["last_day"] = first, last
        return cleaned
