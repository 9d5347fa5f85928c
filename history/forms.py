import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, Select
from departments.models import Department

# The longest period one page of the register covers: a year's changes are still a few
# thousand entries, read in a fixed number of queries per kind of record.
MAX_DAYS = 366
DEFAULT_DAYS = 30
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "RRRR-MM-DD", "size": 10})


class ChangeRegisterForm(forms.Form):
    """The register's filters, in the URL: ?od=2026-11-01&do=2026-11-30&wydzial=wydzial-kultury."""

    # Plain text, as 2026-11-01 (or 1.11.2026): a date picker is not in every browser a
    # resident may use, and the validator warns about it.
    od = forms.DateField(label=_("Od dnia"), required=False, widget=DATE)
    do = forms.DateField(label=_("Do dnia (włącznie)"), required=False, widget=DATE)
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
