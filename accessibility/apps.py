from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = _("Deklaracja dostępności")

    def ready(self):
        import reversion

        from accessibility.models import AccessibilityStatement
        from accessibility.services import document_saved

        for model in (AccessibilityStatement,):
            reversion.register(model)
        # Every save of a document, however made (the admin, an import, a recovery from the
        # history), checks its file if it is new; meetings need not know about it.
        post_save.connect(
            document_saved, sender="meetings.Document", dispatch_uid="accessibility-check"
        )
