"""Form fields and widgets: the browser's date pickers for editors' forms, and those of the
public pages' filters and search, Django's own made cheap enough for every request."""

import datetime
import html

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """forms.Select with the same markup written in Python. Django renders every <option>
    through two templates: the organisation filter's 300 options cost a list page 30 ms, and
    the search form's 30 options a sixth of the search page's time. The options are chosen
    as Django's optgroups() chooses them, but written as plain strings (html.escape, what
    Django's escape() calls) without a dictionary per option and format_html's checks per
    argument, which were still most of a list page's 12 selects (about 20 ms)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        has_selected = False
        groups = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, list | tuple)
            options = []
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in chosen
                has_selected |= selected
                options.append(
                    f'<option value="{_escaped(subvalue)}"{" selected" if selected else ""}>'
                    f"{_escaped(sublabel)}</option>"
                )
            rendered = "".join(options)
            if grouped and option_value:
                rendered = f'<optgroup label="{_escaped(option_value)}">{rendered}</optgroup>'
            groups.append(rendered)
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget_attrs),
            mark_safe("".join(groups)),  # each part escaped by _escaped
        )


def _escaped(value):
    """What format_html writes for `value`: its own HTML if it is safe, else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class PlainQueryChoices(ModelChoiceIterator):
    """Reads the choices with one ordinary query. Django's iterator() opens a server-side
    cursor on PostgreSQL instead: four round trips for a dozen years, twice the time."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = PlainQueryChoices
    widget = Select


class _FilterChoices(django_filters.fields.ModelChoiceIterator, PlainQueryChoices):
    """django-filter's choices (which may add a "null" choice) read by PlainQueryChoices."""


class _FilterModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _FilterChoices
    widget = Select


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterModelChoiceField


class DateInput(forms.DateInput):
    """The browser's own date picker: a typed "30/06/2027" was refused by the text box; the
    picker shows the date the reader's way and sends it as 2027-06-30."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format="%Y-%m-%dT%H:%M"):
        super().__init__(attrs, format)


def to_the_minute(value):
    if isinstance(value, datetime.datetime):
        return value.replace(second=0, microsecond=0)
    return value


class MinuteDateTimeField(forms.DateTimeField):
    """A moment as the picker shows it: to the minute. A stored one may have seconds (a
    record published "now"); left as the picker showed it, it is unchanged, so the form does
    not count as changed (which would save every untouched row of a page) and the stored
    moment keeps its seconds (`keep_untouched_moments`)."""

    def has_changed(self, initial, data):
        return super().has_changed(to_the_minute(initial), data)


def keep_untouched_moments(form):
    """The stored moments of `form`'s MinuteDateTimeFields the editor did not change."""
    for name, field in form.fields.items():
        untouched = name not in form.changed_data and name in form.cleaned_data
        if isinstance(field, MinuteDateTimeField) and untouched:
            form.cleaned_data[name] = form.get_initial_for_field(field, name)
