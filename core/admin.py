"""Admin pieces shared by every app's ModelAdmin: history, department scoping, export."""

from collections import Counter
from contextlib import nullcontext
from functools import cached_property, partial

import reversion
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AdminFileWidget, AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals

from core.control_characters import guard_text_field
from core.forms import DateInput, DateTimeInput, MinuteDateTimeField, keep_untouched_moments
from core.history import changes_on_revert, revert, revert_plan
from core.ownership import is_owned
from core.publishing import Status, published_own_condition, scheduled_condition
from core.scoping import (
    answering_department_ids,
    changeable,
    is_coordinator,
    may_change,
    revision_records_outside_scope,
    scope_queryset,
)
from core.streaming import csv_document

PUBLICATION_FIELDSET = (
    _("Publikacja"),
    {
        "fields": ("status", "published_at"),
        "description": _(
            "Szkic widzi tylko redakcja (podgląd na stronie publicznej). Opublikowany wpis "
            "z datą w przyszłości pojawi się sam o tej godzinie."
        ),
    },
)

# The publication fieldset of a record with a record card: who prepared the information too.
PREPARED_BY_FIELDSET = (
    PUBLICATION_FIELDSET[0],
    {**PUBLICATION_FIELDSET[1], "fields": ("status", "published_at", "prepared_by")},
)


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete naming its chosen record from the one the form's instance already
    holds (select_related on a page of inline forms), not with a query per form."""

    loaded = None  # set per form by KeepsCurrentChoices: the instance's related record

    def optgroups(self, name, value, attr=None):
        # A value typed by hand that is no key at all ("abc") names no record, like a missing
        # one: Django's own lookup of it would fail the whole page.
        value = [v for v in value if self.is_key(v)]
        loaded = self.loaded
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if loaded is None or chosen != {str(loaded.pk)}:
            return super().optgroups(name, value, attr)  # a value typed since: look it up
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(loaded)
        options.append(self.create_option(name, loaded.pk, label, chosen, len(options)))
        return [(None, options, 0)]

    def is_key(self, value):
        return is_storable_key(self.field.target_field, value)


def is_storable_key(field, value):
    """Whether `value` can be a value of the key `field` at all: a number for a numeric key,
    within the database's range (a forged "99999999999999999999" would fail the query)."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return True


def admin_search_words(search_term):
    """The words (or quoted phrases) of an admin search, split as the admin's own search
    (ModelAdmin.get_search_results) splits them, for a model admin that builds its own."""
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        yield word


class KeysFirstPaginator(Paginator):
    """A changelist's pages of a big table: the page's keys first, from the sorted keys
    alone (an index, or a sort of narrow rows), then only those rows with what the columns
    join. Slicing the whole query instead joined and sorted every row before the page's:
    seconds for a late page of 100,000 postulates."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().in_bulk(keys)
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class KeyCheckedModelChoiceField(forms.ModelChoiceField):
    """A value that cannot be a key is an invalid choice, not a database error."""

    def to_python(self, value):
        key_field = self.queryset.model._meta.get_field(self.to_field_name or "pk")
        if value not in self.empty_values and not is_storable_key(key_field, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeepsCurrentChoices:
    """A form whose department-owned choices also offer the value its record already has: an
    editor's meeting that a coordinator put in another department's round keeps it on save
    (it can be cleared, not changed to another foreign round)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not getattr(field, "narrowed_to_editor", False):
                continue
            current = getattr(self.instance, f"{name}_id", None)
            if current is not None:
                field.queryset = field.queryset | field.queryset.model.objects.filter(pk=current)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
            if isinstance(widget, LoadedAutocompleteSelect) and self.instance.pk:
                widget.loaded = getattr(self.instance, name, None)


# The hidden field carrying what the form's records looked like when the page was opened.
OPENED_VERSION_FIELD = "wersja_przy_otwarciu"


class RefusesStaleSaves:
    """Saves nothing over a change made since the page was opened, by another editor or by
    the same one in another tab: a form posts back every value it showed, so saving it
    would silently restore what the other save changed. The form says so instead and keeps
    what was typed. A form that writes more than its record (a postulate with its answer)
    lists the others in `also_saved_records()`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_when_loaded = self.records_version()
        if self.version_when_loaded:
            self.fields[OPENED_VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False
            )
            self.initial[OPENED_VERSION_FIELD] = self.version_when_loaded

    def versioned_records(self):
        if not self.instance.pk:
            return []
        also_saved = getattr(self, "also_saved_records", None)
        return [self.instance, *(also_saved() if also_saved else [])]

    def records_version(self):
        stamps = [
            f"{record._meta.label}:{record.pk}:{record.updated_at.timestamp()}"
            for record in self.versioned_records()
            if record is not None and getattr(record, "updated_at", None) is not None
        ]
        return " ".join(stamps)

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != OPENED_VERSION_FIELD]

    def clean(self):
        cleaned = super().clean()
        keep_untouched_moments(self)
        opened = self.data.get(self.add_prefix(OPENED_VERSION_FIELD))
        if opened and opened != self.version_when_loaded and self.has_changed():
            raise forms.ValidationError(
                _(
                    "Nie zapisano: ten wpis ktoś zmienił po otwarciu tej strony (%(when)s) – inna "
                    "osoba albo Ty w innej karcie. Zapisanie nadpisałoby tamtą zmianę. Skopiuj "
                    "swoje zmiany z tego formularza, otwórz stronę ponownie i wprowadź je jeszcze "
                    "raz."
                )
                % {"when": self.last_change_label()},
                code="stale",
            )
        return cleaned

    def last_change_label(self):
        latest = max(
            record.updated_at
            for record in self.versioned_records()
            if record is not None and getattr(record, "updated_at", None) is not None
        )
        return date_format(timezone.localtime(latest), "j E Y, H:i")


def keeping_current_choices(form_class):
    """The admin's form: choices kept (KeepsCurrentChoices), stale saves refused."""
    return type(form_class.__name__, (KeepsCurrentChoices, RefusesStaleSaves, form_class), {})


def chosen_beyond_department(model):
    """Foreign keys of `model` that may name another department's public record (a meeting
    joins a round another department coordinates): declared on the model."""
    return getattr(model, "chosen_beyond_department", ())


def autocompleted_for(request):
    """(model, field name) an admin autocomplete request fills in, or None."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return None
    return model, request.GET.get("field_name", "")


class LoadedAutocompleteMixin:
    """An admin (or inline) whose autocompletes are LoadedAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedChoicesMixin(LoadedAutocompleteMixin):
    """Choices of department-owned records offered in a form are only the editor's own, so a
    forged form value cannot attach a record to another department's meeting or round."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if db_field.name in chosen_beyond_department(db_field.model):
            formfield.queryset = formfield.queryset.for_preview(request.user)
            formfield.narrowed_to_editor = True
        elif is_owned(db_field.related_model):
            formfield.queryset = scope_queryset(formfield.queryset, request.user)
            formfield.narrowed_to_editor = True
        elif db_field.name in getattr(db_field.model, "speaks_for", ()):
            # The department in whose name a record speaks (an answer's): only the editor's own.
            ids = answering_department_ids(request.user)
            if ids is not None:
                formfield.queryset = formfield.queryset.filter(pk__in=ids)
                formfield.narrowed_to_editor = True
        return formfield

    def get_form(self, request, obj=None, **kwargs):  # a ModelAdmin's form
        return keeping_current_choices(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):  # an inline's forms
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = keeping_current_choices(formset.form)
        return formset


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline lists only the records the editor may work on, so a forged row id cannot
    reach another department's (an answer another department gave on a joint meeting): the
    formset refuses an id outside its queryset."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)


def choice_label(record):
    """How a choice in an editor's form names `record`: its `choice_label()` when its model
    has one (a department's former name says so), else its name."""
    label = getattr(record, "choice_label", None)
    return label() if label else str(record)


class ChoiceLabelAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, naming its results as the form's choices do (choice_label)."""

    def serialize_result(self, obj, to_field_name):
        return {**super().serialize_result(obj, to_field_name), "text": choice_label(obj)}


# The most a long text field of a form takes (some 25 pages; the archive's longest is under
# 1,000 characters): a whole document pasted in belongs in a file.
TEXT_MAX_LENGTH = 50_000


class PlainTextMixin:
    """Every text field of a model's form refuses control characters, which would break the
    feeds showing the text; dates and times use the browser's pickers; choices of records
    are named by `choice_label`. For ModelAdmins and inlines alike; fields a form declares
    itself are not built here: they call `guard_text_field` and use `DateInput` themselves."""

    formfield_overrides = {
        models.DateTimeField: {"form_class": MinuteDateTimeField, "widget": DateTimeInput},
        models.DateField: {"widget": DateInput},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        text = isinstance(db_field, models.TextField) and isinstance(formfield, forms.CharField)
        if text and formfield.max_length is None:
            formfield.max_length = TEXT_MAX_LENGTH
            formfield.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            formfield.widget.attrs["maxlength"] = str(TEXT_MAX_LENGTH)
        if isinstance(formfield, forms.CharField):
            guard_text_field(formfield)
        if isinstance(formfield, forms.ModelChoiceField):  # and ModelMultipleChoiceField
            formfield.label_from_instance = choice_label
        return formfield


class LinkedFile:
    """A stored file as the admin's file input names it: its name, linked to `url`."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class CheckedFileInput(AdminFileWidget):
    """The admin's file input whose "Teraz:" link opens the stored file through
    `file_url(record)`, a view that checks who may have it. Django links the file's /media/
    address, which production does not serve (it would skip every check)."""

    def __init__(self, file_url, attrs=None):
        super().__init__(attrs)
        self.file_url = file_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = LinkedFile(value.name, self.file_url(value.instance))
        return context


def _lowercase_label(label):
    # "Treść" reads "treść" after a row's name; "NIP" stays as it is.
    label = str(label)
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def error_summary(form, inline_admin_formsets=()):
    """Every error of an admin form and its inlines' rows, as (text, anchor) pairs for the
    list at the top of the page: ("Postulat nr 3 – treść: To pole jest wymagane.",
    "id_postulates-2-content"). The anchor is the field's id, else its row's or inline's
    (Django's inline templates give rows the id "<prefix>-<index>"). The form's own
    non-field errors are left out: Django shows them above the list."""
    summary = []

    def field_errors(form, prefix, row_anchor):
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                if prefix:  # a row's own: the form's are above the list already
                    summary.extend(_summary_item(prefix, error, row_anchor) for error in errors)
                continue
            field = form[name]
            label = _lowercase_label(field.label) if prefix else field.label
            anchor = row_anchor if field.is_hidden else field.id_for_label or row_anchor
            for error in errors:
                head = f"{prefix} – {label}" if prefix else label
                summary.append(_summary_item(head, error, anchor))

    field_errors(form, "", None)
    for inline_admin_formset in inline_admin_formsets:
        inline, formset = inline_admin_formset.opts, inline_admin_formset.formset
        for error in formset.non_form_errors():
            head = capfirst(inline.verbose_name_plural)
            summary.append(_summary_item(head, error, f"{formset.prefix}-group"))
        row_label = getattr(inline, "row_label", None)
        for index, row in enumerate(formset.forms):
            if not row.errors:
                continue
            name = (row_label and row_label(row)) or f"{capfirst(inline.verbose_name)} {index + 1}"
            field_errors(row, name, f"{formset.prefix}-{index}")
    return summary


def _summary_item(head, error, anchor):
    """("head: error", anchor) for error_summary. An error given as safe markup (one naming
    the record in the way, with a link to it) keeps its markup, and then only the head links
    to the field: a link may not hold another. Anything else stays text, escaped on output."""
    if not isinstance(error, SafeData):
        return f"{head}: {error}", anchor
    if anchor is None:
        return format_html("{}: {}", head, error), None
    return format_html('<a href="#{}">{}</a>: {}', anchor, head, error), None


def mark_unsaved_files(forms_shown):
    """A file chosen in a page sent back with errors (in any of its forms) is not kept (a
    browser never refills a file input): its field says so, by the file's name, so the
    editor picks it again rather than saving the rest without it."""
    if not any(form.is_bound and form.errors for form in forms_shown):
        return
    for form in forms_shown:
        for name, field in form.fields.items():
            upload = form.files.get(form.add_prefix(name))
            if isinstance(field, forms.FileField) and upload and name not in form.errors:
                form.add_error(name, UNSAVED_FILE % {"name": upload.name})


UNSAVED_FILE = _(
    "Wybrany plik „%(name)s” nie został zapisany, bo formularz ma błędy. Popraw je i wybierz "
    "plik ponownie przed zapisaniem."
)


class ErrorSummaryMixin:
    """A change page with errors lists them all at the top, each a link to its field
    (templates/admin/change_form.html): on a long page with inlines an error far below
    the fold, or in a folded part, is otherwise hard to find."""

    def render_change_form(self, request, context, *args, **kwargs):
        if "adminform" in context:
            forms_shown = [context["adminform"].form] + [
                inline_form
                for inline in context.get("inline_admin_formsets", ())
                for inline_form in inline.formset.forms
            ]
            mark_unsaved_files(forms_shown)
            if "errors" in context:  # counted before the files were marked: count them again
                context["errors"] = helpers.AdminErrorList(
                    context["adminform"].form,
                    [inline.formset for inline in context.get("inline_admin_formsets", ())],
                )
            context["error_summary"] = error_summary(
                context["adminform"].form, context.get("inline_admin_formsets", ())
            )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.action(description=_("Eksportuj zaznaczone do CSV"), permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    opts = queryset.model._meta
    fields = [f for f in opts.concrete_fields if f.name not in {"is_sample"}]
    # Written by the public exports' CSV writer, so cells a spreadsheet would run as formulas
    # are neutralised by the same rule (core.streaming.csv_value).
    columns = [(str(f.verbose_name), partial(_export_value, field=f)) for f in fields]
    response = HttpResponse(
        "".join(csv_document(columns, queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{opts.model_name}.csv"'
    return response


def _export_value(obj, field):
    value = getattr(obj, field.name)
    if field.is_relation:
        return "" if value is None else str(value)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return "" if value is None else value


def _autocompletes_a_speaking_department(request):
    """Whether `request` asks the admin's autocomplete for a field in some model's
    `speaks_for` (an answer's department)."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return False
    try:
        model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return False
    return request.GET.get("field_name") in getattr(model, "speaks_for", ())


def is_changelist(request):
    """Whether `request` asks for an admin list page (not a form, autocomplete or export)."""
    match = request.resolver_match
    return match is not None and match.url_name.endswith("_changelist")


class RelatedInListFilter(admin.RelatedFieldListFilter):
    """RelatedOnlyFieldListFilter's choices (the related records the editor's list names),
    asked for each related record through its foreign key's index (EXISTS) rather than by
    collecting DISTINCT keys over the whole list: cheap on a list of 100,000 postulates."""

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).filter(**{self.field_path: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(Exists(listed)), ordering=ordering
        )


class ArchiveAdmin(ErrorSummaryMixin, PlainTextMixin, ScopedChoicesMixin, VersionAdmin):
    """Every change is recorded (django-reversion); department-owned records are scoped."""

    actions = [export_as_csv]
    change_list_template = "admin/archive_change_list.html"
    # Lists of 100,000 rows: counting the whole table a second time ("of 100000 in total")
    # and counting every filter choice (facets) cost seconds a page, for numbers nobody reads.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        # Named in the plural, where Django's "Wybierz organizacja do zmiany" can't decline.
        title = (
            _("%(models)s – wybierz, aby zmienić")
            if self.has_change_permission(request)
            else _("%(models)s – wybierz, aby obejrzeć")
        )
        context = {
            "can_recover": is_coordinator(request.user),
            "title": title % {"models": capfirst(self.opts.verbose_name_plural)},
            **(extra_context or {}),
        }
        try:
            return super().changelist_view(request, context)
        except DisallowedModelAdminLookup:
            # A filter from an edited or old address: the whole list, saying so, rather than
            # the public site's 400 page.
            messages.warning(request, _("Nie można tak filtrować tej listy. Pokazano całą listę."))
            return redirect(request.path)

    def get_queryset(self, request):
        source = autocompleted_for(request)
        if source and source[1] in chosen_beyond_department(source[0]):
            # What the form accepts there (ScopedChoicesMixin): any public record, own drafts.
            return super().get_queryset(request).for_preview(request.user)
        return scope_queryset(super().get_queryset(request), request.user)

    # A shared record another department's records name (an organisation) opens read-only
    # for an editor: changing it would change that department's pages.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or may_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or may_change(request.user, obj)
        )

    def response_action(self, request, queryset):
        # Selected ids that cannot be keys ("abc", a forged 20-digit number) select nothing.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        keys = [v for v in selected if is_storable_key(self.model._meta.pk, v)]
        if keys != selected:
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, keys)
        return super().response_action(request, queryset)

    # Said on the page of a record the editor may see but not change (core.scoping).
    read_only_message = _(
        "Ten wpis wskazują także materiały innych wydziałów, więc zmienić go (albo ukryć) może "
        "tylko koordynator. Poproś koordynatora o zmianę."
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        if obj is not None and not may_change(request.user, obj):
            messages.info(request, self.read_only_message)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if fields and any(f.name == "search_text" for f in self.model._meta.get_fields()):
            # Words typed without Polish letters ("seniorow") find "seniorów", as in the
            # public search: its folded text of the record (search.models.FoldedContains).
            return (*fields, "search_text__folded")
        return fields

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _autocompletes_a_speaking_department(request):
            ids = answering_department_ids(request.user)
            if ids is not None:  # offer only what the form will accept (ScopedChoicesMixin)
                queryset = queryset.filter(pk__in=ids)
        return queryset, may_have_duplicates

    def delete_model(self, request, obj):
        self._record_before_deleting(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_before_deleting(request, queryset)
        super().delete_queryset(request, queryset)

    def _record_before_deleting(self, request, objs):
        # Recovery restores a record from its last recorded version; records that never went
        # through the admin (bulk loads, imports) would have none without this snapshot.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Stan przed usunięciem."))
            for obj in objs:
                reversion.add_to_revision(obj)

    def _check_in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404(_("Nie ma takiego wpisu albo nie należy do Twojego wydziału."))

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    # Reverting and recovering: reversion's pages, but what a revert will change is listed
    # first, and the revert follows core.history (a revision lists the unchanged records it
    # keeps no version of, and the revert restores them too).
    revision_form_template = "admin/history/revision_form.html"
    recover_form_template = "admin/history/recover_form.html"

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Checked before anything is reverted (it is reverted even to show the form, inside a
        # rolled-back transaction): a revert must never touch a record outside the editor's
        # departments. A revision can hold several departments' records: a coordinator's
        # bulk action saves them all in one.
        self._check_in_scope(request, object_id)
        version = self._version_or_404(version_id, object_id=unquote(object_id))
        context = {
            "title": _("Przywróć wersję z %(when)s") % {"when": revision_moment(version)},
            "revert": True,
            **(extra_context or {}),
        }
        return self._revert_view(request, version, self.revision_form_template, context)

    # A deleted record no longer says which department it belonged to, so only a
    # coordinator, who sees everything, may browse and recover deleted records.
    def recoverlist_view(self, request, extra_context=None):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not is_coordinator(request.user) or not self.has_add_permission(request):
            raise PermissionDenied
        version = self._version_or_404(version_id)
        context = {
            "title": _("Odzyskaj: %(record)s") % {"record": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        return self._revert_view(request, version, self.recover_form_template, context)

    def _version_or_404(self, version_id, **lookups):
        version = (
            Version.objects.get_for_model(self.model)
            .filter(pk=version_id, **lookups)
            .select_related("revision")
            .first()
        )
        if version is None:
            raise Http404
        return version

    def _revert_view(self, request, version, template_name, context):
        """The change form as the record would be after the revert, with the list of what
        the revert changes above it; saving it reverts. Like reversion's own view, the revert
        is done to show the form, and rolled back."""
        plan = revert_plan(version.revision)
        if context.get("recover"):
            back = self._admin_url("recoverlist")
        else:
            back = self._admin_url("history", version.object_id)
        refused = self._refuse_revision(request, plan, back)
        if refused:
            return refused
        context["revert_changes"] = changes_on_revert(plan, request.user, first_model=self.model)
        context["revision_moment"] = revision_moment(version)
        # Viewing must not set off what saving does (search text, kept answer versions...).
        muted = (
            mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
            if request.method == "GET"
            else nullcontext()
        )
        request.reverted_revision = version.revision  # for the message (response_change)
        try:
            with transaction.atomic(using=version.db), muted:
                revert(plan)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        reversion.set_comment(
                            _("Przywrócono wersję z %(when)s.") % {"when": revision_moment(version)}
                        )
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()  # now, while the revert is still in place
                        raise _ShowReverted(response)
                    else:
                        raise RevertError(_("Nie udało się otworzyć tej wersji."))
        except _ShowReverted as shown:
            return shown.response
        except RevertError as error:
            messages.error(request, _("Nic nie zostało zmienione: %(error)s") % {"error": error})
            return redirect(back)
        except models.ProtectedError as error:
            # Kinds only: what points at them may be another department's.
            kinds = Counter(str(record._meta.verbose_name) for record in error.protected_objects)
            messages.error(
                request,
                _(
                    "Tej wersji nie można przywrócić: usunęłoby to wpisy dodane później, na "
                    "które wskazują inne wpisy (%(records)s). Nic nie zostało zmienione."
                )
                % {"records": ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))},
            )
            return redirect(back)
        return response

    def response_change(self, request, obj):
        revision = getattr(request, "reverted_revision", None)
        if revision is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("Przywrócono wersję z %(when)s: %(record)s")
            % {"when": revision_moment(revision), "record": obj},
            messages.SUCCESS,
        )
        return redirect(self._admin_url("change", obj.pk))

    def _admin_url(self, view, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args
        )

    def _refuse_revision(self, request, plan, back_url):
        """A redirect to `back_url` saying why, when reverting by `plan` would write records
        the user may not; None when they are all theirs."""
        outside = revision_records_outside_scope(request.user, plan)
        if not outside:
            return None
        kinds = Counter(
            str(model._meta.verbose_name) if model else _("usunięty rodzaj wpisu")
            for model, _pk in outside
        )
        messages.error(
            request,
            _(
                "Tej wersji nie można przywrócić: zapisano ją razem z wpisami spoza Twoich "
                "wydziałów (%(records)s), a przywrócenie zmieniłoby także je. Nic nie zostało "
                "zmienione. Poproś o to koordynatora albo popraw wpis ręcznie."
            )
            % {"records": ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))},
        )
        return redirect(back_url)


class _ShowReverted(Exception):
    """Carries the rendered form out of the transaction, which rolls the revert back."""

    def __init__(self, response):
        self.response = response


def revision_moment(version_or_revision):
    """When a revision was saved, as the history names it: "5 grudnia 2026 12:30"."""
    revision = getattr(version_or_revision, "revision", version_or_revision)
    return date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")


def report_count(modeladmin, request, count, done, nothing):
    """A bulk action's result: `done` (with %d) in green when it changed something; `nothing`
    as a warning when it changed nothing, never "0" in a success box."""
    if count:
        modeladmin.message_user(request, done % count, messages.SUCCESS)
    else:
        modeladmin.message_user(request, nothing, messages.WARNING)


def changeable_selection(modeladmin, request, queryset):
    """The selected rows the user may change; says how many shared ones were left alone."""
    allowed = changeable(queryset, request.user)
    if allowed is not queryset:
        skipped = queryset.count() - allowed.count()
        if skipped:
            modeladmin.message_user(
                request,
                _(
                    "Pominięto wpisy, które wskazują także materiały innych wydziałów (%d): "
                    "zmienić je może koordynator."
                )
                % skipped,
                messages.WARNING,
            )
    return allowed


@admin.action(description=_("Opublikuj zaznaczone"), permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    now = timezone.now()
    published = 0
    for obj in changeable_selection(modeladmin, request, queryset).exclude(status=Status.PUBLISHED):
        obj.status = Status.PUBLISHED
        # Published now, unless it waits for a moment set ahead: never at an earlier date
        # (Publishable.backdated).
        if obj.published_at is None or obj.published_at <= now:
            obj.published_at = now
        save_recorded(request, obj, _("Opublikowano."))
        # Django logs no bulk action; the start page's recent changes should show this one.
        modeladmin.log_change(
            request,
            obj,
            str(_("Opublikowano (od %(when)s).") % {"when": publication_moment(obj.published_at)}),
        )
        published += 1
    report_count(
        modeladmin,
        request,
        published,
        _("Opublikowano: %d."),
        _("Nic nie opublikowano: zaznaczone wpisy były już opublikowane lub zaplanowane."),
    )


@admin.action(description=_("Cofnij do szkicu"), permissions=["change"])
def unpublish_selected(modeladmin, request, queryset):
    unpublished = 0
    for obj in changeable_selection(modeladmin, request, queryset).filter(status=Status.PUBLISHED):
        obj.status = Status.DRAFT
        save_recorded(request, obj, _("Cofnięto do szkicu."))
        modeladmin.log_change(request, obj, str(_("Cofnięto do szkicu.")))
        unpublished += 1
    report_count(
        modeladmin,
        request,
        unpublished,
        _("Cofnięto do szkicu: %d."),
        _("Nic nie zmieniono: zaznaczone wpisy były już szkicami."),
    )


def save_recorded(request, obj, comment):
    """Saves `obj` as a version in its history, as the admin's form does: the public record
    card and change register read when it was published or withdrawn from there."""
    with reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(str(comment))
        obj.save()


def publication_state(record):
    """How the admin names a record's publication: "szkic", "opublikowany 4.12.2026" or
    "zaplanowany na 5.12.2026, 10:00" (a future date is not yet public, whatever the status)."""
    if record.status != Status.PUBLISHED:
        return _("szkic")
    if record.published_at > timezone.now():
        return _("zaplanowany na %(when)s") % {"when": publication_moment(record.published_at)}
    return _("opublikowany %(when)s") % {
        "when": date_format(timezone.localtime(record.published_at), "j.m.Y")
    }


def publication_moment(moment):
    """A publication time as editors read it: "5.12.2026, 10:00", Polish time."""
    return date_format(timezone.localtime(moment), "j.m.Y, H:i")


class PublicationStateFilter(admin.SimpleListFilter):
    """The list filter for a record's own publication, in the words of the "stan publikacji"
    column: a scheduled record is not "opublikowany" yet (the plain status filter said so)."""

    title = _("stan publikacji")
    parameter_name = "publikacja"
    DRAFT = "szkic"
    SCHEDULED = "zaplanowany"
    PUBLISHED = "opublikowany"

    def lookups(self, request, model_admin):
        return [
            (self.DRAFT, _("szkic")),
            (self.SCHEDULED, _("zaplanowany")),
            (self.PUBLISHED, _("opublikowany")),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.DRAFT:
            return queryset.exclude(status=Status.PUBLISHED)
        if self.value() == self.SCHEDULED:
            return queryset.filter(scheduled_condition())
        if self.value() == self.PUBLISHED:
            return queryset.filter(published_own_condition())
        return queryset


# Which of a record's publication dates the field holds: the public record card keeps the
# first one, while the field moves to the moment of a republication.
PUBLISHED_AT_HELP = _(
    "Chwila, od której wpis jest publiczny obecnie: po ponownej publikacji wycofanego wpisu "
    "to chwila ponownej publikacji. Pierwsze udostępnienie pozostaje w metryczce na stronie "
    "wpisu („Data udostępnienia”), a każde wycofanie i ponowna publikacja – w jego rejestrze "
    "zmian. Data w przyszłości oznacza publikację zaplanowaną: wpis pojawi się sam."
)


class PublishableAdmin(ArchiveAdmin):
    actions = [publish_selected, unpublish_selected, export_as_csv]

    def get_list_filter(self, request):
        # Every list filters by publication the same way, whatever its own filters are.
        return tuple(
            PublicationStateFilter if name == "status" else name
            for name in super().get_list_filter(request)
        )

    @admin.display(description=_("stan publikacji"), ordering="published_at")
    def publication_state(self, obj):
        return publication_state(obj)

    list_filter = ("status",)
    readonly_fields = ("is_sample", "created_at", "updated_at")
    date_hierarchy = "published_at"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at" and formfield is not None:
            formfield.help_text = PUBLISHED_AT_HELP
        return formfield

    def view_on_site(self, obj):
        return obj.get_absolute_url()
