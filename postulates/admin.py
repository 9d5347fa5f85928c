from django.contrib import admin

from krakow_ngo.admin import (
    PUBLICATION_FIELDSET,
    ArchiveAdmin,
    PublishableAdmin,
    ScopedChoicesMixin,
)
from postulates.models import Outcome, Position, Postulate, PublicTaskArea


@admin.register(PublicTaskArea)
class PublicTaskAreaAdmin(ArchiveAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Outcome)
class OutcomeAdmin(ArchiveAdmin):
    list_display = ("name", "category", "order")
    list_editable = ("order",)
    list_filter = ("category",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class PositionInline(ScopedChoicesMixin, admin.StackedInline):
    model = Position
    extra = 0
    autocomplete_fields = ("department", "document")
    fields = (
        "outcome",
        "justification",
        "department",
        "answered_on",
        "document",
        "status",
        "published_at",
    )


@admin.register(Postulate)
class PostulateAdmin(PublishableAdmin):
    list_display = ("number", "short_content", "organisation", "area", "meeting", "status")
    list_filter = ("status", "area", "programme")
    search_fields = ("content", "organisation__name", "meeting__title")
    autocomplete_fields = (
        "meeting",
        "round",
        "source_document",
        "organisation",
        "responsible_department",
        "programme",
    )
    list_select_related = ("organisation", "area", "meeting")
    inlines = (PositionInline,)
    fieldsets = (
        (None, {"fields": ("meeting", "round", "source_document", "number", "content")}),
        (None, {"fields": ("organisation", "area", "responsible_department", "programme")}),
        (None, {"fields": ("editor_note",)}),
        PUBLICATION_FIELDSET,
    )

    @admin.display(description="treść")
    def short_content(self, obj):
        return obj.content[:100]


@admin.register(Position)
class PositionAdmin(PublishableAdmin):
    list_display = ("postulate", "outcome", "department", "answered_on", "status")
    list_filter = ("status", "outcome")
    search_fields = ("justification", "postulate__content")
    autocomplete_fields = ("postulate", "department", "document")
    list_select_related = ("postulate", "outcome", "department")
    fieldsets = (
        (None, {"fields": ("postulate", "outcome", "justification", "department")}),
        (None, {"fields": ("answered_on", "document")}),
        PUBLICATION_FIELDSET,
    )
