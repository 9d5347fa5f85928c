from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import PublishableAdmin
from core.publishing import Status
from organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ("name", "kind", "publication_state")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "editor_note")}),
        (
            _("Publikacja"),
            {
                "fields": ("status", "published_at"),
                "description": _(
                    "Nazwa organizacji jest jawna: opublikowana organizacja pojawi się na "
                    "stronie razem z pierwszym opublikowanym spotkaniem lub postulatem, który ją "
                    "wymienia. Szkic ukrywa ją wszędzie (postulat pokaże wtedy „nie podano”)."
                ),
            },
        ),
    )

    def get_changeform_initial_data(self, request):
        # Added from a postulate's "+" it must show with that postulate once it is published.
        return {"status": Status.PUBLISHED, **super().get_changeform_initial_data(request)}
