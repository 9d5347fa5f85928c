"""The meeting's admin form: its archive year, checked against the meeting's days."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.models import ArchiveYear, Meeting

# The first year a programme of cooperation could prepare: the act on public benefit
# activity dates from 2003. The bound keeps a typo from founding a year like 226.
FIRST_YEAR = 2003
# The prefix of the meeting's days in the admin's form: their inline's default, the related
# name of MeetingDate.meeting.
DATES_PREFIX = "dates"


def posted_days(data, prefix=DATES_PREFIX):
    """The days a meeting will have once `data` (the admin's whole POST) is saved: its rows of
    dates, those marked for deletion left out. A day that does not parse is left to its row,
    which reports it."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return []
    day_field, delete_field = forms.DateField(required=False), forms.BooleanField(required=False)
    days = []
    for index in range(min(total, 1000)):  # Django's own cap on a formset's rows
        if delete_field.clean(data.get(f"{prefix}-{index}-DELETE")):
            continue
        try:
            day = day_field.clean(data.get(f"{prefix}-{index}-date"))
        except ValidationError:
            continue
        if day:
            days.append(day)
    return days


class MeetingForm(forms.ModelForm):
    """The year is typed, not chosen: an editor may start a year the archive does not have
    yet (a January meeting), which is then made as a draft for a coordinator to publish
    (MeetingAdmin.save_model). It must be the year of the meeting's first day, and is
    taken from it when left empty."""

    year = forms.IntegerField(
        label=_("Rok"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "vIntegerField"}),
        help_text=_(
            "Rok pierwszego dnia spotkania, także jesiennego, które przygotowuje program na "
            "następny rok. Puste – z terminu spotkania. Nowy rok archiwum powstanie jako "
            "szkic; opublikuje go koordynator."
        ),
    )

    class Meta:
        model = Meeting
        # The admin's fieldsets name the fields it shows; these are the same.
        fields = [
            "title",
            "kind",
            "year",
            "place",
            "is_online",
            "topic",
            "round",
            "programme",
            "status",
            "published_at",
            "slug",
            "editor_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_year = timezone.localdate().year + 1  # a meeting planned for next year
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=self.last_year)
        self.new_year = False

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not FIRST_YEAR <= year <= self.last_year:
            raise ValidationError(
                _("Podaj rok od %(first)d do %(last)d.")
                % {"first": FIRST_YEAR, "last": self.last_year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if "year" not in cleaned:  # refused above
            return cleaned
        year = cleaned["year"]
        days = sorted(posted_days(self.data))
        if days and year is None:
            year = days[0].year
        elif days and year != days[0].year:
            self.add_error(
                "year",
                _(
                    "Spotkanie zaczyna się %(day)s, więc należy do roku %(first)d, nie "
                    "%(year)d. Wpisz rok %(first)d albo popraw termin spotkania."
                )
                % {"day": date_format(days[0], "j E Y"), "first": days[0].year, "year": year},
            )
            return cleaned
        elif year is None:
            self.add_error(
                "year",
                _("Podaj rok albo termin spotkania: bez nich spotkanie nie ma miejsca w archiwum."),
            )
            return cleaned
        archive_year = ArchiveYear.objects.filter(pk=year).first()
        self.new_year = archive_year is None
        cleaned["year"] = archive_year or ArchiveYear(year=year)
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.new_year:
            # Not in the database until the meeting is saved (MeetingAdmin.save_model): there
            # is neither a year to find nor a meeting of that year to clash with.
            exclude.add("year")
        return exclude
