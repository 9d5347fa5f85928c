"""Admin pieces shared by every app's ModelAdmin: history, department scoping, export."""

import csv

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from editors.scoping import is_coordinator, is_scoped, scope_queryset
from krakow_ngo.control_characters import guard_text_field
from krakow_ngo.publishing import Status

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


class ScopedChoicesMixin:
    """Choices of department-owned records offered in a form are only the editor's own, so a
    forged form value cannot attach a record to another department's meeting."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and is_scoped(db_field.related_model):
            formfield.queryset = scope_queryset(formfield.queryset, request.user)
        return formfield


class PlainTextMixin:
    """Every text field of a model's form refuses control characters, which would break the
    feeds showing the text. For ModelAdmins and inlines alike; text fields a form declares
    itself are not built here and call `guard_text_field` themselves."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField):
            guard_text_field(formfield)
        return formfield


@admin.action(description=_("Eksportuj zaznaczone do CSV"), permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    opts = queryset.model._meta
    fields = [f for f in opts.concrete_fields if f.name not in {"is_sample"}]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{opts.model_name}.csv"'
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(f.verbose_name) for f in fields])
    for obj in queryset:
        writer.writerow([_export_value(obj, f) for f in fields])
    return response


def _export_value(obj, field):
    value = getattr(obj, field.name)
    if field.is_relation:
        return "" if value is None else str(value)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return "" if value is None else value


class ArchiveAdmin(PlainTextMixin, ScopedChoicesMixin, VersionAdmin):
    """Every change is recorded (django-reversion); department-owned records are scoped."""

    actions = [export_as_csv]
    change_list_template = "admin/archive_change_list.html"

    def changelist_view(self, request, extra_context=None):
        context = {"can_recover": is_coordinator(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Checked before reversion reverts anything: a revert must never touch a record
        # outside the editor's departments, not even inside a rolled-back transaction.
        self._check_in_scope(request, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    # A deleted record no longer says which department it belonged to, so only a
    # coordinator, who sees everything, may browse and recover deleted records.
    def recoverlist_view(self, request, extra_context=None):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)


@admin.action(description=_("Opublikuj zaznaczone"), permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    now = timezone.now()
    published = 0
    for obj in queryset.exclude(status=Status.PUBLISHED):
        obj.status = Status.PUBLISHED
        obj.published_at = obj.published_at or now
        obj.save()
        published += 1
    modeladmin.message_user(request, _("Opublikowano: %d.") % published, messages.SUCCESS)


@admin.action(description=_("Cofnij do szkicu"), permissions=["change"])
def unpublish_selected(modeladmin, request, queryset):
    unpublished = 0
    for obj in queryset.filter(status=Status.PUBLISHED):
        obj.status = Status.DRAFT
        obj.save()
        unpublished += 1
    modeladmin.message_user(request, _("Cofnięto do szkicu: %d.") % unpublished, messages.SUCCESS)


class PublishableAdmin(ArchiveAdmin):
    actions = [publish_selected, unpublish_selected, export_as_csv]
    list_filter = ("status",)
    readonly_fields = ("is_sample", "created_at", "updated_at")
    date_hierarchy = "published_at"

    def view_on_site(self, obj):
        return obj.get_absolute_url()
