from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from krakow_ngo.admin import PUBLICATION_FIELDSET, PublishableAdmin
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDate,
    MeetingDepartment,
    MeetingParticipant,
    Round,
)


@admin.register(ArchiveYear)
class ArchiveYearAdmin(PublishableAdmin):
    list_display = ("year", "status", "published_at")
    search_fields = ("year", "intro")
    fieldsets = ((None, {"fields": ("year", "intro")}), PUBLICATION_FIELDSET)


class DocumentInline(admin.StackedInline):
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


class MeetingDateInline(admin.TabularInline):
    model = MeetingDate
    extra = 1


class MeetingDepartmentInline(admin.TabularInline):
    model = MeetingDepartment
    autocomplete_fields = ("department",)
    extra = 1
    min_num = 1


class MeetingParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin):
    list_display = ("title", "year", "kind", "status", "published_at")
    list_filter = ("year", "kind", "status", "departments")
    search_fields = ("title", "topic", "place", "departments__name")
    autocomplete_fields = ("round", "programme")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (
        MeetingDateInline,
        MeetingDepartmentInline,
        MeetingParticipantInline,
        MeetingDocumentInline,
    )
    fieldsets = (
        (None, {"fields": ("year", "kind", "title", "slug", "round", "programme")}),
        (_("Treść"), {"fields": ("topic", "place", "is_online", "editor_note")}),
        PUBLICATION_FIELDSET,
    )


@admin.register(Document)
class DocumentAdmin(PublishableAdmin):
    list_display = ("title", "kind", "meeting", "round", "file_format", "status")
    list_filter = ("kind", "status", "file_format")
    search_fields = ("title", "meeting__title", "round__title")
    autocomplete_fields = ("meeting", "round")
    readonly_fields = (*PublishableAdmin.readonly_fields, "file_format", "file_size")
    fieldsets = (
        (None, {"fields": ("meeting", "round", "kind", "title", "slug", "order")}),
        (_("Plik"), {"fields": ("file", "file_format", "file_size")}),
        (None, {"fields": ("editor_note",)}),
        PUBLICATION_FIELDSET,
    )
