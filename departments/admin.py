from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    PUBLICATION_FIELDSET,
    ArchiveAdmin,
    LoadedAutocompleteMixin,
    PlainTextMixin,
    PublishableAdmin,
)
from departments.models import Department, DepartmentChange


class PredecessorInline(PlainTextMixin, LoadedAutocompleteMixin, admin.TabularInline):
    view_on_site = False  # no page of its own: the parent's link is above
    model = DepartmentChange
    fk_name = "successor"
    autocomplete_fields = ("predecessor",)
    extra = 0
    verbose_name = _("poprzednik")
    verbose_name_plural = _("poprzednicy (wcześniejsze nazwy lub jednostki)")


@admin.register(Department)
class DepartmentAdmin(PublishableAdmin):
    list_display = (
        "name",
        "abbreviation",
        "kind",
        "name_used_from",
        "name_used_until",
        "publication_state",
    )
    list_filter = ("kind", "status")
    search_fields = ("name", "abbreviation")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PredecessorInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "abbreviation", "kind")}),
        (_("Okres używania nazwy"), {"fields": ("name_used_from", "name_used_until")}),
        (None, {"fields": ("editor_note",)}),
        PUBLICATION_FIELDSET,
    )


@admin.register(DepartmentChange)
class DepartmentChangeAdmin(ArchiveAdmin):
    list_display = ("predecessor", "successor", "kind", "year")
    list_filter = ("kind",)
    search_fields = ("predecessor__name", "successor__name")
    autocomplete_fields = ("predecessor", "successor")
