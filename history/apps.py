from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Historia zmian")

    def ready(self):
        from reversion.signals import post_revision_commit

        from history.recording import keep_only_changes

        post_revision_commit.connect(keep_only_changes, dispatch_uid="history_keep_only_changes")
        # After the pruning above: the register's rows follow the versions kept.
        from history import entries

        entries.connect()
