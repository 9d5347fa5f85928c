"""The statistics pages' numbers as CSV: one row per group and a total, the same numbers as
the page (counts, shares rounded to one decimal place, days to answer).

Like every export, the file is for a spreadsheet in Polish: fields are separated by a semicolon
(core.streaming), so fractions take the Polish decimal comma ("22,7"), which such a spreadsheet
reads as a number (a "22.7" it reads as a date or text). Shares are percent figures without
the sign; their columns say "(%)"."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.slugs import polish_slugify
from core.streaming import csv_document
from stats.tallies import outcome_categories


def decimal_comma(value):
    """A fraction as a Polish spreadsheet reads it; whole numbers and blanks as they are."""
    return str(value).replace(".", ",") if isinstance(value, Decimal) else value


def statistics_columns(dimension):
    columns = [
        (str(dimension.heading), lambda row: row[0]),
        (_("Postulaty"), lambda row: row[1].total),
    ]
    # A tally's shares come in the order of outcome_categories().
    for index, category in enumerate(outcome_categories()):
        label = str(category.label)
        columns += [
            (f"{label} (liczba)", lambda row, c=category: row[1].counts[c.value]),
            (f"{label} (%)", lambda row, i=index: decimal_comma(row[2][i].rounded_percent)),
        ]
    columns += [
        (_("Postulaty z odpowiedzią"), lambda row: row[1].answered),
        (_("Odpowiedzi z datami"), lambda row: row[1].timed),
        (_("Mediana dni do odpowiedzi"), lambda row: decimal_comma(row[1].median_days)),
        (_("Średnia dni do odpowiedzi"), lambda row: decimal_comma(row[1].mean_days)),
        (_("Najdłużej (dni)"), lambda row: row[1].max_days),
        (_("Postulaty bez odpowiedzi"), lambda row: row[1].unanswered),
        (
            _("Mediana dni oczekiwania bez odpowiedzi"),
            lambda row: decimal_comma(row[1].open_median_days),
        ),
        (_("Najdłużej bez odpowiedzi (dni)"), lambda row: row[1].open_max_days),
    ]
    return columns


def statistics_csv(breakdown):
    # (label, tally, its shares): the shares worked out once per row, not once per column.
    rows = [(group.label, group.tally, group.tally.shares()) for group in breakdown.groups]
    rows.append((_("Razem"), breakdown.total, breakdown.total.shares()))
    return "".join(csv_document(statistics_columns(breakdown.dimension), rows))


def csv_filename(dimension, form):
    """statystyki-wydzialy.csv, or with the filters: statystyki-wydzialy-2025-wydzial-kultury.csv"""
    parts = ["statystyki", dimension.slug]
    if form.is_bound:
        parts += [
            str(form.cleaned_data[name])
            for name in form.fields
            if form.cleaned_data.get(name) not in (None, "")
        ]
    return f"{polish_slugify('-'.join(parts), max_length=150)}.csv"
