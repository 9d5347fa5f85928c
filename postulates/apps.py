from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


def _keep_replaced_public_version(sender, instance, **kwargs):
    from postulates.services import keep_replaced_public_version

    keep_replaced_public_version(instance)


class PostulatesConfig(AppConfig):
    name = "postulates"
    verbose_name = _("Postulaty i stanowiska")

    def ready(self):
        import reversion

        from postulates.models import (
            Outcome,
            Position,
            PositionRevision,
            Postulate,
            PostulateLink,
            PublicTaskArea,
        )

        # A postulate's links to other postulates are edited on its page and are part of it.
        reversion.register(Postulate, follow=("positions", "outgoing_links"))
        # Not following a position's earlier versions: reverting it from history would then
        # delete the versions recorded after, and those must stay.
        for model in (Position, PositionRevision, PostulateLink, Outcome, PublicTaskArea):
            reversion.register(model)

        # A signal rather than Position.save(): reverting from history saves raw, bypassing
        # save(), and must keep the replaced version too.
        pre_save.connect(
            _keep_replaced_public_version, sender=Position, dispatch_uid="keep_position_versions"
        )
