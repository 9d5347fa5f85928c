from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostulatesConfig(AppConfig):
    name = "postulates"
    verbose_name = _("Postulaty i stanowiska")

    def ready(self):
        import reversion

        from postulates.models import Outcome, Position, Postulate, PublicTaskArea

        reversion.register(Postulate, follow=("positions",))
        for model in (Position, Outcome, PublicTaskArea):
            reversion.register(model)
