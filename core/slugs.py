from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# NFKD decomposition (used by slugify) strips the accents of ą, ć, ę, ń, ó, ś, ź, ż,
# but ł has no decomposition and would be dropped ("wydzia"), so it is mapped first.
SLUG_HELP_TEXT = _(
    "Tworzy się sama z nazwy, np. „spotkanie-branzowe-kultury”. Po zmianie dawny adres nadal "
    "prowadzi na tę stronę."
)
_POLISH_LETTERS = str.maketrans({"ł": "l", "Ł": "L"})


def polish_slugify(text, max_length=None):
    slug = slugify(str(text).translate(_POLISH_LETTERS))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def unique_slug(instance, text, queryset, field_name="slug"):
    """A transliterated slug for `instance`, suffixed -2, -3, ... if `queryset` already has it."""
    max_length = instance._meta.get_field(field_name).max_length
    base = polish_slugify(text, max_length=max_length - 4) or "bez-tytulu"
    taken = set(
        queryset.exclude(pk=instance.pk)
        .filter(**{f"{field_name}__startswith": base})
        .values_list(field_name, flat=True)
    )
    slug, suffix = base, 2
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug
