from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organizacje")

    def ready(self):
        import reversion

        from organisations.models import Organisation
        from permalinks.tracking import track_url_changes

        for model in (Organisation,):
            reversion.register(model)

        track_url_changes(Organisation)
