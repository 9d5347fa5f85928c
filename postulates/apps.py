from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostulatesConfig(AppConfig):
    name = "postulates"
    verbose_name = _("Postulaty i stanowiska")
