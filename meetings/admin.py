from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.admin import (
    PUBLICATION_FIELDSET,
    PlainTextMixin,
    PublishableAdmin,
    ScopedInlineMixin,
    export_as_csv,
    publish_selected,
    unpublish_selected,
)
from core.scoping import editable_department_ids, scope_queryset
from departments.models import Department
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDate,
    MeetingDepartment,
    MeetingParticipant,
    Round,
)
from meetings.services import delete_meeting, meeting_tree
from postulates.forms import PostulateWithAnswerForm
from postulates.import_views import ImportPostulatesView, ImportTemplateView
from postulates.models import Postulate
from postulates.services import publish_answers


@admin.register(ArchiveYear)
class ArchiveYearAdmin(PublishableAdmin):
    list_display = ("year", "status", "published_at")
    search_fields = ("year", "intro")
    fieldsets = ((None, {"fields": ("year", "intro")}), PUBLICATION_FIELDSET)


class DocumentInline(PlainTextMixin, ScopedInlineMixin, admin.StackedInline):
    model = Document
    extra = 0
    fields = ("kind", "title", "slug", "file", "order", "editor_note", "status", "published_at")
    prepopulated_fields = {"slug": ("title",)}


class RoundDocumentInline(DocumentInline):
    fk_name = "round"


class MeetingDocumentInline(DocumentInline):
    fk_name = "meeting"


@admin.register(Round)
class RoundAdmin(PublishableAdmin):
    list_display = ("title", "year", "programme", "status")
    list_filter = ("year", "status")
    search_fields = ("title", "description")
    autocomplete_fields = ("programme", "coordinator")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (RoundDocumentInline,)
    fieldsets = (
        (None, {"fields": ("year", "title", "slug", "programme", "coordinator", "description")}),
        PUBLICATION_FIELDSET,
    )


class MeetingDateInline(PlainTextMixin, admin.TabularInline):
    model = MeetingDate
    extra = 1


class OwnDepartmentFormSet(forms.BaseInlineFormSet):
    """An editor's meeting must keep one of the editor's departments, or they would lose it."""

    editable_ids = None  # set per request by MeetingDepartmentInline.get_formset

    def clean(self):
        super().clean()
        if self.editable_ids is None or any(self.errors):
            return
        kept = {
            form.cleaned_data["department"].pk
            for form in self.forms
            if form.cleaned_data.get("department") and not form.cleaned_data.get("DELETE")
        }
        if not kept & self.editable_ids:
            raise forms.ValidationError(
                _("Spotkanie musi mieć co najmniej jeden z Twoich wydziałów.")
            )
        # A department that answered postulates here keeps its place on the meeting: without
        # it, its editors would lose the meeting their answers belong to (as deleting the
        # meeting is refused while it holds another department's answer).
        if self.instance.pk is None:
            return
        removed = set(self.instance.departments.values_list("pk", flat=True)) - kept
        answered = Department.objects.filter(
            pk__in=removed - self.editable_ids,
            positions__postulate__meeting=self.instance,
        ).distinct()
        if answered:
            raise forms.ValidationError(
                _(
                    "Nie można odłączyć od spotkania wydziału, który odpowiedział na jego "
                    "postulaty: %(departments)s. Poproś o to koordynatora."
                )
                % {"departments": ", ".join(str(department) for department in answered)}
            )


class MeetingDepartmentInline(PlainTextMixin, admin.TabularInline):
    model = MeetingDepartment
    formset = OwnDepartmentFormSet
    autocomplete_fields = ("department",)
    extra = 1
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.editable_ids = editable_department_ids(request.user)
        return formset


class MeetingParticipantInline(PlainTextMixin, admin.TabularInline):
    model = MeetingParticipant
    autocomplete_fields = ("organisation",)
    extra = 0


class PostulateInline(PlainTextMixin, ScopedInlineMixin, admin.StackedInline):
    """Postulates raised at the meeting, each with the city's answer, on the meeting's page."""

    model = Postulate
    form = PostulateWithAnswerForm
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ("organisation", "area", "responsible_department")
    # Links to postulates of other years are edited on the postulate's own page.
    show_change_link = True
    fieldsets = (
        (None, {"fields": (("number", "status", "published_at"), "content")}),
        (None, {"fields": (("organisation", "area", "responsible_department"),)}),
        (
            _("Stanowisko Miasta"),
            {"fields": (("outcome", "answered_on", "answer_status"), "justification")},
        ),
        (
            _("Zobowiązanie Miasta"),
            {"fields": ("commitment", ("commitment_due_on", "commitment_fulfilled_on"))},
        ),
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user
        return formset


@admin.action(
    description=_("Opublikuj wszystkie postulaty i odpowiedzi spotkania"), permissions=["change"]
)
def publish_meeting_answers(modeladmin, request, queryset):
    with transaction.atomic():
        published = publish_answers(queryset, request.user)
    modeladmin.message_user(
        request, _("Opublikowano postulaty i odpowiedzi: %d.") % published, messages.SUCCESS
    )


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin):
    list_display = ("title", "year", "starts_on", "kind", "status", "published_at")
    list_filter = ("year", "kind", "status", "departments")
    search_fields = ("title", "topic", "place", "departments__name")
    autocomplete_fields = ("round", "programme")
    prepopulated_fields = {"slug": ("title",)}
    actions = [publish_selected, unpublish_selected, publish_meeting_answers, export_as_csv]
    inlines = (
        MeetingDateInline,
        MeetingDepartmentInline,
        MeetingParticipantInline,
        MeetingDocumentInline,
        PostulateInline,
    )
    fieldsets = (
        (None, {"fields": ("year", "kind", "title", "slug", "round", "programme")}),
        (_("Treść"), {"fields": ("topic", "place", "is_online", "editor_note")}),
        PUBLICATION_FIELDSET,
    )

    def get_deleted_objects(self, objs, request):
        """List a meeting's documents, postulates and answers as deleted with it, not as
        protected: delete_meeting removes them deliberately and keeps them recoverable.
        Anything else that still points at them keeps the whole deletion refused."""
        to_delete, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(Meeting))
        collector.collect(list(objs))
        own = {}
        theirs = []  # another department's answers on a joint meeting: the meeting stays
        for meeting in objs:
            for records in meeting_tree(meeting).values():
                mine = set(scope_queryset(records, request.user).values_list("pk", flat=True))
                records = list(records)
                theirs += [record for record in records if record.pk not in mine]
                own.update({(type(record), record.pk): record for record in records})
                collector.collect(records)  # what, outside the meeting, still points at them
        outside = [
            f"{capfirst(obj._meta.verbose_name)}: {obj}"
            for obj in collector.protected
            if (type(obj), obj.pk) not in own
        ]
        outside += [
            _("%(record)s – należy do innego wydziału; usunąć może je on sam albo koordynator")
            % {"record": f"{capfirst(record._meta.verbose_name)}: {record}"}
            for record in theirs
        ]
        if outside:
            return to_delete, counts, perms_needed, outside
        for record in own.values():
            opts = record._meta
            to_delete.append(f"{capfirst(opts.verbose_name)}: {record}")
            counts[opts.verbose_name_plural] = counts.get(opts.verbose_name_plural, 0) + 1
            if not request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
                perms_needed.add(opts.verbose_name)
        return to_delete, counts, perms_needed, []

    def get_urls(self):
        meetings = self

        class ScopedImportView(ImportPostulatesView):
            def get_meeting_queryset(self, request):
                return meetings.get_queryset(request)

        guard = self.admin_site.admin_view
        return [
            path(
                "<int:meeting_id>/importuj-postulaty/",
                guard(
                    ScopedImportView.as_view(
                        admin_site=self.admin_site,
                        template_download_url_name="admin:postulates_import_template",
                    )
                ),
                name="meetings_meeting_import_postulates",
            ),
            path(
                "importuj-postulaty/szablon.csv",
                guard(ImportTemplateView.as_view()),
                name="postulates_import_template",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The departments are saved by their inline after the meeting itself, and the
        # meeting's search text names them: bring it up to date once they are in.
        form.instance.refresh_search_text()

    def delete_model(self, request, obj):
        delete_meeting(obj, request.user)

    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            delete_meeting(meeting, request.user)


@admin.register(Document)
class DocumentAdmin(PublishableAdmin):
    list_display = ("title", "kind", "meeting", "round", "file_format", "status")
    list_filter = ("kind", "status", "file_format")
    search_fields = ("title", "meeting__title", "round__title")
    autocomplete_fields = ("meeting", "round")
    list_select_related = ("meeting", "round")
    readonly_fields = (*PublishableAdmin.readonly_fields, "file_format", "file_size")
    fieldsets = (
        (None, {"fields": ("meeting", "round", "kind", "title", "slug", "order")}),
        (_("Plik"), {"fields": ("file", "file_format", "file_size")}),
        (None, {"fields": ("editor_note",)}),
        PUBLICATION_FIELDSET,
    )
