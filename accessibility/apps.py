from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    # The statement, the checks of documents, their text versions and easy-to-read summaries.
    verbose_name = _("Dostępność")

    def ready(self):
        import reversion

        from accessibility.models import AccessibilityStatement, DocumentText, EasyReadSummary
        from accessibility.services import document_saved, refresh_on_save
        from meetings.models import Document

        for model in (AccessibilityStatement, DocumentText, EasyReadSummary):
            reversion.register(model)
        # Every save of a document, however made (the admin, an import, a recovery from the
        # history), checks its file and reads its HTML version if the file is new; meetings
        # need not know about either.
        post_save.connect(document_saved, sender=Document, dispatch_uid="accessibility-check")
        post_save.connect(refresh_on_save, sender=Document, dispatch_uid="document_text")
