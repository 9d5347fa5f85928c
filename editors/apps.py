from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorsConfig(AppConfig):
    name = "editors"
    verbose_name = _("Redakcja")

    def ready(self):
        # Every migrate brings the two staff groups' permissions in line with editors.roles,
        # so a deployment gets a changed role without anyone re-running add_editor. Sent
        # after each app's migrations: the last one finds every app's permissions created.
        post_migrate.connect(sync_staff_groups, dispatch_uid="editors.sync_staff_groups")


def sync_staff_groups(**kwargs):
    from editors.roles import ensure_groups  # models are ready only once migrations ran

    ensure_groups()
