from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibilityStatement
from core.admin import ArchiveAdmin


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(ArchiveAdmin):
    # A site address typed without a scheme means https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("entity", "site_name", "site_url")}),
        (
            _("Daty"),
            {"fields": ("site_published_on", "site_updated_on", "prepared_on", "reviewed_on")},
        ),
        (
            _("Stan dostępności"),
            {"fields": ("status", "non_compliance", "disproportionate_burden", "assessment")},
        ),
        (_("Kontakt"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
        (None, {"fields": ("procedure", "keyboard_shortcuts", "architecture", "communication")}),
    )

    def has_add_permission(self, request):
        # There is exactly one statement; editors change it, never add a second.
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
