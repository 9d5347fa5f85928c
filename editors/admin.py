from django.contrib import admin

from core.admin import ErrorSummaryMixin, LoadedAutocompleteMixin, PlainTextMixin
from editors.models import EditorProfile


@admin.register(EditorProfile)
class EditorProfileAdmin(
    ErrorSummaryMixin, PlainTextMixin, LoadedAutocompleteMixin, admin.ModelAdmin
):
    """Who edits which department's materials; managed by administrators (superusers)."""

    list_display = ("user", "is_coordinator")
    list_filter = ("is_coordinator", "departments")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user", "departments")
