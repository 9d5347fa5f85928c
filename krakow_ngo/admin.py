"""Admin pieces shared by every app's ModelAdmin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

PUBLICATION_FIELDSET = (
    _("Publikacja"),
    {"fields": ("status", "published_at")},
)


class PublishableAdmin(admin.ModelAdmin):
    list_filter = ("status",)
    readonly_fields = ("is_sample", "created_at", "updated_at")
    date_hierarchy = "published_at"

    def view_on_site(self, obj):
        return obj.get_absolute_url()
