from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Historia zmian")

    def ready(self):
        from django.db.models.signals import post_save, pre_save
        from reversion.signals import post_revision_commit, pre_revision_commit

        from history.recording import (
            keep_only_changes,
            keep_state_before_history,
            keep_state_of_followed,
            note_saved,
        )

        pre_save.connect(keep_state_before_history, dispatch_uid="history_state_before_history")
        post_save.connect(note_saved, dispatch_uid="history_note_saved")
        pre_revision_commit.connect(keep_state_of_followed, dispatch_uid="history_followed")
        post_revision_commit.connect(keep_only_changes, dispatch_uid="history_keep_only_changes")
        # After the pruning above: the register's rows follow the versions kept.
        from history import entries

        entries.connect()
