from django.contrib import admin

from core.admin import PUBLICATION_FIELDSET, PublishableAdmin
from programmes.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ("short_name", "title", "kind", "first_year", "last_year", "publication_state")
    list_filter = ("kind", "status")
    search_fields = ("short_name", "title")
    prepopulated_fields = {"slug": ("short_name",)}
    fieldsets = (
        (None, {"fields": ("title", "short_name", "slug", "kind", "first_year", "last_year")}),
        PUBLICATION_FIELDSET,
    )
