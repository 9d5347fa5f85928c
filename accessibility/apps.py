from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = _("Deklaracja dostępności")

    def ready(self):
        import reversion
        from django.db.models.signals import post_save

        from accessibility.models import AccessibilityStatement, DocumentText, EasyReadSummary
        from accessibility.services import refresh_on_save
        from meetings.models import Document

        for model in (AccessibilityStatement, DocumentText, EasyReadSummary):
            reversion.register(model)
        post_save.connect(refresh_on_save, sender=Document, dispatch_uid="document_text")
