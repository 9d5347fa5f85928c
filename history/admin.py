from django.contrib import admin
from django.contrib.auth import get_user_model

from core.admin import ErrorSummaryMixin, PlainTextMixin
from history.models import StaffName


@admin.register(StaffName)
class StaffNameAdmin(ErrorSummaryMixin, PlainTextMixin, admin.ModelAdmin):
    """The names under which staff accounts appear on the public record cards and change
    registers; kept by coordinators (editors.roles)."""

    list_display = ("name", "role", "user")
    search_fields = ("name", "role", "user__username")
    list_select_related = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
