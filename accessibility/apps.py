from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = _("Deklaracja dostępności")

    def ready(self):
        import reversion

        from accessibility.models import AccessibilityStatement

        for model in (AccessibilityStatement,):
            reversion.register(model)
