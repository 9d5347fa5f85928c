from django.contrib import admin

from core.admin import PUBLICATION_FIELDSET, PublishableAdmin
from organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ("name", "kind", "publication_state")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = ((None, {"fields": ("name", "slug", "kind", "editor_note")}), PUBLICATION_FIELDSET)
