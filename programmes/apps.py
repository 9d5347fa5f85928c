from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programy współpracy")

    def ready(self):
        import reversion

        from permalinks.tracking import track_url_changes
        from programmes.models import Programme

        for model in (Programme,):
            reversion.register(model)

        track_url_changes(Programme)
