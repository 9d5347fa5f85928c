from django import template

register = template.Library()


@register.filter
def plural_pl(count, forms):
    """'5'|plural_pl:"spotkanie,spotkania,spotkań" → "5 spotkań" (Polish has three forms)."""
    one, few, many = forms.split(",")
    count = int(count)
    if count == 1:
        form = one
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        form = few
    else:
        form = many
    return f"{count} {form}"
