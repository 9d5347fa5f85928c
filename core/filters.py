"""Builders of the public lists' filters (django-filter), shared by every app's FilterSet."""

from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceFilter

# What a select of records shows: its value (the slug) and its label (the name).
CHOICE_FIELDS = ("pk", "slug", "name")


# Choices are callables, evaluated for each request: "published" depends on the moment, so a
# queryset built once at import would keep hiding what was scheduled after start-up.
def published(model, *fields):
    """`model`'s published rows; with `fields`, only those loaded (a select of 300
    organisations loaded their search text too: 15 ms of a list page's CPU, 5 with their
    names and slugs only)."""
    if fields:
        return lambda request: model.objects.published().only(*fields)
    return lambda request: model.objects.published()


def by_slug(queryset, label, **options):
    """A select whose value in the URL is the chosen item's readable slug."""
    return ModelChoiceFilter(
        queryset=queryset,
        label=label,
        to_field_name="slug",
        empty_label=_("wszystkie"),
        **options,
    )
